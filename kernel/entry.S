/* kernel/entry.S: interrupt and exception entry stubs. Each stub makes the
 * frame uniform (a zero error code where the CPU pushes none, then the
 * vector) and jumps to one common path that builds struct pt_regs. */
#define NR_STUBS 48

	.macro STUB_NOERR n
	.align 16
isr_stub_\n:
	pushq $0
	pushq $\n
	jmp isr_common
	.endm

	.macro STUB_ERR n
	.align 16
isr_stub_\n:
	pushq $\n
	jmp isr_common
	.endm

	.text
	.irp n, 0,1,2,3,4,5,6,7
	STUB_NOERR \n
	.endr
	STUB_ERR 8
	STUB_NOERR 9
	.irp n, 10,11,12,13,14
	STUB_ERR \n
	.endr
	.irp n, 15,16
	STUB_NOERR \n
	.endr
	STUB_ERR 17
	.irp n, 18,19,20
	STUB_NOERR \n
	.endr
	STUB_ERR 21
	.irp n, 22,23,24,25,26,27,28
	STUB_NOERR \n
	.endr
	.irp n, 29,30
	STUB_ERR \n
	.endr
	STUB_NOERR 31
	.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	STUB_NOERR \n
	.endr

isr_common:
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
	/* As Linux's ASM_CLAC: the handler runs with SMAP in force whatever
	 * EFLAGS.AC the interrupted code had (user code can set it with popf);
	 * iretq puts the saved flags back. clac is #UD without SMAP. */
	cmpb $0, smap_enabled(%rip)
	je 1f
	clac
1:
	mov %rsp, %rdi
	call do_interrupt
/* Restore the pt_regs at rsp and return with iretq: the way out of every
 * interrupt, exception and system call. */
	.globl restore_regs_and_iret
restore_regs_and_iret:
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rax
	popq %rcx
	popq %rdx
	popq %rsi
	popq %rdi
	addq $16, %rsp			/* vector and error code */
	iretq

	.section .rodata
	.align 8
	.global isr_stub_table
isr_stub_table:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.quad isr_stub_\n
	.endr

	.section .note.GNU-stack, "", @progbits
