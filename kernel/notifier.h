/* Notifier chains (Linux's include/linux/notifier.h): a list of callbacks,
 * highest priority first, that a subsystem calls when something happens.
 * Read first: a blocking chain's callbacks run under the head's rwsem held
 * for read, so they may sleep, and registering waits for every call in
 * flight; a callback whose result has NOTIFY_STOP_MASK set ends the walk. */
#ifndef OOMLAB_KERNEL_NOTIFIER_H
#define OOMLAB_KERNEL_NOTIFIER_H
#include "kernel/locking/rwsem.h"

struct notifier_block;
typedef int (*notifier_fn_t)(struct notifier_block *nb, unsigned long action, void *data);

struct notifier_block {
	notifier_fn_t notifier_call;
	struct notifier_block *next; /* the chain's own link: leave it alone */
	int priority;		     /* higher runs earlier; equal ones in order of registration */
};

struct blocking_notifier_head {
	struct rw_semaphore rwsem; /* read: a call walks the chain; write: (un)registering */
	struct notifier_block *head;
};

#define BLOCKING_NOTIFIER_INIT(name)                                   \
	{                                                              \
		.rwsem = __RWSEM_INITIALIZER(name.rwsem), .head = NULL \
	}
#define BLOCKING_NOTIFIER_HEAD(name) \
	struct blocking_notifier_head name = BLOCKING_NOTIFIER_INIT(name)
#define BLOCKING_INIT_NOTIFIER_HEAD(nh)   \
	do {                              \
		init_rwsem(&(nh)->rwsem); \
		(nh)->head = NULL;        \
	} while (0)

/* What a callback returns (Linux's values, so notifier_to_errno works). */
#define NOTIFY_DONE 0x0000	/* not interested */
#define NOTIFY_OK 0x0001	/* handled */
#define NOTIFY_STOP_MASK 0x8000 /* stop calling the rest of the chain */
#define NOTIFY_BAD (NOTIFY_STOP_MASK | 0x0002)
#define NOTIFY_STOP (NOTIFY_OK | NOTIFY_STOP_MASK)

/* 0, or -EEXIST when nb is on the chain already (reported, not added twice). */
int blocking_notifier_chain_register(struct blocking_notifier_head *nh, struct notifier_block *nb);
/* 0, or -ENOENT when nb is not on the chain. */
int blocking_notifier_chain_unregister(struct blocking_notifier_head *nh,
				       struct notifier_block *nb);
/* Calls every callback with (action, data) until one returns a result with
 * NOTIFY_STOP_MASK; returns the last result, NOTIFY_DONE for an empty
 * chain. Sleeps: task context only. */
int blocking_notifier_call_chain(struct blocking_notifier_head *nh, unsigned long action,
				 void *data);

/* An errno carried through a notifier result and back, as Linux's. */
static inline int notifier_from_errno(int err)
{
	return err ? NOTIFY_STOP_MASK | (NOTIFY_OK - err) : NOTIFY_OK;
}
static inline int notifier_to_errno(int ret)
{
	ret &= ~NOTIFY_STOP_MASK;
	return ret > NOTIFY_OK ? NOTIFY_OK - ret : 0;
}
#endif
