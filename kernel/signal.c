/* Signals: sending, default actions, handlers and rt_sigreturn (Linux's
 * kernel/signal.c and arch/x86/kernel/signal.c, a subset). Read first:
 * sending only marks the signal pending and wakes the sleeps that allow
 * it; the work happens in exit_to_user_mode, on the way back to user space. */
#include "kernel/signal.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/slab.h"

void do_group_exit(int code) __attribute__((noreturn));

/* As Linux's allow_signal: a kernel thread opts in to being woken and
 * told about sig (it still never runs a handler). */
void allow_signal(int sig)
{
	if (sig >= 1 && sig <= _NSIG)
		current->kthread_signals |= sigmask(sig);
}

struct sighand_struct *sighand_alloc(void)
{
	struct sighand_struct *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (s)
		s->count = 1;
	return s;
}

struct sighand_struct *sighand_copy(const struct sighand_struct *old)
{
	struct sighand_struct *s = sighand_alloc();

	if (s && old)
		memcpy(s->action, old->action, sizeof(s->action));
	return s;
}

void sighand_put(struct sighand_struct *sighand)
{
	if (sighand && __atomic_sub_fetch(&sighand->count, 1, __ATOMIC_SEQ_CST) == 0)
		kfree(sighand);
}

void flush_signal_handlers(struct task_struct *p)
{
	for (int i = 0; i < _NSIG; i++) {
		struct k_sigaction *ka = &p->sighand->action[i];

		if (ka->handler != SIG_IGN)
			memset(ka, 0, sizeof(*ka));
	}
}

static bool sig_default_ignored(int sig);

/* As Linux's sig_ignored: a signal whose action is to ignore it is dropped
 * when sent (unless blocked, as it might be unblocked with a handler set).
 * Kernel threads ignore every signal but SIGKILL. */
static bool sig_ignored(const struct task_struct *p, int sig)
{
	unsigned long handler;

	if (sig == SIGKILL)
		return false;
	if (!p->sighand)
		return !(p->kthread_signals & sigmask(sig));
	if (p->blocked & sigmask(sig))
		return false;
	handler = p->sighand->action[sig - 1].handler;
	return handler == SIG_IGN || (handler == SIG_DFL && sig_default_ignored(sig));
}

int send_sig_info(int sig, const struct kernel_siginfo *info, struct task_struct *p)
{
	uint64_t flags;

	if (sig < 1 || sig > _NSIG)
		return -EINVAL;
	prepare_signal_stop_cont(sig, p);
	if (sig_ignored(p, sig))
		return 0;
	flags = local_irq_save();
	/* As Linux's legacy signals: while pending, a second send is merged
	 * into the first, whose info stands. */
	if (!sigismember_pending(p, sig)) {
		p->pending_info[sig - 1] = *info;
		p->pending_info[sig - 1].si_signo = sig;
		p->pending_signals |= sigmask(sig);
	}
	local_irq_restore(flags);
	/* SIGKILL also ends TASK_KILLABLE sleeps; others only interruptible. */
	wake_up_state(p, sig == SIGKILL ? TASK_WAKEKILL | TASK_INTERRUPTIBLE : TASK_INTERRUPTIBLE);
	return 0;
}

int send_sig(int sig, struct task_struct *p)
{
	const struct kernel_siginfo info = {.si_code = SI_KERNEL};

	return send_sig_info(sig, &info, p);
}

/* What a signal sent by a system call from current says about its sender. */
static struct kernel_siginfo user_siginfo(int code)
{
	return (struct kernel_siginfo){.si_code = code, .si_pid = current->tgid, .si_uid = 0};
}

/* A live thread of p's process to take a process-wide signal: the
 * leader, or another thread when the leader has already exited (as
 * Linux's complete_signal picks one). NULL: the whole process is gone. */
static struct task_struct *live_thread(struct task_struct *p)
{
	struct task_struct *leader = p->group_leader ? p->group_leader : p, *t, *found = NULL;

	if (!leader->exit_state)
		return leader;
	preempt_disable(); /* one CPU: the thread list holds still */
	list_for_each_entry(t, &leader->thread_group, thread_group) {
		if (!t->exit_state) {
			found = t;
			break;
		}
	}
	preempt_enable();
	return found;
}

