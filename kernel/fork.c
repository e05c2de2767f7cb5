/* Creating and ending tasks: task_struct and its kernel stack, pids, the
 * task list, and do_exit (Linux's kernel/fork.c and kernel/exit.c, for
 * kernel threads). Read first: a stack is a vmalloc area, so the unmapped
 * page below it catches an overflow; a dead task is freed by the task that
 * runs after it (finish_task_switch), never by itself. */
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched/sched.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define PID_MAX_DEFAULT 32768
#define NR_SWITCH_FRAME_REGS 6 /* rbp rbx r12 r13 r14 r15, as __switch_to_asm pops */

struct task_struct init_task = {
	.comm = "swapper/0",
	.pid = 0,
	.refcount = 1,
};
static LIST_HEAD(task_list);
static DEFINE_SPINLOCK(tasklist_lock);
static int last_pid;
static unsigned long nr_threads;

void ret_from_kernel_thread(void);
void sched_fork(struct task_struct *p);
void do_task_dead(void) __attribute__((noreturn));

void fork_init(void);
void fork_init(void)
{
	INIT_LIST_HEAD(&init_task.children);
	INIT_LIST_HEAD(&init_task.sibling);
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

static void free_task(struct task_struct *p)
{
	vfree(p->stack);
	kfree(p->kthread);
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

/* The first switch to p "returns" into ret_from_kernel_thread, which finds
 * fn and arg in r12 and r13. */
static void copy_thread(struct task_struct *p, int (*fn)(void *), void *arg)
{
	uint64_t *sp = (uint64_t *)((char *)p->stack + THREAD_SIZE);
	uint64_t regs[NR_SWITCH_FRAME_REGS] = {0};

	*--sp = (uint64_t)ret_from_kernel_thread;
	regs[2] = (uint64_t)fn;	 /* r12 */
	regs[3] = (uint64_t)arg; /* r13 */
	for (int i = 0; i < NR_SWITCH_FRAME_REGS; i++)
		*--sp = regs[i];
	p->thread.sp = (uint64_t)sp;
}

/* A new kernel task, not yet runnable (TASK_UNINTERRUPTIBLE, off the run
 * queue) until wake_up_process. */
struct task_struct *create_kernel_task(int (*fn)(void *), void *arg, const char *name);
struct task_struct *create_kernel_task(int (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *p = kzalloc(sizeof(*p), GFP_KERNEL);
	uint64_t flags;

	if (!p)
		return NULL;
	p->stack = vmalloc(THREAD_SIZE);
	if (!p->stack) {
		kfree(p);
		return NULL;
	}
	sched_fork(p);
	p->__state = TASK_UNINTERRUPTIBLE;
	p->flags = PF_KTHREAD;
	p->refcount = 1;
	strscpy(p->comm, name, sizeof(p->comm));
	INIT_LIST_HEAD(&p->children);
	copy_thread(p, fn, arg);
	spin_lock_irqsave(&tasklist_lock, flags);
	p->pid = alloc_pid();
	if (p->pid < 0) {
		spin_unlock_irqrestore(&tasklist_lock, flags);
		free_task(p);
		return NULL;
	}
	p->parent = current;
	list_add_tail(&p->sibling, &current->children);
	list_add_tail(&p->tasks, &task_list);
	nr_threads++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return p;
}

/* Kernel threads have no one to wait for them: unlink at once, and let
 * the scheduler drop the last reference after the final switch. */
void do_exit(long code)
{
	struct task_struct *p = current;
	uint64_t flags;

	if (is_idle_task(p))
		panic("Attempted to kill the idle task!");
	p->flags |= PF_EXITING;
	p->exit_code = (int)code;
	if (p->lockdep_depth)
		pr_warn("%s/%d is exiting with %d locks held", p->comm, p->pid, p->lockdep_depth);
	spin_lock_irqsave(&tasklist_lock, flags);
	while (!list_empty(&p->children)) {
		struct task_struct *child =
			list_first_entry(&p->children, struct task_struct, sibling);

		child->parent = &init_task;
		list_move_tail(&child->sibling, &init_task.children);
	}
	list_del(&p->tasks);
	list_del(&p->sibling);
	nr_threads--;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	p->exit_state = EXIT_DEAD;
	do_task_dead();
}
