/* Counts shared between tasks stay exact under preemption (issue 16): a
 * page's _refcount, _mapcount and flags hammered by four threads, and the
 * issue's reproducer, four processes forking children that mlockall
 * copy-on-write pages. Read first: the runner boots this suite once more
 * with preempt_stress=1, where a lost update shows in a second or two;
 * refcount_stress.seconds=N lengthens the fork test (make stress). */
#include "kernel/cmdline.h"
#include "kernel/fs/fs.h"
#include "kernel/ktest.h"
#include "kernel/kthread.h"
#include "kernel/timer.h"
#include "kernel/vsprintf.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/mm_struct.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"
#include "tests/kernel/sched_test_helpers.h"

#define HAMMER_THREADS 4
#define HAMMER_JIFFIES HZ	   /* one second of gets and puts */
#define HAMMER_BASE_REFS 1000	   /* never near 0: a lost update must not free it */
#define HAMMER_JOIN_MS (60 * 1000) /* a hang, not slowness */
#define WAIT_STATUS_EXITED(code) ((code) << 8)
#define RACE_BASE 0x10000000ul
#define RACE_LEN (16 * PAGE_SIZE)
#define RACE_FLAGS (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)
#define RACE_THREADS 3	/* faulting threads, and one dropping the pages */
#define RACE_JIFFIES HZ /* one second */

static long stress_seconds = 3, stress_kib = 1024;
core_param_int(refcount_stress_seconds, "refcount_stress.seconds", stress_seconds, 0, 3600,
	       "how long the fork/mlockall stress case runs (s)");
core_param_int(refcount_stress_kib, "refcount_stress.kib", stress_kib, 4, 65536,
	       "copy-on-write memory the fork/mlockall stress case shares (KiB)");

struct hammer {
	struct page *page;
	unsigned long deadline, rounds, errors;
};

struct hammer_thread {
	struct hammer *h;
	enum pageflags bit; /* each thread's own flag, set and cleared */
};

/* Take and drop a reference and a mapping, set and clear our own flag:
 * every change is a read-modify-write that another thread may cut. */
static int hammer_fn(void *arg)
{
	struct hammer_thread *t = arg;
	struct hammer *h = t->h;

	while (time_before(jiffies, h->deadline)) {
		page_ref_inc(h->page);
		page_mapcount_inc_and_test(h->page);
		set_page_flag(h->page, t->bit);
		if (!test_page_flag(h->page, t->bit))
			__atomic_add_fetch(&h->errors, 1, __ATOMIC_RELAXED);
		clear_page_flag(h->page, t->bit);
		if (test_page_flag(h->page, t->bit))
			__atomic_add_fetch(&h->errors, 1, __ATOMIC_RELAXED);
		page_mapcount_dec_and_test(h->page);
		__free_page(h->page); /* drops the reference we took */
		__atomic_add_fetch(&h->rounds, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

static void concurrent_gets_and_puts_keep_a_page_count_exact(struct kunit *test)
{
	static const enum pageflags bits[HAMMER_THREADS] = {PG_referenced, PG_dirty, PG_active,
							    PG_swapbacked};
	struct hammer h = {.page = alloc_page(GFP_KERNEL), .deadline = jiffies + HAMMER_JIFFIES};
	struct hammer_thread threads[HAMMER_THREADS];
	struct task_struct *tasks[HAMMER_THREADS];
	unsigned long bad = bad_page_count(), flags;
	bool joined = true;

	KUNIT_ASSERT_NOT_NULL(test, h.page);
	flags = h.page->flags;
	set_page_count(h.page, HAMMER_BASE_REFS);
	for (int i = 0; i < HAMMER_THREADS; i++) {
		threads[i] = (struct hammer_thread){.h = &h, .bit = bits[i]};
		tasks[i] = test_thread_run(hammer_fn, &threads[i], "refhammer");
		KUNIT_ASSERT_NOT_NULL(test, tasks[i]); /* the others leak h: a test bug */
	}
	for (int i = 0; i < HAMMER_THREADS; i++)
		joined &= test_thread_join(tasks[i], HAMMER_JOIN_MS, NULL);
	KUNIT_ASSERT_TRUE(test, joined); /* still running: the page stays leaked */
	kunit_log(test, "%lu rounds over %d threads%s", h.rounds, HAMMER_THREADS,
		  preempt_stress_enabled() ? " under preempt_stress" : "");
	KUNIT_EXPECT_EQ(test, page_ref_count(h.page), HAMMER_BASE_REFS);
	KUNIT_EXPECT_EQ(test, page_mapcount(h.page), 0);
	KUNIT_EXPECT_UEQ(test, h.page->flags, flags);
	KUNIT_EXPECT_UEQ(test, h.errors, 0);
	KUNIT_EXPECT_UEQ(test, bad_page_count(), bad);
	/* Whatever happened, hand the page back whole. */
	h.page->flags = flags;
	page_mapcount_reset(h.page);
	set_page_count(h.page, 1);
	__free_page(h.page);
}

struct fault_race {
	struct mm_struct *mm;
	unsigned long deadline;
};

/* One thread of a process: write-fault every page of the region, as a
 * store would, with mmap_lock read-held as the fault path holds it. */
static int fault_fn(void *arg)
{
	struct fault_race *r = arg;

	while (time_before(jiffies, r->deadline)) {
		for (unsigned long a = RACE_BASE; a < RACE_BASE + RACE_LEN; a += PAGE_SIZE) {
			struct vm_area_struct *vma;

			mmap_read_lock(r->mm);
			vma = find_vma(r->mm, a);
			if (vma)
				handle_mm_fault(vma, a, FAULT_FLAG_WRITE);
			mmap_read_unlock(r->mm);
		}
	}
	return 0;
}

/* Another thread's MADV_DONTNEED: drops the pages, read lock only. */
static int zap_fn(void *arg)
{
	struct fault_race *r = arg;

	while (time_before(jiffies, r->deadline)) {
		mmap_read_lock(r->mm);
		zap_page_range(find_vma(r->mm, RACE_BASE), RACE_BASE, RACE_BASE + RACE_LEN);
		mmap_read_unlock(r->mm);
		schedule_timeout_uninterruptible(1);
	}
	return 0;
}

static int count_present(uint64_t *pte, unsigned long addr, void *arg)
{
	(void)pte;
	(void)addr;
	++*(long *)arg;
	return 0;
}

/* Threads of one process fault the same pages while another drops them:
 * each PTE is filled once and its page counted once, so the rss equals
 * the pages mapped and everything comes back at the end (no page mapped
 * twice over, none leaked). */
static void threads_faulting_one_mm_map_and_count_each_page_once(struct kunit *test)
{
	struct fault_race r = {.mm = mm_alloc(), .deadline = jiffies + RACE_JIFFIES};
	struct task_struct *tasks[RACE_THREADS + 1];
	long anon = global_zone_page_state(NR_ANON_MAPPED), present = 0;
	bool joined = true;

	KUNIT_ASSERT_NOT_NULL(test, r.mm);
	mmap_write_lock(r.mm);
	KUNIT_ASSERT_EQ(test, do_mmap_fixed(r.mm, RACE_BASE, RACE_LEN, RACE_FLAGS, NULL, 0),
			(long)RACE_BASE);
	mmap_write_unlock(r.mm);
	for (int i = 0; i <= RACE_THREADS; i++) {
		tasks[i] = test_thread_run(i < RACE_THREADS ? fault_fn : zap_fn, &r, "faultrace");
		KUNIT_ASSERT_NOT_NULL(test, tasks[i]); /* the others leak r.mm */
	}
	for (int i = 0; i <= RACE_THREADS; i++)
		joined &= test_thread_join(tasks[i], HAMMER_JOIN_MS, NULL);
	KUNIT_ASSERT_TRUE(test, joined);
	walk_page_range(r.mm, RACE_BASE, RACE_BASE + RACE_LEN, count_present, &present);
	KUNIT_EXPECT_EQ(test, get_mm_counter(r.mm, MM_ANONPAGES), present);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_ANON_MAPPED), anon + present);
	mmput(r.mm);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_ANON_MAPPED), anon);
}

