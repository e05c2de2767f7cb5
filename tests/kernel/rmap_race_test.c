/* The reverse map against address spaces being built or moved: a reclaim
 * walk of a file's i_mmap (mm/rmap.c) never finds a fork's half-copied
 * child, never a VMA of a fork that failed, and never a page mapped twice
 * or not at all by an mremap under way. Read first: the walk only
 * trylocks each mm's mmap_lock, so an mm being changed under the write
 * lock is skipped; the initramfs fixtures are the files (without them the
 * cases skip), and their pages stay cached, so every unmapped page
 * faults back as the same page. */
#include "kernel/completion.h"
#include "kernel/err.h"
#include "kernel/fs/fs.h"
#include "kernel/ktest.h"
#include "kernel/locking/mutex.h"
#include "kernel/spinlock.h"
#include "kernel/timer.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/vmstat.h"
#include "tests/kernel/fs_test_helpers.h"
#include "tests/kernel/sched_test_helpers.h"

#define BASE 0x10000000ul
#define OTHER (BASE + 64 * PAGE_SIZE) /* a second mapping, well apart */
#define FILE_PAGES 4ul		      /* PATTERN_PATH's pages */
#define FILE_LEN (FILE_PAGES * PAGE_SIZE)
#define FILE_RO (VM_READ | VM_MAYREAD)
#define ANON_RW (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define POLL_MS 10
#define MREMAP_ROUNDS 400

static long map(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long flags,
		struct file *f)
{
	long r;

	mmap_write_lock(mm);
	r = do_mmap_fixed(mm, addr, len, flags, f, 0);
	mmap_write_unlock(mm);
	return r;
}

/* Read faults on every page of [addr, addr + len), as user loads would. */
static int read_fault_range(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	int ret = 0;

	mmap_read_lock(mm);
	for (unsigned long a = addr; a < addr + len && !ret; a += PAGE_SIZE) {
		struct vm_area_struct *vma = vma_lookup(mm, a);

		ret = vma ? handle_mm_fault(vma, a, FAULT_FLAG_USER) : VM_FAULT_SIGSEGV;
	}
	mmap_read_unlock(mm);
	return ret;
}

/* The page mm's PTE at addr maps, or NULL. */
static struct page *mapped_page(struct mm_struct *mm, unsigned long addr)
{
	uint64_t *pte = follow_pte(mm, addr);

	if (!pte || !(*pte & _PAGE_PRESENT))
		return NULL;
	return pfn_to_page((*pte & PTE_ADDR_MASK) >> PAGE_SHIFT);
}

/* VMAs on mapping's i_mmap that belong to an mm other than mm. */
static int i_mmap_others(struct address_space *mapping, const struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	int n = 0;

	mutex_lock(&mapping->i_mmap_lock);
	list_for_each_entry(vma, &mapping->i_mmap, shared)
		n += vma->vm_mm != mm;
	mutex_unlock(&mapping->i_mmap_lock);
	return n;
}

struct fork_run {
	struct mm_struct *parent, *child;
};

static int forker(void *arg)
{
	struct fork_run *f = arg;

	f->child = dup_mm(f->parent);
	return 0;
}

/* Holds a mutex until told to let go: the fork waits on it mid-copy. */
struct holder {
	struct mutex *lock;
	struct completion held, release;
};

static int hold_mutex(void *arg)
{
	struct holder *h = arg;

	mutex_lock(h->lock);
	complete(&h->held);
	wait_for_completion(&h->release);
	mutex_unlock(h->lock);
	return 0;
}

static bool wait_until_blocked_on_lock(struct task_struct *p)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(TEST_WAIT_TIMEOUT_MS);

	while (!p->blocked_on || task_state(p) != TASK_UNINTERRUPTIBLE) {
		if (time_after(jiffies, deadline))
			return false;
		msleep_interruptible(POLL_MS);
	}
	return true;
}

/* The parent maps two files: the pattern file's pages (faulted in) and,
 * after it, the hello file, whose i_mmap lock another thread holds. The
 * fork copies the first mapping, then waits to link the second: a child
 * with one VMA on the pattern file's i_mmap and its PTEs copied. A
 * reclaim walk now must leave it alone (as Linux's dup_mmap, the child is
 * write-locked until whole): the page keeps both mappings, and the child
 * comes out with its PTE. */
