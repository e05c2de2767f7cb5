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
#include "mm/vmstat.h"
#include "tests/kernel/sched_test_helpers.h"

#define HAMMER_THREADS 4
#define HAMMER_JIFFIES HZ	   /* one second of gets and puts */
#define HAMMER_BASE_REFS 1000	   /* never near 0: a lost update must not free it */
#define HAMMER_JOIN_MS (60 * 1000) /* a hang, not slowness */
#define WAIT_STATUS_EXITED(code) ((code) << 8)

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
	KUNIT_CASE(fork_and_mlockall_of_shared_cow_pages_keep_counts_exact),
	{0},
};

static struct kunit_suite refcount_stress_suite = {
	.name = "refcount_stress",
	.test_cases = refcount_stress_cases,
	.preempt_stress = true,
};
kunit_test_suite(refcount_stress_suite);
