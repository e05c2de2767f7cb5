/* struct pt_regs: the register frame every interrupt and exception entry
 * builds (kernel/entry.S pushes it in exactly this order). */
#ifndef OOMLAB_KERNEL_PTRACE_H
#define OOMLAB_KERNEL_PTRACE_H
#include <stdint.h>
struct pt_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi;
	uint64_t vector;		   /* pushed by the stub */
	uint64_t error_code;		   /* by the CPU, or 0 by the stub */
	uint64_t rip, cs, rflags, rsp, ss; /* by the CPU */
};
static inline int user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) == 3;
}
#endif
