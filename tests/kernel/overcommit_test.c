/* Overcommit as a specification: each vm.overcommit_memory mode gives
 * Linux's answer to the same requests, Committed_AS follows every
 * VM_ACCOUNT mapping (mmap, brk-like growth, fork, mprotect) and returns
 * to its baseline after munmap, exit and fork+exit, and /proc/sys/vm
 * validates writes as Linux. Read first: the suite saves and restores the
 * three sysctls around each case, and builds its address spaces itself
 * (no process), so Committed_AS moves only by what a case does. */
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/kthread.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/overcommit.h"
#include "mm/slab.h"
#include "tests/kernel/fs_test_helpers.h"

#define BASE 0x10000000ul
#define ANON_RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define ANON_RO (VM_READ | VM_MAYREAD | VM_MAYWRITE)
#define NPAGES 64
#define LEN (NPAGES * PAGE_SIZE)
#define GIB_PAGES ((1ul << 30) >> PAGE_SHIFT)
#define KB_PER_PAGE (PAGE_SIZE >> 10)
#define MEMINFO_LINE 48
#define PATH_MODE "/proc/sys/vm/overcommit_memory"
#define PATH_RATIO "/proc/sys/vm/overcommit_ratio"
#define PATH_KBYTES "/proc/sys/vm/overcommit_kbytes"

struct saved_sysctls {
	int mode, ratio;
	unsigned long kbytes;
};
static struct saved_sysctls saved;

static int overcommit_init_case(struct kunit *test)
{
	(void)test;
	saved.mode = sysctl_overcommit_memory;
	saved.ratio = sysctl_overcommit_ratio;
	saved.kbytes = sysctl_overcommit_kbytes;
	return 0;
}

static void overcommit_exit_case(struct kunit *test)
{
	(void)test;
	sysctl_overcommit_memory = saved.mode;
	sysctl_overcommit_ratio = saved.ratio;
	sysctl_overcommit_kbytes = saved.kbytes;
}

static long committed(void)
{
	return (long)vm_memory_committed();
}

static long map_flags(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      unsigned long flags)
{
	long r;

	mmap_write_lock(mm);
	r = do_mmap_fixed(mm, addr, len, flags, NULL, 0);
	mmap_write_unlock(mm);
	return r;
}

static long unmap(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	long r;

	mmap_write_lock(mm);
	r = do_munmap(mm, addr, len);
	mmap_write_unlock(mm);
	return r;
}

/* Strict mode with the limit placed `room` pages above Committed_AS now
 * (through overcommit_kbytes, as an administrator would). */
static void strict_with_room(long room)
{
	sysctl_overcommit_memory = OVERCOMMIT_NEVER;
	sysctl_overcommit_kbytes = (unsigned long)(committed() + room) * KB_PER_PAGE;
}

static void heuristic_mode_refuses_only_what_ram_and_swap_cannot_hold(struct kunit *test)
{
	long before = committed(), all = (long)(totalram_pages + total_swap_pages);

	sysctl_overcommit_memory = OVERCOMMIT_GUESS;
	KUNIT_EXPECT_EQ(test, __vm_enough_memory(NULL, all + 1, true), -ENOMEM);
	KUNIT_EXPECT_EQ(test, committed(), before); /* a refusal leaves no charge */
	KUNIT_EXPECT_EQ(test, __vm_enough_memory(NULL, all, true), 0);
	KUNIT_EXPECT_EQ(test, committed(), before + all);
	/* Each request alone: two that fit fit together too. */
	KUNIT_EXPECT_EQ(test, __vm_enough_memory(NULL, all, true), 0);
	vm_unacct_memory(2 * all);
	KUNIT_EXPECT_EQ(test, committed(), before);
}

/* The brk a 64 MiB machine must refuse whatever else it is doing. */
static void heuristic_mode_refuses_a_gib_on_a_small_machine(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc();

	KUNIT_ASSERT_NOT_NULL(test, mm);
	sysctl_overcommit_memory = OVERCOMMIT_GUESS;
	if (totalram_pages >= GIB_PAGES) {
		kunit_mark_skipped(test, "1 GiB of RAM or more");
	} else {
		KUNIT_EXPECT_EQ(test, map_flags(mm, BASE, GIB_PAGES << PAGE_SHIFT, ANON_RW),
				-ENOMEM);
		KUNIT_EXPECT_NULL(test, find_vma(mm, BASE));
	}
	mmput(mm);
}

