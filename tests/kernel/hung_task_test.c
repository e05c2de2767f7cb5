/* khungtaskd as a specification: a real AB-BA deadlock on two mutexes is
 * reported with both stacks and the locks held, each hung task once; a
 * killable, idle or interruptible sleeper is never reported, nor anything
 * with the check off. Read first: the cases shorten the timeout at run
 * time and wait in interruptible sleeps, so the test itself (in D state
 * it would be a suspect) is never reported; deadlocked threads stay
 * blocked for good and what they use is leaked on purpose. */
#include "kernel/completion.h"
#include "kernel/hung_task.h"
#include "kernel/ktest.h"
#include "kernel/locking/mutex.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/vsprintf.h"
#include "kernel/wait.h"
#include "mm/slab.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/report_test_helpers.h"
#include "tests/kernel/sched_test_helpers.h"

#define TEST_HUNG_TIMEOUT_SECS 2
/* Detection takes one to two timeouts after the sleep starts; TCG and a
 * busy host may stretch that, hence the margin. */
#define REPORT_WAIT_MS 30000
#define POLL_MS 50
#define NEEDLE_MAX 64
/* How long a sleeper sits in D with the check off before it is turned on. */
#define UNWATCHED_SLEEP_SECS 6

struct abba {
	struct mutex a, b;
	struct completion a_held, b_held;
};

static int deadlock_ab(void *arg)
{
	struct abba *d = arg;

	mutex_lock(&d->a);
	complete(&d->a_held);
	wait_for_completion(&d->b_held);
	mutex_lock(&d->b); /* never returns */
	return 0;
}

static int deadlock_ba(void *arg)
{
	struct abba *d = arg;

	mutex_lock(&d->b);
	complete(&d->b_held);
	wait_for_completion(&d->a_held);
	mutex_lock(&d->a);
	return 0;
}

/* Sleeps interruptibly (S state) between looks at the log. */
static bool wait_for_log(unsigned long mark, const char *needle, unsigned int timeout_ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);

	while (!log_find_since(mark, needle, NULL, 0)) {
		if (time_after(jiffies, deadline))
			return false;
		msleep_interruptible(POLL_MS);
	}
	return true;
}

static bool wait_until_blocked_on_lock(struct task_struct *p, unsigned int timeout_ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);

	while (!p->blocked_on || task_state(p) != TASK_UNINTERRUPTIBLE) {
		if (time_after(jiffies, deadline))
			return false;
		msleep_interruptible(POLL_MS);
	}
	return true;
}

static void hung_needle(char *buf, const struct task_struct *p)
{
	snprintf(buf, NEEDLE_MAX, "INFO: task %s:%d blocked for more than", p->comm, p->pid);
}

/* The report for p: its headline, trace through the mutex into the
 * scheduler, and its locks (the one it waits for is listed too, since
 * lockdep hears of an acquisition before the wait, as in Linux). */
static void expect_hung_report(struct kunit *test, unsigned long mark, const struct task_struct *p)
{
	char head[NEEDLE_MAX], locks[NEEDLE_MAX], fn[NEEDLE_MAX];

	hung_needle(head, p);
	snprintf(locks, sizeof(locks), "2 locks held by %s/%d:", p->comm, p->pid);
	snprintf(fn, sizeof(fn), " %s+",
		 p->comm); /* each thread runs the function it is named after */
	KUNIT_EXPECT_TRUE(test, wait_for_log(mark, head, REPORT_WAIT_MS));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, head, "task:", "      Not tainted"));
	KUNIT_EXPECT_TRUE(test,
			  log_section_has(mark, head, "task:",
					  "\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\""));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, head, "Call Trace:", "state:D"));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, head, "</TASK>", " __schedule+"));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, head, "</TASK>", "mutex_lock"));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, head, "</TASK>", fn));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, head, "blocked for more than", locks));
}