/* As Linux's check_kill_permission, together with the kernel-thread rule
 * of its sig_task_ignored: the one answer to "may a signal sent on
 * behalf of user space reach p?" that every such sender asks (kill,
 * tgkill, tkill, the console's Ctrl-C, the OOM killer's kill). A kernel
 * thread takes only what it asked for with allow_signal: a SIGKILL it
 * never expected would stay pending and keep it runnable for good.
 * sig 0 (a probe) only asks whether p is there. */
int check_kill_permission(int sig, const struct task_struct *p)
{
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (!p || p->exit_state)
		return -ESRCH;
	if (sig && (p->flags & PF_KTHREAD) && !(p->kthread_signals & sigmask(sig)))
		return -EPERM;
	return 0;
}

int kill_pid(int pid, int sig)
{
	struct task_struct *p = find_task_by_pid(pid);
	struct kernel_siginfo info;
	int err;

	if (!p || !(p = live_thread(p)))
		return -ESRCH;
	err = check_kill_permission(sig, p);
	if (err || sig == 0)
		return err;
	/* A thread in execve outlives the siblings it is killing; a SIGKILL
	 * for the process must reach it too. */
	info = user_siginfo(SI_USER);
	if (sig == SIGKILL && p->group_leader && p->group_leader->group_exec_task &&
	    p->group_leader->group_exec_task != p)
		send_sig_info(sig, &info, p->group_leader->group_exec_task);
	return send_sig_info(sig, &info, p);
}

struct zap_ctx {
	struct task_struct *p;
};

static void zap_one(struct task_struct *t, void *arg)
{
	struct zap_ctx *ctx = arg;

	if (t != ctx->p && t->tgid == ctx->p->tgid && !t->exit_state) {
		t->pending_signals |= sigmask(SIGKILL);
		wake_up_state(t, TASK_WAKEKILL | TASK_INTERRUPTIBLE);
	}
}

void zap_other_threads(struct task_struct *p)
{
	struct zap_ctx ctx = {p};

	for_each_task(zap_one, &ctx);
}

/* Would sig take its default action (or be ignored) in p? Fault
 * reporting asks this, as Linux's unhandled_signal does. */
bool unhandled_signal(const struct task_struct *p, int sig)
{
	unsigned long handler;

	if (!p->sighand)
		return true;
	handler = p->sighand->action[sig - 1].handler;
	return handler == SIG_DFL || handler == SIG_IGN;
}

static void force_sig_info(const struct kernel_siginfo *info)
{
	struct task_struct *p = current;
	int sig = info->si_signo;

	/* A fault signal that is blocked or ignored would loop forever on
	 * the same instruction: reset it to the default, as Linux does. */
	p->blocked &= ~sigmask(sig);
	if (p->sighand && p->sighand->action[sig - 1].handler == SIG_IGN)
		p->sighand->action[sig - 1].handler = SIG_DFL;
	send_sig_info(sig, info, p);
}

void force_sig(int sig)
{
	const struct kernel_siginfo info = {.si_signo = sig, .si_code = SI_KERNEL};

	force_sig_info(&info);
}

void force_sig_fault(int sig, int code, unsigned long addr)
{
	const struct kernel_siginfo info = {.si_signo = sig, .si_code = code, .si_addr = addr};

	force_sig_info(&info);
}

static bool sig_default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == 23 /* SIGURG */ || sig == 28;
}

static int next_signal(const struct task_struct *p)
{
	unsigned long ready = p->pending_signals & ~p->blocked;

	if (p->pending_signals & sigmask(SIGKILL))
		return SIGKILL;
	return ready ? __builtin_ctzl(ready) + 1 : 0;
}

int dequeue_signal(struct task_struct *p, struct kernel_siginfo *info)
{
	int sig = next_signal(p);
	uint64_t flags;

	if (!sig)
		return 0;
	flags = local_irq_save();
	*info = p->pending_info[sig - 1];
	p->pending_signals &= ~sigmask(sig);
	local_irq_restore(flags);
	return sig;
}

