/* The fair class: SCHED_NORMAL, SCHED_BATCH and SCHED_IDLE tasks share the
 * CPU in proportion to their weights (Linux's CFS, before EEVDF). Read
 * first: each task's virtual runtime grows by real runtime x 1024 /
 * weight, and the task with the smallest vruntime runs next, so a heavy
 * task's clock runs slow and it gets more CPU. */
#include "kernel/sched/sched.h"

#define SCHED_NR_LATENCY 8

uint64_t sysctl_sched_latency = 6000000ull;	       /* 6 ms */
uint64_t sysctl_sched_min_granularity = 750000ull;     /* 0.75 ms */
uint64_t sysctl_sched_wakeup_granularity = 1000000ull; /* 1 ms */

void init_cfs_rq(struct cfs_rq *cfs)
{
	INIT_LIST_HEAD(&cfs->tasks);
	cfs->min_vruntime = 0;
}

static struct task_struct *task_of(struct sched_entity *se)
{
	return container_of(se, struct task_struct, se);
}

static uint64_t calc_delta_fair(uint64_t delta, const struct sched_entity *se)
{
	return delta * NICE_0_LOAD / se->load.weight;
}

static struct sched_entity *leftmost(struct cfs_rq *cfs)
{
	if (list_empty(&cfs->tasks))
		return NULL;
	return list_first_entry(&cfs->tasks, struct sched_entity, run_node);
}

/* vruntime is compared as a signed difference, as Linux, so wrap-around of
 * the u64 clock would not matter. */
static bool entity_before(const struct sched_entity *a, const struct sched_entity *b)
{
	return (int64_t)(a->vruntime - b->vruntime) < 0;
}

static void update_min_vruntime(struct cfs_rq *cfs)
{
	struct sched_entity *left = leftmost(cfs), *curr = cfs->curr;
	uint64_t v = cfs->min_vruntime;

	if (curr && curr->on_rq)
		v = curr->vruntime;
	if (left && (!(curr && curr->on_rq) || entity_before(left, curr)))
		v = left->vruntime;
	if ((int64_t)(v - cfs->min_vruntime) > 0)
		cfs->min_vruntime = v;
}

static void update_curr(struct rq *rq)
{
	struct sched_entity *curr = rq->cfs.curr;
	uint64_t delta;

	if (!curr)
		return;
	delta = rq->clock - curr->exec_start;
	if ((int64_t)delta <= 0)
		return;
	curr->exec_start = rq->clock;
	curr->sum_exec_runtime += delta;
	curr->vruntime += calc_delta_fair(delta, curr);
	update_min_vruntime(&rq->cfs);
}

/* Sorted insert: O(n) where Linux uses an rbtree; n is small here. */
static void __enqueue_entity(struct cfs_rq *cfs, struct sched_entity *se)
{
	struct sched_entity *pos;

	list_for_each_entry(pos, &cfs->tasks, run_node) {
		if (entity_before(se, pos)) {
			list_add_tail(&se->run_node, &pos->run_node);
			return;
		}
	}
	list_add_tail(&se->run_node, &cfs->tasks);
}

/* As Linux's place_entity with GENTLE_FAIR_SLEEPERS: a waking task gets at
 * most half a latency period of credit, so long sleepers cannot hog the
 * CPU; a new task starts one slice behind (START_DEBIT). */
static void place_entity(struct cfs_rq *cfs, struct sched_entity *se, bool wakeup)
{
	uint64_t vruntime = cfs->min_vruntime;

	if (wakeup)
		vruntime -= sysctl_sched_latency / 2;
	else
		vruntime += calc_delta_fair(sysctl_sched_min_granularity, se);
	if (wakeup && (int64_t)(se->vruntime - vruntime) > 0)
		vruntime = se->vruntime;
	se->vruntime = vruntime;
}

static void enqueue_task_fair(struct rq *rq, struct task_struct *p, bool wakeup)
{
	struct sched_entity *se = &p->se;

	update_curr(rq);
	place_entity(&rq->cfs, se, wakeup);
	rq->cfs.load += se->load.weight;
	rq->cfs.nr_running++;
	se->on_rq = true;
	if (se != rq->cfs.curr)
		__enqueue_entity(&rq->cfs, se);
}

