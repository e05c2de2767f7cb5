/* Pressure stall information (Linux's kernel/sched/psi.c, for one CPU and
 * the system group only): memory "some" is time at least one task was
 * stalled on memory (reclaim, compaction, waiting out an OOM kill), "full"
 * time every runnable task was; cpu "some" is time a runnable task waited
 * for the CPU. Read first: task flags change under psi_lock with
 * interrupts off; each change first closes the time spent in the old
 * states (record_times), so totals are exact; every 2 s a timer folds the
 * new stall time into the three decaying averages, in fixed point. */
#include "kernel/psi.h"
#include "kernel/fs/proc_fs.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/x86.h"

/* 1 / exp(2 s / 10 s), 1 / exp(2 s / 60 s), 1 / exp(2 s / 300 s), in
 * PSI_FSHIFT fixed point: Linux's EXP_10s, EXP_60s and EXP_300s. */
static const unsigned long psi_exp[PSI_NR_AVGS] = {1677, 1981, 2034};
#define PSI_FREQ_JIFFIES (2 * HZ + 1) /* Linux's PSI_FREQ: a tick late rather than early */
#define PERCENT 100

struct psi_group {
	unsigned int tasks[NR_PSI_TASK_COUNTS];
	bool oncpu;		       /* a task (not idle) runs */
	unsigned int state_mask;       /* the states holding since state_start */
	uint64_t state_start;	       /* ns */
	uint64_t total[NR_PSI_STATES]; /* ns, up to state_start */
	/* Averaging: the totals already folded in, and when. */
	uint64_t avg_total[NR_PSI_STATES];
	uint64_t avg_last_update, avg_next_update;
	unsigned long avg[NR_PSI_STATES][PSI_NR_AVGS];
};

static struct psi_group psi_system;
static spinlock_t psi_lock = __SPIN_LOCK_UNLOCKED(psi_lock);
static struct timer_list psi_avgs_timer;

static uint64_t psi_lock_irqsave(void)
{
	uint64_t flags = local_irq_save();

	arch_spin_lock(&psi_lock);
	return flags;
}

static void psi_unlock_irqrestore(uint64_t flags)
{
	arch_spin_unlock(&psi_lock);
	local_irq_restore(flags);
}

/* As Linux's test_states. */
unsigned int psi_state_mask(const unsigned int tasks[NR_PSI_TASK_COUNTS], bool oncpu)
{
	unsigned int mask = 0;

	if (tasks[NR_MEMSTALL]) {
		mask |= 1u << PSI_MEM_SOME;
		/* No runnable task is doing anything but stalling. */
		if (tasks[NR_RUNNING] == tasks[NR_MEMSTALL_RUNNING])
			mask |= 1u << PSI_MEM_FULL;
	}
	if (tasks[NR_RUNNING] > (oncpu ? 1u : 0u))
		mask |= 1u << PSI_CPU_SOME;
	if (tasks[NR_RUNNING] && !oncpu)
		mask |= 1u << PSI_CPU_FULL;
	return mask;
}

/* Close the time spent in the current states, up to now. */
static void record_times(struct psi_group *group, uint64_t now)
{
	uint64_t delta = now > group->state_start ? now - group->state_start : 0;

	group->state_start = now;
	for (int s = 0; s < NR_PSI_STATES; s++)
		if (group->state_mask & (1u << s))
			group->total[s] += delta;
}

/* As Linux's psi_group_change: p's flags lose clear and gain set. */
static void psi_task_change(struct task_struct *p, unsigned int clear, unsigned int set)
{
	struct psi_group *group = &psi_system;

	record_times(group, local_clock());
	for (int t = 0; t < NR_PSI_TASK_COUNTS; t++) {
		if ((clear & (1u << t)) && group->tasks[t])
			group->tasks[t]--;
		if (set & (1u << t))
			group->tasks[t]++;
	}
	if (clear & TSK_ONCPU)
		group->oncpu = false;
	if (set & TSK_ONCPU)
		group->oncpu = true;
	p->psi_flags = (p->psi_flags & ~clear) | set;
	group->state_mask = psi_state_mask(group->tasks, group->oncpu);
}

