/* kernel/exec_probe.S: probe_kernel_exec, a call the page-fault handler may
 * abandon. Read first: a fetch fault happens at the target, not here, so the
 * handler recognises the probe by the return address the call pushed (as
 * Linux's lkdtm EXEC_USERSPACE and EXEC_DATA, but survivable). */

	.text
/* long probe_kernel_exec(const void *target): 0 if target ran and returned,
 * -EFAULT (-14) if fetching it faulted. */
	.globl probe_kernel_exec
probe_kernel_exec:
	call *%rdi
	.globl exec_probe_return
exec_probe_return:
	xorl %eax, %eax
	ret
	.globl exec_probe_fixup
exec_probe_fixup:
	movq $-14, %rax
	ret

/* A kernel-text instruction the probe may run: the positive control. */
	.globl exec_probe_text_target
exec_probe_text_target:
	ret

	.section .note.GNU-stack,"",@progbits
