/* The allocation-stall watchdog (mm/alloc_slowpath.c, Linux 4.9-4.14's
 * "page allocation stalls for Nms") as a specification. Read first: each
 * case keeps an allocator in the slow path by holding oom_lock while
 * memory is full (its trylock fails, it sleeps a tick and retries), then
 * frees the memory before letting go, so no case ever kills anyone. The
 * last case is the stand-in for reclaim's CPU cost that lab 06 uses. */
#include "kernel/ktest.h"
#include "kernel/kthread.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/vsprintf.h"
#include "mm/internal.h"
#include "mm/oom.h"
#include "mm/vmstat.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/sched_test_helpers.h"

#define LAB_STALL_MS 100
#define STALL_WAIT_MS 5000

#define RECLAIM_COST_US 40000
#define RECLAIM_COST_SEEN_NS 30000000ULL /* a tick's accounting slack below it */

static struct page_stash fill[NR_PAGE_ORDERS];
static long saved_stall_ms, saved_reclaim_cost_us;

static int alloc_stall_init(struct kunit *test)
{
	(void)test;
	saved_stall_ms = oom_stall_warn_ms;
	saved_reclaim_cost_us = oom_reclaim_cost_us;
	return 0;
}

static void alloc_stall_exit(struct kunit *test)
{
	(void)test;
	oom_stall_warn_ms = saved_stall_ms;
	oom_reclaim_cost_us = saved_reclaim_cost_us;
}

/* Sleep a tick at a time until pgalloc_stall reaches want. */
static bool wait_for_stalls(unsigned long want, unsigned int timeout_ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);

	while (vm_event_states[PGALLOC_STALL] < want) {
		if (time_after(jiffies, deadline))
			return false;
		schedule_timeout_uninterruptible(1);
	}
	return true;
}

/* A thread "stalled" stuck in the slow path behind our oom_lock for
 * hold_ms; returns whether its allocation succeeded once let go. */
static bool stall_an_allocation(struct kunit *test, unsigned int hold_ms, unsigned long stalls)
{
	struct task_struct *p;
	bool got = false;

	/* Created before memory runs out: full, we could not give it a stack. */
	p = kthread_create(allocate_one_page, &got, "stalled");
	KUNIT_EXPECT_NOT_NULL(test, p);
	if (!p)
		return false;
	get_task_struct(p);
	fill_memory(fill, GFP_KERNEL);
	mutex_lock(&oom_lock);
	quietly_begin();
	wake_up_process(p);
	if (stalls)
		KUNIT_EXPECT_TRUE(test, wait_for_stalls(stalls, STALL_WAIT_MS));
	else
		msleep(hold_ms);
	quietly_end();
	unfill_memory(fill);
	mutex_unlock(&oom_lock);
	KUNIT_EXPECT_TRUE(test, test_thread_join(p, TEST_WAIT_TIMEOUT_MS, NULL));
	return got;
}

static long leading_number(const char *s)
{
	long n = 0;

	while (*s >= '0' && *s <= '9')
		n = n * 10 + (*s++ - '0');
	return n;
}

static void a_stalled_allocation_is_reported_in_linux_format_and_counted(struct kunit *test)
{
	unsigned long stalls = vm_event_states[PGALLOC_STALL], mark = log_mark();
	char line[MM_TEST_LOG_LINE];
	const char *ms;

	oom_stall_warn_ms = LAB_STALL_MS;
	KUNIT_EXPECT_TRUE(test, stall_an_allocation(test, 0, stalls + 1));
	KUNIT_EXPECT_GE(test, vm_event_states[PGALLOC_STALL], stalls + 1);
	KUNIT_ASSERT_TRUE(test,
			  log_find_since(mark, "page allocation stalls for", line, sizeof(line)));
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, "stalled: page allocation stalls for "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, "ms, order:0, mode:0xcc0(GFP_KERNEL), "
						 "nodemask=(null)"));
	ms = strstr(line, "stalls for ");
	KUNIT_ASSERT_NOT_NULL(test, ms);
	KUNIT_EXPECT_GE(test, leading_number(ms + strlen("stalls for ")), LAB_STALL_MS);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "Call Trace:", NULL, 0));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "Mem-Info:", NULL, 0));
}

/* Linux: "stall_timeout += 10 * HZ": one report per interval stuck. */
static void a_longer_stall_is_counted_again_each_interval(struct kunit *test)
{
	unsigned long stalls = vm_event_states[PGALLOC_STALL];

	oom_stall_warn_ms = LAB_STALL_MS;
	KUNIT_EXPECT_TRUE(test, stall_an_allocation(test, 0, stalls + 3));
	KUNIT_EXPECT_GE(test, vm_event_states[PGALLOC_STALL], stalls + 3);
}

static void an_allocation_shorter_than_the_threshold_is_not_reported(struct kunit *test)
{
	unsigned long stalls = vm_event_states[PGALLOC_STALL];

	oom_stall_warn_ms = 60000;
	KUNIT_EXPECT_TRUE(test, stall_an_allocation(test, 4 * LAB_STALL_MS, 0));
	KUNIT_EXPECT_EQ(test, vm_event_states[PGALLOC_STALL], stalls);
}

static void stall_warn_ms_0_turns_the_watchdog_off(struct kunit *test)
{
	unsigned long stalls = vm_event_states[PGALLOC_STALL];

	oom_stall_warn_ms = 0;
	KUNIT_EXPECT_TRUE(test, stall_an_allocation(test, 4 * LAB_STALL_MS, 0));
	KUNIT_EXPECT_EQ(test, vm_event_states[PGALLOC_STALL], stalls);
}

/* The stand-in for direct reclaim's CPU cost (lab 06): a pass that finds
 * nothing burns oom.reclaim_cost_us of the caller's own CPU time. */
static void a_fruitless_reclaim_pass_burns_oom_reclaim_cost_us_of_cpu(struct kunit *test)
{
	uint64_t before;
	struct page *page;

	oom_reclaim_cost_us = RECLAIM_COST_US;
	fill_memory(fill, GFP_KERNEL);
	msleep(1); /* settle sum_exec_runtime at a switch */
	before = current->se.sum_exec_runtime;
	quietly_begin();
	page = alloc_page(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
	quietly_end();
	msleep(1);
	unfill_memory(fill);
	KUNIT_EXPECT_NULL(test, page);
	KUNIT_EXPECT_GE(test, current->se.sum_exec_runtime - before, RECLAIM_COST_SEEN_NS);
	if (page)
		__free_page(page);
}

static struct kunit_case alloc_stall_cases[] = {
	KUNIT_CASE(a_stalled_allocation_is_reported_in_linux_format_and_counted),
	KUNIT_CASE(a_longer_stall_is_counted_again_each_interval),
	KUNIT_CASE(an_allocation_shorter_than_the_threshold_is_not_reported),
	KUNIT_CASE(stall_warn_ms_0_turns_the_watchdog_off),
	KUNIT_CASE(a_fruitless_reclaim_pass_burns_oom_reclaim_cost_us_of_cpu),
	{}};

static struct kunit_suite alloc_stall_suite = {
	.name = "alloc_stall",
	.test_cases = alloc_stall_cases,
	.init = alloc_stall_init,
	.exit = alloc_stall_exit,
};
kunit_test_suite(alloc_stall_suite);
