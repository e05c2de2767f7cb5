/* kernel/switch_to.S: the context switch and the first steps of a new
 * kernel thread. Only callee-saved registers are saved: __switch_to_asm is
 * an ordinary C call for its caller, so the rest are already dead. */

	.text
/* void __switch_to_asm(uint64_t *prev_sp, uint64_t next_sp) */
	.globl __switch_to_asm
__switch_to_asm:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/* A new thread's first "return" from __switch_to_asm lands here, with its
 * function in %r12 and argument in %r13 (from copy_thread). */
	.globl ret_from_kernel_thread
ret_from_kernel_thread:
	call schedule_tail
	movq %r13, %rdi
	call *%r12
	movq %rax, %rdi
	call do_exit
1:	hlt
	jmp 1b

	.section .note.GNU-stack,"",@progbits
