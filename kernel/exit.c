/* Ending tasks and reaping them (Linux's kernel/exit.c): do_exit,
 * exit_group, zombies and wait4. Read first: a user process stays a zombie
 * (still on the task list, its exit status kept) until its parent's wait4
 * reaps it; kernel threads and non-leader threads reap themselves. Orphans
 * go to pid 1. */
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/spinlock.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "kernel/wait.h"
#include "mm/mm_struct.h"

#define WNOHANG 0x00000001
#define __WALL 0x40000000
#define __WCLONE 0x80000000
#define EXIT_STATUS_SHIFT 8
#define EXIT_STATUS_MASK 0xff

extern spinlock_t tasklist_lock;
extern unsigned long nr_threads;
void exit_files(struct task_struct *p);
void do_task_dead(void) __attribute__((noreturn));

static void exit_mm(struct task_struct *p)
{
	struct mm_struct *mm = p->mm;
	int zero = 0;

	if (!mm)
		return;
	/* CLONE_CHILD_CLEARTID: tell a joining thread we are gone. */
	if (p->clear_child_tid && copy_to_user((void *)p->clear_child_tid, &zero, sizeof(zero)))
		pr_debug("exit: clear_child_tid %lx not writable", p->clear_child_tid);
	task_lock(p);
	switch_mm(NULL);
	p->mm = NULL;
	task_unlock(p);
	mmput(mm);
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

static void reparent_children(struct task_struct *p, struct task_struct *reaper)
{
	while (!list_empty(&p->children)) {
		struct task_struct *child =
			list_first_entry(&p->children, struct task_struct, sibling);

		child->parent = reaper;
		list_move_tail(&child->sibling, &reaper->children);
		if (child->exit_state == EXIT_ZOMBIE)
			wake_up_all(reaper->wait_chldexit);
	}
}

static bool autoreap(const struct task_struct *p)
{
	return (p->flags & PF_KTHREAD) || p->group_leader != p || p->exit_signal < 0;
}

/* As Linux's delay_group_leader: a leader that exited before its other
 * threads stays an unreapable zombie until the last of them is gone. */
static bool delay_group_leader(const struct task_struct *p)
{
	return p->group_leader == p && !list_empty(&p->thread_group);
}

static void do_notify_parent(struct task_struct *p)
{
	send_sig(p->exit_signal, p->parent);
	wake_up_all(p->parent->wait_chldexit);
}

static void exit_notify(struct task_struct *p)
{
	struct task_struct *reaper = child_reaper(), *leader = p->group_leader;
	bool reap_now, notify, leader_now_done = false;
	uint64_t flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	reparent_children(p, reaper == p ? &init_task : reaper);
	reap_now = autoreap(p);
	notify = !reap_now && !delay_group_leader(p);
	if (reap_now) {
		p->exit_state = EXIT_DEAD;
		unlink_task(p);
		/* The last thread out tells the zombie leader's parent. */
		leader_now_done = leader != p && leader->exit_state == EXIT_ZOMBIE &&
				  !delay_group_leader(leader);
	} else {
		p->exit_state = EXIT_ZOMBIE;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (notify)
		do_notify_parent(p);
	if (leader_now_done)
		do_notify_parent(leader);
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

static bool child_matches(const struct task_struct *child, int pid)
{
	return pid == -1 || child->pid == pid;
}

/* 1: a matching zombie exists, 0: only live ones, -1: no matching child. */
static int scan_children(int pid, struct task_struct **zombie)
{
	struct task_struct *child;
	int found = -1;

	list_for_each_entry(child, &current->children, sibling) {
		if (!child_matches(child, pid) || child->group_leader != child)
			continue;
		if (child->exit_state == EXIT_ZOMBIE && !delay_group_leader(child)) {
			*zombie = child;
			return 1;
		}
		found = 0;
	}
	return found;
}

static bool zombie_waiting(int pid)
{
	struct task_struct *z;
	uint64_t flags;
	int r;

	spin_lock_irqsave(&tasklist_lock, flags);
	r = scan_children(pid, &z);
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return r != 0;
}

/* wait4 without the user copy: the reaped pid (status in *status), 0 for
 * WNOHANG with live children, or -ECHILD / -EINTR / -EINVAL. */
long kernel_wait4(int pid, int *status, unsigned long options)
{
	if (options & ~(unsigned long)(WNOHANG | __WALL | __WCLONE))
		return -EINVAL;
	if (pid == 0 || pid < -1)
		return -EINVAL; /* process groups: not supported */
	for (;;) {
		struct task_struct *zombie = NULL;
		uint64_t flags;
		int r, zpid;

		spin_lock_irqsave(&tasklist_lock, flags);
		r = scan_children(pid, &zombie);
		if (r == 1)
			unlink_task(zombie);
		spin_unlock_irqrestore(&tasklist_lock, flags);
		if (r < 0)
			return -ECHILD;
		if (r == 1) {
			*status = wait_status(zombie);
			zpid = zombie->pid;
			zombie->exit_state = EXIT_DEAD;
			put_task_struct(zombie);
			return zpid;
		}
		if (options & WNOHANG)
			return 0;
		if (wait_event_interruptible(*current->wait_chldexit, zombie_waiting(pid)))
			return -EINTR;
	}
}

long sys_wait4(const struct pt_regs *regs);
long sys_wait4(const struct pt_regs *regs)
{
	int *ustatus = (int *)syscall_arg(regs, 1);
	int status = 0;
	long r = kernel_wait4((int)syscall_arg(regs, 0), &status, syscall_arg(regs, 2));

	if (r > 0 && ustatus && copy_to_user(ustatus, &status, sizeof(status)))
		return -EFAULT;
	return r;
}