static void abba_deadlock_is_reported_with_both_stacks(struct kunit *test)
{
	long saved = sysctl_hung_task_timeout_secs;
	unsigned long mark = log_mark();
	struct task_struct *ab, *ba;
	struct abba *d = kzalloc(sizeof(*d), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, d);
	mutex_init(&d->a);
	mutex_init(&d->b);
	init_completion(&d->a_held);
	init_completion(&d->b_held);
	sysctl_hung_task_timeout_secs = TEST_HUNG_TIMEOUT_SECS;
	ab = test_thread_run(deadlock_ab, d, "deadlock_ab");
	ba = test_thread_run(deadlock_ba, d, "deadlock_ba");
	KUNIT_ASSERT_TRUE(test, ab && ba);
	KUNIT_EXPECT_TRUE(test, wait_until_blocked_on_lock(ab, TEST_WAIT_TIMEOUT_MS));
	KUNIT_EXPECT_TRUE(test, wait_until_blocked_on_lock(ba, TEST_WAIT_TIMEOUT_MS));
	expect_hung_report(test, mark, ab);
	expect_hung_report(test, mark, ba);
	KUNIT_EXPECT_TRUE(test,
			  log_find_since(mark, "Showing all locks held in the system:", NULL, 0));
	/* Lock-order checking saw it coming before either thread blocked. */
	KUNIT_EXPECT_TRUE(
		test, log_find_since(mark, "WARNING: possible circular locking dependency detected",
				     NULL, 0));
	sysctl_hung_task_timeout_secs = saved;
}

enum sleep_kind { SLEEP_D, SLEEP_KILLABLE, SLEEP_IDLE, SLEEP_S, NR_SLEEP_KINDS };

struct sleepers {
	struct wait_queue_head wq;
	bool done;
};

struct sleeper {
	struct sleepers *s;
	enum sleep_kind kind;
};

static int sleeper_fn(void *arg)
{
	struct sleeper *me = arg;
	struct sleepers *s = me->s;

	switch (me->kind) {
	case SLEEP_D: wait_event(s->wq, s->done); break;
	case SLEEP_KILLABLE: (void)wait_event_killable(s->wq, s->done); break;
	case SLEEP_IDLE: wait_event_idle(s->wq, s->done); break;
	default: (void)wait_event_interruptible(s->wq, s->done); break;
	}
	return 0;
}

static const unsigned int sleep_states[NR_SLEEP_KINDS] = {TASK_UNINTERRUPTIBLE, TASK_KILLABLE,
							  TASK_IDLE, TASK_INTERRUPTIBLE};
static const char *const sleep_names[NR_SLEEP_KINDS] = {"sleep_d", "sleep_killable", "sleep_idle",
							"sleep_s"};

/* Starts one sleeper of each kind and waits for all to be asleep. */
static bool start_sleepers(struct kunit *test, struct sleepers *s, struct sleeper *sl,
			   struct task_struct **tasks)
{
	init_waitqueue_head(&s->wq);
	s->done = false;
	for (int k = 0; k < NR_SLEEP_KINDS; k++) {
		sl[k] = (struct sleeper){.s = s, .kind = (enum sleep_kind)k};
		tasks[k] = test_thread_run(sleeper_fn, &sl[k], sleep_names[k]);
		KUNIT_EXPECT_NOT_NULL(test, tasks[k]);
		if (!tasks[k])
			return false;
	}
	for (int k = 0; k < NR_SLEEP_KINDS; k++)
		if (!wait_for_task_state(tasks[k], sleep_states[k], TEST_WAIT_TIMEOUT_MS))
			return false;
	return true;
}

static void stop_sleepers(struct kunit *test, struct sleepers *s, struct task_struct **tasks)
{
	s->done = true;
	wake_up_all(&s->wq);
	for (int k = 0; k < NR_SLEEP_KINDS; k++)
		if (tasks[k])
			KUNIT_EXPECT_TRUE(test,
					  test_thread_join(tasks[k], TEST_WAIT_TIMEOUT_MS, NULL));
}

static void only_plain_uninterruptible_sleep_is_reported_and_once(struct kunit *test)
{
	long saved = sysctl_hung_task_timeout_secs;
	struct task_struct *tasks[NR_SLEEP_KINDS] = {0};
	struct sleeper sl[NR_SLEEP_KINDS];
	unsigned long mark = log_mark();
	char needle[NEEDLE_MAX];
	struct sleepers s;

	sysctl_hung_task_timeout_secs = TEST_HUNG_TIMEOUT_SECS;
	if (start_sleepers(test, &s, sl, tasks)) {
		hung_needle(needle, tasks[SLEEP_D]);
		KUNIT_EXPECT_TRUE(test, wait_for_log(mark, needle, REPORT_WAIT_MS));
		/* Two more checks go by: no second report, no other sleeper. */
		msleep_interruptible(2 * TEST_HUNG_TIMEOUT_SECS * 1000 + 500);
		KUNIT_EXPECT_EQ(test, log_count_since(mark, needle), 1);
		KUNIT_EXPECT_EQ(test, log_count_since(mark, "blocked for more than"), 1);
	}
	sysctl_hung_task_timeout_secs = saved;
	stop_sleepers(test, &s, tasks);
}

