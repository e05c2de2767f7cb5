/* Creating tasks: task_struct and its kernel stack, pids, the task list,
 * kernel threads and fork/clone (Linux's kernel/fork.c). Read first: a
 * stack is a vmalloc area, so the unmapped page below it catches an
 * overflow; every stack has a struct pt_regs slot at its top (user
 * registers, or unused for a kernel thread until it execs); a task holds
 * two references: its own, dropped by the task that runs after its last
 * switch, and the task list's, dropped when it is reaped. */
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "kernel/vsprintf.h"
#include "kernel/wait.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"

#define PID_MAX_DEFAULT 32768
#define NR_SWITCH_FRAME_REGS 6 /* rbp rbx r12 r13 r14 r15, as __switch_to_asm pops */

struct task_struct init_task = {
	.comm = "swapper/0",
	.pid = 0,
	.refcount = 1,
};
static LIST_HEAD(task_list);
DEFINE_SPINLOCK(tasklist_lock);
static int last_pid;
unsigned long nr_threads;

void ret_from_kernel_thread(void);
void ret_from_fork(void);
void sched_fork(struct task_struct *p);
void do_task_dead(void) __attribute__((noreturn));

static struct wait_queue_head init_wait_chldexit;

void fork_init(void);
void fork_init(void)
{
	INIT_LIST_HEAD(&init_task.children);
	INIT_LIST_HEAD(&init_task.sibling);
	INIT_LIST_HEAD(&init_task.thread_group);
	init_task.group_leader = &init_task;
	init_waitqueue_head(&init_wait_chldexit);
	init_task.wait_chldexit = &init_wait_chldexit;
	list_add_tail(&init_task.tasks, &task_list);
	nr_threads = 1;
}

static bool pid_in_use(int pid)
{
	struct task_struct *p;

	list_for_each_entry(p, &task_list, tasks)
		if (p->pid == pid)
			return true;
	return false;
}

/* Called with tasklist_lock held. Counts up and wraps, as Linux. */
static int alloc_pid(void)
{
	for (int tries = 0; tries < PID_MAX_DEFAULT; tries++) {
		last_pid = last_pid + 1 >= PID_MAX_DEFAULT ? 1 : last_pid + 1;
		if (!pid_in_use(last_pid))
			return last_pid;
	}
	return -EAGAIN;
}

struct task_struct *find_task_by_pid(int pid)
{
	struct task_struct *p, *found = NULL;
	uint64_t flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &task_list, tasks) {
		if (p->pid == pid) {
			found = p;
			break;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found;
}

void for_each_task(void (*fn)(struct task_struct *p, void *ctx), void *ctx)
{
	struct task_struct *p;
	uint64_t flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &task_list, tasks)
		fn(p, ctx);
	spin_unlock_irqrestore(&tasklist_lock, flags);
}

unsigned long nr_tasks(void)
{
	return nr_threads;
}

void get_task_struct(struct task_struct *p)
{
	__atomic_add_fetch(&p->refcount, 1, __ATOMIC_SEQ_CST);
}

/* As Linux's account_kernel_stack: KernelStack counts each stack's pages
 * in the zones they came from, from allocation to free. */
static void account_kernel_stack(void *stack, long sign)
{
	bool in_guard;
	struct vm_struct *area = find_vm_area_or_guard((uint64_t)stack, &in_guard);

	for (unsigned int i = 0; area && i < area->nr_pages; i++)
		mod_zone_page_state(page_zone(area->pages[i]), NR_KERNEL_STACK_KB,
				    sign * (long)(PAGE_SIZE >> 10));
}

static void free_task(struct task_struct *p)
{
	if (p->oom_mm)
		mmdrop(p->oom_mm); /* the OOM killer's pin (signal->oom_mm) */
	if (p->stack)
		account_kernel_stack(p->stack, -1);
	vfree(p->stack);
	kfree(p->kthread);
	kfree(p->wait_chldexit);
	kfree(p);
}

void put_task_struct(struct task_struct *p)
{
	if (__atomic_sub_fetch(&p->refcount, 1, __ATOMIC_SEQ_CST) == 0)
		free_task(p);
}

/* The scheduler's last word on a dead task: its own reference goes. */
void put_task_struct_dead(struct task_struct *p);
void put_task_struct_dead(struct task_struct *p)
{
	put_task_struct(p);
}

struct pt_regs *task_pt_regs(struct task_struct *p)
{
	return (struct pt_regs *)((char *)p->stack + THREAD_SIZE) - 1;
}

