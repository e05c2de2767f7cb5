/* Blocking notifier chains (Linux's kernel/notifier.c, the blocking kind
 * only). Read first: the chain is a singly linked list kept sorted by
 * priority, walked under the rwsem for read and changed under it for write,
 * so a callback can sleep but must never (un)register on its own chain. */
#include "kernel/notifier.h"
#include "kernel/errno.h"
#include "kernel/kallsyms.h"
#include "kernel/printk.h"

/* As Linux's notifier_chain_register: before the first entry of lower
 * priority, so equal priorities keep their order of registration. */
static int notifier_chain_register(struct notifier_block **nl, struct notifier_block *n)
{
	while (*nl) {
		if (*nl == n) {
			const char *sym =
				kallsyms_lookup((uint64_t)(uintptr_t)n->notifier_call, NULL, NULL);

			pr_warn("notifier callback %s already registered", sym ? sym : "?");
			return -EEXIST;
		}
		if (n->priority > (*nl)->priority)
			break;
		nl = &(*nl)->next;
	}
	n->next = *nl;
	*nl = n;
	return 0;
}

static int notifier_chain_unregister(struct notifier_block **nl, struct notifier_block *n)
{
	for (; *nl; nl = &(*nl)->next) {
		if (*nl == n) {
			*nl = n->next;
			n->next = NULL;
			return 0;
		}
	}
	return -ENOENT;
}

int blocking_notifier_chain_register(struct blocking_notifier_head *nh, struct notifier_block *nb)
{
	int ret;

	down_write(&nh->rwsem);
	ret = notifier_chain_register(&nh->head, nb);
	up_write(&nh->rwsem);
	return ret;
}

int blocking_notifier_chain_unregister(struct blocking_notifier_head *nh, struct notifier_block *nb)
{
	int ret;

	down_write(&nh->rwsem);
	ret = notifier_chain_unregister(&nh->head, nb);
	up_write(&nh->rwsem);
	return ret;
}

int blocking_notifier_call_chain(struct blocking_notifier_head *nh, unsigned long action,
				 void *data)
{
	int ret = NOTIFY_DONE;

	/* As Linux: an empty chain costs no lock (a racing register may be
	 * missed, which a caller of an empty chain cannot tell apart). */
	if (!__atomic_load_n(&nh->head, __ATOMIC_ACQUIRE))
		return ret;
	down_read(&nh->rwsem);
	for (struct notifier_block *nb = nh->head; nb; nb = nb->next) {
		ret = nb->notifier_call(nb, action, data);
		if (ret & NOTIFY_STOP_MASK)
			break;
	}
	up_read(&nh->rwsem);
	return ret;
}
