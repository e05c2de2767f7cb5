/* The user side of the page-fault handler (Linux's arch/x86/mm/fault.c,
 * do_user_addr_fault): find the VMA, check the access against it, grow
 * the stack, and let handle_mm_fault bring the page in. Read first: this
 * runs with mmap_lock held for read, so the OOM reaper's trylock can see
 * a faulting task as "busy"; a failure is SIGSEGV for user mode (VM_FAULT_OOM:
 * a retry, the OOM killer having run in the allocator), and for a kernel
 * access (copy_*_user) the exception-table fixup's -EFAULT. */
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/ptrace.h"
#include "kernel/ratelimit.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/oom.h"
#include "mm/overcommit.h"

#define PF_PROT_BIT 0x1
#define PF_WRITE_BIT 0x2
#define PF_USER_BIT 0x4
#define PF_INSTR_BIT 0x10
#define SEGV_RATELIMIT_NS (5ull * 1000000000ull)

/* Stack growth below the VMA, as far as the stack limit, keeping a guard
 * gap above the mapping below. Only mmap_lock's read side is held, so two
 * threads may grow the same stack at once: the check and the update run
 * without preemption (one CPU), as Linux guards them with a spinlock. */
static struct vm_area_struct *expand_stack(struct mm_struct *mm, struct vm_area_struct *vma,
					   unsigned long addr)
{
	unsigned long start = addr & PAGE_MASK, grown;
	struct vm_area_struct *prev = NULL;

	if (!(vma->vm_flags & VM_GROWSDOWN))
		return NULL;
	for (int i = 0; i < mm->map_count && mm->vmas[i] != vma; i++)
		prev = mm->vmas[i];
	preempt_disable();
	if (start >= vma->vm_start) {
		preempt_enable();
		return vma; /* another thread grew it first */
	}
	if (vma->vm_end - start > STACK_RLIMIT ||
	    (prev && prev->vm_end + STACK_GUARD_GAP > start)) {
		preempt_enable();
		return NULL;
	}
	grown = (vma->vm_start - start) >> PAGE_SHIFT;
	if (vma_grow_charge(vma, grown)) {
		preempt_enable();
		return NULL;
	}
	mm->total_vm += grown;
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += grown; /* as Linux's acct_stack_growth */
	vma->vm_start = start;
	preempt_enable();
	return vma;
}

static bool access_error(const struct vm_area_struct *vma, uint64_t error_code)
{
	if (error_code & PF_WRITE_BIT)
		return !(vma->vm_flags & VM_WRITE);
	if (error_code & PF_INSTR_BIT)
		return !(vma->vm_flags & VM_EXEC);
	return !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC));
}

static struct ratelimit_state segv_rs = RATELIMIT_STATE_INIT(SEGV_RATELIMIT_NS, 10);

/* Linux's show_signal_msg line. */
static void show_segv(const struct pt_regs *regs, unsigned long addr, uint64_t error_code)
{
	if (!__ratelimit(&segv_rs))
		return;
	pr_info("%s[%d]: segfault at %lx ip %016lx sp %016lx error %lx", current->comm,
		current->pid, addr, (unsigned long)regs->rip, (unsigned long)regs->rsp,
		(unsigned long)error_code);
}

/* 0 when the fault was handled; otherwise the VM_FAULT_* reason. */
int do_user_addr_fault(struct pt_regs *regs, unsigned long addr, uint64_t error_code)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned int flags = 0;
	int ret;

	if (!mm)
		return VM_FAULT_SIGSEGV;
	if (error_code & PF_WRITE_BIT)
		flags |= FAULT_FLAG_WRITE;
	if (error_code & PF_USER_BIT)
		flags |= FAULT_FLAG_USER;
	if (error_code & PF_INSTR_BIT)
		flags |= FAULT_FLAG_INSTRUCTION;
	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start > addr)
		vma = expand_stack(mm, vma, addr);
	if (!vma || access_error(vma, error_code)) {
		mmap_read_unlock(mm);
		return VM_FAULT_SIGSEGV;
	}
	ret = handle_mm_fault(vma, addr, flags);
	mmap_read_unlock(mm);
	return ret;
}

/* User-mode faults that could not be handled end in a signal. */
void user_fault_signal(struct pt_regs *regs, unsigned long addr, uint64_t error_code, int ret)
{
	/* The allocator has already run the OOM killer: if this task was
	 * its victim the pending SIGKILL ends it on the way out; otherwise
	 * returning retries the fault (Linux's pagefault_out_of_memory). */
	if (ret & VM_FAULT_OOM) {
		pagefault_out_of_memory();
		return;
	}
	current->fault_address = addr;
	if (ret & VM_FAULT_SIGBUS) {
		force_sig_fault(SIGBUS, BUS_ADRERR, addr);
		return;
	}
	/* As Linux's show_signal_msg: only a fault nobody handles is news. */
	if (unhandled_signal(current, SIGSEGV))
		show_segv(regs, addr, error_code);
	/* As Linux: a present page we may not touch is ACCERR, none MAPERR. */
	force_sig_fault(SIGSEGV, (error_code & PF_PROT_BIT) ? SEGV_ACCERR : SEGV_MAPERR, addr);
}
