/* Signals at the kernel level: a pending bit per signal, and the wake-up
 * that makes a killable sleep notice SIGKILL (Linux's signal_wake_up).
 * Read first: an uninterruptible sleeper is never woken by a signal; it
 * sees the signal only when it next checks. */
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/x86.h"

#define NSIG 64

int send_sig(int sig, struct task_struct *p)
{
	uint64_t flags;

	if (sig < 1 || sig > NSIG)
		return -EINVAL;
	flags = local_irq_save();
	p->pending_signals |= 1ul << (sig - 1);
	local_irq_restore(flags);
	/* SIGKILL also ends TASK_KILLABLE sleeps; others only interruptible. */
	wake_up_state(p, sig == SIGKILL ? TASK_WAKEKILL | TASK_INTERRUPTIBLE : TASK_INTERRUPTIBLE);
	return 0;
}
