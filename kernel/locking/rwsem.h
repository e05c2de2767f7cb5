/* Reader-writer semaphores with Linux's API (include/linux/rwsem.h): many
 * readers or one writer. Read first: once anyone waits, newcomers queue
 * behind them, readers too, so a waiting writer is never starved; the
 * lock is granted from the head of the FIFO queue, never taken by a
 * newcomer from under a woken waiter. */
#ifndef OOMLAB_KERNEL_LOCKING_RWSEM_H
#define OOMLAB_KERNEL_LOCKING_RWSEM_H
#include "kernel/list.h"
#include "kernel/lockdep.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include <stdbool.h>

/* Linux packs readers, writer and flags into one atomic count; here they
 * are two plain fields, changed only under wait_lock. */
struct rw_semaphore {
	unsigned long readers;	    /* tasks holding it for read */
	struct task_struct *owner;  /* the writer holding it, or NULL */
	spinlock_t wait_lock;	    /* guards all of the above and below */
	struct list_head wait_list; /* struct rwsem_waiter, oldest first */
	struct lockdep_map dep_map;
};

/* No class key: lockdep makes a statically declared lock its own class. */
#define __RWSEM_INITIALIZER(lockname)                                                      \
	{                                                                                  \
		.readers = 0, .owner = NULL,                                               \
		.wait_lock = __SPIN_LOCK_UNLOCKED(lockname.wait_lock),                     \
		.wait_list = LIST_HEAD_INIT(lockname.wait_list), .dep_map.name = #lockname \
	}
#define DECLARE_RWSEM(name) struct rw_semaphore name = __RWSEM_INITIALIZER(name)

void __init_rwsem(struct rw_semaphore *sem, const char *name, const struct lock_class_key *key);
/* One lock class per call site, as Linux's init_rwsem. */
#define init_rwsem(sem)                             \
	do {                                        \
		static struct lock_class_key __key; \
		__init_rwsem((sem), #sem, &__key);  \
	} while (0)

/* Sleep in TASK_UNINTERRUPTIBLE (D state): no signal ends the wait. */
void down_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
/* 0 when taken; -EINTR when SIGKILL ended the wait (TASK_KILLABLE). */
int down_read_killable(struct rw_semaphore *sem) __attribute__((warn_unused_result));
int down_write_killable(struct rw_semaphore *sem) __attribute__((warn_unused_result));
/* 0 when taken; -EINTR when any signal ended the wait. */
int down_read_interruptible(struct rw_semaphore *sem) __attribute__((warn_unused_result));
/* 1 when taken, 0 when it would have to wait; never sleeps. A reader's
 * trylock fails while anyone is queued, as down_read would queue. */
int down_read_trylock(struct rw_semaphore *sem);
int down_write_trylock(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
/* The writer becomes a reader without letting another writer in between;
 * queued readers at the head of the queue join it. */
void downgrade_write(struct rw_semaphore *sem);

static inline bool rwsem_is_locked(struct rw_semaphore *sem)
{
	return __atomic_load_n(&sem->readers, __ATOMIC_RELAXED) != 0 ||
	       __atomic_load_n(&sem->owner, __ATOMIC_RELAXED) != NULL;
}
#endif