static void always_mode_grants_any_request(struct kunit *test)
{
	long before = committed(), huge = 4 * (long)totalram_pages;

	sysctl_overcommit_memory = OVERCOMMIT_ALWAYS;
	KUNIT_EXPECT_EQ(test, __vm_enough_memory(NULL, huge, true), 0);
	KUNIT_EXPECT_EQ(test, committed(), before + huge); /* still counted */
	vm_unacct_memory(huge);
}

/* Linux's test: the charge is made first, then Committed_AS must stay
 * below the limit. */
static void strict_mode_keeps_committed_below_the_limit(struct kunit *test)
{
	long before;

	strict_with_room(NPAGES);
	before = committed();
	KUNIT_EXPECT_EQ(test, __vm_enough_memory(NULL, NPAGES, true), -ENOMEM);
	KUNIT_EXPECT_EQ(test, committed(), before);
	KUNIT_EXPECT_EQ(test, __vm_enough_memory(NULL, NPAGES - 1, true), 0);
	KUNIT_EXPECT_EQ(test, __vm_enough_memory(NULL, 1, true), -ENOMEM);
	vm_unacct_memory(NPAGES - 1);
	KUNIT_EXPECT_EQ(test, committed(), before);
}

/* Linux's user reserve: a process of total_vm pages gets total_vm / 32
 * (at most user_reserve_kbytes) less; root keeps the admin reserve. */
static void strict_mode_holds_back_the_user_reserve(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long saved_reserve = sysctl_user_reserve_kbytes;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	mm->total_vm = 32 * 8; /* a share of 8 pages */
	sysctl_user_reserve_kbytes = 1024 * KB_PER_PAGE;
	strict_with_room(NPAGES);
	KUNIT_EXPECT_EQ(test, __vm_enough_memory(mm, NPAGES - 8, true), -ENOMEM);
	KUNIT_EXPECT_EQ(test, __vm_enough_memory(mm, NPAGES - 9, true), 0);
	vm_unacct_memory(NPAGES - 9);
	sysctl_user_reserve_kbytes = 2 * KB_PER_PAGE; /* the cap wins over the share */
	KUNIT_EXPECT_EQ(test, __vm_enough_memory(mm, NPAGES - 3, true), 0);
	vm_unacct_memory(NPAGES - 3);
	mm->total_vm = 0;
	mmput(mm);
	sysctl_user_reserve_kbytes = saved_reserve;
}

static void strict_mode_holds_back_the_admin_reserve_from_others(struct kunit *test)
{
	unsigned long saved_reserve = sysctl_admin_reserve_kbytes;

	sysctl_admin_reserve_kbytes = 16 * KB_PER_PAGE;
	strict_with_room(NPAGES);
	KUNIT_EXPECT_EQ(test, __vm_enough_memory(NULL, NPAGES - 16, false), -ENOMEM);
	KUNIT_EXPECT_EQ(test, __vm_enough_memory(NULL, NPAGES - 17, false), 0);
	vm_unacct_memory(NPAGES - 17);
	/* root (every task here) may use it. */
	KUNIT_EXPECT_EQ(test, __vm_enough_memory(NULL, NPAGES - 16, true), 0);
	vm_unacct_memory(NPAGES - 16);
	sysctl_admin_reserve_kbytes = saved_reserve;
}

static void commit_limit_follows_ratio_or_kbytes(struct kunit *test)
{
	sysctl_overcommit_kbytes = 0;
	sysctl_overcommit_ratio = 50;
	KUNIT_EXPECT_EQ(test, (long)vm_commit_limit(), (long)(totalram_pages * 50 / 100));
	sysctl_overcommit_ratio = 100;
	KUNIT_EXPECT_EQ(test, (long)vm_commit_limit(), (long)totalram_pages);
	sysctl_overcommit_kbytes = 4096;
	KUNIT_EXPECT_EQ(test, (long)vm_commit_limit(), 4096 / KB_PER_PAGE);
}

static void expect_meminfo_line(struct kunit *test, const char *text, const char *label,
				unsigned long pages)
{
	char want[MEMINFO_LINE];

	snprintf(want, sizeof(want), "\n%-16s%8lu kB\n", label, pages * KB_PER_PAGE);
	KUNIT_EXPECT_TRUE(test, text && strstr(text, want));
}

/* After PageTables:, as in Linux's meminfo (nothing of Linux's in between
 * is kept here). */
