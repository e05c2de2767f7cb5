/* kernel/copy_user.S: the raw user copies. Each may fault on a user address
 * that nobody maps; the exception table sends the fault to a fixup that
 * returns the bytes left, as Linux's copy_user_generic. SMAP (stac/clac)
 * is handled by the C callers. */

	.text
/* unsigned long __copy_user(void *to, const void *from, unsigned long n) */
	.globl __copy_user
__copy_user:
	movq %rdx, %rcx
1:	rep movsb
	xorl %eax, %eax
	ret
2:	movq %rcx, %rax
	ret
	.section __ex_table, "a"
	.balign 4
	.long 1b - ., 2b - .
	.previous

/* unsigned long __clear_user(void *to, unsigned long n) */
	.globl __clear_user
__clear_user:
	movq %rsi, %rcx
	xorl %eax, %eax
3:	rep stosb
	ret
4:	movq %rcx, %rax
	ret
	.section __ex_table, "a"
	.balign 4
	.long 3b - ., 4b - .
	.previous

/* long __get_user_u8(unsigned char *dst, const void *src): 0 or -14 */
	.globl __get_user_u8
__get_user_u8:
5:	movb (%rsi), %al
	movb %al, (%rdi)
	xorl %eax, %eax
	ret
6:	movq $-14, %rax
	ret
	.section __ex_table, "a"
	.balign 4
	.long 5b - ., 6b - .
	.previous

	.section .note.GNU-stack,"",@progbits
