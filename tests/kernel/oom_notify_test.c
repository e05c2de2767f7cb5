/* The OOM notifier chain as a specification: oom_notify_call returns the
 * pages the callbacks freed and leaves a trace of them; the oom.notifier
 * switch decides which of the two hooks runs the chain; a bad value is
 * refused. Read first: the balloon's own notifier is on the chain too, so
 * every case starts with an empty balloon (it then frees nothing). */
#include "kernel/completion.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/notifier.h"
#include "kernel/signal.h"
#include "mm/balloon.h"
#include "mm/oom.h"
#include "mm/vmstat.h"
#include "tests/kernel/fs_test_helpers.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/sched_test_helpers.h"

#define SWITCH_PATH "/proc/sys/oomlab/oom.notifier"

struct freeing_nb {
	struct notifier_block nb;
	unsigned long frees; /* what it adds to *freed per call */
	int calls;
};

static int freeing_call(struct notifier_block *nb, unsigned long action, void *data)
{
	struct freeing_nb *f = container_of(nb, struct freeing_nb, nb);
	unsigned long *freed = data;

	f->calls++;
	*freed += f->frees;
	return NOTIFY_OK;
}

static struct freeing_nb first, second;

static int oom_notify_test_init(struct kunit *test)
{
	struct balloon_stats s;

	balloon_get_stats(&s);
	if (s.size)
		return -EBUSY; /* a balloon left inflated would free pages too */
	first = (struct freeing_nb){.nb = {.notifier_call = freeing_call}};
	second = (struct freeing_nb){.nb = {.notifier_call = freeing_call}};
	test->priv = (void *)(long)sysctl_oom_notifier;
	return 0;
}

static void oom_notify_test_exit(struct kunit *test)
{
	unregister_oom_notifier(&first.nb);
	unregister_oom_notifier(&second.nb);
	sysctl_oom_notifier = (int)(long)test->priv;
}

static void oom_notify_call_returns_the_pages_every_callback_freed(struct kunit *test)
{
	unsigned long counted = vm_event_states[OOM_NOTIFIER_FREED], mark = log_mark();
	char line[MM_TEST_LOG_LINE];

	first.frees = 3;
	second.frees = 4;
	KUNIT_ASSERT_EQ(test, register_oom_notifier(&first.nb), 0);
	KUNIT_ASSERT_EQ(test, register_oom_notifier(&second.nb), 0);
	KUNIT_EXPECT_EQ(test, oom_notify_call(), 7);
	KUNIT_EXPECT_EQ(test, first.calls, 1);
	KUNIT_EXPECT_EQ(test, second.calls, 1);
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_NOTIFIER_FREED], counted + 7);
	KUNIT_EXPECT_TRUE(test,
			  log_find_since(mark, "oom_notifier: freed 7 pages", line, sizeof(line)));
}

static void nothing_freed_is_zero_and_leaves_no_trace(struct kunit *test)
{
	unsigned long counted = vm_event_states[OOM_NOTIFIER_FREED], mark = log_mark();
	char line[MM_TEST_LOG_LINE];

	KUNIT_ASSERT_EQ(test, register_oom_notifier(&first.nb), 0);
	KUNIT_EXPECT_EQ(test, oom_notify_call(), 0);
	KUNIT_EXPECT_EQ(test, first.calls, 1);
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_NOTIFIER_FREED], counted);
	KUNIT_EXPECT_FALSE(test, log_find_since(mark, "oom_notifier: freed", line, sizeof(line)));
}

static void an_unregistered_notifier_is_not_called(struct kunit *test)
{
	first.frees = 1;
	KUNIT_ASSERT_EQ(test, register_oom_notifier(&first.nb), 0);
	KUNIT_ASSERT_EQ(test, unregister_oom_notifier(&first.nb), 0);
	KUNIT_EXPECT_EQ(test, unregister_oom_notifier(&first.nb), -ENOENT);
	KUNIT_EXPECT_EQ(test, oom_notify_call(), 0);
	KUNIT_EXPECT_EQ(test, first.calls, 0);
}

static void inside_runs_the_chain_only_from_the_oom_lock_hook(struct kunit *test)
{
	first.frees = 1;
	KUNIT_ASSERT_EQ(test, register_oom_notifier(&first.nb), 0);
	sysctl_oom_notifier = OOM_NOTIFIER_INSIDE;
	KUNIT_EXPECT_FALSE(test, oom_notify_outside_lock());
	KUNIT_EXPECT_EQ(test, first.calls, 0);
	KUNIT_EXPECT_TRUE(test, oom_notify_inside_lock());
	KUNIT_EXPECT_EQ(test, first.calls, 1);
	/* Nothing freed: no progress to report. */
	first.frees = 0;
	KUNIT_EXPECT_FALSE(test, oom_notify_inside_lock());
	KUNIT_EXPECT_EQ(test, first.calls, 2);
}

