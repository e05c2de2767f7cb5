/* khungtaskd: every hung_task_timeout_secs it looks at each task in D
 * state and reports the ones that have not been switched since the last
 * look and for longer than the timeout (Linux's kernel/hung_task.c).
 * Read first: the per-task context-switch count is the evidence; a task
 * that never ran, sleeps killable or as TASK_IDLE is not suspect. */
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

/* How soon a run-time change of the timeout is noticed. */
#define HUNG_TASK_POLL_JIFFIES HZ

/* As Linux: only a plain uninterruptible sleep can be a hang; a killable
 * one can still be ended, a TASK_IDLE one is waiting for work. */
static bool task_is_suspect(const struct task_struct *t)
{
	unsigned int state = task_state(t);

	return (state & TASK_UNINTERRUPTIBLE) && !(state & (TASK_WAKEKILL | TASK_NOLOAD));
}

static void report_hung_task(const struct task_struct *t, uint64_t blocked_ns)
{
	pr_err("INFO: task %s:%d blocked for more than %lu seconds.", t->comm, t->pid,
	       (unsigned long)(blocked_ns / NSEC_PER_SEC));
	pr_err("      Not tainted");
	pr_err("\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.");
	if (t->blocked_on)
		pr_err("INFO: task %s:%d is blocked on %s", t->comm, t->pid, t->blocked_on);
	sched_show_task(t);
	lockdep_print_held_locks(t);
}

/* The switch count moves whenever the task runs; last_switch_time is when
 * it last left the CPU (the scheduler keeps it). */
static bool check_hung_task(struct task_struct *t, uint64_t timeout_ns, uint64_t now)
{
	unsigned long switch_count = t->nvcsw + t->nivcsw;

	if (!switch_count)
		return false; /* never ran: D is its state before the first wake-up */
	if (switch_count != t->last_switch_count) {
		t->last_switch_count = switch_count;
		t->hung_reported = false;
		return false;
	}
	if (t->hung_reported || now - t->last_switch_time <= timeout_ns)
		return false;
	t->hung_reported = true;
	report_hung_task(t, now - t->last_switch_time);
	return true;
}

static void check_hung_uninterruptible_tasks(long timeout_secs)
{
	uint64_t timeout_ns = (uint64_t)timeout_secs * NSEC_PER_SEC;
	bool reported = false;
	struct task_struct *t;

	preempt_disable();
	for (t = next_task_stable(NULL); t; t = next_task_stable(t))
		if (task_is_suspect(t) && check_hung_task(t, timeout_ns, ktime_get_ns()))
			reported = true;
	if (reported)
		debug_show_all_locks();
	preempt_enable();
}

static int watchdog(void *unused)
{
	unsigned long last_checked = jiffies;

	(void)unused;
	for (;;) {
		long timeout = __atomic_load_n(&sysctl_hung_task_timeout_secs, __ATOMIC_RELAXED);

		if (timeout > 0 &&
		    time_after_eq(jiffies, last_checked + (unsigned long)timeout * HZ)) {
			check_hung_uninterruptible_tasks(timeout);
			last_checked = jiffies;
		}
		schedule_timeout_interruptible(HUNG_TASK_POLL_JIFFIES);
	}
	return 0;
}

void hung_task_init(void)
{
	if (!kthread_run(watchdog, NULL, "khungtaskd"))
		pr_err("hung_task: cannot start khungtaskd");
}