/* Act on one pending signal. */
static void do_signal(struct pt_regs *regs)
{
	struct task_struct *p = current;
	struct kernel_siginfo info;
	int sig = dequeue_signal(p, &info);
	const struct k_sigaction *ka;

	if (!sig)
		return;
	if (sig == SIGKILL || !p->sighand)
		do_group_exit(sig);
	ka = &p->sighand->action[sig - 1];
	if (ka->handler == SIG_IGN)
		return;
	if (ka->handler == SIG_DFL) {
		if (sig_default_ignored(sig))
			return;
		if (sig_kernel_stop(sig)) {
			do_signal_stop(sig);
			return;
		}
		do_group_exit(sig);
	}
	if (!(ka->flags & SA_RESTORER) || setup_rt_frame(&info, ka, regs))
		do_group_exit(SIGSEGV);
}

void exit_to_user_mode(struct pt_regs *regs)
{
	for (;;) {
		local_irq_enable();
		if (need_resched()) {
			schedule();
			continue;
		}
		if (current->jobctl_stop_pending) {
			do_jobctl_stop(); /* a sibling took a stop signal */
			continue;
		}
		if (!next_signal(current))
			break;
		do_signal(regs);
	}
	local_irq_disable();
}

/* ---- system calls ---- */

long sys_rt_sigaction(const struct pt_regs *regs);
long sys_rt_sigaction(const struct pt_regs *regs)
{
	int sig = (int)syscall_arg(regs, 0);
	const void *act = (const void *)syscall_arg(regs, 1);
	void *oact = (void *)syscall_arg(regs, 2);
	struct k_sigaction new_ka, *ka;

	if (sig < 1 || sig > _NSIG || syscall_arg(regs, 3) != sizeof(unsigned long))
		return -EINVAL;
	ka = &current->sighand->action[sig - 1];
	if (oact && copy_to_user(oact, ka, sizeof(*ka)))
		return -EFAULT;
	if (!act)
		return 0;
	if (copy_from_user(&new_ka, act, sizeof(new_ka)))
		return -EFAULT;
	if (sig == SIGKILL || sig == SIGSTOP)
		return -EINVAL;
	new_ka.mask &= ~UNBLOCKABLE;
	*ka = new_ka;
	return 0;
}

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

long sys_rt_sigprocmask(const struct pt_regs *regs);
long sys_rt_sigprocmask(const struct pt_regs *regs)
{
	int how = (int)syscall_arg(regs, 0);
	const void *set = (const void *)syscall_arg(regs, 1);
	void *oset = (void *)syscall_arg(regs, 2);
	unsigned long mask, old = current->blocked;

	if (syscall_arg(regs, 3) != sizeof(unsigned long))
		return -EINVAL;
	if (set) {
		if (copy_from_user(&mask, set, sizeof(mask)))
			return -EFAULT;
		if (how == SIG_BLOCK)
			current->blocked |= mask;
		else if (how == SIG_UNBLOCK)
			current->blocked &= ~mask;
		else if (how == SIG_SETMASK)
			current->blocked = mask;
		else
			return -EINVAL;
		current->blocked &= ~UNBLOCKABLE;
	}
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_kill(const struct pt_regs *regs);
long sys_kill(const struct pt_regs *regs)
{
	int pid = (int)syscall_arg(regs, 0), sig = (int)syscall_arg(regs, 1);

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL; /* process groups: not supported */
	return kill_pid(pid, sig);
}

/* tgkill and tkill: a signal for one thread; tgid < 0 is tkill's "any
 * process" (Linux's do_tkill). */
static long do_tkill(int tgid, int tid, int sig)
{
	struct task_struct *p = find_task_by_pid(tid);
	struct kernel_siginfo info = user_siginfo(SI_TKILL);
	long err;

	if (!p || (tgid > 0 && p->tgid != tgid) || p->exit_state)
		return -ESRCH;
	err = check_kill_permission(sig, p);
	if (err || sig == 0)
		return err;
	return send_sig_info(sig, &info, p);
}

long sys_tgkill(const struct pt_regs *regs);
long sys_tgkill(const struct pt_regs *regs)
{
	int tgid = (int)syscall_arg(regs, 0), tid = (int)syscall_arg(regs, 1);
	int sig = (int)syscall_arg(regs, 2);

	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > _NSIG)
		return -EINVAL;
	return do_tkill(tgid, tid, sig);
}

long sys_tkill(const struct pt_regs *regs);
long sys_tkill(const struct pt_regs *regs)
{
	int tid = (int)syscall_arg(regs, 0), sig = (int)syscall_arg(regs, 1);

	if (tid <= 0 || sig < 0 || sig > _NSIG)
		return -EINVAL;
	return do_tkill(-1, tid, sig);
}
