/* Segments for long mode: the GDT (flat code/data for ring 0 and 3, laid out
 * for SYSCALL/SYSRET) and the TSS whose IST stacks catch double faults and
 * NMIs even when the kernel stack itself is gone. */
#ifndef OOMLAB_KERNEL_GDT_H
#define OOMLAB_KERNEL_GDT_H
#include <stdint.h>

#define __KERNEL_CS 0x08
#define __KERNEL_DS 0x10
#define __USER_DS 0x23 /* 0x20 | RPL 3 */
#define __USER_CS 0x2b /* 0x28 | RPL 3 */
#define GDT_TSS_SEL 0x30

#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define IST_STACK_SIZE 16384

void gdt_init(void);
void tss_set_rsp0(uint64_t sp);
/* Bounds of an IST stack (index 1..3), for stack walking. */
void ist_stack_bounds(int ist, uint64_t *lo, uint64_t *hi);
#endif
