/* The console tty: the serial line behind /dev/console and the kernel
 * monitor, with its line discipline (n_tty). Read first: input is cooked
 * when it arrives, in the serial interrupt: echo, editing and Ctrl-C work
 * even while nobody reads, and readers only ever see whole lines. */
#ifndef OOMLAB_KERNEL_TTY_TTY_H
#define OOMLAB_KERNEL_TTY_TTY_H
#include <stdbool.h>
#include <stddef.h>

/* Control characters the line discipline acts on (termios defaults). */
#define CHAR_CTRL_C 0x03 /* VINTR: SIGINT to the foreground process */
#define CHAR_CTRL_D 0x04 /* VEOF: end the line without a newline; alone, EOF */
#define CHAR_BACKSPACE 0x08
#define CHAR_CTRL_U 0x15 /* VKILL: erase the line */
#define CHAR_DELETE 0x7f /* VERASE */

#define N_TTY_BUF_SIZE 1024 /* cooked input waiting for readers */
#define N_TTY_LINE_MAX 255  /* one line being edited */

/* Feed one received character (interrupts off: the serial IRQ, or a
 * reader polling the UART). */
void n_tty_receive_char(char c);
/* Reader side, for /dev/console: up to size bytes of the next line,
 * waiting for one; 0 at EOF (Ctrl-D on an empty line), -EINTR when a
 * signal ends the wait. */
long n_tty_read(char *buf, size_t size);
/* Echo typed characters (on by default; tests turn it off, as stty -echo). */
void n_tty_set_echo(bool on);
/* Forget all pending input (tests). */
void n_tty_flush(void);

/* The foreground process: whoever last read /dev/console from user
 * space or was named by TIOCSPGRP; 0 for none. Ctrl-C sends SIGINT to it
 * and to every user process descended from it (our stand-in for its
 * process group). */
int console_foreground(void);
void console_set_foreground(int pid);

/* Register /dev/console (5:1) with the VFS. */
void tty_init(void);
#endif