static void a_reclaim_walk_during_fork_leaves_the_half_built_child_alone(struct kunit *test)
{
	struct task_struct *fork_task, *hold_task;
	struct fork_run run = {0};
	struct holder h;
	struct file *f, *g;
	struct page *page;
	unsigned long vm_flags;

	if (!fixtures_present())
		kunit_skip(test, "no initramfs fixtures");
	f = filp_open(PATTERN_PATH, O_RDONLY);
	g = filp_open(HELLO_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f) && !IS_ERR(g));
	run.parent = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, run.parent);
	KUNIT_ASSERT_EQ(test, map(run.parent, BASE, FILE_LEN, FILE_RO, f), (long)BASE);
	KUNIT_ASSERT_EQ(test, read_fault_range(run.parent, BASE, FILE_LEN), 0);
	KUNIT_ASSERT_EQ(test, map(run.parent, OTHER, PAGE_SIZE, FILE_RO, g), (long)OTHER);
	page = find_get_page(f->f_mapping, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, page_mapcount(page), 1);

	h.lock = &g->f_mapping->i_mmap_lock;
	init_completion(&h.held);
	init_completion(&h.release);
	hold_task = test_thread_run(hold_mutex, &h, "i_mmap_holder");
	KUNIT_ASSERT_NOT_NULL(test, hold_task);
	wait_for_completion(&h.held);
	fork_task = test_thread_run(forker, &run, "forker");
	KUNIT_ASSERT_NOT_NULL(test, fork_task);
	KUNIT_EXPECT_TRUE(test, wait_until_blocked_on_lock(fork_task));
	KUNIT_EXPECT_EQ(test, i_mmap_others(f->f_mapping, run.parent), 1);
	KUNIT_EXPECT_EQ(test, page_mapcount(page), 2);

	/* Reclaim's two questions: neither mm can be locked. */
	KUNIT_EXPECT_EQ(test, page_referenced(page, &vm_flags), -1);
	KUNIT_EXPECT_FALSE(test, try_to_unmap(page));
	KUNIT_EXPECT_EQ(test, page_mapcount(page), 2);

	complete(&h.release);
	KUNIT_EXPECT_TRUE(test, test_thread_join(hold_task, TEST_WAIT_TIMEOUT_MS, NULL));
	KUNIT_EXPECT_TRUE(test, test_thread_join(fork_task, TEST_WAIT_TIMEOUT_MS, NULL));
	KUNIT_ASSERT_NOT_NULL(test, run.child);
	KUNIT_EXPECT_TRUE(test, mapped_page(run.child, BASE) == page);
	mmput(run.child);
	mmput(run.parent);
	KUNIT_EXPECT_EQ(test, page_mapcount(page), 0);
	__free_page(page);
	fput(g);
	fput(f);
}

/* A fork that fails after copying a file mapping (its next VMA is one
 * past vm.max_map_count) takes every VMA of the dead child off the file's
 * i_mmap before freeing it: the next reclaim walk meets the parent alone
 * and unmaps the page from it. */
static void a_fork_that_fails_midway_leaves_none_of_the_child_on_i_mmap(struct kunit *test)
{
	long saved = sysctl_max_map_count;
	struct mm_struct *parent;
	struct page *page;
	struct file *f;

	if (!fixtures_present())
		kunit_skip(test, "no initramfs fixtures");
	f = filp_open(PATTERN_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	parent = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, parent);
	KUNIT_ASSERT_EQ(test, map(parent, BASE, FILE_LEN, FILE_RO, f), (long)BASE);
	KUNIT_ASSERT_EQ(test, read_fault_range(parent, BASE, FILE_LEN), 0);
	KUNIT_ASSERT_EQ(test, map(parent, OTHER, PAGE_SIZE, ANON_RW, NULL), (long)OTHER);
	page = find_get_page(f->f_mapping, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);

	sysctl_max_map_count = 1; /* the child's second VMA is refused */
	KUNIT_EXPECT_NULL(test, dup_mm(parent));
	sysctl_max_map_count = saved;

	KUNIT_EXPECT_EQ(test, i_mmap_others(f->f_mapping, parent), 0);
	KUNIT_EXPECT_EQ(test, page_mapcount(page), 1);
	KUNIT_EXPECT_TRUE(test, try_to_unmap(page));
	KUNIT_EXPECT_EQ(test, page_mapcount(page), 0);
	KUNIT_EXPECT_NULL(test, mapped_page(parent, BASE));
	mmput(parent);
	__free_page(page);
	fput(f);
}

/* Reclaim's rmap walk of every page of the file, over and over. */
struct walker {
	struct address_space *mapping;
	bool stop;
	unsigned long walks;
};

