/* The tick, jiffies and kernel timers (Linux's kernel/time/timer.c, with a
 * sorted list where Linux has its timer wheel). Read first: HZ is 250, as
 * Linux's default; timer functions run from the tick interrupt, so they
 * must not sleep. */
#ifndef OOMLAB_KERNEL_TIMER_H
#define OOMLAB_KERNEL_TIMER_H
#include "kernel/list.h"
#include <stdbool.h>
#include <stdint.h>

#define HZ 250

extern volatile unsigned long jiffies;

struct timer_list {
	struct list_head entry;
	unsigned long expires;
	void (*function)(struct timer_list *timer);
	bool pending;
};

void timer_setup(struct timer_list *timer, void (*function)(struct timer_list *timer),
		 unsigned int flags);
/* (Re)arm; returns whether it was pending. */
int mod_timer(struct timer_list *timer, unsigned long expires);
void add_timer(struct timer_list *timer);
int del_timer(struct timer_list *timer);
/* One CPU, timers run with interrupts off: once del_timer returns, the
 * function is not running and will not run. */
int del_timer_sync(struct timer_list *timer);
bool timer_pending(const struct timer_list *timer);
/* Booted with preempt_stress=1 (random short ticks, each a preemption). */
bool preempt_stress_enabled(void);
unsigned long preempt_stress_ticks(void);

static inline bool time_after(unsigned long a, unsigned long b)
{
	return (long)(b - a) < 0;
}
static inline bool time_after_eq(unsigned long a, unsigned long b)
{
	return (long)(a - b) >= 0;
}
#define time_before(a, b) time_after(b, a)

unsigned long msecs_to_jiffies(unsigned int ms);
unsigned int jiffies_to_msecs(unsigned long j);

long schedule_timeout_interruptible(long timeout);
long schedule_timeout_killable(long timeout);
long schedule_timeout_uninterruptible(long timeout);
long schedule_timeout_idle(long timeout);
void msleep(unsigned int msecs);
unsigned long msleep_interruptible(unsigned int msecs);

/* Monotonic clock in ns (the calibrated TSC). */
uint64_t ktime_get_ns(void);

void time_init(void);
#endif
