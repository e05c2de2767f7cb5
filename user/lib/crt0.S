/* crt0.S: _start, the ELF entry point. Read first: Linux's x86_64 ABI
 * leaves argc at (%rsp), then argv[], NULL, envp[], NULL, auxv; there is
 * no return address, so rsp is 16-byte aligned but not "after a call". */
	.text
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp		/* the outermost frame, for debuggers */
	mov %rsp, %rdi		/* __libc_start_main(sp) reads argc/argv/envp */
	and $-16, %rsp
	call __libc_start_main
	hlt			/* not reached: __libc_start_main exits */
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