static void meminfo_shows_commit_limit_and_committed_as(struct kunit *test)
{
	char *text;
	long err;

	sysctl_overcommit_kbytes = 0;
	sysctl_overcommit_ratio = 50;
	text = read_whole("/proc/meminfo", 4096, &err);
	KUNIT_ASSERT_NOT_NULL(test, text);
	expect_meminfo_line(test, text, "CommitLimit:", vm_commit_limit());
	expect_meminfo_line(test, text, "Committed_AS:", vm_memory_committed());
	KUNIT_EXPECT_TRUE(test, strstr(text, "\nPageTables:") < strstr(text, "\nCommitLimit:"));
	KUNIT_EXPECT_TRUE(test, strstr(text, "\nCommitLimit:") < strstr(text, "\nCommitted_AS:"));
	kfree(text);
}

/* Private writable and shared anonymous mappings are charged; read-only
 * private and MAP_NORESERVE ones are not. */
static void only_accountable_mappings_are_charged(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc();
	long before = committed();

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE, LEN, ANON_RW), (long)BASE);
	KUNIT_EXPECT_EQ(test, committed(), before + NPAGES);
	KUNIT_EXPECT_TRUE(test, find_vma(mm, BASE)->vm_flags & VM_ACCOUNT);
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE + LEN, LEN, ANON_RO), (long)(BASE + LEN));
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE + 2 * LEN, LEN, ANON_RW | VM_NORESERVE),
			(long)(BASE + 2 * LEN));
	KUNIT_EXPECT_EQ(test, committed(), before + NPAGES);
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE + 3 * LEN, PAGE_SIZE, ANON_RW | VM_SHARED),
			(long)(BASE + 3 * LEN));
	KUNIT_EXPECT_EQ(test, committed(), before + NPAGES + 1);
	mmput(mm);
	KUNIT_EXPECT_EQ(test, committed(), before);
}

static void munmap_releases_exactly_the_pages_it_unmaps(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc();
	long before = committed();

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE, LEN, ANON_RW), (long)BASE);
	/* A hole in the middle splits the VMA; each half keeps its charge. */
	KUNIT_EXPECT_EQ(test, unmap(mm, BASE + 4 * PAGE_SIZE, 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, committed(), before + NPAGES - 2);
	KUNIT_EXPECT_EQ(test, unmap(mm, BASE, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, committed(), before + NPAGES - 3);
	KUNIT_EXPECT_EQ(test, unmap(mm, BASE, LEN), 0);
	KUNIT_EXPECT_EQ(test, committed(), before);
	mmput(mm);
}

/* As Linux's dup_mmap: the child's private copy is a promise of its own;
 * a shared mapping stays one charge. Both go at exit. */
static void fork_charges_the_childs_copy_and_exit_releases_both(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc(), *child;
	long before = committed();

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE, LEN, ANON_RW), (long)BASE);
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE + LEN, PAGE_SIZE, ANON_RW | VM_SHARED),
			(long)(BASE + LEN));
	child = dup_mm(mm);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_EXPECT_EQ(test, committed(), before + 2 * NPAGES + 1);
	mmput(child);
	KUNIT_EXPECT_EQ(test, committed(), before + NPAGES + 1);
	mmput(mm);
	KUNIT_EXPECT_EQ(test, committed(), before);
}

static void strict_mode_refuses_a_fork_whose_copy_passes_the_limit(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc();
	long before;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE, LEN, ANON_RW), (long)BASE);
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE + 2 * LEN, LEN, ANON_RW), (long)(BASE + 2 * LEN));
	before = committed();
	strict_with_room(3 * NPAGES / 2); /* room for one copy, not two */
	KUNIT_EXPECT_NULL(test, dup_mm(mm));
	KUNIT_EXPECT_EQ(test, committed(), before); /* the half-made child gave back its charge */
	sysctl_overcommit_memory = OVERCOMMIT_GUESS;
	mmput(mm);
}

/* A refused mmap changes nothing; MAP_FIXED over accounted pages asks only
 * for the difference (Linux's mmap_region). */
