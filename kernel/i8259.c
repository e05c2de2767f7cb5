/* 8259A programming: ICW1-4 to remap IRQ 0-15 to vectors 32-47, all lines
 * masked until a driver asks. IRQ 7 and 15 can be spurious: check the
 * in-service register before acknowledging them. */
#include "kernel/i8259.h"
#include "kernel/traps.h"
#include "kernel/x86.h"
#include <stdint.h>

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_ICW4 0x11
#define ICW4_8086 0x01
#define PIC_EOI 0x20
#define PIC_READ_ISR 0x0b
#define CASCADE_IRQ 2
#define SPURIOUS_IRQ_MASTER 7
#define SPURIOUS_IRQ_SLAVE 15

static uint16_t irq_mask = 0xffff;

static void write_mask(void)
{
	outb(PIC1_DATA, irq_mask & 0xff);
	outb(PIC2_DATA, irq_mask >> 8);
}

void pic_init(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	outb(PIC1_DATA, IRQ_BASE_VECTOR);
	outb(PIC2_DATA, IRQ_BASE_VECTOR + 8);
	outb(PIC1_DATA, 1 << CASCADE_IRQ); /* slave on IRQ 2 */
	outb(PIC2_DATA, CASCADE_IRQ);
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	irq_mask = 0xffff & ~(1u << CASCADE_IRQ);
	write_mask();
}

void pic_unmask(unsigned int irq)
{
	irq_mask &= (uint16_t) ~(1u << irq);
	write_mask();
}

void pic_eoi(unsigned int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}

static uint16_t read_isr(void)
{
	outb(PIC1_CMD, PIC_READ_ISR);
	outb(PIC2_CMD, PIC_READ_ISR);
	return (uint16_t)(inb(PIC1_CMD) | (inb(PIC2_CMD) << 8));
}

bool pic_is_spurious(unsigned int irq)
{
	if (irq != SPURIOUS_IRQ_MASTER && irq != SPURIOUS_IRQ_SLAVE)
		return false;
	if (read_isr() & (1u << irq))
		return false;
	if (irq == SPURIOUS_IRQ_SLAVE)
		outb(PIC1_CMD, PIC_EOI); /* the master did see the cascade */
	return true;
}
