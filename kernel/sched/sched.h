/* The scheduler's inside: the run queue and the scheduling classes (Linux's
 * kernel/sched/sched.h). Read first: classes are asked in priority order,
 * rt then fair then idle, and the first with a runnable task wins; the
 * running task is not on its class's queue while it runs. */
#ifndef OOMLAB_KERNEL_SCHED_SCHED_H
#define OOMLAB_KERNEL_SCHED_SCHED_H
#include "kernel/sched.h"
#include "kernel/spinlock.h"

#define NICE_0_LOAD 1024
#define WEIGHT_IDLEPRIO 3 /* SCHED_IDLE: as Linux, a tiny fixed weight */

struct rq;

struct sched_class {
	void (*enqueue_task)(struct rq *rq, struct task_struct *p, bool wakeup);
	void (*dequeue_task)(struct rq *rq, struct task_struct *p);
	void (*yield_task)(struct rq *rq);
	/* A task became runnable: should it preempt rq->curr? */
	void (*check_preempt_curr)(struct rq *rq, struct task_struct *p);
	struct task_struct *(*pick_next_task)(struct rq *rq);
	void (*put_prev_task)(struct rq *rq, struct task_struct *p);
	/* p (on the queue) becomes the running task without a switch. */
	void (*set_next_task)(struct rq *rq, struct task_struct *p);
	void (*task_tick)(struct rq *rq, struct task_struct *p);
};

struct cfs_rq {
	struct list_head tasks; /* runnable, not running, by vruntime */
	unsigned long load;	/* sum of weights, the running task's too */
	unsigned int nr_running;
	uint64_t min_vruntime;
	struct sched_entity *curr;
};

struct rt_rq {
	struct list_head queue[MAX_RT_PRIO]; /* index: 99 - rt_priority (lower is more urgent) */
	unsigned int nr_running;
};

struct rq {
	spinlock_t lock;
	unsigned int nr_running;
	struct task_struct *curr, *idle;
	struct task_struct *prev_task; /* set just before each switch */
	uint64_t clock;		       /* ns, updated under the lock */
	unsigned long nr_switches;
	struct cfs_rq cfs;
	struct rt_rq rt;
};

extern struct rq runqueue;
extern const struct sched_class rt_sched_class, fair_sched_class, idle_sched_class;
extern const int sched_prio_to_weight[40];

void update_rq_clock(struct rq *rq);
void set_load_weight(struct task_struct *p);
void resched_curr_locked(struct rq *rq);
void init_cfs_rq(struct cfs_rq *cfs);
void init_rt_rq(struct rt_rq *rt);
bool rt_policy(unsigned int policy);
/* The fair class's tunables, Linux's defaults for one CPU (ns). */
extern uint64_t sysctl_sched_latency;
extern uint64_t sysctl_sched_min_granularity;
extern uint64_t sysctl_sched_wakeup_granularity;
#endif
