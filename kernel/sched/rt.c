/* The real-time class: SCHED_FIFO and SCHED_RR tasks, priorities 1..99,
 * always before any fair task (Linux's kernel/sched/rt.c, without
 * throttling). Read first: a FIFO task runs until it blocks, yields or a
 * higher priority one wakes; RR adds a time slice among equals. */
#include "kernel/sched/sched.h"

#define RR_TIMESLICE_NS 100000000ull /* 100 ms, as Linux's sched_rr_timeslice */

void init_rt_rq(struct rt_rq *rt)
{
	for (int i = 0; i < MAX_RT_PRIO; i++)
		INIT_LIST_HEAD(&rt->queue[i]);
	rt->nr_running = 0;
}

static struct list_head *queue_of(struct rq *rq, const struct task_struct *p)
{
	return &rq->rt.queue[p->prio];
}

static void enqueue_task_rt(struct rq *rq, struct task_struct *p, bool wakeup)
{
	(void)wakeup;
	if (rq->curr != p)
		list_add_tail(&p->rt.run_list, queue_of(rq, p));
	p->rt.on_rq = true;
	rq->rt.nr_running++;
}

static void dequeue_task_rt(struct rq *rq, struct task_struct *p)
{
	if (!list_empty(&p->rt.run_list))
		list_del_init(&p->rt.run_list);
	p->rt.on_rq = false;
	rq->rt.nr_running--;
}

static void account_rt(struct rq *rq, struct task_struct *p)
{
	uint64_t delta = rq->clock - p->se.exec_start;

	if ((int64_t)delta > 0) {
		p->se.sum_exec_runtime += delta;
		p->se.exec_start = rq->clock;
	}
}

static struct task_struct *pick_next_task_rt(struct rq *rq)
{
	for (int prio = 0; prio < MAX_RT_PRIO; prio++) {
		struct task_struct *p;

		if (list_empty(&rq->rt.queue[prio]))
			continue;
		p = list_first_entry(&rq->rt.queue[prio], struct task_struct, rt.run_list);
		list_del_init(&p->rt.run_list);
		p->se.exec_start = rq->clock;
		p->se.prev_sum_exec_runtime = p->se.sum_exec_runtime;
		return p;
	}
	return NULL;
}

/* A preempted RT task keeps its place at the head of its queue, as Linux. */
static void put_prev_task_rt(struct rq *rq, struct task_struct *p)
{
	account_rt(rq, p);
	if (p->rt.on_rq && list_empty(&p->rt.run_list))
		list_add(&p->rt.run_list, queue_of(rq, p));
}

static void set_next_task_rt(struct rq *rq, struct task_struct *p)
{
	if (!list_empty(&p->rt.run_list))
		list_del_init(&p->rt.run_list);
	p->se.exec_start = rq->clock;
}

static void yield_task_rt(struct rq *rq)
{
	struct task_struct *p = rq->curr;

	/* To the tail: put_prev_task_rt sees it queued and leaves it there. */
	list_add_tail(&p->rt.run_list, queue_of(rq, p));
	resched_curr_locked(rq);
}

static void check_preempt_curr_rt(struct rq *rq, struct task_struct *p)
{
	if (p->prio < rq->curr->prio)
		resched_curr_locked(rq);
}

static void task_tick_rt(struct rq *rq, struct task_struct *p)
{
	account_rt(rq, p);
	if (p->policy != SCHED_RR)
		return;
	if (p->se.sum_exec_runtime - p->se.prev_sum_exec_runtime < RR_TIMESLICE_NS)
		return;
	if (!list_empty(queue_of(rq, p))) {
		list_add_tail(&p->rt.run_list, queue_of(rq, p));
		resched_curr_locked(rq);
	}
	p->se.prev_sum_exec_runtime = p->se.sum_exec_runtime;
}

const struct sched_class rt_sched_class = {
	.enqueue_task = enqueue_task_rt,
	.dequeue_task = dequeue_task_rt,
	.yield_task = yield_task_rt,
	.check_preempt_curr = check_preempt_curr_rt,
	.pick_next_task = pick_next_task_rt,
	.put_prev_task = put_prev_task_rt,
	.set_next_task = set_next_task_rt,
	.task_tick = task_tick_rt,
};
