/* Wait queues and the wait_event family (Linux's include/linux/wait.h).
 * Read first: a waiter queues itself, sets its state, re-checks the
 * condition and only then sleeps; the waker changes the condition before
 * calling wake_up. That order is what makes wake-ups impossible to lose. */
#ifndef OOMLAB_KERNEL_WAIT_H
#define OOMLAB_KERNEL_WAIT_H
#include "kernel/errno.h"
#include "kernel/list.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"

#define WQ_FLAG_EXCLUSIVE 0x01
#define MAX_SCHEDULE_TIMEOUT 0x7fffffffffffffffl

struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry, unsigned int mode);

struct wait_queue_entry {
	unsigned int flags;
	struct task_struct *private;
	wait_queue_func_t func;
	struct list_head entry;
};

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name)                      \
	{                                                        \
		.lock = {0}, .head = LIST_HEAD_INIT((name).head) \
	}
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

void init_waitqueue_head(struct wait_queue_head *wq_head);
void init_wait_entry(struct wait_queue_entry *wq_entry, unsigned int flags);
int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode);
int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode);
void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
void remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
/* Queue, set the state; returns -ERESTARTSYS when a signal ends the wait. */
long prepare_to_wait_event(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
			   unsigned int state);
void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
/* Wake nr_exclusive exclusive waiters (0: all) and every non-exclusive one. */
void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive);
bool waitqueue_active(struct wait_queue_head *wq_head);

#define wake_up(x) __wake_up(x, TASK_NORMAL, 1)
#define wake_up_all(x) __wake_up(x, TASK_NORMAL, 0)
#define wake_up_interruptible(x) __wake_up(x, TASK_INTERRUPTIBLE, 1)
#define wake_up_interruptible_all(x) __wake_up(x, TASK_INTERRUPTIBLE, 0)

long schedule_timeout(long timeout);

/* The one loop behind every wait_event form: sleep in state until
 * condition holds, a signal the state allows arrives (-ERESTARTSYS), or
 * timeout jiffies pass. Evaluates to the remaining time (at least 1 when
 * the condition came true, 0 on timeout) or the error. */
#define ___wait_event(wq_head, condition, state, timeout)                                      \
	({                                                                                     \
		long __ret = (timeout);                                                        \
		struct wait_queue_entry __wq_entry;                                            \
		init_wait_entry(&__wq_entry, 0);                                               \
		for (;;) {                                                                     \
			long __intr = prepare_to_wait_event(&(wq_head), &__wq_entry, (state)); \
			if (condition) {                                                       \
				__ret = __ret ? __ret : 1;                                     \
				break;                                                         \
			}                                                                      \
			if (__intr) {                                                          \
				__ret = __intr;                                                \
				break;                                                         \
			}                                                                      \
			__ret = schedule_timeout(__ret);                                       \
			if (!__ret) {                                                          \
				__ret = (condition) ? 1 : 0;                                   \
				break;                                                         \
			}                                                                      \
		}                                                                              \
		finish_wait(&(wq_head), &__wq_entry);                                          \
		__ret;                                                                         \
	})

#define wait_event(wq, cond) \
	((void)___wait_event(wq, cond, TASK_UNINTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT))
#define wait_event_idle(wq, cond) ((void)___wait_event(wq, cond, TASK_IDLE, MAX_SCHEDULE_TIMEOUT))
#define wait_event_timeout(wq, cond, timeout) ___wait_event(wq, cond, TASK_UNINTERRUPTIBLE, timeout)
/* The signal-aware forms return 0 when the condition holds. */
#define wait_event_interruptible(wq, cond)                                                    \
	({                                                                                    \
		long __r = ___wait_event(wq, cond, TASK_INTERRUPTIBLE, MAX_SCHEDULE_TIMEOUT); \
		__r < 0 ? (int)__r : 0;                                                       \
	})
#define wait_event_killable(wq, cond)                                                    \
	({                                                                               \
		long __r = ___wait_event(wq, cond, TASK_KILLABLE, MAX_SCHEDULE_TIMEOUT); \
		__r < 0 ? (int)__r : 0;                                                  \
	})
#define wait_event_interruptible_timeout(wq, cond, timeout) \
	___wait_event(wq, cond, TASK_INTERRUPTIBLE, timeout)
#define wait_event_killable_timeout(wq, cond, timeout) \
	___wait_event(wq, cond, TASK_KILLABLE, timeout)
#endif
