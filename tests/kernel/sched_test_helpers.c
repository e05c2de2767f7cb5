/* Kernel threads for the scheduler and lock suites (see the header). Read
 * first: joining waits on the thread's own exit completion, which
 * kthread() signals just before the thread function's result goes to
 * do_exit; kthread_stop then returns at once. */
#include "tests/kernel/sched_test_helpers.h"
#include "kernel/kthread.h"
#include "kernel/timer.h"

struct task_struct *test_thread_run(int (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *p = kthread_create(fn, arg, "%s", name);

	if (!p)
		return NULL;
	/* Pinned before it can run, so it cannot be freed under us. */
	get_task_struct(p);
	wake_up_process(p);
	return p;
}

bool test_thread_join(struct task_struct *p, unsigned int timeout_ms, int *result)
{
	int ret;

	if (!wait_for_completion_timeout(&p->kthread->exited, msecs_to_jiffies(timeout_ms)))
		return false;
	ret = kthread_stop(p);
	if (result)
		*result = ret;
	put_task_struct(p);
	return true;
}

bool wait_for_task_state(struct task_struct *p, unsigned int state, unsigned int timeout_ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);

	while (task_state(p) != state) {
		if (time_after(jiffies, deadline))
			return false;
		schedule_timeout_uninterruptible(1);
	}
	return true;
}
