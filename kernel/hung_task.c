/* khungtaskd: every hung_task_timeout_secs it looks at each task in D
 * state and reports the ones whose switch count has not moved since it
 * first saw that count, at least the timeout ago (Linux's
 * kernel/hung_task.c). Read first: the clock starts at khungtaskd's first
 * look, not at the task's last switch, so a report says "more than" the
 * timeout, as Linux's does; a task that never ran, sleeps killable or as
 * TASK_IDLE is not suspect. */
#include "kernel/hung_task.h"
#include "kernel/cmdline.h"
#include "kernel/kthread.h"
#include "kernel/lockdep.h"
#include "kernel/printk.h"
#include "kernel/sched_debug.h"
#include "kernel/time.h"
#include "kernel/timer.h"

/* Linux waits 120 s. Under QEMU a test gets 120 s in all, so a stuck one
 * is caught at 30-60 s and its log shows the blocked stacks; the tests'
 * longest deliberate D-state sleeps (msleep of a few seconds, even slowed
 * by TCG) stay well under it. */
long sysctl_hung_task_timeout_secs = DEFAULT_HUNG_TASK_TIMEOUT;
#define HUNG_TASK_TIMEOUT_MAX (24 * 3600)
core_param_int(hung_task_timeout_secs, "hung_task_timeout_secs", sysctl_hung_task_timeout_secs, 0,
	       HUNG_TASK_TIMEOUT_MAX, "report D-state tasks stuck this long (s; 0: off)");

/* How soon a run-time change of the timeout is noticed (the sleep is
 * otherwise exactly to the next check). */
#define HUNG_TASK_POLL_JIFFIES HZ

/* As Linux: only a plain uninterruptible sleep can be a hang; a killable
 * one can still be ended, a TASK_IDLE one is waiting for work. */
static bool task_is_suspect(const struct task_struct *t)
{
	unsigned int state = task_state(t);

	return (state & TASK_UNINTERRUPTIBLE) && !(state & (TASK_WAKEKILL | TASK_NOLOAD));
}

static void report_hung_task(const struct task_struct *t)
{
	pr_err("INFO: task %s:%d blocked for more than %lu seconds.", t->comm, t->pid,
	       (jiffies - t->last_switch_time) / HZ);
	pr_err("      Not tainted");
	pr_err("\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.");
	if (t->blocked_on)
		pr_err("INFO: task %s:%d is blocked on %s", t->comm, t->pid, t->blocked_on);
	sched_show_task(t);
	lockdep_print_held_locks(t);
}

/* The switch count moves whenever the task runs. As Linux's
 * check_hung_task, last_switch_time is the jiffy of the look that first
 * saw this count: with a look every timeout, a task stuck since just after
 * one look is reported two looks later as blocked for the timeout. */
static bool check_hung_task(struct task_struct *t, unsigned long timeout)
{
	unsigned long switch_count = t->nvcsw + t->nivcsw;

	if (!switch_count)
		return false; /* never ran: D is its state before the first wake-up */
	if (switch_count != t->last_switch_count) {
		t->last_switch_count = switch_count;
		t->last_switch_time = jiffies;
		t->hung_reported = false;
		return false;
	}
	if (t->hung_reported || time_before(jiffies, t->last_switch_time + timeout))
		return false;
	t->hung_reported = true;
	report_hung_task(t);
	return true;
}

static void check_hung_uninterruptible_tasks(long timeout_secs)
{
	unsigned long timeout = (unsigned long)timeout_secs * HZ;
	bool reported = false;
	struct task_struct *t;

	preempt_disable();
	for (t = next_task_stable(NULL); t; t = next_task_stable(t))
		if (task_is_suspect(t) && check_hung_task(t, timeout))
			reported = true;
	if (reported)
		debug_show_all_locks();
	preempt_enable();
}

/* Jiffies until the next look is due (<= 0: now), as Linux's
 * hung_timeout_jiffies; the looks stay one timeout apart, which is what a
 * report's "more than N seconds" measures. */
static long hung_timeout_jiffies(unsigned long last_checked, long timeout_secs)
{
	return (long)(last_checked + (unsigned long)timeout_secs * HZ - jiffies);
}

static int watchdog(void *unused)
{
	unsigned long last_checked = jiffies;

	(void)unused;
	for (;;) {
		long timeout = __atomic_load_n(&sysctl_hung_task_timeout_secs, __ATOMIC_RELAXED);
		long wait = timeout > 0 ? hung_timeout_jiffies(last_checked, timeout)
					: HUNG_TASK_POLL_JIFFIES;

		if (wait <= 0) {
			check_hung_uninterruptible_tasks(timeout);
			last_checked = jiffies;
			continue;
		}
		schedule_timeout_interruptible(
			wait < HUNG_TASK_POLL_JIFFIES ? wait : HUNG_TASK_POLL_JIFFIES);
	}
	return 0;
}

void hung_task_init(void)
{
	if (!kthread_run(watchdog, NULL, "khungtaskd"))
		pr_err("hung_task: cannot start khungtaskd");
}
