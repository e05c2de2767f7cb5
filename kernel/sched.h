/* Tasks and the scheduler interface, with Linux's names (include/linux/
 * sched.h). Read first: a task sleeps by setting its state and calling
 * schedule(); it runs again only after someone calls wake_up_process() or a
 * wake-up whose state mask matches, and must re-check its condition. */
#ifndef OOMLAB_KERNEL_SCHED_H
#define OOMLAB_KERNEL_SCHED_H
#include "kernel/list.h"
#include "kernel/preempt.h"
#include "kernel/spinlock.h"
#include "kernel/timer.h"
#include <stdbool.h>
#include <stdint.h>

/* Task states (task->__state), as Linux's. */
#define TASK_RUNNING 0x0000
#define TASK_INTERRUPTIBLE 0x0001
#define TASK_UNINTERRUPTIBLE 0x0002
#define __TASK_STOPPED 0x0004
#define TASK_DEAD 0x0080
#define TASK_WAKEKILL 0x0100
#define TASK_NOLOAD 0x0400
#define TASK_KILLABLE (TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_STOPPED (TASK_WAKEKILL | __TASK_STOPPED)
#define TASK_IDLE (TASK_UNINTERRUPTIBLE | TASK_NOLOAD)
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

/* exit_state */
#define EXIT_DEAD 0x0010
#define EXIT_ZOMBIE 0x0020

/* task->flags (PF_*), Linux's values. */
#define PF_IDLE 0x00000002
#define PF_EXITING 0x00000004
#define PF_MEMALLOC 0x00000800
#define PF_KTHREAD 0x00200000

/* Scheduling policies. */
#define SCHED_NORMAL 0
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_IDLE 5

#define MAX_NICE 19
#define MIN_NICE -20
#define MAX_RT_PRIO 100
#define MAX_PRIO (MAX_RT_PRIO + 40)
#define DEFAULT_PRIO (MAX_RT_PRIO + 20)
#define NICE_TO_PRIO(nice) ((nice) + DEFAULT_PRIO)
#define PRIO_TO_NICE(prio) ((prio)-DEFAULT_PRIO)

#define TASK_COMM_LEN 16
#define THREAD_SIZE (16 * 1024)
#define MAX_HELD_LOCKS 48

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define _NSIG 64

struct load_weight {
	unsigned long weight;
	uint32_t inv_weight;
};

/* The fair class's view of a task: weight and virtual runtime. */
struct sched_entity {
	struct load_weight load;
	struct list_head run_node; /* on the fair run queue, ordered by vruntime */
	bool on_rq;
	uint64_t exec_start;
	uint64_t sum_exec_runtime; /* ns on the CPU, ever */
	uint64_t prev_sum_exec_runtime;
	uint64_t vruntime;
};

struct sched_rt_entity {
	struct list_head run_list;
	bool on_rq;
};

#define FXSAVE_AREA_SIZE 512

struct thread_struct {
	uint64_t sp;	 /* saved kernel stack pointer while switched out */
	uint64_t fsbase; /* user TLS base (arch_prctl ARCH_SET_FS) */
	/* The user's x87/SSE registers while switched out (fxsave format). */
	uint8_t fxsave[FXSAVE_AREA_SIZE] __attribute__((aligned(16)));
};

struct held_lock {
	const void *instance;
	const struct lock_class_key *key;
	const char *name;
	unsigned long acquire_ip;
	bool read; /* shared (reader) acquisition: readers of a class may nest */
};

struct lock_class_key {
	char unused; /* only its address matters: one class per init site */
};

/* What a process has used, for wait4's rusage (Linux keeps these in
 * signal_struct): each thread adds its share as it exits. */
struct task_acct {
	uint64_t sum_runtime; /* ns on the CPU */
	unsigned long maxrss; /* pages: the largest rss of its address spaces */
	unsigned long nvcsw, nivcsw;
};

/* Who sent a pending signal and why, as Linux's kernel_siginfo (the
 * fields a handler's siginfo_t can show here). One per signal number:
 * like Linux's legacy signals, a second send while pending is merged. */
struct kernel_siginfo {
	int si_signo;
	int si_code;
	int si_pid, si_uid;    /* SI_USER, SI_TKILL: the sender */
	unsigned long si_addr; /* SIGSEGV, SIGBUS: the faulting address */
};

struct sched_class;
struct kthread;
struct mm_struct;
struct files_struct;
struct sighand_struct;
struct wait_queue_head;