static void strict_mode_refuses_mmap_and_keeps_the_old_mapping(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc();
	long before;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE, LEN, ANON_RO), (long)BASE);
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE + 2 * LEN, LEN, ANON_RW), (long)(BASE + 2 * LEN));
	before = committed();
	strict_with_room(NPAGES / 2);
	KUNIT_EXPECT_EQ(test, map_flags(mm, BASE, LEN, ANON_RW), -ENOMEM);
	KUNIT_EXPECT_NOT_NULL(test, vma_lookup(mm, BASE)); /* the read-only one is still there */
	KUNIT_EXPECT_EQ(test, map_flags(mm, BASE + 2 * LEN, LEN, ANON_RW), (long)(BASE + 2 * LEN));
	KUNIT_EXPECT_EQ(test, committed(), before);
	KUNIT_EXPECT_EQ(test, map_flags(mm, BASE + 2 * LEN, 2 * LEN, ANON_RW), -ENOMEM);
	/* In strict mode MAP_NORESERVE is no way out (sys_mmap drops it). */
	sysctl_overcommit_memory = OVERCOMMIT_GUESS;
	mmput(mm);
	KUNIT_EXPECT_EQ(test, committed(), before - NPAGES);
}

/* As Linux's mprotect_fixup: a private mapping turning writable is
 * charged once, and keeps the charge when made read-only again. */
static void mprotect_to_writable_charges_a_private_mapping(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *vma;
	long before = committed();

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE, LEN, ANON_RO), (long)BASE);
	vma = vma_lookup(mm, BASE);
	KUNIT_ASSERT_NOT_NULL(test, vma);
	KUNIT_EXPECT_EQ(test, committed(), before);
	strict_with_room(NPAGES / 2);
	KUNIT_EXPECT_EQ(test, mprotect_charge(vma, VM_READ | VM_WRITE), -ENOMEM);
	KUNIT_EXPECT_FALSE(test, vma->vm_flags & VM_ACCOUNT);
	sysctl_overcommit_memory = OVERCOMMIT_GUESS;
	KUNIT_EXPECT_EQ(test, mprotect_charge(vma, VM_READ | VM_WRITE), 0);
	KUNIT_EXPECT_EQ(test, committed(), before + NPAGES);
	vma->vm_flags |= VM_WRITE;
	KUNIT_EXPECT_EQ(test, mprotect_charge(vma, VM_READ | VM_WRITE), 0); /* no second charge */
	vma->vm_flags &= ~VM_WRITE;
	KUNIT_EXPECT_EQ(test, mprotect_charge(vma, VM_READ | VM_WRITE), 0);
	KUNIT_EXPECT_EQ(test, committed(), before + NPAGES);
	mmput(mm);
	KUNIT_EXPECT_EQ(test, committed(), before);
}

static int exec_usertests(void *argv)
{
	static const char *const envp[] = {"PATH=/bin", NULL};

	return (int)kernel_execve(((const char *const *)argv)[0], argv, envp);
}

/* Real processes: exec, brk, stack growth, mmap, mprotect, fork and exit
 * each charge or release, and when they are all gone the count is back
 * exactly where it was. */
static void processes_leave_committed_as_at_its_baseline(struct kunit *test)
{
	static const char *const argv[] = {"/bin/usertests",
					   "sbrk_grow_shrink",
					   "stack_grows_on_demand",
					   "mprotect",
					   "fork_many",
					   "overcommit_heuristic",
					   NULL};
	struct task_struct *p;
	int status = -1;
	long before;

	if (!fixtures_present()) {
		kunit_mark_skipped(test, "no initrd");
		return;
	}
	/* Committed_AS reads 0 below zero: a charge of our own makes a
	 * release of what was never charged show. */
	vm_acct_memory(NPAGES);
	before = committed();
	p = kthread_run(exec_usertests, (void *)argv, "usertests");
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, kernel_wait(p->pid, &status), p->pid);
	KUNIT_EXPECT_EQ(test, status, 0);
	KUNIT_EXPECT_EQ(test, committed(), before);
	vm_unacct_memory(NPAGES);
}

static char *sysctl_text(const char *path)
{
	long err;

	return read_whole(path, 64, &err);
}

static void expect_sysctl(struct kunit *test, const char *path, const char *want)
{
	char *text = sysctl_text(path);

	KUNIT_EXPECT_TRUE(test, text && !strcmp(text, want));
	kfree(text);
}

/* write_string for text with a NUL inside. */
static long write_bytes(const char *path, const char *bytes, size_t len)
{
	struct file *f = filp_open(path, O_WRONLY);
	loff_t pos = 0;
	long ret;

	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = kernel_write(f, bytes, len, &pos);
	fput(f);
	return ret;
}

