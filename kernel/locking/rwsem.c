/* Reader-writer semaphores (Linux's kernel/locking/rwsem.c, without the
 * atomic fast paths and optimistic spinning). Read first: every change
 * that may make room (a release, a downgrade, a waiter giving up) calls
 * rwsem_wake, which grants the lock to waiters from the head of the queue
 * for as long as each one fits: one writer, or the run of readers up to
 * the first queued writer. A waiter only checks whether it was granted.
 *
 * Linux differs on readers: it wakes every queued reader (up to 256),
 * also those queued behind a writer. We wake only the run at the head, so
 * the queue is strictly FIFO: a reader that came after a waiting writer
 * gets in after that writer, never before. */
#include "kernel/locking/rwsem.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/stacktrace.h"

enum rwsem_waiter_type { RWSEM_WAITING_FOR_WRITE, RWSEM_WAITING_FOR_READ };

struct rwsem_waiter {
	struct list_head list;
	struct task_struct *task;
	enum rwsem_waiter_type type;
	bool granted; /* set by rwsem_wake, under wait_lock */
};

void __init_rwsem(struct rw_semaphore *sem, const char *name, const struct lock_class_key *key)
{
	sem->readers = 0;
	sem->owner = NULL;
	spin_lock_init(&sem->wait_lock);
	INIT_LIST_HEAD(&sem->wait_list);
	lockdep_init_map(&sem->dep_map, name, key);
}

/* rwsem_is_locked reads these without wait_lock. */
static void set_readers(struct rw_semaphore *sem, unsigned long readers)
{
	__atomic_store_n(&sem->readers, readers, __ATOMIC_RELAXED);
}
static void set_owner(struct rw_semaphore *sem, struct task_struct *owner)
{
	__atomic_store_n(&sem->owner, owner, __ATOMIC_RELAXED);
}

/* Does the lock as it is held now admit one more of this type? */
static bool rwsem_fits(const struct rw_semaphore *sem, enum rwsem_waiter_type type)
{
	if (type == RWSEM_WAITING_FOR_WRITE)
		return sem->owner == NULL && sem->readers == 0;
	return sem->owner == NULL;
}

static void rwsem_take(struct rw_semaphore *sem, enum rwsem_waiter_type type,
		       struct task_struct *task)
{
	if (type == RWSEM_WAITING_FOR_WRITE)
		set_owner(sem, task);
	else
		set_readers(sem, sem->readers + 1);
}

/* Grant from the head while it fits. Wake-ups happen under wait_lock, so
 * a granted waiter cannot return and free its on-stack waiter before we
 * are done with it. */
static void rwsem_wake(struct rw_semaphore *sem)
{
	while (!list_empty(&sem->wait_list)) {
		struct rwsem_waiter *waiter =
			list_first_entry(&sem->wait_list, struct rwsem_waiter, list);

		if (!rwsem_fits(sem, waiter->type))
			return;
		rwsem_take(sem, waiter->type, waiter->task);
		list_del(&waiter->list);
		waiter->granted = true;
		wake_up_process(waiter->task);
	}
}

/* Sleep until granted, or until a signal that state allows ends the wait.
 * Called and returns with wait_lock held. As with the mutex, a grant that
 * races with SIGKILL wins: we keep the lock, return 0, and the signal
 * stays pending for the caller's next check. */
static int rwsem_wait(struct rw_semaphore *sem, struct rwsem_waiter *waiter, unsigned int state)
{
	for (;;) {
		set_current_state(state);
		if (waiter->granted)
			return 0;
		if (signal_pending_state(state, current)) {
			list_del(&waiter->list);
			/* A writer leaving the head may let readers behind it in. */
			rwsem_wake(sem);
			return -EINTR;
		}
		spin_unlock(&sem->wait_lock);
		schedule();
		spin_lock(&sem->wait_lock);
	}
}

static int rwsem_down(struct rw_semaphore *sem, enum rwsem_waiter_type type, unsigned int state,
		      unsigned long ip)
{
	struct rwsem_waiter waiter = {.task = current, .type = type, .granted = false};
	int ret;

	lock_acquire(&sem->dep_map, false, type == RWSEM_WAITING_FOR_READ, ip);
	spin_lock(&sem->wait_lock);
	/* Only when nobody waits: a queued writer keeps new readers out. */
	if (list_empty(&sem->wait_list) && rwsem_fits(sem, type)) {
		rwsem_take(sem, type, current);
		spin_unlock(&sem->wait_lock);
		return 0;
	}
	list_add_tail(&waiter.list, &sem->wait_list);
	current->blocked_on = sem->dep_map.name;
	ret = rwsem_wait(sem, &waiter, state);
	current->blocked_on = NULL;
	__set_current_state(TASK_RUNNING);
	spin_unlock(&sem->wait_lock);
	if (ret)
		lock_acquire_failed(&sem->dep_map);
	return ret;
}