struct task_struct {
	volatile unsigned int __state;
	unsigned int flags;
	int on_rq;
	int prio, static_prio, normal_prio;
	unsigned int rt_priority;
	unsigned int policy;
	const struct sched_class *sched_class;
	struct sched_entity se;
	struct sched_rt_entity rt;
	struct thread_struct thread;
	void *stack; /* lowest address of the THREAD_SIZE kernel stack */

	int pid;
	char comm[TASK_COMM_LEN];
	struct task_struct *parent;
	struct list_head children;
	struct list_head sibling;
	struct list_head tasks; /* every task, for ps and the hung-task check */
	int exit_code;
	int exit_state;

	unsigned long pending_signals;		   /* bit n-1 for signal n */
	struct kernel_siginfo pending_info[_NSIG]; /* valid while pending */
	unsigned long blocked;			   /* signals masked by rt_sigprocmask */
	unsigned long kthread_signals;		   /* a kernel thread's allow_signal() set */
	struct sighand_struct *sighand;		   /* actions, shared by a thread group */
	int tgid;				   /* the thread group (process) id */
	struct task_struct *group_leader;
	struct list_head thread_group;	       /* the other threads of the process */
	int exit_signal;		       /* sent to the parent at exit (SIGCHLD) */
	unsigned long clear_child_tid;	       /* CLONE_CHILD_CLEARTID: user address */
	struct wait_queue_head *wait_chldexit; /* where wait4 sleeps (kmalloc'd) */
	int oom_score_adj;
	/* The last user page fault's address: sigcontext's cr2, as Linux's
	 * thread.cr2. */
	unsigned long fault_address;
	/* On the group leader, for the whole process (Linux keeps these in
	 * signal_struct): set by the first exit_group or fatal signal, the
	 * status the parent reaps whichever thread dies last. */
	bool group_exiting;
	int group_exit_code;
	/* On the leader: the thread whose execve is killing the others
	 * (Linux's signal->group_exec_task); they exit, it does not. */
	struct task_struct *group_exec_task;
	/* Job control, on the leader for the whole process (Linux's
	 * SIGNAL_STOP_STOPPED, SIGNAL_STOP_CONTINUED and the stop code in
	 * group_exit_code): stopped; the stop signal wait4(WUNTRACED) has
	 * yet to report (0 once reported); a continue for WCONTINUED. */
	bool group_stopped;
	int group_stop_code;
	int group_stop_count; /* threads yet to stop (Linux's group_stop_count) */
	bool group_continued;
	/* This thread stops on its way back to user mode (JOBCTL_STOP_PENDING). */
	bool jobctl_stop_pending;
	struct task_acct acct;	/* on the leader: the threads that have exited */
	struct task_acct cacct; /* on the leader: reaped children, with theirs */

	/* Context switches: voluntary (it slept) and involuntary (preempted). */
	unsigned long nvcsw, nivcsw;
	unsigned long last_switch_count; /* khungtaskd's last look */
	unsigned long last_switch_time;	 /* jiffies: when khungtaskd first saw that count */
	uint64_t sleep_start;		 /* ns, when it last left the CPU to sleep */
	unsigned int psi_flags;		 /* TSK_* of kernel/psi.h: what psi counts it as */
	bool in_memstall;		 /* between psi_memstall_enter and _leave */
	bool hung_reported;

	int lockdep_depth;
	struct held_lock held_locks[MAX_HELD_LOCKS];
	const char *blocked_on; /* name of the lock it waits for, for dumps */

	struct kthread *kthread;
	/* Guards mm (and files) against the task's own exit and exec for a
	 * reader on another task: Linux's alloc_lock, taken by task_lock(). */
	spinlock_t alloc_lock;
	struct mm_struct *mm, *active_mm;
	struct files_struct *files; /* open files; NULL for kernel threads */
	int refcount;		    /* get_task_struct / put_task_struct */

	/* The OOM killer's marks (mm/oom_kill.c). oom_mm lives on the group
	 * leader for the whole process, as Linux's signal->oom_mm: the mm it
	 * was killed with, pinned (mm_count) until the leader is freed. */
	struct mm_struct *oom_mm;
	bool oom_memdie; /* Linux's TIF_MEMDIE: this thread counts in oom_victims */
	struct task_struct *oom_reaper_list; /* next victim queued for the oom_reaper */
	struct timer_list oom_reaper_timer;  /* OOM_REAPER_DELAY before it is queued */
};

static inline void task_lock(struct task_struct *p)
{
	spin_lock(&p->alloc_lock);
}
static inline void task_unlock(struct task_struct *p)
{
	spin_unlock(&p->alloc_lock);
}

