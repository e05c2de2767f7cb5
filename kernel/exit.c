/* Ending tasks and reaping them (Linux's kernel/exit.c): do_exit,
 * exit_group, zombies and wait4. Read first: a user process stays a zombie
 * (still on the task list, its exit status kept) until a thread of its
 * parent's process reaps it with wait4; kernel threads and non-leader
 * threads reap themselves. An exiting task's children go to another live
 * thread of its process, else to pid 1. */
#include "kernel/errno.h"
#include "kernel/paging.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "kernel/wait.h"
#include "mm/mm_struct.h"
#include "mm/oom.h"

/* wait4 options, Linux's values. WUNTRACED also reports a child stopped
 * by a signal, WCONTINUED one resumed by SIGCONT (signal_stop.c). */
#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002
#define WCONTINUED 0x00000008
#define __WNOTHREAD 0x20000000
#define __WALL 0x40000000
#define __WCLONE 0x80000000u
#define WAIT4_OPTIONS (WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE)
#define EXIT_STATUS_SHIFT 8
#define EXIT_STATUS_MASK 0xff
#define STOPPED_STATUS 0x7f	/* (sig << 8) | 0x7f: WIFSTOPPED */
#define CONTINUED_STATUS 0xffff /* WIFCONTINUED */
#define PID_MIN_INT (-2147483647 - 1)
#define NSEC_PER_USEC 1000ul
#define USEC_PER_SEC 1000000ul
#define KIB_PER_PAGE (PAGE_SIZE / 1024)

/* Linux's struct rusage (x86_64 user ABI): two timevals, then 14 longs. */
struct rusage_timeval {
	long tv_sec, tv_usec;
};
struct rusage {
	struct rusage_timeval ru_utime, ru_stime;
	long ru_maxrss; /* KiB */
	long ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	long ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals;
	long ru_nvcsw, ru_nivcsw;
};

extern spinlock_t tasklist_lock;
extern unsigned long nr_threads;
void exit_files(struct task_struct *p);
void do_task_dead(void) __attribute__((noreturn));

/* ---- mm->owner ---- */

struct next_owner {
	struct mm_struct *mm;
	bool found;
};

/* Called under tasklist_lock (interrupts off, one CPU): the task found
 * cannot reach its own exit_mm before it is the owner, and will hand the
 * mm on again from there. */
static void consider_owner(struct task_struct *t, void *arg)
{
	struct next_owner *n = arg;

	if (!n->found && t->mm == n->mm) {
		n->mm->owner = t;
		n->found = true;
	}
}

/* As Linux's mm_update_next_owner: current no longer uses mm (its ->mm
 * is already cleared); if it owned it, another task using it takes over,
 * or nobody when none is left. Linux looks at children and siblings
 * first as a shortcut; the whole task list gives the same answer. */
void mm_update_next_owner(struct mm_struct *mm)
{
	struct next_owner n = {.mm = mm};

	if (mm->owner != current)
		return;
	mm->owner = NULL;
	if (__atomic_load_n(&mm->mm_users, __ATOMIC_SEQ_CST) <= 1)
		return; /* only our own reference is left */
	for_each_task(consider_owner, &n);
}

static void exit_mm(struct task_struct *p)
{
	struct mm_struct *mm = p->mm;
	int zero = 0;

	if (!mm)
		return;
	/* CLONE_CHILD_CLEARTID: tell a joining thread we are gone. */
	if (p->clear_child_tid && copy_to_user((void *)p->clear_child_tid, &zero, sizeof(zero)))
		pr_debug("exit: clear_child_tid %lx not writable", p->clear_child_tid);
	setmax_mm_hiwater_rss(&p->group_leader->acct.maxrss, mm);
	task_lock(p);
	switch_mm(NULL);
	p->mm = NULL;
	task_unlock(p);
	mm_update_next_owner(mm);
	mmput(mm);
	if (p->oom_memdie)
		exit_oom_victim(p);
}

/* ---- who adopts, who is told ---- */

