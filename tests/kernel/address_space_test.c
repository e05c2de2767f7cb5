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

#define BASE 0x10000000ul
#define ANON_RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define SMALL_LEN (4ul << 20) /* two PMD entries' worth of PTE tables */
#define HUGE_LEN (1ul << 40)  /* 1 TiB: 2^28 pages, never walked page by page */
#define PATTERN 0x5a
#define FEW_MAPS 8

static long map_anon(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	long r;

	mmap_write_lock(mm);
	r = do_mmap_fixed(mm, addr, len, ANON_RW, NULL, 0);
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
	KUNIT_ASSERT_EQ(test, map_anon(mm, BASE, HUGE_LEN), (long)BASE);
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

static struct kunit_case address_space_cases[] = {
	KUNIT_CASE(munmap_gives_back_the_page_tables_it_emptied),
	KUNIT_CASE(munmap_keeps_a_table_a_neighbour_still_uses),
	KUNIT_CASE(huge_sparse_mapping_forks_and_unmaps_by_its_tables),
	KUNIT_CASE(mmap_past_max_map_count_is_enomem_and_changes_nothing),
	KUNIT_CASE(hiwater_rss_keeps_the_peak_across_munmap),
	KUNIT_CASE(mm_owner_passes_to_another_user_or_to_nobody),
	{0},
};

static struct kunit_suite address_space_suite = {
	.name = "address_space",
	.test_cases = address_space_cases,
};
kunit_test_suite(address_space_suite);