extern struct task_struct *current_task;
extern struct task_struct init_task; /* pid 0: the boot context, then idle */
static inline struct task_struct *get_current(void)
{
	return current_task;
}
#define current get_current()

/* For reports made before tasks exist (or on the host): Linux's name for
 * the boot context. */
static inline const char *current_comm(void)
{
	return current_task ? current_task->comm : "swapper/0";
}

static inline unsigned int task_state(const struct task_struct *p)
{
	return p->__state;
}
/* The barrier keeps the condition check after the state store. */
static inline void set_current_state(unsigned int state)
{
	__atomic_store_n(&current->__state, state, __ATOMIC_SEQ_CST);
}
static inline void __set_current_state(unsigned int state)
{
	current->__state = state;
}

void sched_init(void);
void schedule(void);
void schedule_preempt_disabled(void);
int wake_up_process(struct task_struct *p);
int wake_up_state(struct task_struct *p, unsigned int state);
void resched_curr(void);
void scheduler_tick(void);
void yield(void);
int _cond_resched(void);
#define cond_resched() _cond_resched()
bool is_idle_task(const struct task_struct *p);

/* A reclaimer must not recurse into reclaim: PF_MEMALLOC marks it, and
 * gives its allocations the reserves (Linux's include/linux/sched/mm.h). */
static inline unsigned int memalloc_noreclaim_save(void)
{
	unsigned int flags = current->flags & PF_MEMALLOC;

	current->flags |= PF_MEMALLOC;
	return flags;
}
static inline void memalloc_noreclaim_restore(unsigned int flags)
{
	current->flags = (current->flags & ~(unsigned int)PF_MEMALLOC) | flags;
}

/* Policy and nice (sched_setscheduler / setpriority use these later). */
struct sched_param {
	int sched_priority;
};
int sched_setscheduler(struct task_struct *p, int policy, const struct sched_param *param);
void set_user_nice(struct task_struct *p, long nice);
static inline int task_nice(const struct task_struct *p)
{
	return PRIO_TO_NICE(p->static_prio);
}

/* Signals at this level: SIGKILL pending, killable sleeps. */
int send_sig(int sig, struct task_struct *p);
static inline bool sigismember_pending(const struct task_struct *p, int sig)
{
	return (p->pending_signals >> (sig - 1)) & 1;
}
/* A thread asked to stop for a sibling's stop signal leaves its
 * interruptible sleep too (Linux's TIF_SIGPENDING covers both). */
static inline bool signal_pending(const struct task_struct *p)
{
	return p->pending_signals != 0 || p->jobctl_stop_pending;
}
static inline bool __fatal_signal_pending(const struct task_struct *p)
{
	return sigismember_pending(p, SIGKILL);
}
static inline bool fatal_signal_pending(const struct task_struct *p)
{
	return __fatal_signal_pending(p);
}
/* Should a sleep in this state end because of a pending signal? */
static inline bool signal_pending_state(unsigned int state, const struct task_struct *p)
{
	if (!(state & (TASK_INTERRUPTIBLE | TASK_WAKEKILL)))
		return false;
	if (!signal_pending(p))
		return false;
	return (state & TASK_INTERRUPTIBLE) || __fatal_signal_pending(p);
}

/* Task lifetime (kernel/fork.c). */
struct task_struct *find_task_by_pid(int pid);
void get_task_struct(struct task_struct *p);
void put_task_struct(struct task_struct *p);
void do_exit(long code) __attribute__((noreturn));
void do_group_exit(int code) __attribute__((noreturn));
void wake_up_new_task(struct task_struct *p);
/* current lets go of mm: hand mm->owner to another user of it, or NULL. */
void mm_update_next_owner(struct mm_struct *mm);
struct rusage;
long kernel_wait4(int pid, int *status, unsigned long options, struct rusage *ru);
long kernel_wait(int pid, int *status); /* any kind of child, as __WALL */
/* Exec a program image held in memory (pid 1's fallback, tests). */
long kernel_exec_image(const char *name, const void *image, unsigned long size);
long kernel_execve(const char *path, const char *const argv[], const char *const envp[]);
struct pt_regs;
struct pt_regs *task_pt_regs(struct task_struct *p);
long do_fork(const struct pt_regs *regs, unsigned long clone_flags, unsigned long newsp,
	     unsigned long parent_tid, unsigned long child_tid, unsigned long tls);
/* Walk every task (interrupts off while it runs). */
void for_each_task(void (*fn)(struct task_struct *p, void *ctx), void *ctx);
unsigned long nr_tasks(void);
#endif