void psi_enqueue(struct task_struct *p)
{
	uint64_t flags;

	if (p->flags & PF_IDLE)
		return;
	flags = psi_lock_irqsave();
	psi_task_change(p, 0, TSK_RUNNING | (p->in_memstall ? TSK_MEMSTALL_RUNNING : 0));
	psi_unlock_irqrestore(flags);
}

/* A task going to sleep inside a memory stall stays stalled (NR_MEMSTALL)
 * but no longer runs; a dying one takes every count with it, so a stall
 * never outlives its task. */
void psi_dequeue(struct task_struct *p)
{
	unsigned int clear = TSK_RUNNING | TSK_MEMSTALL_RUNNING;
	uint64_t flags;

	if (p->flags & PF_IDLE)
		return;
	if (p->__state == TASK_DEAD)
		clear |= TSK_MEMSTALL;
	flags = psi_lock_irqsave();
	psi_task_change(p, p->psi_flags & clear, 0);
	psi_unlock_irqrestore(flags);
}

void psi_sched_switch(struct task_struct *prev, struct task_struct *next)
{
	uint64_t flags = psi_lock_irqsave();

	if (prev->psi_flags & TSK_ONCPU)
		psi_task_change(prev, TSK_ONCPU, 0);
	if (!(next->flags & PF_IDLE))
		psi_task_change(next, 0, TSK_ONCPU);
	psi_unlock_irqrestore(flags);
}

void psi_memstall_enter(unsigned long *flags)
{
	struct task_struct *p = current_task;
	uint64_t irq;

	/* Nested, or no task to stall (boot, the idle task). */
	*flags = !p || (p->flags & PF_IDLE) || p->in_memstall;
	if (*flags)
		return;
	irq = psi_lock_irqsave();
	p->in_memstall = true;
	psi_task_change(p, 0, TSK_MEMSTALL | TSK_MEMSTALL_RUNNING);
	psi_unlock_irqrestore(irq);
}

void psi_memstall_leave(unsigned long *flags)
{
	struct task_struct *p = current_task;
	uint64_t irq;

	if (*flags)
		return;
	irq = psi_lock_irqsave();
	p->in_memstall = false;
	psi_task_change(p, TSK_MEMSTALL | TSK_MEMSTALL_RUNNING, 0);
	psi_unlock_irqrestore(irq);
}

/* Linux's calc_load: one step of an exponential moving average. */
static unsigned long calc_load(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long newload = load * exp + active * (PSI_FIXED_1 - exp);

	if (active >= load)
		newload += PSI_FIXED_1 - 1; /* round up while rising */
	return newload / PSI_FIXED_1;
}

/* x^n in fixed point, by squaring, rounding each product. */
static unsigned long fixed_power(unsigned long x, unsigned long n)
{
	unsigned long result = PSI_FIXED_1, half = PSI_FIXED_1 / 2;

	while (n) {
		if (n & 1)
			result = (result * x + half) >> PSI_FSHIFT;
		n >>= 1;
		x = (x * x + half) >> PSI_FSHIFT;
	}
	return result;
}

void psi_calc_avgs(unsigned long avg[PSI_NR_AVGS], unsigned long missed_periods, uint64_t time,
		   uint64_t period)
{
	unsigned long pct;

	/* Periods with no stall at all only decay the averages. */
	for (int i = 0; missed_periods && i < PSI_NR_AVGS; i++)
		avg[i] = calc_load(avg[i], fixed_power(psi_exp[i], missed_periods), 0);
	/* As Linux: whole percents of the period, then fixed point. */
	pct = period ? (unsigned long)(time * PERCENT / period) * PSI_FIXED_1 : 0;
	for (int i = 0; i < PSI_NR_AVGS; i++)
		avg[i] = calc_load(avg[i], psi_exp[i], pct);
}

/* As Linux's update_averages: fold the stall time since the last update
 * into the averages; called with psi_lock held. */
