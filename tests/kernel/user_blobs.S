/* tests/kernel/user_blobs.S: tiny user programs for the user-mode suite,
 * assembled with the kernel but never run by it: the test copies each
 * between its start and end labels into an ELF image and execs it. All
 * are position independent. Linux x86_64 system call numbers. */
	.section .rodata
	.globl user_exit_pid_start, user_exit_pid_end
user_exit_pid_start:			/* exit(getpid() & 0xff) */
	movl $39, %eax
	syscall
	movq %rax, %rdi
	andq $0xff, %rdi
	movl $60, %eax
	syscall
user_exit_pid_end:

	.globl user_null_deref_start, user_null_deref_end
user_null_deref_start:			/* read address 0 */
	movq 0, %rax
	movl $60, %eax
	xorl %edi, %edi
	syscall
user_null_deref_end:

	.globl user_read_kernel_start, user_read_kernel_end
user_read_kernel_start:			/* read the kernel image: must be SIGSEGV */
	movabsq $0xffffffff80100000, %rbx
	movq (%rbx), %rax
	movl $60, %eax
	xorl %edi, %edi
	syscall
user_read_kernel_end:

	.globl user_kernel_ptr_start, user_kernel_ptr_end
user_kernel_ptr_start:			/* exit(-uname(kernel pointer)): EFAULT = 14 */
	movl $63, %eax
	movabsq $0xffff888000100000, %rdi
	syscall
	negq %rax
	movq %rax, %rdi
	movl $60, %eax
	syscall
user_kernel_ptr_end:

	.globl user_mmap_touch_start, user_mmap_touch_end
user_mmap_touch_start:			/* mmap 64 KiB, write every page, munmap, exit(0) */
	movl $9, %eax
	xorl %edi, %edi
	movl $0x10000, %esi
	movl $3, %edx			/* PROT_READ | PROT_WRITE */
	movl $0x22, %r10d		/* MAP_PRIVATE | MAP_ANONYMOUS */
	movq $-1, %r8
	xorl %r9d, %r9d
	syscall
	movq %rax, %rbx
	movq %rax, %rdi
	movl $16, %ecx
1:	movb $1, (%rdi)
	addq $4096, %rdi
	decl %ecx
	jnz 1b
	movl $11, %eax
	movq %rbx, %rdi
	movl $0x10000, %esi
	syscall
	movq %rax, %rdi			/* 0 when munmap worked */
	movl $60, %eax
	syscall
user_mmap_touch_end:

	.globl user_fork_wait_start, user_fork_wait_end
user_fork_wait_start:			/* child: exit(7); parent: wait4, exit(child status >> 8) */
	movl $57, %eax
	syscall
	testq %rax, %rax
	jnz 2f
	movl $7, %edi
	movl $60, %eax
	syscall
2:	subq $16, %rsp
	movq $-1, %rdi
	movq %rsp, %rsi
	xorl %edx, %edx
	xorl %r10d, %r10d
	movl $61, %eax
	syscall
	movl (%rsp), %edi
	shrl $8, %edi
	movl $60, %eax
	syscall
user_fork_wait_end:

	.globl user_spin_start, user_spin_end
user_spin_start:			/* spin until killed */
3:	pause
	jmp 3b
user_spin_end:

	.section .note.GNU-stack,"",@progbits
