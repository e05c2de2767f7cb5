/* clone.S: __clone(flags, stack, ptid, ctid, tls, fn, arg) runs fn(arg) in
 * a new thread on the given stack. Read first: the child wakes up inside
 * this function on a stack with no C frames, so it must never return from
 * here; it calls fn and ends with SYS_exit (this thread only). */
	.text
	.globl __clone
	.type __clone, @function
__clone:
	mov 8(%rsp), %rax	/* arg, the 7th argument, on our stack */
	and $-16, %rsi
	sub $16, %rsi
	mov %r9, 0(%rsi)	/* fn and arg wait on the child's stack */
	mov %rax, 8(%rsi)
	mov %rcx, %r10		/* clone(flags, stack, ptid, ctid, tls) */
	mov $56, %eax		/* SYS_clone */
	syscall
	test %rax, %rax
	jnz 1f			/* parent (tid) or error (-errno) */
	xor %ebp, %ebp
	pop %rax
	pop %rdi
	call *%rax		/* rsp is 16-aligned before the call */
	mov %eax, %edi
	mov $60, %eax		/* SYS_exit: only this thread */
	syscall
	hlt
1:	ret
	.size __clone, . - __clone

/* Every handler returns here (sa_restorer): rt_sigreturn restores the
 * registers the kernel saved on the user stack before the handler ran. */
	.globl __restore_rt
	.type __restore_rt, @function
__restore_rt:
	mov $15, %eax		/* SYS_rt_sigreturn */
	syscall
	hlt
	.size __restore_rt, . - __restore_rt

	.section .note.GNU-stack, "", @progbits