static void update_averages(struct psi_group *group, uint64_t now)
{
	unsigned long missed = 0;
	uint64_t period;

	if (now - group->avg_next_update >= PSI_PERIOD_NS)
		missed = (unsigned long)((now - group->avg_next_update) / PSI_PERIOD_NS);
	group->avg_next_update += (1 + missed) * PSI_PERIOD_NS;
	period = now - (group->avg_last_update + missed * PSI_PERIOD_NS);
	group->avg_last_update = now;
	for (int s = 0; s < NR_PSI_STATES; s++) {
		uint64_t sample = group->total[s] - group->avg_total[s];

		if (sample > period)
			sample = period;
		group->avg_total[s] += sample;
		psi_calc_avgs(group->avg[s], missed, sample, period);
	}
}

static void psi_avgs_work(struct timer_list *timer)
{
	uint64_t flags = psi_lock_irqsave(), now = local_clock();

	record_times(&psi_system, now);
	if (now >= psi_system.avg_next_update)
		update_averages(&psi_system, now);
	psi_unlock_irqrestore(flags);
	mod_timer(timer, jiffies + PSI_FREQ_JIFFIES);
}

uint64_t psi_total_ns(enum psi_states state)
{
	uint64_t flags = psi_lock_irqsave(), total;

	record_times(&psi_system, local_clock());
	total = psi_system.total[state];
	psi_unlock_irqrestore(flags);
	return total;
}

/* Linux's LOAD_INT and LOAD_FRAC: a fixed-point percent as "I.FF". */
static unsigned long load_int(unsigned long x)
{
	return x >> PSI_FSHIFT;
}
static unsigned long load_frac(unsigned long x)
{
	return load_int((x & (PSI_FIXED_1 - 1)) * PERCENT);
}

void psi_show(struct seq_file *m, enum psi_res res)
{
	unsigned long avg[2][PSI_NR_AVGS];
	uint64_t total[2], flags = psi_lock_irqsave(), now = local_clock();

	record_times(&psi_system, now);
	if (now >= psi_system.avg_next_update)
		update_averages(&psi_system, now);
	for (int full = 0; full < 2; full++) {
		int s = (int)res * 2 + full;

		/* As Linux: cpu "full" means nothing for the whole system. */
		bool undefined = res == PSI_CPU && full;

		for (int i = 0; i < PSI_NR_AVGS; i++)
			avg[full][i] = undefined ? 0 : psi_system.avg[s][i];
		total[full] = undefined ? 0 : psi_system.total[s] / NSEC_PER_USEC;
	}
	psi_unlock_irqrestore(flags);
	for (int full = 0; full < 2; full++)
		seq_printf(m, "%s avg10=%lu.%02lu avg60=%lu.%02lu avg300=%lu.%02lu total=%llu\n",
			   full ? "full" : "some", load_int(avg[full][0]), load_frac(avg[full][0]),
			   load_int(avg[full][1]), load_frac(avg[full][1]), load_int(avg[full][2]),
			   load_frac(avg[full][2]), (unsigned long long)total[full]);
}

static int psi_memory_show(struct seq_file *m)
{
	psi_show(m, PSI_MEM);
	return 0;
}

static int psi_cpu_show(struct seq_file *m)
{
	psi_show(m, PSI_CPU);
	return 0;
}

static const struct proc_ops psi_memory_ops = {.proc_show = psi_memory_show};
static const struct proc_ops psi_cpu_ops = {.proc_show = psi_cpu_show};

void psi_proc_init(struct dentry *root)
{
	struct dentry *dir = proc_mkdir(root, "pressure");

	proc_create(dir, "memory", 0444, &psi_memory_ops, NULL);
	proc_create(dir, "cpu", 0444, &psi_cpu_ops, NULL);
}

void psi_init(void)
{
	uint64_t flags = psi_lock_irqsave(), now = local_clock();

	psi_system.avg_last_update = now;
	psi_system.avg_next_update = now + PSI_PERIOD_NS;
	psi_unlock_irqrestore(flags);
	timer_setup(&psi_avgs_timer, psi_avgs_work, 0);
	mod_timer(&psi_avgs_timer, jiffies + PSI_FREQ_JIFFIES);
}
