/* The 16550 UART on COM1: the only console. Output polls the transmitter;
 * input arrives by IRQ 4 and goes to the line discipline (kernel/tty/),
 * whose cooked lines console_readline() and /dev/console read. */
#ifndef OOMLAB_KERNEL_SERIAL_H
#define OOMLAB_KERNEL_SERIAL_H
#include <stddef.h>
void serial_init(void);
void serial_enable_rx_irq(void);
void serial_putc(char c);
void serial_write(const char *s, size_t n);
void serial_irq(void);
/* Hand every character waiting in the UART to the line discipline
 * (interrupts off). */
void serial_poll_rx(void);
/* Read one line with echo and editing (backspace, Ctrl-U; Ctrl-C abandons
 * the line), without its newline. Sleeps (or, before tasks exist, halts)
 * until input comes. Returns the length. Lives in kernel/tty/n_tty.c. */
size_t console_readline(char *buf, size_t size);
#endif
