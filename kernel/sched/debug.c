/* Task dumps: sched_show_task, show_state_filter (SysRq-t and -w) and the
 * monitor's ps (Linux's kernel/sched/core.c and debug.c). Read first: the
 * dump walks the task list one step at a time with preemption off, never
 * printing inside for_each_task, which holds interrupts off. */
#include "kernel/lockdep.h"
#include "kernel/printk.h"
#include "kernel/sched_debug.h"
#include "kernel/stacktrace.h"
#include "kernel/vsprintf.h"

#define NS_PER_MS 1000000ull
#define MS_PER_SEC 1000ull
#define PS_LINE_MAX 80

struct next_task_ctx {
	const struct task_struct *prev;
	struct task_struct *next;
	bool prev_seen;
};

static void find_next_task(struct task_struct *p, void *arg)
{
	struct next_task_ctx *ctx = arg;

	if (ctx->next)
		return;
	if (!ctx->prev || ctx->prev_seen)
		ctx->next = p;
	else if (p == ctx->prev)
		ctx->prev_seen = true;
}

/* Quadratic in the number of tasks, which is tens here; in exchange no
 * interrupt waits for the serial line. */
struct task_struct *next_task_stable(const struct task_struct *prev)
{
	struct next_task_ctx ctx = {.prev = prev};

	for_each_task(find_next_task, &ctx);
	return ctx.next;
}

char task_state_to_char(const struct task_struct *p)
{
	unsigned int state = task_state(p);

	if (p->exit_state & EXIT_ZOMBIE)
		return 'Z';
	if (p->exit_state || (state & TASK_DEAD))
		return 'X';
	if ((state & TASK_IDLE) == TASK_IDLE)
		return 'I';
	if (state & TASK_UNINTERRUPTIBLE)
		return 'D';
	if (state & __TASK_STOPPED)
		return 'T';
	if (state & TASK_INTERRUPTIBLE)
		return 'S';
	return 'R';
}

static const char *policy_name(unsigned int policy)
{
	switch (policy) {
	case SCHED_NORMAL: return "SCHED_NORMAL";
	case SCHED_FIFO: return "SCHED_FIFO";
	case SCHED_RR: return "SCHED_RR";
	case SCHED_BATCH: return "SCHED_BATCH";
	case SCHED_IDLE: return "SCHED_IDLE";
	default: return "?";
	}
}

const char *task_policy_short(const struct task_struct *p)
{
	switch (p->policy) {
	case SCHED_NORMAL: return "TS";
	case SCHED_FIFO: return "FF";
	case SCHED_RR: return "RR";
	case SCHED_BATCH: return "B";
	case SCHED_IDLE: return "IDL";
	default: return "?";
	}
}

uint64_t task_runtime_ms(const struct task_struct *p)
{
	return p->se.sum_exec_runtime / NS_PER_MS;
}

static int task_ppid(const struct task_struct *p)
{
	return p->parent ? p->parent->pid : 0;
}

/* Linux prints thread-info flags here; a kernel thread has none, so the
 * PF_* flags stand in. stack:0 as Linux without DEBUG_STACK_USAGE. */
void sched_show_task(const struct task_struct *p)
{
	bool running = task_state(p) == TASK_RUNNING;

	pr_info("task:%-15.15s state:%c%s stack:%-5d pid:%-5d ppid:%-6d flags:0x%08x "
		"policy:%s nice:%d sum_exec_runtime:%llums",
		p->comm, task_state_to_char(p), running ? "  running task    " : "", 0, p->pid,
		task_ppid(p), p->flags, policy_name(p->policy), task_nice(p),
		(unsigned long long)task_runtime_ms(p));
	show_task_stack(p);
}

/* As Linux: TASK_UNINTERRUPTIBLE as a filter means "blocked", which a
 * TASK_IDLE sleeper (nothing to wait for but work) is not. */
static bool state_filter_match(unsigned int state_filter, const struct task_struct *p)
{
	unsigned int state = task_state(p);

	if (!state_filter)
		return true;
	if (!(state & state_filter))
		return false;
	if (state_filter == TASK_UNINTERRUPTIBLE && (state & TASK_NOLOAD))
		return false;
	return true;
}

static void show_task_and_locks(const struct task_struct *p)
{
	sched_show_task(p);
	if (p->lockdep_depth)
		lockdep_print_held_locks(p);
}

void show_state_filter(unsigned int state_filter)
{
	struct task_struct *p;

	preempt_disable();
	for (p = next_task_stable(NULL); p; p = next_task_stable(p))
		if (state_filter_match(state_filter, p))
			show_task_and_locks(p);
	if (!state_filter)
		debug_show_all_locks();
	preempt_enable();
}

static void emit_ps_line(const struct task_struct *p, void (*emit)(void *ctx, const char *line),
			 void *ctx)
{
	char line[PS_LINE_MAX];
	uint64_t ms = task_runtime_ms(p);

	snprintf(line, sizeof(line), "%5d %5d %c %-6s %3d %7llu.%03llu %s", p->pid, task_ppid(p),
		 task_state_to_char(p), task_policy_short(p), task_nice(p),
		 (unsigned long long)(ms / MS_PER_SEC), (unsigned long long)(ms % MS_PER_SEC),
		 p->comm);
	emit(ctx, line);
}

void show_task_list(void (*emit)(void *ctx, const char *line), void *ctx)
{
	struct task_struct *p;

	emit(ctx, "  PID  PPID S POLICY  NI        TIME COMMAND");
	preempt_disable();
	for (p = next_task_stable(NULL); p; p = next_task_stable(p))
		emit_ps_line(p, emit, ctx);
	preempt_enable();
}