/* Where a process's exit wakes its parent's wait4: one queue per
 * process (the leader's), as Linux's signal->wait_chldexit, so any
 * thread of the parent's process may be the one waiting. */
static struct wait_queue_head *chldexit_queue(const struct task_struct *parent)
{
	return parent->group_leader->wait_chldexit;
}

static struct task_struct *child_reaper(void)
{
	struct task_struct *init = find_task_by_pid(1);

	return init && !init->exit_state ? init : &init_task;
}

/* Called with tasklist_lock held. */
static void unlink_task(struct task_struct *p)
{
	list_del(&p->tasks);
	list_del(&p->sibling);
	if (p->group_leader != p)
		list_del(&p->thread_group);
	nr_threads--;
}

/* As Linux's delay_group_leader: a leader that exited before its other
 * threads stays an unreapable zombie until the last of them is gone. */
static bool delay_group_leader(const struct task_struct *p)
{
	return p->group_leader == p && !list_empty(&p->thread_group);
}

static bool autoreap(const struct task_struct *p)
{
	if ((p->flags & PF_KTHREAD) || p->group_leader != p)
		return true;
	/* A leader nobody waits for still outlives its threads: they use
	 * its wait queue and its accounting until the last one goes. */
	return p->exit_signal < 0 && !delay_group_leader(p);
}

/* As Linux's do_notify_parent: a parent that ignores SIGCHLD, or asked
 * for SA_NOCLDWAIT, leaves no zombies: its children reap themselves. */
static bool parent_ignores_sigchld(const struct task_struct *p)
{
	const struct sighand_struct *sh = p->parent ? p->parent->sighand : NULL;

	if (p->exit_signal != SIGCHLD || !sh)
		return false;
	return sh->action[SIGCHLD - 1].handler == SIG_IGN ||
	       (sh->action[SIGCHLD - 1].flags & SA_NOCLDWAIT);
}

static void do_notify_parent(struct task_struct *p)
{
	if (p->exit_signal > 0)
		send_sig(p->exit_signal, p->parent);
	wake_up_all(chldexit_queue(p->parent));
}

/* As Linux's find_alive_thread: another thread of father's process that
 * is not exiting yet. Called with tasklist_lock held. */
static struct task_struct *find_alive_thread(struct task_struct *father)
{
	struct task_struct *leader = father->group_leader, *t;

	if (leader != father && !(leader->flags & PF_EXITING))
		return leader;
	list_for_each_entry(t, &leader->thread_group, thread_group) {
		if (t != father && !(t->flags & PF_EXITING))
			return t;
	}
	return NULL;
}

/* As Linux's forget_original_parent: father's children (and their
 * threads, which share their parent) go to a live thread of father's
 * process, which already knows about them, else to init, which is told
 * of the zombies among them. Called with tasklist_lock held. */
static void reparent_children(struct task_struct *father, struct task_struct *init_reaper)
{
	struct task_struct *reaper = find_alive_thread(father);
	bool same_process = reaper != NULL;

	if (!reaper)
		reaper = init_reaper == father ? &init_task : init_reaper;
	while (!list_empty(&father->children)) {
		struct task_struct *child =
			list_first_entry(&father->children, struct task_struct, sibling);

		child->parent = reaper;
		list_move_tail(&child->sibling, &reaper->children);
		if (child->group_leader != child)
			continue;
		if (!same_process)
			child->exit_signal = SIGCHLD; /* as Linux: init reaps what it adopts */
		if (child->exit_state == EXIT_ZOMBIE && !delay_group_leader(child)) {
			if (same_process)
				wake_up_all(chldexit_queue(reaper)); /* a __WNOTHREAD waiter */
			else
				do_notify_parent(child);
		}
	}
}

/* A thread's share of what its process used, added as it goes. */
static void account_exit(struct task_struct *p)
{
	struct task_acct *acct = &p->group_leader->acct;

	acct->sum_runtime += p->se.sum_exec_runtime;
	acct->nvcsw += p->nvcsw;
	acct->nivcsw += p->nivcsw;
}

