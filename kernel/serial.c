/* 16550 UART driver for COM1. Output polls the transmitter; input is read
 * in the receive interrupt (or by a reader polling with interrupts off)
 * and handed to the console's line discipline, kernel/tty/n_tty.c. */
#include "kernel/serial.h"
#include "kernel/sysrq.h"
#include "kernel/tty/tty.h"
#include "kernel/x86.h"
#include <stdbool.h>
#include <stdint.h>

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LSR_DATA_READY 0x01
#define UART_LSR_THR_EMPTY 0x20
#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1 0x03
#define UART_FCR_ENABLE_CLEAR 0xc7
#define UART_MCR_DTR_RTS_OUT2 0x0b
#define UART_IER_RX 0x01
#define BAUD_DIVISOR_115200 1
#define TX_SPIN_LIMIT 100000

void serial_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, UART_LCR_DLAB);
	outb(COM1 + UART_DATA, BAUD_DIVISOR_115200);
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, UART_LCR_8N1);
	outb(COM1 + UART_FCR, UART_FCR_ENABLE_CLEAR);
	outb(COM1 + UART_MCR, UART_MCR_DTR_RTS_OUT2);
}

void serial_enable_rx_irq(void)
{
	outb(COM1 + UART_IER, UART_IER_RX);
}

void serial_putc(char c)
{
	/* Bounded spin: a missing UART must not hang printk forever. */
	for (int i = 0; i < TX_SPIN_LIMIT; i++) {
		if (inb(COM1 + UART_LSR) & UART_LSR_THR_EMPTY)
			break;
		cpu_relax();
	}
	outb(COM1 + UART_DATA, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

/* Every received character goes to the line discipline at once (so
 * Ctrl-C works while nobody reads), except the SysRq prefix and the key
 * after it, which ask for a dump and are not input. */
void serial_poll_rx(void)
{
	while (inb(COM1 + UART_LSR) & UART_LSR_DATA_READY) {
		char c = (char)inb(COM1 + UART_DATA);

		if (!sysrq_serial_input(c))
			n_tty_receive_char(c);
	}
}

void serial_irq(void)
{
	serial_poll_rx();
}