static void dequeue_task_fair(struct rq *rq, struct task_struct *p)
{
	struct sched_entity *se = &p->se;

	update_curr(rq);
	if (se != rq->cfs.curr)
		list_del_init(&se->run_node);
	rq->cfs.load -= se->load.weight;
	rq->cfs.nr_running--;
	se->on_rq = false;
	update_min_vruntime(&rq->cfs);
}

static void set_next_entity(struct rq *rq, struct sched_entity *se)
{
	if (!list_empty(&se->run_node))
		list_del_init(&se->run_node);
	rq->cfs.curr = se;
	se->exec_start = rq->clock;
	se->prev_sum_exec_runtime = se->sum_exec_runtime;
}

static struct task_struct *pick_next_task_fair(struct rq *rq)
{
	struct sched_entity *se = leftmost(&rq->cfs);

	if (!se)
		return NULL;
	set_next_entity(rq, se);
	return task_of(se);
}

static void put_prev_task_fair(struct rq *rq, struct task_struct *p)
{
	struct sched_entity *se = &p->se;

	if (rq->cfs.curr != se)
		return;
	update_curr(rq);
	if (se->on_rq)
		__enqueue_entity(&rq->cfs, se);
	rq->cfs.curr = NULL;
}

static void set_next_task_fair(struct rq *rq, struct task_struct *p)
{
	set_next_entity(rq, &p->se);
}

/* As Linux's sched_slice: the latency period (stretched when many tasks
 * run) divided by weight. */
static uint64_t sched_slice(const struct cfs_rq *cfs, const struct sched_entity *se)
{
	uint64_t period = sysctl_sched_latency;

	if (cfs->nr_running > SCHED_NR_LATENCY)
		period = cfs->nr_running * sysctl_sched_min_granularity;
	return cfs->load ? period * se->load.weight / cfs->load : period;
}

/* As Linux's check_preempt_tick. */
static void task_tick_fair(struct rq *rq, struct task_struct *p)
{
	struct sched_entity *curr = &p->se, *left;
	uint64_t ideal, ran;

	update_curr(rq);
	if (rq->cfs.nr_running < 2)
		return;
	ideal = sched_slice(&rq->cfs, curr);
	ran = curr->sum_exec_runtime - curr->prev_sum_exec_runtime;
	if (ran > ideal) {
		resched_curr_locked(rq);
		return;
	}
	if (ran < sysctl_sched_min_granularity)
		return;
	left = leftmost(&rq->cfs);
	if (left && (int64_t)(curr->vruntime - left->vruntime) > (int64_t)ideal)
		resched_curr_locked(rq);
}

/* A waking task preempts when it is far enough behind in vruntime; a
 * SCHED_IDLE task never preempts a normal one, and is always preempted. */
static void check_preempt_wakeup(struct rq *rq, struct task_struct *p)
{
	struct task_struct *curr = rq->curr;
	uint64_t gran;

	if (curr->policy == SCHED_IDLE && p->policy != SCHED_IDLE) {
		resched_curr_locked(rq);
		return;
	}
	if (p->policy == SCHED_IDLE && curr->policy != SCHED_IDLE)
		return;
	update_curr(rq);
	gran = calc_delta_fair(sysctl_sched_wakeup_granularity, &p->se);
	if ((int64_t)(curr->se.vruntime - p->se.vruntime) > (int64_t)gran)
		resched_curr_locked(rq);
}

/* Go to the back of the line: behind the last queued task. */
static void yield_task_fair(struct rq *rq)
{
	struct sched_entity *curr = rq->cfs.curr;
	struct sched_entity *last;

	if (!curr || list_empty(&rq->cfs.tasks))
		return;
	update_curr(rq);
	last = list_last_entry(&rq->cfs.tasks, struct sched_entity, run_node);
	if (entity_before(curr, last))
		curr->vruntime = last->vruntime + 1;
}

const struct sched_class fair_sched_class = {
	.enqueue_task = enqueue_task_fair,
	.dequeue_task = dequeue_task_fair,
	.yield_task = yield_task_fair,
	.check_preempt_curr = check_preempt_wakeup,
	.pick_next_task = pick_next_task_fair,
	.put_prev_task = put_prev_task_fair,
	.set_next_task = set_next_task_fair,
	.task_tick = task_tick_fair,
};