void down_read(struct rw_semaphore *sem)
{
	rwsem_down(sem, RWSEM_WAITING_FOR_READ, TASK_UNINTERRUPTIBLE, _RET_IP_);
}

int down_read_killable(struct rw_semaphore *sem)
{
	return rwsem_down(sem, RWSEM_WAITING_FOR_READ, TASK_KILLABLE, _RET_IP_);
}

int down_read_interruptible(struct rw_semaphore *sem)
{
	return rwsem_down(sem, RWSEM_WAITING_FOR_READ, TASK_INTERRUPTIBLE, _RET_IP_);
}

void down_write(struct rw_semaphore *sem)
{
	rwsem_down(sem, RWSEM_WAITING_FOR_WRITE, TASK_UNINTERRUPTIBLE, _RET_IP_);
}

int down_write_killable(struct rw_semaphore *sem)
{
	return rwsem_down(sem, RWSEM_WAITING_FOR_WRITE, TASK_KILLABLE, _RET_IP_);
}

static bool rwsem_trylock(struct rw_semaphore *sem, enum rwsem_waiter_type type)
{
	bool taken;

	spin_lock(&sem->wait_lock);
	taken = list_empty(&sem->wait_list) && rwsem_fits(sem, type);
	if (taken)
		rwsem_take(sem, type, current);
	spin_unlock(&sem->wait_lock);
	return taken;
}

/* Lockdep hears of a trylock only once it succeeded, as in Linux. */
int down_read_trylock(struct rw_semaphore *sem)
{
	if (!rwsem_trylock(sem, RWSEM_WAITING_FOR_READ))
		return 0;
	lock_acquire(&sem->dep_map, true, true, _RET_IP_);
	return 1;
}

int down_write_trylock(struct rw_semaphore *sem)
{
	if (!rwsem_trylock(sem, RWSEM_WAITING_FOR_WRITE))
		return 0;
	lock_acquire(&sem->dep_map, true, false, _RET_IP_);
	return 1;
}

/* As Linux's DEBUG_RWSEMS_WARN_ON: loud, with a stack. */
static void warn_bad_release(struct rw_semaphore *sem, const char *what)
{
	pr_warn("WARNING: bad %s of rwsem %s by %s/%d", what, sem->dep_map.name, current->comm,
		current->pid);
	pr_warn("DEBUG_RWSEMS_WARN_ON: readers %lu, writer %s", sem->readers,
		sem->owner ? sem->owner->comm : "none");
	dump_stack();
}

void up_read(struct rw_semaphore *sem)
{
	lock_release(&sem->dep_map, _RET_IP_);
	spin_lock(&sem->wait_lock);
	if (sem->readers == 0) {
		spin_unlock(&sem->wait_lock);
		warn_bad_release(sem, "up_read");
		return;
	}
	set_readers(sem, sem->readers - 1);
	rwsem_wake(sem);
	spin_unlock(&sem->wait_lock);
}

/* A non-owner's up_write is reported and then carried out, as Linux. */
void up_write(struct rw_semaphore *sem)
{
	lock_release(&sem->dep_map, _RET_IP_);
	if (__atomic_load_n(&sem->owner, __ATOMIC_RELAXED) != current)
		warn_bad_release(sem, "up_write");
	spin_lock(&sem->wait_lock);
	if (sem->owner) {
		set_owner(sem, NULL);
		rwsem_wake(sem);
	}
	spin_unlock(&sem->wait_lock);
}

/* Our lockdep has no lock_downgrade: the write hold is released and a
 * read hold recorded as a trylock, which teaches no new order (nothing
 * was waited for). */
void downgrade_write(struct rw_semaphore *sem)
{
	spin_lock(&sem->wait_lock);
	if (sem->owner != current) {
		spin_unlock(&sem->wait_lock);
		warn_bad_release(sem, "downgrade_write");
		return;
	}
	set_owner(sem, NULL);
	set_readers(sem, 1);
	rwsem_wake(sem);
	spin_unlock(&sem->wait_lock);
	lock_release(&sem->dep_map, _RET_IP_);
	lock_acquire(&sem->dep_map, true, true, _RET_IP_);
}