/* Linux's proc_dointvec_minmax for overcommit_memory (0..2). */
static void overcommit_memory_accepts_only_linux_values(struct kunit *test)
{
	expect_sysctl(test, PATH_MODE, "0\n");
	KUNIT_EXPECT_EQ(test, write_string(PATH_MODE, "2\n"), 2);
	KUNIT_EXPECT_EQ(test, sysctl_overcommit_memory, OVERCOMMIT_NEVER);
	expect_sysctl(test, PATH_MODE, "2\n");
	KUNIT_EXPECT_EQ(test, write_string(PATH_MODE, "  0x1 \n"), 7); /* base 0, blanks */
	KUNIT_EXPECT_EQ(test, sysctl_overcommit_memory, OVERCOMMIT_ALWAYS);
	KUNIT_EXPECT_EQ(test, write_string(PATH_MODE, "3"), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_string(PATH_MODE, "-1"), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_string(PATH_MODE, "1x"), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_string(PATH_MODE, "+1"), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_string(PATH_MODE, "abc"), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_string(PATH_MODE, " \n"), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_string(PATH_MODE, "99999999999999999999999"), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_bytes(PATH_MODE, "2\0", 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, sysctl_overcommit_memory, OVERCOMMIT_ALWAYS);
	/* One value is taken; the rest of the text is left unwritten. */
	KUNIT_EXPECT_EQ(test, write_string(PATH_MODE, "0 2"), 2);
	KUNIT_EXPECT_EQ(test, sysctl_overcommit_memory, OVERCOMMIT_GUESS);
}

/* overcommit_ratio (any int, even negative) and overcommit_kbytes (an
 * unsigned long) each clear the other when written. */
static void ratio_and_kbytes_exclude_each_other(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, write_string(PATH_KBYTES, "8192"), 4);
	expect_sysctl(test, PATH_RATIO, "0\n");
	expect_sysctl(test, PATH_KBYTES, "8192\n");
	KUNIT_EXPECT_EQ(test, (long)vm_commit_limit(), 8192 / KB_PER_PAGE);
	KUNIT_EXPECT_EQ(test, write_string(PATH_RATIO, "75\n"), 3);
	expect_sysctl(test, PATH_KBYTES, "0\n");
	KUNIT_EXPECT_EQ(test, (long)vm_commit_limit(), (long)(totalram_pages * 75 / 100));
	KUNIT_EXPECT_EQ(test, write_string(PATH_KBYTES, "-5"), -EINVAL);
	KUNIT_EXPECT_EQ(test, sysctl_overcommit_ratio, 75); /* a refused write clears nothing */
	KUNIT_EXPECT_EQ(test, write_string(PATH_RATIO, "-5"), 2);
	KUNIT_EXPECT_EQ(test, sysctl_overcommit_ratio, -5);
	KUNIT_EXPECT_EQ(test, write_string(PATH_RATIO, "2147483648"), -EINVAL);
}

static struct kunit_case overcommit_cases[] = {
	KUNIT_CASE(heuristic_mode_refuses_only_what_ram_and_swap_cannot_hold),
	KUNIT_CASE(heuristic_mode_refuses_a_gib_on_a_small_machine),
	KUNIT_CASE(always_mode_grants_any_request),
	KUNIT_CASE(strict_mode_keeps_committed_below_the_limit),
	KUNIT_CASE(strict_mode_holds_back_the_user_reserve),
	KUNIT_CASE(strict_mode_holds_back_the_admin_reserve_from_others),
	KUNIT_CASE(commit_limit_follows_ratio_or_kbytes),
	KUNIT_CASE(meminfo_shows_commit_limit_and_committed_as),
	KUNIT_CASE(only_accountable_mappings_are_charged),
	KUNIT_CASE(munmap_releases_exactly_the_pages_it_unmaps),
	KUNIT_CASE(fork_charges_the_childs_copy_and_exit_releases_both),
	KUNIT_CASE(strict_mode_refuses_a_fork_whose_copy_passes_the_limit),
	KUNIT_CASE(strict_mode_refuses_mmap_and_keeps_the_old_mapping),
	KUNIT_CASE(mprotect_to_writable_charges_a_private_mapping),
	KUNIT_CASE(processes_leave_committed_as_at_its_baseline),
	KUNIT_CASE(overcommit_memory_accepts_only_linux_values),
	KUNIT_CASE(ratio_and_kbytes_exclude_each_other),
	{0},
};

static struct kunit_suite overcommit_suite = {
	.name = "overcommit",
	.test_cases = overcommit_cases,
	.init = overcommit_init_case,
	.exit = overcommit_exit_case,
	.ram_sizes = "64M",
};
kunit_test_suite(overcommit_suite);
