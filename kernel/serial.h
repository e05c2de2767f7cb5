/* The 16550 UART on COM1: the only console. Output polls the transmitter;
 * input arrives by IRQ 4 into a ring that console_readline() drains. */
#ifndef OOMLAB_KERNEL_SERIAL_H
#define OOMLAB_KERNEL_SERIAL_H
#include <stddef.h>
void serial_init(void);
void serial_enable_rx_irq(void);
void serial_putc(char c);
void serial_write(const char *s, size_t n);
void serial_irq(void);
/* Read one line with echo and editing (backspace, Ctrl-U; Ctrl-C abandons
 * the line). Sleeps with hlt until input comes. Returns the length. */
size_t console_readline(char *buf, size_t size);
#endif