static int exec_cowstress(void *argv)
{
	static const char *const envp[] = {"PATH=/bin", NULL};

	console_on_rootfs(); /* its summary line goes to the log */
	return (int)kernel_execve(((const char *const *)argv)[0], argv, envp);
}

/* Issue 16's reproducer: what the processes mapped and locked is all
 * unmapped and unlocked once they are reaped, and no page was freed
 * while still counted (BUG: Bad page state, nonzero mapcount or mlocked,
 * which the runner also fails on). */
static void fork_and_mlockall_of_shared_cow_pages_keep_counts_exact(struct kunit *test)
{
	char seconds[16], kib[16];
	const char *argv[] = {"/bin/cowstress", "-t", seconds, "-w", "4", "-k", kib, NULL};
	long mlocked = global_zone_page_state(NR_MLOCK);
	long anon = global_zone_page_state(NR_ANON_MAPPED);
	long file = global_zone_page_state(NR_FILE_MAPPED);
	unsigned long bad = bad_page_count(), ticks = preempt_stress_ticks();
	struct task_struct *p;
	int status = -1;

	snprintf(seconds, sizeof(seconds), "%ld", stress_seconds);
	snprintf(kib, sizeof(kib), "%ld", stress_kib);
	p = kthread_run(exec_cowstress, (void *)argv, "cowstress");
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_GE(test, kernel_wait(p->pid, &status), 0);
	KUNIT_EXPECT_EQ(test, status, WAIT_STATUS_EXITED(0));
	/* A page left PG_mlocked by a lost munlock is freed here. */
	drop_pagecache();
	KUNIT_EXPECT_UEQ(test, bad_page_count(), bad);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_MLOCK), mlocked);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_ANON_MAPPED), anon);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_FILE_MAPPED), file);
	kunit_log(test, "%ld s of cowstress%s, %lu random ticks", stress_seconds,
		  preempt_stress_enabled() ? " under preempt_stress" : "",
		  preempt_stress_ticks() - ticks);
}

static struct kunit_case refcount_stress_cases[] = {
	KUNIT_CASE(concurrent_gets_and_puts_keep_a_page_count_exact),
	KUNIT_CASE(threads_faulting_one_mm_map_and_count_each_page_once),
	KUNIT_CASE(fork_and_mlockall_of_shared_cow_pages_keep_counts_exact),
	{0},
};

static struct kunit_suite refcount_stress_suite = {
	.name = "refcount_stress",
	.test_cases = refcount_stress_cases,
	.preempt_stress = true,
};
kunit_test_suite(refcount_stress_suite);
