/* Job control: a stop signal stops the whole process, SIGCONT resumes it,
 * and the parent learns of both through SIGCHLD and wait4 (Linux's
 * do_signal_stop, the stop/continue half of prepare_signal and
 * do_notify_parent_cldstop, in kernel/signal.c). Read first: the state is
 * the leader's, for the process; each thread stops itself in TASK_STOPPED
 * on its way back to user mode, where only SIGCONT or SIGKILL wakes it. */
#include "kernel/preempt.h"
#include "kernel/signal.h"
#include "kernel/wait.h"
#include "kernel/x86.h"

#define STOP_SIGNALS (sigmask(SIGSTOP) | sigmask(SIGTSTP) | sigmask(SIGTTIN) | sigmask(SIGTTOU))
#define SA_NOCLDSTOP 0x00000001ul
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

bool sig_kernel_stop(int sig)
{
	return sig >= 1 && sig <= _NSIG && (sigmask(sig) & STOP_SIGNALS);
}

/* fn on the leader and every other thread of p's process. Interrupts
 * off (one CPU): the thread list holds still. */
static void for_each_thread_of(struct task_struct *p, void (*fn)(struct task_struct *, void *),
			       void *arg)
{
	struct task_struct *leader = p->group_leader ? p->group_leader : p, *t;
	uint64_t flags = local_irq_save();

	fn(leader, arg);
	list_for_each_entry(t, &leader->thread_group, thread_group)
		fn(t, arg);
	local_irq_restore(flags);
}

/* As Linux's do_notify_parent_cldstop: SIGCHLD (unless the parent asked
 * for SA_NOCLDSTOP) and a wake-up for its wait4. */
static void notify_parent_cldstop(struct task_struct *leader, int why)
{
	struct task_struct *parent = leader->parent;
	const struct kernel_siginfo info = {.si_code = why, .si_pid = leader->tgid};

	if (!parent)
		return;
	if (parent->sighand && !(parent->sighand->action[SIGCHLD - 1].flags & SA_NOCLDSTOP))
		send_sig_info(SIGCHLD, &info, parent);
	wake_up_all(parent->group_leader->wait_chldexit);
}

static void drop_pending_cont(struct task_struct *t, void *unused)
{
	t->pending_signals &= ~sigmask(SIGCONT);
}

static void drop_pending_stops(struct task_struct *t, void *unused)
{
	t->pending_signals &= ~STOP_SIGNALS;
	t->jobctl_stop_pending = false;
}

static void wake_stopped(struct task_struct *t, void *unused)
{
	wake_up_state(t, __TASK_STOPPED);
}

/* As Linux's prepare_signal, at send time and whatever the action: a
 * stop signal cancels a pending SIGCONT; SIGCONT cancels pending stops
 * and resumes a stopped process, even if SIGCONT itself is ignored. */
void prepare_signal_stop_cont(int sig, struct task_struct *p)
{
	struct task_struct *leader = p->group_leader ? p->group_leader : p;
	bool was_stopped;
	uint64_t flags;

	if (!p->sighand || (p->flags & PF_KTHREAD))
		return;
	if (sig_kernel_stop(sig)) {
		for_each_thread_of(p, drop_pending_cont, NULL);
		return;
	}
	if (sig != SIGCONT)
		return;
	flags = local_irq_save();
	for_each_thread_of(p, drop_pending_stops, NULL);
	was_stopped = leader->group_stopped;
	leader->group_stopped = false;
	leader->group_stop_code = 0;
	leader->group_stop_count = 0;
	if (was_stopped)
		leader->group_continued = true;
	local_irq_restore(flags);
	if (!was_stopped)
		return;
	for_each_thread_of(p, wake_stopped, NULL);
	notify_parent_cldstop(leader, CLD_CONTINUED);
}

/* As Linux's do_signal_stop tail: current is one more thread stopped;
 * the last of them tells the parent (so a wait4 that reports the stop
 * never sees a thread still running). Then sleep in TASK_STOPPED until
 * the process is continued or killed. */
void do_jobctl_stop(void)
{
	struct task_struct *leader = current->group_leader;
	bool notify;
	uint64_t flags;

	preempt_disable();
	flags = local_irq_save();
	notify = current->jobctl_stop_pending && leader->group_stopped &&
		 --leader->group_stop_count == 0;
	current->jobctl_stop_pending = false;
	set_current_state(TASK_STOPPED);
	local_irq_restore(flags);
	if (notify)
		notify_parent_cldstop(leader, CLD_STOPPED);
	preempt_enable_no_resched();
	while (__atomic_load_n(&leader->group_stopped, __ATOMIC_SEQ_CST) &&
	       !fatal_signal_pending(current)) {
		schedule();
		set_current_state(TASK_STOPPED);
	}
	__set_current_state(TASK_RUNNING);
}

/* A thread that exits while asked to stop counts as stopped (as Linux's
 * exit_signals), or the stop would never be complete. */
void jobctl_exit(struct task_struct *p)
{
	struct task_struct *leader = p->group_leader;
	bool notify = false;
	uint64_t flags = local_irq_save();

	if (p->jobctl_stop_pending && leader->group_stopped)
		notify = --leader->group_stop_count == 0;
	p->jobctl_stop_pending = false;
	local_irq_restore(flags);
	if (notify)
		notify_parent_cldstop(leader, CLD_STOPPED);
}

static void ask_to_stop(struct task_struct *t, void *arg)
{
	struct task_struct *leader = arg;

	if (!t->exit_state) {
		t->jobctl_stop_pending = true;
		leader->group_stop_count++;
	}
}

static void kick_to_stop(struct task_struct *t, void *unused)
{
	if (t != current && !t->exit_state)
		wake_up_state(t, TASK_INTERRUPTIBLE);
}

/* As Linux's do_signal_stop: current took a stop signal whose action is
 * the default. The first thread to take one stops the process: every
 * live thread is asked to stop (one in an interruptible sleep is woken
 * for it, and its system call ends with EINTR: there is no restart), and
 * the last to stop tells the parent. A process that is exiting does not
 * stop. */
void do_signal_stop(int sig)
{
	struct task_struct *leader = current->group_leader;
	bool first = false;
	uint64_t flags = local_irq_save();

	if (!leader->group_exiting && !leader->group_stopped) {
		leader->group_stopped = true;
		leader->group_stop_code = sig;
		leader->group_continued = false;
		leader->group_stop_count = 0;
		for_each_thread_of(current, ask_to_stop, leader);
		first = true;
	}
	local_irq_restore(flags);
	if (first)
		for_each_thread_of(current, kick_to_stop, NULL);
	if (current->jobctl_stop_pending)
		do_jobctl_stop();
}