/* Below the pt_regs slot: the frame __switch_to_asm pops on the first
 * switch to p, "returning" into ret (ret_from_kernel_thread finds fn and
 * arg in r12 and r13; ret_from_fork needs nothing). */
static void copy_thread(struct task_struct *p, void (*ret)(void), uint64_t fn, uint64_t arg)
{
	uint64_t *sp = (uint64_t *)task_pt_regs(p);
	uint64_t regs[NR_SWITCH_FRAME_REGS] = {0};

	*--sp = (uint64_t)ret;
	regs[2] = fn;  /* r12 */
	regs[3] = arg; /* r13 */
	for (int i = 0; i < NR_SWITCH_FRAME_REGS; i++)
		*--sp = regs[i];
	p->thread.sp = (uint64_t)sp;
}

static struct task_struct *alloc_task(const char *name)
{
	struct task_struct *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	p->stack = vmalloc(THREAD_SIZE);
	if (!p->stack) {
		kfree(p);
		return NULL;
	}
	account_kernel_stack(p->stack, 1);
	p->wait_chldexit = kzalloc(sizeof(*p->wait_chldexit), GFP_KERNEL);
	if (!p->wait_chldexit) {
		free_task(p);
		return NULL;
	}
	init_waitqueue_head(p->wait_chldexit);
	sched_fork(p);
	p->__state = TASK_UNINTERRUPTIBLE;
	p->refcount = 2; /* its own, and the task list's */
	strscpy(p->comm, name, sizeof(p->comm));
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->thread_group);
	spin_lock_init(&p->alloc_lock);
	p->exit_signal = -1;
	return p;
}

/* Give p a pid and put it on the lists; the parent is set by the caller.
 * A user fork whose caller got SIGKILL meanwhile gives -EINTR, as Linux's
 * copy_process: else a killed parent could still leave a child behind,
 * born after whoever killed it looked for its children. */
static int link_task(struct task_struct *p)
{
	uint64_t flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	if (current && current->mm && fatal_signal_pending(current)) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return -EINTR;
	}
	p->pid = alloc_pid();
	if (p->pid < 0) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		return p->pid;
	}
	if (!p->group_leader) {
		p->group_leader = p;
		p->tgid = p->pid;
	} else {
		list_add_tail(&p->thread_group, &p->group_leader->thread_group);
	}
	list_add_tail(&p->sibling, &p->parent->children);
	list_add_tail(&p->tasks, &task_list);
	nr_threads++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return 0;
}

/* A new kernel task, not yet runnable (TASK_UNINTERRUPTIBLE, off the run
 * queue) until wake_up_process. */
