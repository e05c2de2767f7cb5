/* Completions over a wait queue (Linux's kernel/sched/completion.c). Read
 * first: done is read and consumed under the wait queue's lock. */
#include "kernel/completion.h"

void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}

void complete(struct completion *x)
{
	uint64_t flags;

	spin_lock_irqsave(&x->wait.lock, flags);
	if (x->done != COMPLETION_DONE_ALL)
		x->done++;
	spin_unlock_irqrestore(&x->wait.lock, flags);
	__wake_up(&x->wait, TASK_NORMAL, 1);
}

void complete_all(struct completion *x)
{
	uint64_t flags;

	spin_lock_irqsave(&x->wait.lock, flags);
	x->done = COMPLETION_DONE_ALL;
	spin_unlock_irqrestore(&x->wait.lock, flags);
	__wake_up(&x->wait, TASK_NORMAL, 0);
}

bool try_wait_for_completion(struct completion *x)
{
	uint64_t flags;
	bool got = false;

	spin_lock_irqsave(&x->wait.lock, flags);
	if (x->done) {
		got = true;
		if (x->done != COMPLETION_DONE_ALL)
			x->done--;
	}
	spin_unlock_irqrestore(&x->wait.lock, flags);
	return got;
}

bool completion_done(struct completion *x)
{
	return x->done != 0;
}

static long wait_common(struct completion *x, unsigned int state, long timeout)
{
	struct wait_queue_entry entry;
	long left = timeout;

	init_wait_entry(&entry, WQ_FLAG_EXCLUSIVE);
	for (;;) {
		long intr = prepare_to_wait_event(&x->wait, &entry, state);

		if (try_wait_for_completion(x)) {
			left = left ? left : 1; /* done, even with no time given */
			break;
		}
		if (intr) {
			left = intr;
			break;
		}
		left = schedule_timeout(left);
		if (!left) {
			left = try_wait_for_completion(x) ? 1 : 0;
			break;
		}
	}
	finish_wait(&x->wait, &entry);
	return left;
}

void wait_for_completion(struct completion *x)
{
	wait_common(x, TASK_UNINTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);
}

int wait_for_completion_killable(struct completion *x)
{
	long r = wait_common(x, TASK_KILLABLE, MAX_SCHEDULE_TIMEOUT);

	return r < 0 ? (int)r : 0;
}

int wait_for_completion_interruptible(struct completion *x)
{
	long r = wait_common(x, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT);

	return r < 0 ? (int)r : 0;
}

unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout)
{
	long r = wait_common(x, TASK_UNINTERRUPTIBLE, (long)timeout);

	return r < 0 ? 0 : (unsigned long)r;
}
