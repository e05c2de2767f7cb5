/* kernel/entry_syscall.S: the SYSCALL entry and the way back to user mode.
 * Read first: SYSCALL leaves the user stack in rsp and the user rip/rflags
 * in rcx/r11 with interrupts off (FMASK); we switch to the task's kernel
 * stack, build a struct pt_regs exactly as the interrupt stubs do, and
 * always return with iretq (slower than sysretq, but it restores every
 * register from pt_regs, so fork, exec and signals can rewrite them). */
#define USER_DS 0x23
#define USER_CS 0x2b
#define SYSCALL_VECTOR_MARK 0x80 /* pt_regs.vector for a system call */

	.text
	.globl entry_SYSCALL_64
entry_SYSCALL_64:
	movq %rsp, cpu_user_rsp_scratch(%rip)
	movq cpu_kernel_stack_top(%rip), %rsp
	pushq $USER_DS
	pushq cpu_user_rsp_scratch(%rip)
	pushq %r11			/* user rflags */
	pushq $USER_CS
	pushq %rcx			/* user rip */
	pushq %rax			/* error_code slot: orig_ax, the number */
	pushq $SYSCALL_VECTOR_MARK
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %rax
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	sti
	movq %rsp, %rdi
	call do_syscall_64
	/* fall through */

/* Return to user mode through the common exit in entry.S. */
	.globl ret_to_user
ret_to_user:
	cli
	jmp restore_regs_and_iret

/* A new user task's first switch lands here (copy_thread puts it as the
 * return address); its pt_regs sit at the top of its kernel stack. */
	.globl ret_from_fork
ret_from_fork:
	call schedule_tail
	movq %rsp, %rdi
	call exit_to_user_mode
	jmp ret_to_user

/* void enter_user_mode(struct pt_regs *regs): a kernel thread that has
 * exec'd (pid 1) leaves for user mode through the pt_regs at its stack top. */
	.globl enter_user_mode
enter_user_mode:
	movq %rdi, %rsp
	call exit_to_user_mode
	jmp ret_to_user

	.section .note.GNU-stack,"",@progbits