static void exit_notify(struct task_struct *p)
{
	struct task_struct *reaper = child_reaper(), *leader = p->group_leader;
	bool reap_now, notify, leader_now_done = false, reap_leader = false;
	uint64_t flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	account_exit(p);
	reparent_children(p, reaper);
	reap_now = autoreap(p);
	notify = !reap_now && !delay_group_leader(p);
	if (notify && parent_ignores_sigchld(p))
		reap_now = true; /* still notified: a wait4 must see it go */
	if (reap_now) {
		p->exit_state = EXIT_DEAD;
		unlink_task(p);
		/* The last thread out tells the zombie leader's parent, or
		 * reaps the leader itself when nobody waits for it. */
		leader_now_done = leader != p && leader->exit_state == EXIT_ZOMBIE &&
				  !delay_group_leader(leader);
		if (leader_now_done &&
		    (leader->exit_signal < 0 || parent_ignores_sigchld(leader))) {
			leader_now_done = leader->exit_signal > 0;
			reap_leader = true;
			leader->exit_state = EXIT_DEAD;
			unlink_task(leader);
		}
	} else {
		p->exit_state = EXIT_ZOMBIE;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (notify)
		do_notify_parent(p);
	if (leader_now_done)
		do_notify_parent(leader);
	if (reap_leader)
		put_task_struct(leader); /* its task list reference */
	if (reap_now)
		put_task_struct(p); /* the task list's reference */
}

void do_exit(long code)
{
	struct task_struct *p = current;

	if (is_idle_task(p))
		panic("Attempted to kill the idle task!");
	if (p->pid == 1 && p->mm)
		pr_emerg("Kernel panic - not syncing: Attempted to kill init! exitcode=0x%08lx",
			 (unsigned long)code);
	p->flags |= PF_EXITING;
	p->exit_code = (int)code;
	jobctl_exit(p);
	if (p->lockdep_depth)
		pr_warn("%s/%d is exiting with %d locks held", p->comm, p->pid, p->lockdep_depth);
	exit_mm(p);
	exit_files(p);
	sighand_put(p->sighand);
	p->sighand = NULL;
	/* From the parent's wake-up on we must not be preempted: a parent
	 * that reaped us while we still ran would count our stack as in use. */
	preempt_disable();
	exit_notify(p);
	do_task_dead();
}

/* exit_group, or a fatal signal: every thread of the process goes, and
 * the first such code is the process's (Linux's group_exit_code). */
void do_group_exit(int code)
{
	struct task_struct *leader = current->group_leader;
	uint64_t flags = local_irq_save();

	if (leader->group_exiting) {
		code = leader->group_exit_code;
	} else if (leader->group_exec_task) {
		/* Killed by a sibling's execve, as Linux: only this thread goes,
		 * and the process lives on in the new program. */
		local_irq_restore(flags);
		do_exit(0);
	} else {
		leader->group_exiting = true;
		leader->group_exit_code = code;
	}
	local_irq_restore(flags);
	zap_other_threads(current);
	do_exit(code);
}

/* What the parent reaps: the group's code if the group exited as one. */
static int wait_status(const struct task_struct *leader)
{
	return leader->group_exiting ? leader->group_exit_code : leader->exit_code;
}

long sys_exit(const struct pt_regs *regs);
long sys_exit(const struct pt_regs *regs)
{
	do_exit((long)((syscall_arg(regs, 0) & EXIT_STATUS_MASK) << EXIT_STATUS_SHIFT));
}

long sys_exit_group(const struct pt_regs *regs);
long sys_exit_group(const struct pt_regs *regs)
{
	do_group_exit((int)((syscall_arg(regs, 0) & EXIT_STATUS_MASK) << EXIT_STATUS_SHIFT));
}

/* ---- wait4 ---- */

struct wait_opts {
	int pid; /* -1: any child */
	unsigned long options;
};

/* As Linux's eligible_child: the pid matches, it is a process (threads
 * share their leader's parent but are never waited for), and a "clone"
 * child (one that does not send SIGCHLD) only with __WCLONE, either kind
 * with __WALL. */
static bool eligible_child(const struct wait_opts *wo, const struct task_struct *p)
{
	bool clone_child = p->exit_signal != SIGCHLD;

	if (wo->pid != -1 && p->pid != wo->pid)
		return false;
	if (p->group_leader != p)
		return false;
	return (wo->options & __WALL) || clone_child == !!(wo->options & __WCLONE);
}

#define WAIT_ZOMBIE 1
#define WAIT_STOPPED 2
#define WAIT_CONTINUED 3

/* What child has to report: a zombie, as Linux's wait_task_zombie; with
 * WUNTRACED a stop not yet reported (wait_task_stopped); with WCONTINUED
 * a continue (wait_task_continued); else 0. */
static int child_report(const struct wait_opts *wo, const struct task_struct *child)
{
	if (child->exit_state == EXIT_ZOMBIE && !delay_group_leader(child))
		return WAIT_ZOMBIE;
	if (child->exit_state)
		return 0;
	if ((wo->options & WUNTRACED) && child->group_stopped && !child->group_stop_count &&
	    child->group_stop_code)
		return WAIT_STOPPED;
	if ((wo->options & WCONTINUED) && child->group_continued)
		return WAIT_CONTINUED;
	return 0;
}

/* WAIT_*: a child with something to report (in *zombie), 0: only live
 * children, -1: no eligible child. */
static int scan_children_of(const struct wait_opts *wo, struct task_struct *t,
			    struct task_struct **zombie)
{
	struct task_struct *child;
	int found = -1;

	list_for_each_entry(child, &t->children, sibling) {
		int report;

		if (!eligible_child(wo, child))
			continue;
		report = child_report(wo, child);
		if (report) {
			*zombie = child;
			return report;
		}
		found = 0;
	}
	return found;
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

/* As Linux's do_wait: the children of every thread of the caller's
 * process, or only its own with __WNOTHREAD. Called with tasklist_lock
 * held. */
static int scan_children(const struct wait_opts *wo, struct task_struct **zombie)
{
	struct task_struct *leader = current->group_leader, *t;
	int r;

	if (wo->options & __WNOTHREAD)
		return scan_children_of(wo, current, zombie);
	r = scan_children_of(wo, leader, zombie);
	if (r > 0)
		return r;
	list_for_each_entry(t, &leader->thread_group, thread_group) {
		int ri = scan_children_of(wo, t, zombie);

		if (ri > 0)
			return ri;
		r = max_int(r, ri);
	}
	return r;
}

static bool zombie_waiting(const struct wait_opts *wo)
{
	struct task_struct *z;
	uint64_t flags;
	int r;

	spin_lock_irqsave(&tasklist_lock, flags);
	r = scan_children(wo, &z);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return r != 0;
}

static void acct_add(struct task_acct *to, const struct task_acct *from)
{
	to->sum_runtime += from->sum_runtime;
	to->maxrss = to->maxrss > from->maxrss ? to->maxrss : from->maxrss;
	to->nvcsw += from->nvcsw;
	to->nivcsw += from->nivcsw;
}

/* What the zombie's process and the children it reaped used (Linux's
 * RUSAGE_BOTH). There is no user/system split: as Linux's cputime_adjust
 * when no system time was sampled, all the runtime is user time. Page
 * faults, I/O and signal counts are not kept: zero. */
static void fill_rusage(struct rusage *ru, const struct task_acct *used)
{
	uint64_t usec = used->sum_runtime / NSEC_PER_USEC;

	memset(ru, 0, sizeof(*ru));
	ru->ru_utime.tv_sec = (long)(usec / USEC_PER_SEC);
	ru->ru_utime.tv_usec = (long)(usec % USEC_PER_SEC);
	ru->ru_maxrss = (long)(used->maxrss * KIB_PER_PAGE);
	ru->ru_nvcsw = (long)used->nvcsw;
	ru->ru_nivcsw = (long)used->nivcsw;
}

/* As Linux's wait_task_zombie: the zombie, already off the lists, is
 * gone; its usage becomes the reaper's children's. */
static int release_zombie(struct task_struct *zombie, int *status, struct rusage *ru)
{
	struct task_acct used = zombie->acct;
	int zpid = zombie->pid;
	uint64_t flags;

	acct_add(&used, &zombie->cacct);
	spin_lock_irqsave(&tasklist_lock, flags);
	acct_add(&current->group_leader->cacct, &used);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (ru)
		fill_rusage(ru, &used);
	*status = wait_status(zombie);
	zombie->exit_state = EXIT_DEAD;
	put_task_struct(zombie);
	return zpid;
}

/* A stop or a continue is reported once: the child stays. Called with
 * tasklist_lock held. */
static int report_stop_or_continue(struct task_struct *child, int report, int *status,
				   struct rusage *ru)
{
	if (report == WAIT_STOPPED) {
		*status = (child->group_stop_code << EXIT_STATUS_SHIFT) | STOPPED_STATUS;
		child->group_stop_code = 0;
	} else {
		*status = CONTINUED_STATUS;
		child->group_continued = false;
	}
	if (ru)
		fill_rusage(ru, &child->acct);
	return child->pid;
}

/* wait4 without the user copies: the reaped pid (status in *status,
 * usage in *ru unless NULL), 0 for WNOHANG with live children, or
 * -ECHILD / -EINTR / -EINVAL / -ESRCH, as Linux's kernel_wait4. */
long kernel_wait4(int pid, int *status, unsigned long options, struct rusage *ru)
{
	struct wait_opts wo = {.pid = pid, .options = options};

	if (options & ~(unsigned long)WAIT4_OPTIONS)
		return -EINVAL;
	if (pid == PID_MIN_INT)
		return -ESRCH; /* -pid would overflow */
	if (pid == 0 || pid < -1)
		return -EINVAL; /* process groups: not supported */
	for (;;) {
		struct task_struct *zombie = NULL;
		uint64_t flags;
		int r, reported = 0;

		spin_lock_irqsave(&tasklist_lock, flags);
		r = scan_children(&wo, &zombie);
		if (r == WAIT_ZOMBIE)
			unlink_task(zombie);
		else if (r > 0)
			reported = report_stop_or_continue(zombie, r, status, ru);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (reported)
			return reported;
		if (r < 0)
			return -ECHILD;
		if (r == WAIT_ZOMBIE)
			return release_zombie(zombie, status, ru);
		if (options & WNOHANG)
			return 0;
		if (wait_event_interruptible(*chldexit_queue(current), zombie_waiting(&wo)))
			return -EINTR;
	}
}

/* As Linux's kernel_wait: the kernel's own wait for one child, whatever
 * it sends at exit (a kernel thread that will exec has no exit signal
 * until it does). */
long kernel_wait(int pid, int *status)
{
	return kernel_wait4(pid, status, __WALL, NULL);
}

long sys_wait4(const struct pt_regs *regs);
long sys_wait4(const struct pt_regs *regs)
{
	int *ustatus = (int *)syscall_arg(regs, 1);
	struct rusage *uru = (struct rusage *)syscall_arg(regs, 3);
	struct rusage ru;
	int status = 0;
	/* options is an int in Linux's ABI: __WCLONE is its sign bit. */
	unsigned int options = (unsigned int)syscall_arg(regs, 2);
	long r = kernel_wait4((int)syscall_arg(regs, 0), &status, options, uru ? &ru : NULL);

	if (r > 0 && ustatus && copy_to_user(ustatus, &status, sizeof(status)))
		return -EFAULT;
	if (r > 0 && uru && copy_to_user(uru, &ru, sizeof(ru)))
		return -EFAULT;
	return r;
}
