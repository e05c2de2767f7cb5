/* The legacy 8259 PIC pair, remapped above the exception vectors. Used for
 * the serial line until the local APIC takes over the timer. */
#ifndef OOMLAB_KERNEL_I8259_H
#define OOMLAB_KERNEL_I8259_H
#include <stdbool.h>
void pic_init(void);
void pic_unmask(unsigned int irq);
void pic_eoi(unsigned int irq);
bool pic_is_spurious(unsigned int irq);
#endif
