/* Address spaces from the inside: an mm built and torn down by the test
 * itself (no process), so each case can look at its page tables, VMAs,
 * counters and owner directly. Read first: the mm is never loaded in CR3; the fault
 * path and the walks work on any mm, loaded or not. */
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/kthread.h"
#include "kernel/paging.h"
#include "kernel/sched.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/vmstat.h"
#include "tests/kernel/fs_test_helpers.h"

#define BASE 0x10000000ul
#define ANON_RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define SMALL_LEN (4ul << 20) /* two PMD entries' worth of PTE tables */
#define HUGE_LEN (1ul << 40)  /* 1 TiB: 2^28 pages, never walked page by page */
#define PATTERN 0x5a
#define FEW_MAPS 8
#define FEW_PAGES 8
#define FEW_LEN (FEW_PAGES * PAGE_SIZE)
#define STACK_KB (THREAD_SIZE >> 10)

static long map_anon(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	long r;

	mmap_write_lock(mm);
	r = do_mmap_fixed(mm, addr, len, ANON_RW, NULL, 0);
	mmap_write_unlock(mm);
	return r;
}

static long map_flags(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      unsigned long flags, struct file *file)
{
	long r;

	mmap_write_lock(mm);
	r = do_mmap_fixed(mm, addr, len, flags, file, 0);
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

/* Write fault on one page, as a user store would. */
static int touch(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	int ret = VM_FAULT_SIGSEGV;
	char *kaddr;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma)
		ret = handle_mm_fault(vma, addr, FAULT_FLAG_WRITE | FAULT_FLAG_USER);
	kaddr = ret ? NULL : user_page_kaddr(mm, addr);
	if (kaddr)
		*kaddr = PATTERN;
	mmap_read_unlock(mm);
	return ret;
}

/* Read fault on one page, as a user load would. */
static int read_touch(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	int ret = VM_FAULT_SIGSEGV;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma)
		ret = handle_mm_fault(vma, addr, FAULT_FLAG_USER);
	mmap_read_unlock(mm);
	return ret;
}

static long vm_stat(enum zone_stat_item item)
{
	return global_zone_page_state(item);
}

/* As Linux's mlock(2) on one whole VMA: present pages first, then flags. */
static void set_vma_locked(struct vm_area_struct *vma, bool lock)
{
	vma_mlock_ptes(vma, lock);
	if (lock)
		vma->vm_flags |= VM_LOCKED;
	else
		vma->vm_flags &= ~VM_LOCKED_MASK;
}

static void munmap_gives_back_the_page_tables_it_emptied(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc();
	long pgd_only;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	pgd_only = mm->pgtables_bytes;
	KUNIT_ASSERT_EQ(test, map_anon(mm, BASE, SMALL_LEN), (long)BASE);
	for (unsigned long a = BASE; a < BASE + SMALL_LEN; a += PAGE_SIZE)
		KUNIT_ASSERT_EQ(test, touch(mm, a), 0);
	KUNIT_EXPECT_EQ(test, get_mm_counter(mm, MM_ANONPAGES), (long)(SMALL_LEN / PAGE_SIZE));
	/* pud + pmd + two PTE tables under the pgd */
	KUNIT_EXPECT_EQ(test, mm->pgtables_bytes, pgd_only + 4 * (long)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, unmap(mm, BASE, SMALL_LEN), 0);
	KUNIT_EXPECT_EQ(test, get_mm_counter(mm, MM_ANONPAGES), 0);
	KUNIT_EXPECT_EQ(test, mm->pgtables_bytes, pgd_only);
	mmput(mm);
}