/* The seconds in "blocked for more than N seconds." of the record. */
static long reported_secs(const char *record)
{
	const char *p = strstr(record, "more than ");
	long secs = 0;

	if (!p)
		return -1;
	for (p += strlen("more than "); *p >= '0' && *p <= '9'; p++)
		secs = secs * 10 + (*p - '0');
	return secs;
}

/* As Linux's: N is the time since khungtaskd first saw the task stuck, so
 * the first report of a hang says the timeout, however long the task sat
 * in D before anyone looked (here, UNWATCHED_SLEEP_SECS with the check
 * off: counted from the sleep itself, N would be at least that plus one
 * timeout). So N is at most the time since the check was turned on, as
 * measured, however late khungtaskd runs. */
static void a_report_counts_from_khungtaskds_first_look(struct kunit *test)
{
	long saved = sysctl_hung_task_timeout_secs, secs, elapsed_secs;
	struct task_struct *tasks[NR_SLEEP_KINDS] = {0};
	char needle[NEEDLE_MAX], record[MM_TEST_LOG_LINE];
	struct sleeper sl[NR_SLEEP_KINDS];
	unsigned long mark, enabled;
	struct sleepers s;

	sysctl_hung_task_timeout_secs = 0;
	if (start_sleepers(test, &s, sl, tasks)) {
		msleep_interruptible(UNWATCHED_SLEEP_SECS * 1000);
		mark = log_mark();
		enabled = jiffies;
		sysctl_hung_task_timeout_secs = TEST_HUNG_TIMEOUT_SECS;
		hung_needle(needle, tasks[SLEEP_D]);
		KUNIT_EXPECT_TRUE(test, wait_for_log(mark, needle, REPORT_WAIT_MS));
		KUNIT_EXPECT_TRUE(test, log_find_since(mark, needle, record, sizeof(record)));
		elapsed_secs = (long)((jiffies - enabled) / HZ);
		secs = reported_secs(record);
		kunit_log(test, "reported: %s (%ld s after the check was on)", record,
			  elapsed_secs);
		KUNIT_EXPECT_GE(test, secs, TEST_HUNG_TIMEOUT_SECS);
		KUNIT_EXPECT_LE(test, secs, elapsed_secs + 1);
	}
	sysctl_hung_task_timeout_secs = saved;
	stop_sleepers(test, &s, tasks);
}

static void timeout_zero_turns_the_check_off(struct kunit *test)
{
	long saved = sysctl_hung_task_timeout_secs;
	struct task_struct *tasks[NR_SLEEP_KINDS] = {0};
	struct sleeper sl[NR_SLEEP_KINDS];
	unsigned long mark = log_mark();
	struct sleepers s;

	sysctl_hung_task_timeout_secs = 0;
	if (start_sleepers(test, &s, sl, tasks)) {
		msleep_interruptible(2 * TEST_HUNG_TIMEOUT_SECS * 1000 + 500);
		KUNIT_EXPECT_EQ(test, log_count_since(mark, "blocked for more than"), 0);
	}
	sysctl_hung_task_timeout_secs = saved;
	stop_sleepers(test, &s, tasks);
}

static void find_khungtaskd(struct task_struct *p, void *found)
{
	if (strcmp(p->comm, "khungtaskd") == 0)
		*(bool *)found = true;
}

static void khungtaskd_runs_with_a_qemu_sized_default(struct kunit *test)
{
	bool found = false;

	for_each_task(find_khungtaskd, &found);
	KUNIT_EXPECT_TRUE(test, found);
	KUNIT_EXPECT_EQ(test, sysctl_hung_task_timeout_secs, DEFAULT_HUNG_TASK_TIMEOUT);
}

static struct kunit_case hung_task_cases[] = {
	KUNIT_CASE(khungtaskd_runs_with_a_qemu_sized_default),
	KUNIT_CASE(only_plain_uninterruptible_sleep_is_reported_and_once),
	KUNIT_CASE(timeout_zero_turns_the_check_off),
	KUNIT_CASE(a_report_counts_from_khungtaskds_first_look),
	/* Last: its threads stay deadlocked. */
	KUNIT_CASE(abba_deadlock_is_reported_with_both_stacks),
	{},
};
static struct kunit_suite hung_task_suite = {.name = "hung_task", .test_cases = hung_task_cases};
kunit_test_suite(hung_task_suite);
