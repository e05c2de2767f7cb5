/* Sleeps and signals: a killable sleep ends early on SIGKILL and on
 * nothing else, an interruptible one on any signal, an uninterruptible
 * one on none (it runs its full time, the signal left pending). Read
 * first: each case runs one "sleeper" thread and signals it once the
 * thread is seen asleep in the expected state. */
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/signal.h"
#include "kernel/timer.h"
#include "kernel/wait.h"
#include "mm/slab.h"
#include "tests/kernel/sched_test_helpers.h"

/* Never slept out when the signal works; the join gives up long before. */
#define LONG_SLEEP_JIFFIES (60 * HZ)
/* Slept out in full; long enough that the grace check is done first. */
#define FULL_SLEEP_JIFFIES (2 * HZ)
/* A sleeper a signal wrongly woke would have run within this. */
#define SIGNAL_GRACE_MS 50

enum sleep_call {
	SLEEP_KILLABLE,
	SLEEP_INTERRUPTIBLE,
	SLEEP_UNINTERRUPTIBLE,
	WAIT_EVENT_KILLABLE,
	WAIT_EVENT,
};

struct sleeper {
	enum sleep_call call;
	long timeout;
	bool kill_self_first;
	struct wait_queue_head wq;
	bool condition;
	int sig; /* the signal the test sends */
	long ret;
	unsigned long slept; /* jiffies */
	bool sig_pending_after;
	struct task_struct *task;
};

static long call_sleep(struct sleeper *s)
{
	switch (s->call) {
	case SLEEP_KILLABLE: return schedule_timeout_killable(s->timeout);
	case SLEEP_INTERRUPTIBLE: return schedule_timeout_interruptible(s->timeout);
	case SLEEP_UNINTERRUPTIBLE: return schedule_timeout_uninterruptible(s->timeout);
	case WAIT_EVENT_KILLABLE:
		return wait_event_killable(s->wq, __atomic_load_n(&s->condition, __ATOMIC_ACQUIRE));
	case WAIT_EVENT: break;
	}
	wait_event(s->wq, __atomic_load_n(&s->condition, __ATOMIC_ACQUIRE));
	return 0;
}

static int sleeper_fn(void *arg)
{
	struct sleeper *s = arg;
	unsigned long start;

	allow_signal(s->sig); /* kernel threads ignore what they do not allow */
	if (s->kill_self_first)
		send_sig(s->sig, current);
	start = jiffies;
	s->ret = call_sleep(s);
	s->slept = jiffies - start;
	s->sig_pending_after = sigismember_pending(current, s->sig);
	return 0;
}

/* A sleeper thread, started; NULL without memory. The test sends it sig,
 * or with kill_self_first it sends sig to itself before it sleeps. */
static struct sleeper *start_sleeper(enum sleep_call call, long timeout, int sig,
				     bool kill_self_first)
{
	struct sleeper *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->call = call;
	s->timeout = timeout;
	s->sig = sig;
	s->kill_self_first = kill_self_first;
	init_waitqueue_head(&s->wq);
	s->task = test_thread_run(sleeper_fn, s, "sleeper");
	if (!s->task) {
		kfree(s);
		return NULL;
	}
	return s;
}

/* Wait for the sleeper to sleep in state, signal it, and check it ends the
 * sleep early with a result of want_ret (or, for a timed sleep, time left). */
static void check_signal_ends_sleep(struct kunit *test, enum sleep_call call, unsigned int state,
				    int sig, long want_ret)
{
	struct sleeper *s = start_sleeper(call, LONG_SLEEP_JIFFIES, sig, false);

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(s->task, state, TEST_WAIT_TIMEOUT_MS));
	send_sig(sig, s->task);
	/* Still sleeping after the join's time limit: leak s to it. */
	KUNIT_ASSERT_TRUE(test, test_thread_join(s->task, TEST_WAIT_TIMEOUT_MS, NULL));
	if (want_ret)
		KUNIT_EXPECT_EQ(test, s->ret, want_ret);
	else
		KUNIT_EXPECT_GT(test, s->ret, 0);
	KUNIT_EXPECT_TRUE(test, s->sig_pending_after);
	kfree(s);
}