static void outside_runs_the_chain_only_from_the_slow_path_hook(struct kunit *test)
{
	first.frees = 1;
	KUNIT_ASSERT_EQ(test, register_oom_notifier(&first.nb), 0);
	sysctl_oom_notifier = OOM_NOTIFIER_OUTSIDE;
	KUNIT_EXPECT_FALSE(test, oom_notify_inside_lock());
	KUNIT_EXPECT_EQ(test, first.calls, 0);
	KUNIT_EXPECT_TRUE(test, oom_notify_outside_lock());
	KUNIT_EXPECT_EQ(test, first.calls, 1);
	first.frees = 0;
	KUNIT_EXPECT_FALSE(test, oom_notify_outside_lock());
	KUNIT_EXPECT_EQ(test, first.calls, 2);
}

static void the_switch_is_set_at_run_time_and_refuses_bad_values(struct kunit *test)
{
	unsigned long mark = log_mark();
	char line[MM_TEST_LOG_LINE];

	KUNIT_EXPECT_EQ(test, write_string(SWITCH_PATH, "outside\n"), 8);
	KUNIT_EXPECT_EQ(test, sysctl_oom_notifier, OOM_NOTIFIER_OUTSIDE);
	KUNIT_EXPECT_EQ(test, write_string(SWITCH_PATH, "sideways\n"), -EINVAL);
	KUNIT_EXPECT_EQ(test, sysctl_oom_notifier, OOM_NOTIFIER_OUTSIDE);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "bad value 'sideways' for 'oom.notifier'",
					       line, sizeof(line)));
	KUNIT_EXPECT_EQ(test, write_string(SWITCH_PATH, "inside\n"), 7);
	KUNIT_EXPECT_EQ(test, sysctl_oom_notifier, OOM_NOTIFIER_INSIDE);
}

/* A notifier that sleeps until released, counting its calls. */
struct sleeping_nb {
	struct notifier_block nb;
	struct completion entered, release;
	int calls;
};
static struct sleeping_nb sleeper;

static int sleeping_call(struct notifier_block *nb, unsigned long action, void *data)
{
	unsigned long *freed = data;

	sleeper.calls++;
	complete(&sleeper.entered);
	wait_for_completion(&sleeper.release);
	*freed += 1;
	return NOTIFY_OK;
}

static int outside_fn(void *unused)
{
	return oom_notify_outside_lock();
}

/* The seed-3 patch's oom_notifier_lock is taken killably: a task killed
 * while another runs the chain (likely an OOM victim) leaves at once,
 * without running the chain, to use its reserves. */
static void outside_a_killed_waiter_leaves_without_running_the_chain(struct kunit *test)
{
	struct task_struct *runner, *waiter;
	int ret = -1;

	sysctl_oom_notifier = OOM_NOTIFIER_OUTSIDE;
	sleeper = (struct sleeping_nb){.nb = {.notifier_call = sleeping_call}};
	init_completion(&sleeper.entered);
	init_completion(&sleeper.release);
	KUNIT_ASSERT_EQ(test, register_oom_notifier(&sleeper.nb), 0);
	runner = test_thread_run(outside_fn, NULL, "oom-notify-run");
	if (runner)
		wait_for_completion(&sleeper.entered);
	waiter = runner ? test_thread_run(outside_fn, NULL, "oom-notify-wait") : NULL;
	if (waiter) {
		KUNIT_EXPECT_TRUE(test,
				  wait_for_task_state(waiter, TASK_KILLABLE, TEST_WAIT_TIMEOUT_MS));
		send_sig(SIGKILL, waiter);
		KUNIT_EXPECT_TRUE(test, test_thread_join(waiter, TEST_WAIT_TIMEOUT_MS, &ret));
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, sleeper.calls, 1);
	}
	complete(&sleeper.release);
	if (runner) {
		KUNIT_EXPECT_TRUE(test, test_thread_join(runner, TEST_WAIT_TIMEOUT_MS, &ret));
		KUNIT_EXPECT_EQ(test, ret, 1);
	}
	unregister_oom_notifier(&sleeper.nb);
	KUNIT_EXPECT_NOT_NULL(test, runner);
	KUNIT_EXPECT_NOT_NULL(test, waiter);
}

static struct kunit_case oom_notify_cases[] = {
	KUNIT_CASE(oom_notify_call_returns_the_pages_every_callback_freed),
	KUNIT_CASE(nothing_freed_is_zero_and_leaves_no_trace),
	KUNIT_CASE(an_unregistered_notifier_is_not_called),
	KUNIT_CASE(inside_runs_the_chain_only_from_the_oom_lock_hook),
	KUNIT_CASE(outside_runs_the_chain_only_from_the_slow_path_hook),
	KUNIT_CASE(outside_a_killed_waiter_leaves_without_running_the_chain),
	KUNIT_CASE(the_switch_is_set_at_run_time_and_refuses_bad_values),
	{0},
};
static struct kunit_suite oom_notify_suite = {.name = "oom_notify",
					      .test_cases = oom_notify_cases,
					      .init = oom_notify_test_init,
					      .exit = oom_notify_test_exit};
kunit_test_suite(oom_notify_suite);
