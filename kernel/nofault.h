/* get_kernel_nofault: read kernel memory that may not be mapped, returning
 * -EFAULT instead of oopsing. The load is listed in __ex_table; the fault
 * handler finds it there and resumes at the fixup (as Linux's extable). */
#ifndef OOMLAB_KERNEL_NOFAULT_H
#define OOMLAB_KERNEL_NOFAULT_H
#include "kernel/errno.h"
#include <stdint.h>

struct exception_table_entry {
	int32_t insn;  /* relative to &insn */
	int32_t fixup; /* relative to &fixup */
};

struct pt_regs;
/* Resume a faulting kernel instruction at its fixup; false if none. */
int fixup_exception(struct pt_regs *regs);
/* Is there a fixup for the instruction at ip? */
int search_exception_table(uint64_t ip);

static inline int get_kernel_nofault_u64(uint64_t *dst, const void *src)
{
	int err = 0;
	uint64_t val;

	__asm__ volatile("1:	movq (%[p]), %[v]\n"
			 "2:\n"
			 ".section .fixup, \"ax\"\n"
			 "3:	movl %[efault], %[e]\n"
			 "	xorl %k[v], %k[v]\n"
			 "	jmp 2b\n"
			 ".previous\n"
			 ".section __ex_table, \"a\"\n"
			 "	.balign 4\n"
			 "	.long 1b - ., 3b - .\n"
			 ".previous\n"
			 : [v] "=r"(val), [e] "+r"(err)
			 : [p] "r"(src), [efault] "i"(-EFAULT)
			 : "memory");
	*dst = val;
	return err;
}

/* Probe a write: stores val at dst, or returns -EFAULT. */
static inline int put_kernel_nofault_u64(void *dst, uint64_t val)
{
	int err = 0;

	__asm__ volatile("1:	movq %[v], (%[p])\n"
			 "2:\n"
			 ".section .fixup, \"ax\"\n"
			 "3:	movl %[efault], %[e]\n"
			 "	jmp 2b\n"
			 ".previous\n"
			 ".section __ex_table, \"a\"\n"
			 "	.balign 4\n"
			 "	.long 1b - ., 3b - .\n"
			 ".previous\n"
			 : [e] "+r"(err)
			 : [p] "r"(dst), [v] "r"(val), [efault] "i"(-EFAULT)
			 : "memory");
	return err;
}
#endif
