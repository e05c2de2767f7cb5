/* Overcommit accounting (Linux's mm/util.c and the VM_ACCOUNT rules of
 * mm/mmap.c): vm_committed_as, the pages user space has been promised, and
 * __vm_enough_memory, which decides by vm.overcommit_memory whether one more
 * promise may be made. Read first: a VMA carrying VM_ACCOUNT owns a charge
 * of one page per page it spans; whoever adds, grows, copies or drops such a
 * VMA charges or releases exactly that, so Committed_AS always equals the
 * sum over every VM_ACCOUNT VMA in the system. */
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/ratelimit.h"
#include "kernel/sched.h"
#include "kernel/sysctl.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/overcommit.h"
#include "mm/vmstat.h"

#define KB_TO_PAGES(kb) ((kb) >> (PAGE_SHIFT - 10))
#define USER_RESERVE_KBYTES_MAX (1ul << 17)  /* 128 MiB, Linux's cap */
#define ADMIN_RESERVE_KBYTES_MAX (1ul << 13) /* 8 MiB */
#define RESERVE_FREE_FRACTION 32	     /* both reserves: 3% of free memory */
#define ENOUGH_MEMORY_RATELIMIT_NS (5ull * 1000000000ull)
#define ENOUGH_MEMORY_RATELIMIT_BURST 10 /* Linux's pr_warn_ratelimited defaults */

int sysctl_overcommit_memory = OVERCOMMIT_GUESS;
int sysctl_overcommit_ratio = 50;
unsigned long sysctl_overcommit_kbytes;
unsigned long sysctl_user_reserve_kbytes = USER_RESERVE_KBYTES_MAX;
unsigned long sysctl_admin_reserve_kbytes = ADMIN_RESERVE_KBYTES_MAX;
/* No swap device and no hugetlb pool exist: both terms are 0, kept so the
 * formulas read as Linux's. */
unsigned long total_swap_pages;
static const unsigned long hugetlb_total_pages;

static long vm_committed_as; /* pages; Linux's percpu_counter, one CPU here */

void vm_acct_memory(long pages)
{
	__atomic_add_fetch(&vm_committed_as, pages, __ATOMIC_RELAXED);
}

void vm_unacct_memory(long pages)
{
	vm_acct_memory(-pages);
}

/* As Linux's percpu_counter_read_positive: a transient negative reads 0. */
unsigned long vm_memory_committed(void)
{
	long v = __atomic_load_n(&vm_committed_as, __ATOMIC_RELAXED);

	return v > 0 ? (unsigned long)v : 0;
}

/* As Linux's vm_commit_limit: the ceiling of Committed_AS in mode 2. The
 * arithmetic is Linux's, unsigned, so even a negative ratio gives Linux's
 * (meaningless) number. */
unsigned long vm_commit_limit(void)
{
	unsigned long allowed;

	if (sysctl_overcommit_kbytes)
		allowed = KB_TO_PAGES(sysctl_overcommit_kbytes);
	else
		allowed = (totalram_pages - hugetlb_total_pages) *
			  (unsigned long)sysctl_overcommit_ratio / 100;
	return allowed + total_swap_pages;
}

static struct ratelimit_state enough_memory_rs =
	RATELIMIT_STATE_INIT(ENOUGH_MEMORY_RATELIMIT_NS, ENOUGH_MEMORY_RATELIMIT_BURST);

/* As Linux's __vm_enough_memory: charge pages to vm_committed_as, then
 * decide; a refusal takes the charge back and is -ENOMEM. */
