/* The idle class and the idle loop: when nothing else can run, the boot
 * context (pid 0, swapper/0) halts the CPU until an interrupt. Read first:
 * the idle task is never on a queue; it is what pick_next_task falls back
 * to. */
#include "kernel/sched/sched.h"
#include "kernel/x86.h"

static void enqueue_task_idle(struct rq *rq, struct task_struct *p, bool wakeup)
{
	(void)rq, (void)p, (void)wakeup;
}
static void dequeue_task_idle(struct rq *rq, struct task_struct *p)
{
	(void)rq, (void)p;
}
static void yield_task_idle(struct rq *rq)
{
	(void)rq;
}
static void check_preempt_curr_idle(struct rq *rq, struct task_struct *p)
{
	(void)p;
	resched_curr_locked(rq);
}
static struct task_struct *pick_next_task_idle(struct rq *rq)
{
	rq->idle->se.exec_start = rq->clock;
	return rq->idle;
}
static void put_prev_task_idle(struct rq *rq, struct task_struct *p)
{
	uint64_t delta = rq->clock - p->se.exec_start;

	if ((int64_t)delta > 0)
		p->se.sum_exec_runtime += delta;
}
static void set_next_task_idle(struct rq *rq, struct task_struct *p)
{
	p->se.exec_start = rq->clock;
}
static void task_tick_idle(struct rq *rq, struct task_struct *p)
{
	put_prev_task_idle(rq, p);
	p->se.exec_start = rq->clock;
}

const struct sched_class idle_sched_class = {
	.enqueue_task = enqueue_task_idle,
	.dequeue_task = dequeue_task_idle,
	.yield_task = yield_task_idle,
	.check_preempt_curr = check_preempt_curr_idle,
	.pick_next_task = pick_next_task_idle,
	.put_prev_task = put_prev_task_idle,
	.set_next_task = set_next_task_idle,
	.task_tick = task_tick_idle,
};

/* sti;hlt together: a wake-up interrupt between the check and the halt
 * cannot be lost. */
void cpu_idle_loop(void)
{
	for (;;) {
		local_irq_disable();
		if (need_resched()) {
			local_irq_enable();
			schedule();
			continue;
		}
		safe_halt();
	}
}