static void munmap_keeps_a_table_a_neighbour_still_uses(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc();
	long tables;
	char *kept;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, map_anon(mm, BASE, 2 * PAGE_SIZE), (long)BASE);
	KUNIT_ASSERT_EQ(test, touch(mm, BASE), 0);
	KUNIT_ASSERT_EQ(test, touch(mm, BASE + PAGE_SIZE), 0);
	tables = mm->pgtables_bytes;
	KUNIT_EXPECT_EQ(test, unmap(mm, BASE, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, mm->pgtables_bytes, tables);
	KUNIT_EXPECT_NULL(test, user_page_kaddr(mm, BASE));
	kept = user_page_kaddr(mm, BASE + PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, kept);
	KUNIT_EXPECT_EQ(test, *kept, PATTERN);
	mmput(mm);
}

/* A walk that went page by page would take minutes here (the runner's
 * timeout makes that a failure); one that skips missing tables is quick. */
static void huge_sparse_mapping_forks_and_unmaps_by_its_tables(struct kunit *test)
{
	struct mm_struct *mm, *child;
	unsigned long last = BASE + HUGE_LEN - PAGE_SIZE;
	long before;

	drain_all_pages(NULL);
	before = (long)nr_free_pages();
	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	/* MAP_NORESERVE: a 1 TiB promise is beyond any overcommit policy. */
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE, HUGE_LEN, ANON_RW | VM_NORESERVE, NULL),
			(long)BASE);
	KUNIT_ASSERT_EQ(test, touch(mm, BASE), 0);
	KUNIT_ASSERT_EQ(test, touch(mm, last), 0);
	child = dup_mm(mm);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_EXPECT_EQ(test, get_mm_counter(child, MM_ANONPAGES), 2);
	KUNIT_ASSERT_NOT_NULL(test, user_page_kaddr(child, last));
	KUNIT_EXPECT_EQ(test, *(char *)user_page_kaddr(child, last), PATTERN);
	mmput(child);
	KUNIT_EXPECT_EQ(test, unmap(mm, BASE, HUGE_LEN), 0);
	KUNIT_EXPECT_EQ(test, get_mm_counter(mm, MM_ANONPAGES), 0);
	mmput(mm);
	drain_all_pages(NULL);
	KUNIT_EXPECT_EQ(test, (long)nr_free_pages(), before);
}

