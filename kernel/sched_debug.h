/* Looking at tasks from outside: the SysRq-t/w task dump and the monitor's
 * ps (Linux's include/linux/sched/debug.h). Read first: every walk here
 * runs with preemption off, so no other task runs, exits or is freed while
 * it prints; that is also why it works from an interrupt handler. */
#ifndef OOMLAB_KERNEL_SCHED_DEBUG_H
#define OOMLAB_KERNEL_SCHED_DEBUG_H
#include "kernel/sched.h"

/* The task after prev on the task list (the first when prev is NULL), NULL
 * after the last. Only with preemption off: the list changes only when a
 * task runs. Each step holds interrupts off only for one short list walk. */
struct task_struct *next_task_stable(const struct task_struct *prev);

/* One letter as Linux's ps and sysrq print it: R S D T t X Z P I. */
char task_state_to_char(const struct task_struct *p);
/* ps's class names: TS (normal), B (batch), IDL, FF, RR. */
const char *task_policy_short(const struct task_struct *p);
uint64_t task_runtime_ms(const struct task_struct *p);

/* "task:NAME state:S stack:0 pid:N ppid:N flags:0x... policy:... nice:N
 * runtime:Nms", then its Call Trace (Linux's sched_show_task). */
void sched_show_task(const struct task_struct *p);
/* Every task whose state has a bit of state_filter, with its held locks;
 * TASK_UNINTERRUPTIBLE leaves out TASK_IDLE sleepers (SysRq-w). 0: every
 * task, then all locks held in the system (SysRq-t). */
void show_state_filter(unsigned int state_filter);
static inline void show_state(void)
{
	show_state_filter(0);
}
/* The monitor's ps: a header, then one line per task (PID PPID STATE
 * POLICY NI TIME COMMAND; TIME is CPU seconds), each handed to emit as
 * the /proc-style views do. */
void show_task_list(void (*emit)(void *ctx, const char *line), void *ctx);
#endif