int __vm_enough_memory(struct mm_struct *mm, long pages, bool cap_sys_admin)
{
	long allowed;

	vm_acct_memory(pages);
	if (sysctl_overcommit_memory == OVERCOMMIT_ALWAYS)
		return 0;
	if (sysctl_overcommit_memory == OVERCOMMIT_GUESS) {
		/* Only a request that could never fit, all RAM and swap
		 * together, is refused. */
		if (pages > (long)(totalram_pages + total_swap_pages))
			goto error;
		return 0;
	}
	allowed = (long)vm_commit_limit();
	if (!cap_sys_admin)
		allowed -= (long)KB_TO_PAGES(sysctl_admin_reserve_kbytes);
	/* Leave a user room to kill a process that grew too big. */
	if (mm) {
		long reserve = (long)KB_TO_PAGES(sysctl_user_reserve_kbytes);
		long share = (long)(mm->total_vm / 32);

		allowed -= share < reserve ? share : reserve;
	}
	if ((long)vm_memory_committed() < allowed)
		return 0;
error:
	if (__ratelimit(&enough_memory_rs))
		pr_warn("__vm_enough_memory: pid: %d, comm: %s, bytes: %lu not enough memory for "
			"the allocation",
			current_task ? current_task->pid : 0, current_comm(),
			(unsigned long)pages << PAGE_SHIFT);
	vm_unacct_memory(pages);
	return -ENOMEM;
}

/* Linux's security_vm_enough_memory_mm with the capability check of
 * cap_vm_enough_memory: every task here runs as root (uid 0), which holds
 * CAP_SYS_ADMIN, so the admin reserve is never held back from it. */
int security_vm_enough_memory_mm(struct mm_struct *mm, long pages)
{
	return __vm_enough_memory(mm, pages, true);
}

/* As Linux's accountable_mapping, plus shared anonymous memory, which
 * Linux charges through its shmem object (shmem_acct_size). */
static bool accountable_mapping(const struct file *file, unsigned long vm_flags)
{
	if (vm_flags & VM_NORESERVE)
		return false;
	if (vm_flags & VM_SHARED)
		return !file;
	return vm_flags & VM_WRITE;
}

static unsigned long accounted_pages_in(struct mm_struct *mm, unsigned long start,
					unsigned long end)
{
	unsigned long pages = 0;

	for (struct vm_area_struct *vma = find_vma(mm, start); vma && vma->vm_start < end;
	     vma = find_vma(mm, vma->vm_end)) {
		unsigned long s = vma->vm_start > start ? vma->vm_start : start;
		unsigned long e = vma->vm_end < end ? vma->vm_end : end;

		if (vma->vm_flags & VM_ACCOUNT)
			pages += (e - s) >> PAGE_SHIFT;
	}
	return pages;
}

/* mmap of [start, end) with *vm_flags, before the old mappings there go:
 * as Linux's mmap_region, only the pages not already charged by what the
 * new mapping replaces are asked for, and the replaced pages' charge moves
 * to the new VMA (their munmap releases it next). Returns the pages the
 * caller must release if the mapping is not made, or -ENOMEM. */
long mmap_charge(struct mm_struct *mm, unsigned long start, unsigned long end,
		 const struct file *file, unsigned long *vm_flags)
{
	unsigned long pages = (end - start) >> PAGE_SHIFT, replaced;

	if (!accountable_mapping(file, *vm_flags))
		return 0;
	replaced = accounted_pages_in(mm, start, end);
	if (pages > replaced && security_vm_enough_memory_mm(mm, (long)(pages - replaced)))
		return -ENOMEM;
	vm_acct_memory((long)replaced);
	*vm_flags |= VM_ACCOUNT;
	return (long)pages;
}

/* A VM_ACCOUNT VMA grows by pages (brk, stack): as Linux's do_brk_flags
 * and acct_stack_growth, 0 or -ENOMEM. */
int vma_grow_charge(struct vm_area_struct *vma, unsigned long pages)
{
	if (!(vma->vm_flags & VM_ACCOUNT))
		return 0;
	return security_vm_enough_memory_mm(vma->vm_mm, (long)pages);
}

/* Pages of a VMA leave the address space (munmap, exit). */
void vma_unacct_pages(const struct vm_area_struct *vma, unsigned long pages)
{
	if (vma->vm_flags & VM_ACCOUNT)
		vm_unacct_memory((long)pages);
}

/* fork copied vma into the child: as Linux's dup_mmap, the child's copy
 * of a private accountable VMA is a promise of its own, charged against
 * the parent's mm. A shared one stays the parent's charge alone (one
 * object, as Linux's shmem). On -ENOMEM the copy holds no charge. */