static void mmap_past_max_map_count_is_enomem_and_changes_nothing(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc();
	long saved = sysctl_max_map_count;
	unsigned long step = 2 * PAGE_SIZE; /* a gap between maps: no merging */

	KUNIT_ASSERT_NOT_NULL(test, mm);
	sysctl_max_map_count = FEW_MAPS;
	for (int i = 0; i < FEW_MAPS; i++)
		KUNIT_EXPECT_EQ(test, map_anon(mm, BASE + i * step, PAGE_SIZE),
				(long)(BASE + i * step));
	KUNIT_EXPECT_EQ(test, map_anon(mm, BASE + FEW_MAPS * step, PAGE_SIZE), -ENOMEM);
	/* MAP_FIXED over a mapping that exists: refused before it is undone. */
	KUNIT_ASSERT_EQ(test, touch(mm, BASE), 0);
	KUNIT_EXPECT_EQ(test, map_anon(mm, BASE, PAGE_SIZE), -ENOMEM);
	KUNIT_EXPECT_NOT_NULL(test, user_page_kaddr(mm, BASE));
	sysctl_max_map_count = FEW_MAPS + 1;
	/* Room for one more: a 3-page map whose middle page cannot be
	 * punched out once the limit is back at the count (two VMAs of one). */
	KUNIT_ASSERT_EQ(test, unmap(mm, BASE + step, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, map_anon(mm, BASE + step, 3 * PAGE_SIZE), (long)(BASE + step));
	KUNIT_EXPECT_EQ(test, mm->map_count, FEW_MAPS - 1);
	sysctl_max_map_count = FEW_MAPS - 1;
	KUNIT_ASSERT_EQ(test, touch(mm, BASE + 3 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, unmap(mm, BASE + 3 * PAGE_SIZE, PAGE_SIZE), -ENOMEM);
	KUNIT_EXPECT_EQ(test, mm->map_count, FEW_MAPS - 1);
	KUNIT_EXPECT_NOT_NULL(test, user_page_kaddr(mm, BASE + 3 * PAGE_SIZE));
	KUNIT_EXPECT_NOT_NULL(test, vma_lookup(mm, BASE + 3 * PAGE_SIZE));
	sysctl_max_map_count = saved;
	mmput(mm);
}

/* The peak survives the unmap that brings rss down (VmHWM, ru_maxrss). */
static void hiwater_rss_keeps_the_peak_across_munmap(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc();
	long pages = (long)(SMALL_LEN / PAGE_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, map_anon(mm, BASE, SMALL_LEN), (long)BASE);
	for (unsigned long a = BASE; a < BASE + SMALL_LEN; a += PAGE_SIZE)
		KUNIT_ASSERT_EQ(test, touch(mm, a), 0);
	KUNIT_EXPECT_EQ(test, (long)get_mm_hiwater_rss(mm), pages);
	KUNIT_EXPECT_EQ(test, unmap(mm, BASE, SMALL_LEN), 0);
	KUNIT_EXPECT_EQ(test, (long)get_mm_rss(mm), 0);
	KUNIT_EXPECT_EQ(test, (long)mm->hiwater_rss, pages);
	KUNIT_EXPECT_EQ(test, (long)get_mm_hiwater_rss(mm), pages);
	mmput(mm);
}

static int return_at_once(void *arg)
{
	(void)arg;
	return 0;
}

/* mm_update_next_owner, with the test thread as an owner letting go: the
 * mm goes to another task still using it, to nobody when none is left,
 * and a task that was not the owner changes nothing. */
static void mm_owner_passes_to_another_user_or_to_nobody(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc();
	struct task_struct *other;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	other = kthread_create(return_at_once, NULL, "mm_owner");
	KUNIT_ASSERT_NOT_NULL(test, other);
	mm->owner = current;
	mm_update_next_owner(mm); /* ours was the only reference */
	KUNIT_EXPECT_NULL(test, mm->owner);

	mmget(mm);
	other->mm = mm; /* never loaded: other has not run yet */
	mm->owner = current;
	mm_update_next_owner(mm);
	KUNIT_EXPECT_TRUE(test, mm->owner == other);
	mm_update_next_owner(mm); /* not the owner any more: nothing moves */
	KUNIT_EXPECT_TRUE(test, mm->owner == other);

	other->mm = NULL;
	mmput(mm);
	wake_up_process(other);
	mmput(mm);
}

/* AnonPages counts a page from its first mapping to its last, as Linux's
 * rmap: fork's sharing adds mappings, not pages; a COW break adds the
 * copy while the parent still maps the original. */
static void anon_pages_count_pages_not_mappings_across_fork_and_cow(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc(), *child;
	long anon = vm_stat(NR_ANON_MAPPED);

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, map_anon(mm, BASE, FEW_LEN), (long)BASE);
	for (unsigned long a = BASE; a < BASE + FEW_LEN; a += PAGE_SIZE)
		KUNIT_ASSERT_EQ(test, touch(mm, a), 0);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_ANON_MAPPED), anon + FEW_PAGES);
	child = dup_mm(mm);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_ANON_MAPPED), anon + FEW_PAGES);
	KUNIT_EXPECT_EQ(test, get_mm_counter(child, MM_ANONPAGES), FEW_PAGES);
	KUNIT_ASSERT_EQ(test, touch(child, BASE), 0); /* the child's own copy */
	KUNIT_EXPECT_EQ(test, vm_stat(NR_ANON_MAPPED), anon + FEW_PAGES + 1);
	KUNIT_ASSERT_EQ(test, touch(mm, BASE), 0); /* now the parent's only: reused */
	KUNIT_EXPECT_EQ(test, vm_stat(NR_ANON_MAPPED), anon + FEW_PAGES + 1);
	mmput(child);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_ANON_MAPPED), anon + FEW_PAGES);
	KUNIT_EXPECT_EQ(test, unmap(mm, BASE, FEW_LEN), 0);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_ANON_MAPPED), anon);
	mmput(mm);
}

