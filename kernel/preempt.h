/* Preemption control: a per-CPU count of reasons not to switch tasks now
 * (spinlocks held, explicit preempt_disable, interrupt handlers), and the
 * need_resched flag the tick or a wakeup sets. Read first: the kernel is
 * fully preemptible; a task is switched out on return from an interrupt
 * only when the count is zero. */
#ifndef OOMLAB_KERNEL_PREEMPT_H
#define OOMLAB_KERNEL_PREEMPT_H
#include <stdbool.h>

#define PREEMPT_OFFSET 1
#define HARDIRQ_OFFSET (1 << 16)
#define HARDIRQ_MASK (0xff << 16)

/* One CPU: one count. It belongs to the CPU, not the task (as Linux's x86
 * per-CPU __preempt_count), so a task switch neither saves nor restores it. */
extern volatile int __preempt_count;
extern volatile bool __need_resched;

static inline int preempt_count(void)
{
	return __preempt_count;
}
static inline void preempt_count_add(int n)
{
	__preempt_count += n;
	__asm__ volatile("" ::: "memory");
}
static inline void preempt_count_sub(int n)
{
	__asm__ volatile("" ::: "memory");
	__preempt_count -= n;
}
static inline bool in_interrupt(void)
{
	return (preempt_count() & HARDIRQ_MASK) != 0;
}
static inline bool need_resched(void)
{
	return __need_resched;
}

void preempt_schedule(void);

static inline void preempt_disable(void)
{
	preempt_count_add(PREEMPT_OFFSET);
}
static inline void preempt_enable_no_resched(void)
{
	preempt_count_sub(PREEMPT_OFFSET);
}
/* Leaving the last critical section is a preemption point. */
static inline void preempt_enable(void)
{
	preempt_count_sub(PREEMPT_OFFSET);
	if (__preempt_count == 0 && __need_resched)
		preempt_schedule();
}
#endif