int dup_vma_charge(struct mm_struct *oldmm, struct vm_area_struct *vma)
{
	long pages = (long)((vma->vm_end - vma->vm_start) >> PAGE_SHIFT);

	if (!(vma->vm_flags & VM_ACCOUNT))
		return 0;
	if (vma->vm_flags & VM_SHARED) {
		vma->vm_flags &= ~VM_ACCOUNT;
		return 0;
	}
	if (security_vm_enough_memory_mm(oldmm, pages)) {
		vma->vm_flags &= ~VM_ACCOUNT;
		return -ENOMEM;
	}
	return 0;
}

/* mprotect gives vma newflags: as Linux's mprotect_fixup, a private
 * mapping that becomes writable for the first time turns into data and is
 * charged; it keeps VM_ACCOUNT (and its charge) if later made read-only. */
int mprotect_charge(struct vm_area_struct *vma, unsigned long newflags)
{
	if (!(newflags & VM_WRITE) ||
	    (vma->vm_flags & (VM_ACCOUNT | VM_WRITE | VM_SHARED | VM_NORESERVE)))
		return 0;
	if (security_vm_enough_memory_mm(vma->vm_mm,
					 (long)((vma->vm_end - vma->vm_start) >> PAGE_SHIFT)))
		return -ENOMEM;
	vma->vm_flags |= VM_ACCOUNT;
	return 0;
}

/* As Linux's init_user_reserve and init_admin_reserve: 3% of the memory
 * free at boot, capped at 128 MiB and 8 MiB. */
static void init_reserves(void)
{
	unsigned long free_kbytes = (unsigned long)global_zone_page_state(NR_FREE_PAGES)
				    << (PAGE_SHIFT - 10);
	unsigned long share = free_kbytes / RESERVE_FREE_FRACTION;

	sysctl_user_reserve_kbytes =
		share < USER_RESERVE_KBYTES_MAX ? share : USER_RESERVE_KBYTES_MAX;
	sysctl_admin_reserve_kbytes =
		share < ADMIN_RESERVE_KBYTES_MAX ? share : ADMIN_RESERVE_KBYTES_MAX;
}

/* As Linux's overcommit_ratio_handler and overcommit_kbytes_handler: the
 * two ways to say the limit exclude each other, so setting one clears the
 * other. */
static int overcommit_ratio_handler(const struct ctl_table *table, int write, char *buffer,
				    size_t *lenp)
{
	int err = proc_dointvec(table, write, buffer, lenp);

	if (!err && write)
		sysctl_overcommit_kbytes = 0;
	return err;
}

static int overcommit_kbytes_handler(const struct ctl_table *table, int write, char *buffer,
				     size_t *lenp)
{
	int err = proc_doulongvec_minmax(table, write, buffer, lenp);

	if (!err && write)
		sysctl_overcommit_ratio = 0;
	return err;
}

static const int zero = 0, two = OVERCOMMIT_NEVER;

static const struct ctl_table overcommit_sysctls[] = {
	{.procname = "overcommit_memory",
	 .data = &sysctl_overcommit_memory,
	 .mode = 0644,
	 .proc_handler = proc_dointvec_minmax,
	 .extra1 = &zero,
	 .extra2 = &two},
	{.procname = "overcommit_ratio",
	 .data = &sysctl_overcommit_ratio,
	 .mode = 0644,
	 .proc_handler = overcommit_ratio_handler},
	{.procname = "overcommit_kbytes",
	 .data = &sysctl_overcommit_kbytes,
	 .mode = 0644,
	 .proc_handler = overcommit_kbytes_handler},
	{.procname = "user_reserve_kbytes",
	 .data = &sysctl_user_reserve_kbytes,
	 .mode = 0644,
	 .proc_handler = proc_doulongvec_minmax},
	{.procname = "admin_reserve_kbytes",
	 .data = &sysctl_admin_reserve_kbytes,
	 .mode = 0644,
	 .proc_handler = proc_doulongvec_minmax},
	{0},
};

void overcommit_init(void)
{
	init_reserves();
	if (register_sysctl_init("vm", overcommit_sysctls))
		pr_err("overcommit: cannot register the vm sysctls");
}