/* A shared anonymous mapping is Linux's shmem: its pages are Shmem,
 * Cached and Mapped, RssShmem for the mm, never AnonPages. */
static void shared_anonymous_pages_are_shmem_not_anon(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc(), *child;
	long anon = vm_stat(NR_ANON_MAPPED), shmem = vm_stat(NR_SHMEM);
	long mapped = vm_stat(NR_FILE_MAPPED), cached = vm_stat(NR_FILE_PAGES);

	KUNIT_ASSERT_NOT_NULL(test, mm);
	/* populated at once, as every shared anonymous mapping is */
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE, FEW_LEN, ANON_RW | VM_SHARED, NULL), (long)BASE);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_SHMEM), shmem + FEW_PAGES);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_FILE_MAPPED), mapped + FEW_PAGES);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_FILE_PAGES), cached + FEW_PAGES);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_ANON_MAPPED), anon);
	KUNIT_EXPECT_EQ(test, get_mm_counter(mm, MM_SHMEMPAGES), FEW_PAGES);
	KUNIT_EXPECT_EQ(test, get_mm_counter(mm, MM_ANONPAGES), 0);
	child = dup_mm(mm);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_SHMEM), shmem + FEW_PAGES);
	KUNIT_EXPECT_EQ(test, get_mm_counter(child, MM_SHMEMPAGES), FEW_PAGES);
	KUNIT_EXPECT_EQ(test, unmap(mm, BASE, FEW_LEN), 0); /* the child keeps them */
	KUNIT_EXPECT_EQ(test, vm_stat(NR_SHMEM), shmem + FEW_PAGES);
	mmput(child);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_SHMEM), shmem);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_FILE_MAPPED), mapped);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_FILE_PAGES), cached);
	mmput(mm);
}

/* Mlocked counts a page once while any locked VMA maps it: a locked
 * mapping is populated and counted; the unlocked fork child adds nothing;
 * locking the child's copy too still counts each page once, and the
 * pages stay Mlocked until the last locked mapping goes. */
static void mlocked_counts_each_page_once_while_a_locked_vma_maps_it(struct kunit *test)
{
	struct mm_struct *mm = mm_alloc(), *child;
	long mlocked = vm_stat(NR_MLOCK);

	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE, FEW_LEN, ANON_RW | VM_LOCKED, NULL), (long)BASE);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_MLOCK), mlocked + FEW_PAGES);
	child = dup_mm(mm);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_MLOCK), mlocked + FEW_PAGES);
	set_vma_locked(vma_lookup(child, BASE), true);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_MLOCK), mlocked + FEW_PAGES);
	set_vma_locked(vma_lookup(mm, BASE), false); /* as munlock */
	KUNIT_EXPECT_EQ(test, vm_stat(NR_MLOCK), mlocked + FEW_PAGES);
	KUNIT_ASSERT_EQ(test, touch(child, BASE), 0); /* COW in a locked VMA */
	KUNIT_EXPECT_EQ(test, vm_stat(NR_MLOCK), mlocked + FEW_PAGES);
	mmput(child); /* as exit: the last locked mappings go */
	KUNIT_EXPECT_EQ(test, vm_stat(NR_MLOCK), mlocked);
	set_vma_locked(vma_lookup(mm, BASE), true); /* as mlock of present pages */
	KUNIT_EXPECT_EQ(test, vm_stat(NR_MLOCK), mlocked + FEW_PAGES);
	KUNIT_EXPECT_EQ(test, unmap(mm, BASE, FEW_LEN), 0);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_MLOCK), mlocked);
	mmput(mm);
}

