/* The OOM notifier chain (Linux's oom_notify_list in mm/oom_kill.c): the
 * last callbacks that may give memory back before a task is killed.
 * Read first: the oom.notifier switch decides where the chain runs;
 * "inside" is Linux (out_of_memory under oom_lock), "outside" is the
 * seed-3 patch (the slow path, before oom_lock); both hooks are here and
 * only the one the switch names ever calls the chain. */
#include "kernel/cmdline.h"
#include "kernel/locking/mutex.h"
#include "kernel/notifier.h"
#include "kernel/printk.h"
#include "mm/oom.h"
#include "mm/vmstat.h"

static BLOCKING_NOTIFIER_HEAD(oom_notify_list);

static const char *const oom_notifier_names[] = {"inside", "outside", NULL};
int sysctl_oom_notifier = OOM_NOTIFIER_INSIDE;
core_param_enum(oom_notifier, "oom.notifier", sysctl_oom_notifier, oom_notifier_names,
		"where OOM notifiers run: inside oom_lock (Linux) or outside, before it (seed 3)");

int register_oom_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&oom_notify_list, nb);
}

int unregister_oom_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&oom_notify_list, nb);
}

/* Every page a notifier gives back is one the OOM killer did not have to
 * take: the trace of that decision is this line and oom_notifier_freed. */
unsigned long oom_notify_call(void)
{
	unsigned long freed = 0;

	blocking_notifier_call_chain(&oom_notify_list, 0, &freed);
	if (freed) {
		pr_info("oom_notifier: freed %lu pages", freed);
		count_vm_events(OOM_NOTIFIER_FREED, freed);
	}
	return freed;
}

static enum oom_notifier_place oom_notifier_place(void)
{
	return (enum oom_notifier_place)__atomic_load_n(&sysctl_oom_notifier, __ATOMIC_RELAXED);
}

/* LAB notifier: student begin: write try_oom_notifier() */
/* LAB notifier: begin */
/* The seed-3 patch's try_oom_notifier: one caller at a time, and a task
 * killed while it waits (likely an OOM victim) leaves at once to use its
 * reserves rather than wait for the chain. */
static unsigned long try_oom_notifier(void)
{
	static DEFINE_MUTEX(oom_notifier_lock);
	unsigned long freed;

	if (mutex_lock_killable(&oom_notifier_lock))
		return 0;
	freed = oom_notify_call();
	mutex_unlock(&oom_notifier_lock);
	return freed;
}
/* LAB notifier: end */
#if 0  /* LAB notifier: student stub */
/* TODO (lab notifier): run the OOM notifier chain (oom_notify_call) here,
 * before oom_lock, one caller at a time under a mutex of its own, taken
 * killably: a task killed while it waits returns 0 at once. Return the
 * pages the chain freed. As given, nothing runs outside oom_lock. */
static unsigned long try_oom_notifier(void)
{
	return 0;
}
#endif /* LAB notifier: student end */

bool oom_notify_outside_lock(void)
{
	if (oom_notifier_place() != OOM_NOTIFIER_OUTSIDE)
		return false;
	return try_oom_notifier() > 0;
}

bool oom_notify_inside_lock(void)
{
	if (oom_notifier_place() != OOM_NOTIFIER_INSIDE)
		return false;
	/* As Linux's out_of_memory: "Got some memory back in the last second." */
	return oom_notify_call() > 0;
}