struct task_struct *create_kernel_task(int (*fn)(void *), void *arg, const char *name);
struct task_struct *create_kernel_task(int (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *p = alloc_task(name);

	if (!p)
		return NULL;
	p->flags = PF_KTHREAD;
	p->parent = current;
	copy_thread(p, ret_from_kernel_thread, (uint64_t)fn, (uint64_t)arg);
	if (link_task(p)) {
		free_task(p);
		return NULL;
	}
	return p;
}

/* ---- fork and clone ---- */

#define CLONE_VM 0x00000100ul
#define CLONE_FS 0x00000200ul
#define CLONE_FILES 0x00000400ul
#define CLONE_SIGHAND 0x00000800ul
#define CLONE_VFORK 0x00004000ul
#define CLONE_PARENT 0x00008000ul
#define CLONE_THREAD 0x00010000ul
#define CLONE_SYSVSEM 0x00040000ul
#define CLONE_SETTLS 0x00080000ul
#define CLONE_PARENT_SETTID 0x00100000ul
#define CLONE_CHILD_CLEARTID 0x00200000ul
#define CLONE_CHILD_SETTID 0x01000000ul
#define CSIGNAL 0x000000fful
#define CLONE_SUPPORTED                                                                     \
	(CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_VFORK |        \
	 CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | \
	 CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)

int copy_files(struct task_struct *child, bool share);
void exit_files(struct task_struct *p);
void fpu_save_current(void);

static int copy_mm(struct task_struct *p, unsigned long clone_flags)
{
	struct mm_struct *mm = current->mm;

	if (!mm)
		return 0;
	if (clone_flags & CLONE_VM) {
		mmget(mm);
		p->mm = mm;
		return 0;
	}
	p->mm = dup_mm(mm);
	if (!p->mm)
		return -ENOMEM;
	p->mm->owner = p; /* as Linux's mm_init_owner: a new mm is its child's */
	return 0;
}

static int copy_sighand(struct task_struct *p, unsigned long clone_flags)
{
	if (clone_flags & CLONE_SIGHAND) {
		__atomic_add_fetch(&current->sighand->count, 1, __ATOMIC_SEQ_CST);
		p->sighand = current->sighand;
		return 0;
	}
	p->sighand = sighand_copy(current->sighand);
	return p->sighand ? 0 : -ENOMEM;
}

/* Undo what copy_process set up when a later step fails. */
static void abort_process(struct task_struct *p)
{
	if (p->mm)
		mmput(p->mm);
	exit_files(p);
	sighand_put(p->sighand);
	free_task(p);
}

static void inherit_sched(struct task_struct *p)
{
	p->policy = current->policy;
	p->static_prio = current->static_prio;
	p->prio = current->prio;
	p->normal_prio = current->normal_prio;
	p->rt_priority = current->rt_priority;
	p->sched_class = current->sched_class;
	set_load_weight(p);
}

/* As Linux's kernel_clone: a copy of the calling user task that returns
 * 0 from the same system call. */
long do_fork(const struct pt_regs *regs, unsigned long clone_flags, unsigned long newsp,
	     unsigned long parent_tid, unsigned long child_tid, unsigned long tls)
{
	struct task_struct *p;
	struct pt_regs *child_regs;
	int pid;

	if (clone_flags & ~CLONE_SUPPORTED)
		return -EINVAL;
	if ((clone_flags & CLONE_THREAD) && !(clone_flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((clone_flags & CLONE_SIGHAND) && !(clone_flags & CLONE_VM))
		return -EINVAL;
	if ((clone_flags & CLONE_SETTLS) && !fsbase_ok(tls))
		return -EPERM; /* as arch_prctl(ARCH_SET_FS) says */
	p = alloc_task(current->comm);
	if (!p)
		return -ENOMEM;
	inherit_sched(p);
	p->oom_score_adj = current->oom_score_adj;
	if (copy_mm(p, clone_flags) || copy_files(p, clone_flags & CLONE_FILES) ||
	    copy_sighand(p, clone_flags)) {
		abort_process(p);
		return -ENOMEM;
	}
	fpu_save_current();
	memcpy(p->thread.fxsave, current->thread.fxsave, FXSAVE_AREA_SIZE);
	p->thread.fsbase = (clone_flags & CLONE_SETTLS) ? tls : current->thread.fsbase;
	child_regs = task_pt_regs(p);
	*child_regs = *regs;
	child_regs->rax = 0;
	if (newsp)
		child_regs->rsp = newsp;
	copy_thread(p, ret_from_fork, 0, 0);
	if (clone_flags & CLONE_THREAD) {
		p->group_leader = current->group_leader;
		p->tgid = current->tgid;
		p->parent = current->parent;
	} else {
		p->parent = (clone_flags & CLONE_PARENT) ? current->parent : current;
		p->exit_signal = (int)(clone_flags & CSIGNAL);
	}
	if (clone_flags & CLONE_CHILD_CLEARTID)
		p->clear_child_tid = child_tid;
	pid = link_task(p);
	if (pid) {
		abort_process(p);
		return pid == -EINTR ? -EINTR : -EAGAIN;
	}
	pid = p->pid;
	if ((clone_flags & CLONE_PARENT_SETTID) &&
	    copy_to_user((void *)parent_tid, &pid, sizeof(pid)))
		pr_debug("clone: parent_tid %lx not writable", parent_tid);
	if ((clone_flags & CLONE_CHILD_SETTID) && (clone_flags & CLONE_VM) &&
	    copy_to_user((void *)child_tid, &pid, sizeof(pid)))
		pr_debug("clone: child_tid %lx not writable", child_tid);
	wake_up_new_task(p);
	return pid;
}

long sys_fork(const struct pt_regs *regs);
long sys_fork(const struct pt_regs *regs)
{
	return do_fork(regs, SIGCHLD, 0, 0, 0, 0);
}

/* vfork: no shared-memory wait for exec here; it is a plain fork. */
long sys_vfork(const struct pt_regs *regs);
long sys_vfork(const struct pt_regs *regs)
{
	return do_fork(regs, SIGCHLD, 0, 0, 0, 0);
}

/* x86_64 argument order: flags, newsp, parent_tid, child_tid, tls. */
long sys_clone(const struct pt_regs *regs);
long sys_clone(const struct pt_regs *regs)
{
	return do_fork(regs, syscall_arg(regs, 0), syscall_arg(regs, 1), syscall_arg(regs, 2),
		       syscall_arg(regs, 3), syscall_arg(regs, 4));
}
