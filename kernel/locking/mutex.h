/* Sleeping mutual exclusion with Linux's API (include/linux/mutex.h).
 * Read first: unlock hands the mutex straight to the oldest waiter (the
 * owner changes before that waiter even runs), so waiters are served in
 * FIFO order and a newcomer can never take it from under them. */
#ifndef OOMLAB_KERNEL_LOCKING_MUTEX_H
#define OOMLAB_KERNEL_LOCKING_MUTEX_H
#include "kernel/list.h"
#include "kernel/lockdep.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include <stdbool.h>

struct mutex {
	struct task_struct *owner;  /* NULL when free */
	spinlock_t wait_lock;	    /* guards owner and wait_list */
	struct list_head wait_list; /* struct mutex_waiter, oldest first */
	struct lockdep_map dep_map;
};

/* No class key: lockdep makes a statically defined lock its own class,
 * as Linux's does. */
#define __MUTEX_INITIALIZER(lockname)                                                      \
	{                                                                                  \
		.owner = NULL, .wait_lock = __SPIN_LOCK_UNLOCKED(lockname.wait_lock),      \
		.wait_list = LIST_HEAD_INIT(lockname.wait_list), .dep_map.name = #lockname \
	}
#define DEFINE_MUTEX(mutexname) struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)

void __mutex_init(struct mutex *lock, const char *name, const struct lock_class_key *key);
/* One lock class per call site, as Linux's mutex_init. */
#define mutex_init(mutex)                              \
	do {                                           \
		static struct lock_class_key __key;    \
		__mutex_init((mutex), #mutex, &__key); \
	} while (0)

/* Sleeps in TASK_UNINTERRUPTIBLE (D state): no signal ends the wait. */
void mutex_lock(struct mutex *lock);
/* 0 when taken; -EINTR when SIGKILL ended the wait (TASK_KILLABLE). */
int mutex_lock_killable(struct mutex *lock) __attribute__((warn_unused_result));
/* 0 when taken; -EINTR when any signal ended the wait. */
int mutex_lock_interruptible(struct mutex *lock) __attribute__((warn_unused_result));
/* 1 when taken, 0 when held by anyone (the caller too); never sleeps. */
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);

static inline struct task_struct *mutex_owner(struct mutex *lock)
{
	return __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
}
static inline bool mutex_is_locked(struct mutex *lock)
{
	return mutex_owner(lock) != NULL;
}
#endif
