/* Pressure stall information (Linux's kernel/sched/psi.c): how much of the
 * time some task, or every task, was held up waiting for memory or for the
 * CPU, as totals (µs) and decaying averages over 10 s, 60 s and 300 s.
 * Read first: the scheduler reports each task's changes (runnable, on the
 * CPU, stalled on memory) and psi keeps the time each state lasted; the
 * allocator marks a memory stall with psi_memstall_enter/leave. */
#ifndef OOMLAB_KERNEL_PSI_H
#define OOMLAB_KERNEL_PSI_H
#include <stdbool.h>
#include <stdint.h>

struct dentry;
struct seq_file;
struct task_struct;

/* Task counts, and the task flags (1 << count) that feed them; Linux's. */
enum psi_task_count { NR_MEMSTALL, NR_RUNNING, NR_MEMSTALL_RUNNING, NR_PSI_TASK_COUNTS };
#define TSK_MEMSTALL (1u << NR_MEMSTALL)
#define TSK_RUNNING (1u << NR_RUNNING)
#define TSK_MEMSTALL_RUNNING (1u << NR_MEMSTALL_RUNNING)
#define TSK_ONCPU (1u << NR_PSI_TASK_COUNTS)

enum psi_res { PSI_MEM, PSI_CPU, NR_PSI_RESOURCES };
/* The states time is counted in: per resource, "some" then "full". */
enum psi_states { PSI_MEM_SOME, PSI_MEM_FULL, PSI_CPU_SOME, PSI_CPU_FULL, NR_PSI_STATES };

/* Averages are percentages in fixed point with FSHIFT fraction bits. */
#define PSI_FSHIFT 11
#define PSI_FIXED_1 (1ul << PSI_FSHIFT)
#define PSI_NR_AVGS 3 /* avg10, avg60, avg300 */
#define PSI_PERIOD_NS (2ull * 1000000000ull)

/* Linux's psi_memstall_enter/leave: *flags keeps nesting harmless. */
void psi_memstall_enter(unsigned long *flags);
void psi_memstall_leave(unsigned long *flags);

/* Scheduler hooks, called with the run-queue lock held, interrupts off. */
void psi_enqueue(struct task_struct *p);
void psi_dequeue(struct task_struct *p);
void psi_sched_switch(struct task_struct *prev, struct task_struct *next);

/* Which states hold for these task counts, with a task on the CPU or not. */
unsigned int psi_state_mask(const unsigned int tasks[NR_PSI_TASK_COUNTS], bool oncpu);
/* One averaging period: time stalled of period (ns), after missed
 * periods with no sample; avg[] in fixed point, as Linux's calc_avgs. */
void psi_calc_avgs(unsigned long avg[PSI_NR_AVGS], unsigned long missed_periods, uint64_t time,
		   uint64_t period);
/* The total time spent in state (ns), up to now. */
uint64_t psi_total_ns(enum psi_states state);
/* Linux's /proc/pressure line for res: "some ..." or "full ...". */
void psi_show(struct seq_file *m, enum psi_res res);

void psi_init(void);			 /* the 2 s averaging timer */
void psi_proc_init(struct dentry *root); /* /proc/pressure */
#endif