/* Wait for the sleeper to sleep in state, signal it, check it still sleeps
 * a while later; then let the sleep end (time or condition) and check it
 * ran in full with the signal still pending. */
static void check_sleep_ignores_signal(struct kunit *test, enum sleep_call call, unsigned int state,
				       int sig)
{
	struct sleeper *s = start_sleeper(call, FULL_SLEEP_JIFFIES, sig, false);

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(s->task, state, TEST_WAIT_TIMEOUT_MS));
	send_sig(sig, s->task);
	msleep(SIGNAL_GRACE_MS);
	KUNIT_EXPECT_EQ(test, task_state(s->task), state);
	__atomic_store_n(&s->condition, true, __ATOMIC_RELEASE);
	wake_up(&s->wq);
	KUNIT_ASSERT_TRUE(test, test_thread_join(s->task, TEST_WAIT_TIMEOUT_MS, NULL));
	KUNIT_EXPECT_EQ(test, s->ret, 0);
	if (call != WAIT_EVENT)
		KUNIT_EXPECT_GE(test, s->slept, FULL_SLEEP_JIFFIES);
	KUNIT_EXPECT_TRUE(test, s->sig_pending_after);
	kfree(s);
}

static void schedule_timeout_killable_ends_early_on_sigkill(struct kunit *test)
{
	check_signal_ends_sleep(test, SLEEP_KILLABLE, TASK_KILLABLE, SIGKILL, 0);
}

static void schedule_timeout_killable_sleeps_through_sigterm(struct kunit *test)
{
	check_sleep_ignores_signal(test, SLEEP_KILLABLE, TASK_KILLABLE, SIGTERM);
}

static void schedule_timeout_interruptible_ends_early_on_sigterm(struct kunit *test)
{
	check_signal_ends_sleep(test, SLEEP_INTERRUPTIBLE, TASK_INTERRUPTIBLE, SIGTERM, 0);
}

static void schedule_timeout_uninterruptible_sleeps_through_sigkill(struct kunit *test)
{
	check_sleep_ignores_signal(test, SLEEP_UNINTERRUPTIBLE, TASK_UNINTERRUPTIBLE, SIGKILL);
}

static void wait_event_killable_returns_erestartsys_on_sigkill(struct kunit *test)
{
	check_signal_ends_sleep(test, WAIT_EVENT_KILLABLE, TASK_KILLABLE, SIGKILL, -ERESTARTSYS);
}

static void wait_event_sleeps_through_sigkill_until_its_condition(struct kunit *test)
{
	check_sleep_ignores_signal(test, WAIT_EVENT, TASK_UNINTERRUPTIBLE, SIGKILL);
}

/* SIGKILL already pending: a killable sleep does not start at all. */
static void killable_sleep_with_sigkill_pending_returns_at_once(struct kunit *test)
{
	struct sleeper *s = start_sleeper(SLEEP_KILLABLE, LONG_SLEEP_JIFFIES, SIGKILL, true);

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_TRUE(test, test_thread_join(s->task, TEST_WAIT_TIMEOUT_MS, NULL));
	KUNIT_EXPECT_GT(test, s->ret, 0);
	KUNIT_EXPECT_TRUE(test, s->sig_pending_after);
	kfree(s);
}

static struct kunit_case signal_cases[] = {
	KUNIT_CASE(schedule_timeout_killable_ends_early_on_sigkill),
	KUNIT_CASE(schedule_timeout_killable_sleeps_through_sigterm),
	KUNIT_CASE(schedule_timeout_interruptible_ends_early_on_sigterm),
	KUNIT_CASE(schedule_timeout_uninterruptible_sleeps_through_sigkill),
	KUNIT_CASE(wait_event_killable_returns_erestartsys_on_sigkill),
	KUNIT_CASE(wait_event_sleeps_through_sigkill_until_its_condition),
	KUNIT_CASE(killable_sleep_with_sigkill_pending_returns_at_once),
	{0},
};

static struct kunit_suite signal_suite = {.name = "signals", .test_cases = signal_cases};
kunit_test_suite(signal_suite);