/* Mapped counts page-cache pages that a process maps; a private write
 * copies the page into AnonPages and the cache page stays unmapped. */
static void page_cache_pages_are_mapped_while_a_process_maps_them(struct kunit *test)
{
	struct mm_struct *mm;
	struct file *f;
	long mapped, anon;

	if (!fixtures_present())
		kunit_skip(test, "no initramfs fixtures");
	f = filp_open(PATTERN_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, map_flags(mm, BASE, 2 * PAGE_SIZE, ANON_RW, f), (long)BASE);
	mapped = vm_stat(NR_FILE_MAPPED);
	anon = vm_stat(NR_ANON_MAPPED);
	KUNIT_ASSERT_EQ(test, read_touch(mm, BASE), 0);
	KUNIT_ASSERT_EQ(test, read_touch(mm, BASE + PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_FILE_MAPPED), mapped + 2);
	KUNIT_EXPECT_EQ(test, get_mm_counter(mm, MM_FILEPAGES), 2);
	KUNIT_ASSERT_EQ(test, touch(mm, BASE), 0); /* copy on write */
	KUNIT_EXPECT_EQ(test, vm_stat(NR_FILE_MAPPED), mapped + 1);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_ANON_MAPPED), anon + 1);
	KUNIT_EXPECT_EQ(test, unmap(mm, BASE, 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_FILE_MAPPED), mapped);
	KUNIT_EXPECT_EQ(test, vm_stat(NR_ANON_MAPPED), anon);
	mmput(mm);
	fput(f);
}

/* KernelStack counts every task's stack from its creation. The test runs
 * as SCHED_FIFO while it measures: a task that exited earlier (a child of
 * another case) frees its stack when it next runs, and must not run in
 * between the two readings. */
static void a_new_task_adds_its_stack_to_kernel_stack(struct kunit *test)
{
	struct sched_param fifo = {.sched_priority = MAX_RT_PRIO - 1};
	struct sched_param normal = {.sched_priority = 0};
	long nice = task_nice(current);
	struct task_struct *p;
	long kb, after;

	KUNIT_ASSERT_EQ(test, current->policy, (unsigned int)SCHED_NORMAL);
	KUNIT_ASSERT_EQ(test, sched_setscheduler(current, SCHED_FIFO, &fifo), 0);
	kb = vm_stat(NR_KERNEL_STACK_KB);
	p = kthread_create(return_at_once, NULL, "stack_kb");
	after = vm_stat(NR_KERNEL_STACK_KB);
	sched_setscheduler(current, SCHED_NORMAL, &normal);
	set_user_nice(current, nice);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, after, kb + STACK_KB);
	wake_up_process(p);
}

static struct kunit_case address_space_cases[] = {
	KUNIT_CASE(munmap_gives_back_the_page_tables_it_emptied),
	KUNIT_CASE(munmap_keeps_a_table_a_neighbour_still_uses),
	KUNIT_CASE(huge_sparse_mapping_forks_and_unmaps_by_its_tables),
	KUNIT_CASE(mmap_past_max_map_count_is_enomem_and_changes_nothing),
	KUNIT_CASE(hiwater_rss_keeps_the_peak_across_munmap),
	KUNIT_CASE(mm_owner_passes_to_another_user_or_to_nobody),
	KUNIT_CASE(anon_pages_count_pages_not_mappings_across_fork_and_cow),
	KUNIT_CASE(shared_anonymous_pages_are_shmem_not_anon),
	KUNIT_CASE(mlocked_counts_each_page_once_while_a_locked_vma_maps_it),
	KUNIT_CASE(page_cache_pages_are_mapped_while_a_process_maps_them),
	KUNIT_CASE(a_new_task_adds_its_stack_to_kernel_stack),
	{0},
};

static struct kunit_suite address_space_suite = {
	.name = "address_space",
	.preempt_stress = true,
	.test_cases = address_space_cases,
};
kunit_test_suite(address_space_suite);
