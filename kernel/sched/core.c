/* The scheduler core: wake-ups, schedule(), the tick, preemption and the
 * policy calls (Linux's kernel/sched/core.c). Read first: the run queue is
 * locked with interrupts off, and a context switch happens inside
 * __schedule() with that lock held; the task switched to releases it,
 * either where it left off in __schedule() or, for a new task, in
 * schedule_tail(). */
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/psi.h"
#include "kernel/sched/sched.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/x86.h"

volatile int __preempt_count;
volatile bool __need_resched;
struct rq runqueue;
struct task_struct *current_task;

/* Linux's nice-to-weight table: each step is about 1.25x, nice 0 is 1024. */
const int sched_prio_to_weight[40] = {
	88761, 71755, 56483, 46273, 36291, /* -20 */
	29154, 23254, 18705, 14949, 11916, /* -15 */
	9548,  7620,  6100,  4904,  3906,  /* -10 */
	3121,  2501,  1991,  1586,  1277,  /*  -5 */
	1024,  820,   655,   526,   423,   /*   0 */
	335,   272,   215,   172,   137,   /*   5 */
	110,   87,    70,    56,    45,	   /*  10 */
	36,    29,    23,    18,    15,	   /*  15 */
};

void __switch_to_asm(uint64_t *prev_sp, uint64_t next_sp);
void switch_to_arch(struct task_struct *prev, struct task_struct *next);

static uint64_t rq_lock_irqsave(struct rq *rq)
{
	uint64_t flags = local_irq_save();

	arch_spin_lock(&rq->lock);
	return flags;
}

static void rq_unlock_irqrestore(struct rq *rq, uint64_t flags)
{
	arch_spin_unlock(&rq->lock);
	local_irq_restore(flags);
}

void update_rq_clock(struct rq *rq)
{
	uint64_t now = local_clock();

	if (now > rq->clock)
		rq->clock = now;
}