static int rmap_walker(void *arg)
{
	struct walker *w = arg;
	unsigned long vm_flags;

	while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
		for (unsigned long i = 0; i < FILE_PAGES; i++) {
			struct page *page = find_get_page(w->mapping, i);

			if (!page)
				continue;
			page_referenced(page, &vm_flags);
			try_to_unmap(page);
			__free_page(page);
		}
		w->walks++;
	}
	return 0;
}

/* After a move from old to new: nothing at old; at new, each page of the
 * file either mapped once, by the right PTE, with the file's bytes, or
 * (the walk took it) not mapped at all. */
static bool moved_mapping_consistent(struct kunit *test, struct mm_struct *mm, struct file *f,
				     unsigned long old, unsigned long new)
{
	bool ok = true;

	mmap_write_lock(mm); /* the walk stays out while we look */
	for (unsigned long i = 0; i < FILE_PAGES; i++) {
		struct page *cached = find_get_page(f->f_mapping, i), *at_new;

		if (!cached) {
			ok = false;
			continue;
		}
		/* PTEs and _mapcount change together under the PTE lock. */
		spin_lock(&mm->page_table_lock);
		at_new = mapped_page(mm, new + i *PAGE_SIZE);
		ok &= !mapped_page(mm, old + i * PAGE_SIZE);
		if (at_new)
			ok &= at_new == cached && page_mapcount(cached) == 1 &&
			      *(unsigned char *)page_address(cached) == pattern_byte(i * PAGE_SIZE);
		else
			ok &= page_mapcount(cached) == 0;
		spin_unlock(&mm->page_table_lock);
		__free_page(cached);
	}
	mmap_write_unlock(mm);
	if (!ok)
		kunit_log(test, "inconsistent after a move from %lx to %lx", old, new);
	return ok;
}

/* mremap moves a file mapping back and forth while another thread walks
 * the file's reverse map without pause (preempt_stress makes the two
 * interleave anywhere): after every move each page is mapped once or not
 * at all, never by the old address, and Mapped ends where it began. */
static void mremap_racing_with_the_rmap_walk_maps_each_page_once(struct kunit *test)
{
	struct walker w = {0};
	unsigned long from = BASE, to = OTHER;
	struct task_struct *walk_task;
	struct mm_struct *mm;
	struct file *f;
	long mapped;
	int bad = 0;

	if (!fixtures_present())
		kunit_skip(test, "no initramfs fixtures");
	f = filp_open(PATTERN_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	mapped = global_zone_page_state(NR_FILE_MAPPED);
	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_ASSERT_EQ(test, map(mm, from, FILE_LEN, FILE_RO, f), (long)from);
	w.mapping = f->f_mapping;
	walk_task = test_thread_run(rmap_walker, &w, "rmap_walker");
	KUNIT_ASSERT_NOT_NULL(test, walk_task);
	for (int round = 0; round < MREMAP_ROUNDS && bad < 3; round++) {
		unsigned long tmp;

		KUNIT_EXPECT_EQ(test, read_fault_range(mm, from, FILE_LEN), 0);
		KUNIT_EXPECT_EQ(
			test,
			do_mremap(mm, from, FILE_LEN, FILE_LEN, MREMAP_MAYMOVE | MREMAP_FIXED, to),
			(long)to);
		bad += !moved_mapping_consistent(test, mm, f, from, to);
		tmp = from;
		from = to;
		to = tmp;
	}
	__atomic_store_n(&w.stop, true, __ATOMIC_RELEASE);
	KUNIT_EXPECT_TRUE(test, test_thread_join(walk_task, TEST_WAIT_TIMEOUT_MS, NULL));
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_GT(test, w.walks, 0);
	kunit_log(test, "%d moves, %lu walks", MREMAP_ROUNDS, w.walks);
	mmput(mm);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_FILE_MAPPED), mapped);
	fput(f);
}

static struct kunit_case rmap_race_cases[] = {
	KUNIT_CASE(a_reclaim_walk_during_fork_leaves_the_half_built_child_alone),
	KUNIT_CASE(a_fork_that_fails_midway_leaves_none_of_the_child_on_i_mmap),
	KUNIT_CASE(mremap_racing_with_the_rmap_walk_maps_each_page_once),
	{0},
};

static struct kunit_suite rmap_race_suite = {
	.name = "rmap_race",
	.test_cases = rmap_race_cases,
	/* The walk races with fork and mremap. */
	.preempt_stress = true,
};
kunit_test_suite(rmap_race_suite);
