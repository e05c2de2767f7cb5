/* Frame-pointer unwinder. A frame is [saved rbp][return address]; the chain
 * ends at rbp 0 (head.S clears it), or at the first frame that is not above
 * the previous one, not aligned, or not readable. */
#include "kernel/stacktrace.h"
#include "kernel/kallsyms.h"
#include "kernel/nofault.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include <stdbool.h>

#define KERNEL_SPACE_START 0xffff800000000000ul
#define SYMBOL_BUF 128

size_t stack_trace_save_fp(uint64_t rbp, uint64_t *entries, size_t max)
{
	size_t n = 0;

	while (n < max && rbp >= KERNEL_SPACE_START && (rbp & 7) == 0) {
		uint64_t next, ret;
		if (get_kernel_nofault_u64(&next, (const void *)rbp) ||
		    get_kernel_nofault_u64(&ret, (const void *)(rbp + 8)))
			break;
		if (ret == 0)
			break;
		entries[n++] = ret;
		if (next <= rbp)
			break;
		rbp = next;
	}
	return n;
}

/* A return address points after the call; look up the byte before it so a
 * call that ends a function is still named after that function. */
static void print_return_address_indented(uint64_t ret, int spaces)
{
	char sym[SYMBOL_BUF];
	uint64_t size, off;
	const char *name = kallsyms_lookup(ret - 1, &size, &off);

	if (name)
		pr_emerg("%*s%s+0x%lx/0x%lx", spaces, "", name, (unsigned long)(off + 1),
			 (unsigned long)size);
	else {
		sprint_symbol(sym, sizeof(sym), ret);
		pr_emerg("%*s%s", spaces, "", sym);
	}
}

static void print_return_address(uint64_t ret)
{
	print_return_address_indented(ret, 1);
}

void stack_trace_print(const uint64_t *entries, size_t n, int spaces)
{
	for (size_t i = 0; i < n; i++)
		print_return_address_indented(entries[i], spaces);
}

/* A fault in a function's first instructions happens before it pushed its
 * frame: its return address is then on top of the stack, not above rbp. */
#define FRAME_SETUP_PUSHED 1 /* offset after "push %rbp" */

static void show_caller_before_frame_setup(const struct pt_regs *regs)
{
	uint64_t size, off, ret;

	if (!kallsyms_lookup(regs->rip, &size, &off) || off > FRAME_SETUP_PUSHED)
		return;
	if (get_kernel_nofault_u64(&ret, (const void *)(regs->rsp + off * 8)) == 0 &&
	    kallsyms_lookup(ret - 1, &size, &off))
		print_return_address(ret);
}

/* regs: the interrupted context, whose RIP leads the trace; NULL for a
 * trace of the current call chain from rbp. */
static void show_trace(const struct pt_regs *regs, uint64_t rbp)
{
	char sym[SYMBOL_BUF];
	uint64_t entries[STACKTRACE_MAX_DEPTH];
	size_t n = stack_trace_save_fp(rbp, entries, STACKTRACE_MAX_DEPTH);

	pr_emerg("Call Trace:");
	pr_emerg(" <TASK>");
	if (regs) {
		sprint_symbol(sym, sizeof(sym), regs->rip);
		pr_emerg(" %s", sym);
		show_caller_before_frame_setup(regs);
	}
	for (size_t i = 0; i < n; i++)
		print_return_address(entries[i]);
	if (n == STACKTRACE_MAX_DEPTH)
		pr_emerg(" ... (trace cut at %d frames)", STACKTRACE_MAX_DEPTH);
	pr_emerg(" </TASK>");
}

void show_trace_regs(const struct pt_regs *regs)
{
	show_trace(regs, regs->rbp);
}

__attribute__((noinline)) void dump_stack(void)
{
	const struct task_struct *p = current;

	pr_emerg("CPU: 0 PID: %d Comm: %s Not tainted", p ? p->pid : 0, p ? p->comm : "swapper/0");
	show_trace(NULL, (uint64_t)__builtin_frame_address(0));
}

/* A switched-out task's stack starts with __switch_to_asm's frame: six
 * saved registers (rbp is the sixth) and the return into __schedule. */
#define SWITCH_FRAME_RBP 5
#define SWITCH_FRAME_RET 6

void show_task_stack(const struct task_struct *p)
{
	uint64_t entries[STACKTRACE_MAX_DEPTH];
	const uint64_t *sp = (const uint64_t *)p->thread.sp;
	uint64_t rbp, ret;
	size_t n;

	if (p == current) {
		show_trace(NULL, (uint64_t)__builtin_frame_address(0));
		return;
	}
	pr_emerg("Call Trace:");
	pr_emerg(" <TASK>");
	if (get_kernel_nofault_u64(&ret, sp + SWITCH_FRAME_RET) == 0 &&
	    get_kernel_nofault_u64(&rbp, sp + SWITCH_FRAME_RBP) == 0) {
		print_return_address(ret);
		n = stack_trace_save_fp(rbp, entries, STACKTRACE_MAX_DEPTH);
		for (size_t i = 0; i < n; i++)
			print_return_address(entries[i]);
	}
	pr_emerg(" </TASK>");
}