bool rt_policy(unsigned int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

bool is_idle_task(const struct task_struct *p)
{
	return p->flags & PF_IDLE;
}

void set_load_weight(struct task_struct *p)
{
	if (p->policy == SCHED_IDLE)
		p->se.load.weight = WEIGHT_IDLEPRIO;
	else
		p->se.load.weight =
			(unsigned long)sched_prio_to_weight[p->static_prio - MAX_RT_PRIO];
}

void resched_curr_locked(struct rq *rq)
{
	(void)rq;
	__need_resched = true;
}

void resched_curr(void)
{
	__need_resched = true;
}

static int class_rank(const struct sched_class *class)
{
	if (class == &rt_sched_class)
		return 0;
	return class == &fair_sched_class ? 1 : 2;
}

static void activate_task(struct rq *rq, struct task_struct *p, bool wakeup)
{
	p->sched_class->enqueue_task(rq, p, wakeup);
	p->on_rq = 1;
	rq->nr_running++;
	psi_enqueue(p);
}

static void deactivate_task(struct rq *rq, struct task_struct *p)
{
	p->sched_class->dequeue_task(rq, p);
	p->on_rq = 0;
	rq->nr_running--;
	psi_dequeue(p);
}

static void check_preempt_curr(struct rq *rq, struct task_struct *p)
{
	int rank = class_rank(p->sched_class), curr_rank = class_rank(rq->curr->sched_class);

	if (rank < curr_rank)
		resched_curr_locked(rq);
	else if (rank == curr_rank)
		p->sched_class->check_preempt_curr(rq, p);
}

/* As Linux's try_to_wake_up: only a task sleeping in one of the states in
 * the mask is woken; it then competes for the CPU like any other. */
static int try_to_wake_up(struct task_struct *p, unsigned int state)
{
	struct rq *rq = &runqueue;
	uint64_t flags = rq_lock_irqsave(rq);
	int woken = 0;

	if (p->__state & state) {
		woken = 1;
		p->__state = TASK_RUNNING;
		if (!p->on_rq) {
			update_rq_clock(rq);
			activate_task(rq, p, true);
			check_preempt_curr(rq, p);
		}
	}
	rq_unlock_irqrestore(rq, flags);
	return woken;
}

int wake_up_process(struct task_struct *p)
{
	return try_to_wake_up(p, TASK_NORMAL);
}

int wake_up_state(struct task_struct *p, unsigned int state)
{
	return try_to_wake_up(p, state);
}

/* A new task enters the run queue for the first time. */
void wake_up_new_task(struct task_struct *p);
void wake_up_new_task(struct task_struct *p)
{
	struct rq *rq = &runqueue;
	uint64_t flags = rq_lock_irqsave(rq);

	update_rq_clock(rq);
	p->__state = TASK_RUNNING;
	activate_task(rq, p, false);
	check_preempt_curr(rq, p);
	rq_unlock_irqrestore(rq, flags);
}

static struct task_struct *pick_next_task(struct rq *rq, struct task_struct *prev)
{
	static const struct sched_class *const classes[] = {&rt_sched_class, &fair_sched_class,
							    &idle_sched_class};
	struct task_struct *p;

	prev->sched_class->put_prev_task(rq, prev);
	for (unsigned int i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		p = classes[i]->pick_next_task(rq);
		if (p)
			return p;
	}
	return rq->idle;
}

void put_task_struct_dead(struct task_struct *p);

/* The switched-to task finishes the switch: it drops the run-queue lock the
 * previous task took, and the last reference of a task that died. */
static void finish_task_switch(struct rq *rq, struct task_struct *prev)
{
	arch_spin_unlock(&rq->lock);
	if (prev->__state == TASK_DEAD)
		put_task_struct_dead(prev);
}

/* First code a new task runs (from ret_from_kernel_thread). */
void schedule_tail(void);
void schedule_tail(void)
{
	finish_task_switch(&runqueue, runqueue.prev_task);
	preempt_count_sub(PREEMPT_OFFSET);
	local_irq_enable();
}

/* Called with preemption disabled; returns with interrupts disabled. */
static void __schedule(bool preempt)
{
	struct rq *rq = &runqueue;
	struct task_struct *prev = current, *next;
	unsigned long *switch_count = &prev->nivcsw;

	local_irq_disable();
	arch_spin_lock(&rq->lock);
	update_rq_clock(rq);
	if (!preempt && prev->__state != TASK_RUNNING) {
		if (signal_pending_state(prev->__state, prev)) {
			prev->__state = TASK_RUNNING;
		} else {
			deactivate_task(rq, prev);
			prev->sleep_start = rq->clock;
		}
		switch_count = &prev->nvcsw;
	}
	next = pick_next_task(rq, prev);
	__need_resched = false;
	if (next == prev) {
		arch_spin_unlock(&rq->lock);
		return;
	}
	rq->nr_switches++;
	(*switch_count)++;
	rq->curr = next;
	rq->prev_task = prev;
	psi_sched_switch(prev, next);
	current_task = next;
	switch_to_arch(prev, next);
	__switch_to_asm(&prev->thread.sp, next->thread.sp);
	/* Running again: whoever switched to us left itself in prev_task. */
	finish_task_switch(rq, rq->prev_task);
}

/* The last schedule() of an exiting task, entered with preemption
 * disabled (do_exit did it before telling the parent) so no interrupt can
 * switch away from it half-dead; the next task undoes the count as every
 * switched-to task does. */
void do_task_dead(void) __attribute__((noreturn));
void do_task_dead(void)
{
	current->__state = TASK_DEAD;
	__schedule(false);
	for (;;)
		halt();
}

void schedule(void)
{
	do {
		preempt_disable();
		__schedule(false);
		local_irq_enable();
		preempt_enable_no_resched();
	} while (need_resched());
}

void schedule_preempt_disabled(void)
{
	preempt_enable_no_resched();
	schedule();
	preempt_disable();
}

/* A preemption point in task context: only when nothing forbids it. */
void preempt_schedule(void)
{
	if (preempt_count() != 0 || irqs_disabled())
		return;
	do {
		preempt_disable();
		__schedule(true);
		local_irq_enable();
		preempt_enable_no_resched();
	} while (need_resched());
}

/* From the interrupt return path, interrupts off, and they stay off. */
void preempt_schedule_irq(void);
void preempt_schedule_irq(void)
{
	do {
		preempt_disable();
		__schedule(true);
		preempt_enable_no_resched();
	} while (need_resched());
}

int _cond_resched(void)
{
	if (need_resched() && preempt_count() == 0 && !irqs_disabled()) {
		preempt_schedule();
		return 1;
	}
	return 0;
}

void yield(void)
{
	struct rq *rq = &runqueue;
	uint64_t flags = rq_lock_irqsave(rq);

	current->sched_class->yield_task(rq);
	rq_unlock_irqrestore(rq, flags);
	schedule();
}

void scheduler_tick(void)
{
	struct rq *rq = &runqueue;
	uint64_t flags = rq_lock_irqsave(rq);

	update_rq_clock(rq);
	rq->curr->sched_class->task_tick(rq, rq->curr);
	rq_unlock_irqrestore(rq, flags);
}

/* Take p off its queue (if on one), change its policy or weight, put it
 * back; the running task's accounting is brought up to date first. */
static void change_task_sched(struct task_struct *p, unsigned int policy, int rt_priority,
			      int static_prio)
{
	struct rq *rq = &runqueue;
	uint64_t flags = rq_lock_irqsave(rq);
	bool queued = p->on_rq, running = rq->curr == p;

	update_rq_clock(rq);
	if (running)
		p->sched_class->put_prev_task(rq, p);
	if (queued)
		deactivate_task(rq, p);
	p->policy = policy;
	p->rt_priority = (unsigned int)rt_priority;
	p->static_prio = static_prio;
	if (rt_policy(policy)) {
		p->prio = MAX_RT_PRIO - 1 - rt_priority;
		p->sched_class = &rt_sched_class;
	} else {
		p->prio = static_prio;
		p->sched_class = &fair_sched_class;
	}
	p->normal_prio = p->prio;
	set_load_weight(p);
	if (queued)
		activate_task(rq, p, false);
	if (running)
		p->sched_class->set_next_task(rq, p);
	resched_curr_locked(rq);
	rq_unlock_irqrestore(rq, flags);
}

int sched_setscheduler(struct task_struct *p, int policy, const struct sched_param *param)
{
	int prio = param ? param->sched_priority : 0;

	if (is_idle_task(p))
		return -EPERM;
	switch (policy) {
	case SCHED_FIFO:
	case SCHED_RR:
		if (prio < 1 || prio > MAX_RT_PRIO - 1)
			return -EINVAL;
		break;
	case SCHED_NORMAL:
	case SCHED_BATCH:
	case SCHED_IDLE:
		if (prio != 0)
			return -EINVAL;
		break;
	default: return -EINVAL;
	}
	change_task_sched(p, (unsigned int)policy, prio, p->static_prio);
	return 0;
}

void set_user_nice(struct task_struct *p, long nice)
{
	if (nice < MIN_NICE)
		nice = MIN_NICE;
	if (nice > MAX_NICE)
		nice = MAX_NICE;
	if (is_idle_task(p))
		return;
	change_task_sched(p, p->policy, (int)p->rt_priority, NICE_TO_PRIO((int)nice));
}

/* Set up a new task's scheduling state: fair, nice 0, not queued yet. */
void sched_fork(struct task_struct *p);
void sched_fork(struct task_struct *p)
{
	p->__state = TASK_RUNNING;
	p->psi_flags = 0;
	p->in_memstall = false;
	p->policy = SCHED_NORMAL;
	p->static_prio = p->prio = p->normal_prio = DEFAULT_PRIO;
	p->sched_class = &fair_sched_class;
	INIT_LIST_HEAD(&p->se.run_node);
	INIT_LIST_HEAD(&p->rt.run_list);
	set_load_weight(p);
	p->se.vruntime = runqueue.cfs.min_vruntime;
}

/* The boot context becomes the idle task, pid 0, "swapper/0". */
void sched_init(void)
{
	struct rq *rq = &runqueue;
	struct task_struct *idle = &init_task;

	memset(rq, 0, sizeof(*rq));
	init_cfs_rq(&rq->cfs);
	init_rt_rq(&rq->rt);
	idle->flags |= PF_IDLE | PF_KTHREAD;
	idle->sched_class = &idle_sched_class;
	idle->policy = SCHED_IDLE;
	idle->static_prio = idle->prio = MAX_PRIO - 1;
	idle->__state = TASK_RUNNING;
	rq->curr = rq->idle = idle;
	current_task = idle;
	update_rq_clock(rq);
}
