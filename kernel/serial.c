/* 16550 UART driver for COM1 with a small line discipline. The receive ring
 * is filled only by the IRQ handler and drained only with interrupts off, so
 * the two never race on one CPU. */
#include "kernel/serial.h"
#include "kernel/sysrq.h"
#include "kernel/wait.h"
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

#define RX_RING_SIZE 256
#define CHAR_CTRL_C 0x03
#define CHAR_CTRL_U 0x15
#define CHAR_BACKSPACE 0x08
#define CHAR_DELETE 0x7f

static char rx_ring[RX_RING_SIZE];
static unsigned int rx_head, rx_tail; /* head: next write; tail: next read */

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

static DECLARE_WAIT_QUEUE_HEAD(console_wait);

static bool serial_drain_rx(void)
{
	bool got = false;

	while (inb(COM1 + UART_LSR) & UART_LSR_DATA_READY) {
		char c = (char)inb(COM1 + UART_DATA);
		unsigned int next = (rx_head + 1) % RX_RING_SIZE;
		/* Ctrl-\ and the key after it ask for a dump: not input. */
		if (sysrq_serial_input(c))
			continue;
		if (next != rx_tail) { /* full: drop, as a UART overrun would */
			rx_ring[rx_head] = c;
			rx_head = next;
			got = true;
		}
	}
	return got;
}

void serial_irq(void)
{
	if (serial_drain_rx())
		wake_up_interruptible(&console_wait);
}

static bool rx_pending(void)
{
	return rx_tail != rx_head;
}

/* Wait for one received character: a task sleeps on the console's wait
 * queue (the receive interrupt wakes it); before tasks exist, or in the
 * idle task, the CPU halts between interrupts instead. */
static char console_getc(void)
{
	for (;;) {
		local_irq_disable();
		serial_drain_rx(); /* pick up anything that arrived while IRQs were off */
		if (rx_pending()) {
			char c = rx_ring[rx_tail];
			rx_tail = (rx_tail + 1) % RX_RING_SIZE;
			local_irq_enable();
			return c;
		}
		if (!current || is_idle_task(current)) {
			safe_halt();
			continue;
		}
		local_irq_enable();
		(void)wait_event_interruptible(console_wait, rx_pending());
	}
}

static void erase_chars(size_t n)
{
	for (size_t i = 0; i < n; i++)
		serial_write("\b \b", 3);
}

size_t console_readline(char *buf, size_t size)
{
	size_t len = 0;

	for (;;) {
		char c = console_getc();
		if (c == '\r' || c == '\n') {
			serial_write("\n", 1);
			break;
		}
		if (c == CHAR_BACKSPACE || c == CHAR_DELETE) {
			if (len > 0) {
				len--;
				erase_chars(1);
			}
		} else if (c == CHAR_CTRL_U) {
			erase_chars(len);
			len = 0;
		} else if (c == CHAR_CTRL_C) {
			serial_write("^C\n", 3);
			len = 0;
			break;
		} else if ((unsigned char)c >= ' ' && len + 1 < size) {
			buf[len++] = c;
			serial_putc(c);
		}
	}
	if (size > 0)
		buf[len] = '\0';
	return len;
}
