/* The mutex (Linux's kernel/locking/mutex.c, without optimistic spinning).
 * Read first: owner and the wait list change only under wait_lock, and a
 * free mutex never has waiters: unlock either clears the owner (nobody
 * waits) or makes the oldest waiter the owner and wakes it. A waiter
 * therefore never competes for the mutex; it only checks whether it has
 * been given it. */
#include "kernel/locking/mutex.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/stacktrace.h"

struct mutex_waiter {
	struct list_head list;
	struct task_struct *task;
	bool granted; /* the unlocker handed us the mutex */
};

void __mutex_init(struct mutex *lock, const char *name, const struct lock_class_key *key)
{
	lock->owner = NULL;
	spin_lock_init(&lock->wait_lock);
	INIT_LIST_HEAD(&lock->wait_list);
	lockdep_init_map(&lock->dep_map, name, key);
}

/* An atomic store: mutex_owner reads owner without wait_lock. */
static void set_owner(struct mutex *lock, struct task_struct *owner)
{
	__atomic_store_n(&lock->owner, owner, __ATOMIC_RELAXED);
}

/* Sleep until an unlocker makes us the owner, or until a signal that
 * state allows ends the wait. Called and returns with wait_lock held.
 *
 * The killable race: the unlocker may hand us the mutex just as SIGKILL
 * arrives. Ownership is checked first, so we keep the mutex and return 0
 * with the signal still pending (Linux also takes the lock before looking
 * at signals); the caller sees fatal_signal_pending at its next check.
 * Giving it back would need a second hand-off from inside the lock path
 * for no gain. */
static int wait_for_handoff(struct mutex *lock, struct mutex_waiter *waiter, unsigned int state)
{
	for (;;) {
		/* Set under wait_lock: an unlocker's wake-up comes after it. */
		set_current_state(state);
		/* Not "owner == current": a task locking a mutex it holds
		 * already must sleep forever (a deadlock, as in Linux, for
		 * lockdep and the hung-task detector to report), not return
		 * with its waiter still queued. */
		if (waiter->granted)
			return 0;
		if (signal_pending_state(state, current)) {
			/* Still queued, so not the owner: nothing to pass on. */
			list_del(&waiter->list);
			return -EINTR;
		}
		spin_unlock(&lock->wait_lock);
		schedule();
		spin_lock(&lock->wait_lock);
	}
}

static int __mutex_lock(struct mutex *lock, unsigned int state, unsigned long ip)
{
	struct mutex_waiter waiter = {.task = current};
	int ret;

	lock_acquire(&lock->dep_map, false, false, ip);
	spin_lock(&lock->wait_lock);
	if (!lock->owner) {
		set_owner(lock, current);
		spin_unlock(&lock->wait_lock);
		return 0;
	}
	list_add_tail(&waiter.list, &lock->wait_list);
	current->blocked_on = lock->dep_map.name;
	ret = wait_for_handoff(lock, &waiter, state);
	current->blocked_on = NULL;
	__set_current_state(TASK_RUNNING);
	spin_unlock(&lock->wait_lock);
	if (ret)
		lock_acquire_failed(&lock->dep_map);
	return ret;
}

void mutex_lock(struct mutex *lock)
{
	__mutex_lock(lock, TASK_UNINTERRUPTIBLE, _RET_IP_);
}

int mutex_lock_killable(struct mutex *lock)
{
	return __mutex_lock(lock, TASK_KILLABLE, _RET_IP_);
}

int mutex_lock_interruptible(struct mutex *lock)
{
	return __mutex_lock(lock, TASK_INTERRUPTIBLE, _RET_IP_);
}

/* Lockdep hears of a trylock only once it succeeded, as in Linux. */
int mutex_trylock(struct mutex *lock)
{
	bool taken;

	spin_lock(&lock->wait_lock);
	taken = lock->owner == NULL;
	if (taken)
		set_owner(lock, current);
	spin_unlock(&lock->wait_lock);
	if (taken)
		lock_acquire(&lock->dep_map, true, false, _RET_IP_);
	return taken;
}

/* As Linux's DEBUG_LOCKS_WARN_ON in mutex_unlock: loud, with a stack. */
static void warn_unlock_not_owner(struct mutex *lock, struct task_struct *owner)
{
	pr_warn("WARNING: bad unlock of mutex %s by %s/%d", lock->dep_map.name, current->comm,
		current->pid);
	pr_warn("DEBUG_LOCKS_WARN_ON(mutex_owner(lock) != current): owner is %s/%d",
		owner ? owner->comm : "none", owner ? owner->pid : 0);
	dump_stack();
}

/* Wake-up under wait_lock: the waiter cannot see itself as owner, return
 * and free its on-stack waiter before we are done with it. */
static void hand_off_or_release(struct mutex *lock)
{
	struct mutex_waiter *next;

	if (list_empty(&lock->wait_list)) {
		set_owner(lock, NULL);
		return;
	}
	next = list_first_entry(&lock->wait_list, struct mutex_waiter, list);
	list_del(&next->list);
	set_owner(lock, next->task);
	next->granted = true;
	wake_up_process(next->task);
}

/* A non-owner's unlock is reported and then carried out, as Linux does;
 * unlocking a free mutex is reported and otherwise ignored. */
void mutex_unlock(struct mutex *lock)
{
	struct task_struct *owner = mutex_owner(lock);

	lock_release(&lock->dep_map, _RET_IP_);
	if (owner != current)
		warn_unlock_not_owner(lock, owner);
	spin_lock(&lock->wait_lock);
	if (lock->owner)
		hand_off_or_release(lock);
	spin_unlock(&lock->wait_lock);
}
