/* Interrupt and exception dispatch: the IDT, the 32 named exception vectors,
 * the oops report for a kernel fault, and the legacy-PIC IRQ lines. */
#ifndef OOMLAB_KERNEL_TRAPS_H
#define OOMLAB_KERNEL_TRAPS_H
#include "kernel/ptrace.h"

#define X86_TRAP_DE 0
#define X86_TRAP_NMI 2
#define X86_TRAP_DB 1
#define X86_TRAP_BP 3
#define X86_TRAP_UD 6
#define X86_TRAP_DF 8
#define X86_TRAP_GP 13
#define X86_TRAP_PF 14
#define X86_TRAP_MF 16
#define X86_TRAP_MC 18
#define X86_TRAP_XF 19
#define NR_EXCEPTION_VECTORS 32
#define IRQ_BASE_VECTOR 32
#define NR_LEGACY_IRQS 16

void idt_init(void);
const char *exception_name(unsigned int vector);
typedef void (*irq_handler_t)(void);
void request_irq(unsigned int irq, irq_handler_t handler);
/* Report a fatal kernel exception and panic (never returns). */
void die(const char *str, struct pt_regs *regs, uint64_t err) __attribute__((noreturn));
/* Call target; 0 if it ran and returned, -EFAULT if the CPU refused to
 * fetch it (NX, SMEP, not mapped) -- see kernel/exec_probe.S. */
long probe_kernel_exec(const void *target);
/* Load an empty IDT: the next exception triple-faults (harness tests only). */
void idt_load_empty(void);
#endif
