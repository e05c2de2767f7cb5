/* The periodic tick from PIT channel 0 at HZ, jiffies, timers and the
 * schedule_timeout family. Read first: the PIT alone drives the tick: with
 * one CPU there is no need for per-CPU local APIC timers yet, and the PIT
 * needs no calibration of its own (the TSC is calibrated against it). */
#include "kernel/timer.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/traps.h"
#include "kernel/wait.h"
#include "kernel/x86.h"

#define PIT_FREQUENCY_HZ 1193182u
#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_CH0_RATE_GENERATOR 0x34 /* channel 0, lo/hi byte, mode 2 */
#define TIMER_IRQ 0

/* preempt_stress=1: the PIT fires at random intervals of a few tens of
 * microseconds and each interrupt asks for a reschedule, so a task can be
 * switched out between almost any two instructions and races between
 * tasks show in seconds. jiffies still advance at HZ, timed by the TSC. */
#define PREEMPT_STRESS_MIN_US 10u
#define PREEMPT_STRESS_MAX_US 90u
#define NSEC_PER_TICK (NSEC_PER_SEC / HZ)

static bool preempt_stress;
core_param_bool(preempt_stress, "preempt_stress", preempt_stress,
		"timer interrupts at random 10-90 us intervals, each one a preemption");
static uint64_t stress_rng, next_tick_ns;

volatile unsigned long jiffies;
static LIST_HEAD(timer_list_head);
static DEFINE_SPINLOCK(timer_lock);

uint64_t ktime_get_ns(void)
{
	return local_clock();
}

unsigned long msecs_to_jiffies(unsigned int ms)
{
	return ((unsigned long)ms * HZ + 999) / 1000;
}

unsigned int jiffies_to_msecs(unsigned long j)
{
	return (unsigned int)(j * 1000 / HZ);
}

void timer_setup(struct timer_list *timer, void (*function)(struct timer_list *timer),
		 unsigned int flags)
{
	(void)flags;
	INIT_LIST_HEAD(&timer->entry);
	timer->function = function;
	timer->pending = false;
	timer->expires = 0;
}

bool timer_pending(const struct timer_list *timer)
{
	return timer->pending;
}

static int detach_timer(struct timer_list *timer)
{
	if (!timer->pending)
		return 0;
	list_del_init(&timer->entry);
	timer->pending = false;
	return 1;
}

/* Sorted by expiry, so the tick only ever looks at the head. */
static void enqueue_timer(struct timer_list *timer)
{
	struct timer_list *pos;

	list_for_each_entry(pos, &timer_list_head, entry) {
		if (time_before(timer->expires, pos->expires)) {
			list_add_tail(&timer->entry, &pos->entry);
			timer->pending = true;
			return;
		}
	}
	list_add_tail(&timer->entry, &timer_list_head);
	timer->pending = true;
}

int mod_timer(struct timer_list *timer, unsigned long expires)
{
	uint64_t flags;
	int was;

	spin_lock_irqsave(&timer_lock, flags);
	was = detach_timer(timer);
	timer->expires = expires;
	enqueue_timer(timer);
	spin_unlock_irqrestore(&timer_lock, flags);
	return was;
}

void add_timer(struct timer_list *timer)
{
	mod_timer(timer, timer->expires);
}

int del_timer(struct timer_list *timer)
{
	uint64_t flags;
	int was;

	spin_lock_irqsave(&timer_lock, flags);
	was = detach_timer(timer);
	spin_unlock_irqrestore(&timer_lock, flags);
	return was;
}

int del_timer_sync(struct timer_list *timer)
{
	return del_timer(timer);
}

static void run_timers(void)
{
	for (;;) {
		struct timer_list *timer;

		spin_lock(&timer_lock);
		if (list_empty(&timer_list_head)) {
			spin_unlock(&timer_lock);
			return;
		}
		timer = list_first_entry(&timer_list_head, struct timer_list, entry);
		if (time_before(jiffies, timer->expires)) {
			spin_unlock(&timer_lock);
			return;
		}
		detach_timer(timer);
		spin_unlock(&timer_lock);
		timer->function(timer);
	}
}

static void timer_interrupt(void)
{
	jiffies++;
	run_timers();
	scheduler_tick();
}

bool preempt_stress_enabled(void)
{
	return preempt_stress;
}

/* Channel 0's next period: mode 2 reloads it on its own, so the count
 * written now is used from the next interrupt on (QEMU: from now). */
static void pit_set_period(uint32_t count)
{
	outb(PIT_CHANNEL0, (uint8_t)(count & 0xff));
	outb(PIT_CHANNEL0, (uint8_t)(count >> 8));
}

/* xorshift64: the intervals need to be irregular, not unpredictable. */
static uint32_t stress_random(void)
{
	stress_rng ^= stress_rng << 13;
	stress_rng ^= stress_rng >> 7;
	stress_rng ^= stress_rng << 17;
	return (uint32_t)(stress_rng >> 32);
}

static uint32_t stress_period(void)
{
	uint32_t us = PREEMPT_STRESS_MIN_US +
		      stress_random() % (PREEMPT_STRESS_MAX_US - PREEMPT_STRESS_MIN_US + 1);

	return us * (PIT_FREQUENCY_HZ / 1000) / 1000;
}

static unsigned long stress_ticks;

/* How many random ticks so far (a test logs it: evidence it ran). */
unsigned long preempt_stress_ticks(void)
{
	return stress_ticks;
}

static void stress_timer_interrupt(void)
{
	uint64_t now = ktime_get_ns();

	stress_ticks++;
	pit_set_period(stress_period());
	while ((int64_t)(now - next_tick_ns) >= 0) {
		next_tick_ns += NSEC_PER_TICK;
		timer_interrupt();
	}
	resched_curr(); /* preempt whatever was running, if it may be */
}

struct process_timer {
	struct timer_list timer;
	struct task_struct *task;
};

static void process_timeout(struct timer_list *t)
{
	struct process_timer *pt = container_of(t, struct process_timer, timer);

	wake_up_process(pt->task);
}

/* As Linux: sleep in the state the caller set, for at most timeout
 * jiffies; returns the jiffies left (0 when the time ran out). */
long schedule_timeout(long timeout)
{
	struct process_timer pt;
	unsigned long expire;
	long left;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0) {
		pr_err("schedule_timeout: wrong timeout value %lx", (unsigned long)timeout);
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	expire = jiffies + (unsigned long)timeout;
	pt.task = current;
	timer_setup(&pt.timer, process_timeout, 0);
	mod_timer(&pt.timer, expire);
	schedule();
	del_timer_sync(&pt.timer);
	left = (long)(expire - jiffies);
	return left < 0 ? 0 : left;
}

long schedule_timeout_interruptible(long timeout)
{
	set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_killable(long timeout)
{
	set_current_state(TASK_KILLABLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_uninterruptible(long timeout)
{
	set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_idle(long timeout)
{
	set_current_state(TASK_IDLE);
	return schedule_timeout(timeout);
}

void msleep(unsigned int msecs)
{
	long timeout = (long)msecs_to_jiffies(msecs) + 1;

	while (timeout)
		timeout = schedule_timeout_uninterruptible(timeout);
}

unsigned long msleep_interruptible(unsigned int msecs)
{
	long timeout = (long)msecs_to_jiffies(msecs) + 1;

	while (timeout && !signal_pending(current))
		timeout = schedule_timeout_interruptible(timeout);
	return jiffies_to_msecs((unsigned long)timeout);
}

static void stress_time_init(void)
{
	stress_rng = rdtsc() | 1; /* never 0: xorshift would stay there */
	next_tick_ns = ktime_get_ns() + NSEC_PER_TICK;
	outb(PIT_COMMAND, PIT_CH0_RATE_GENERATOR);
	pit_set_period(stress_period());
	request_irq(TIMER_IRQ, stress_timer_interrupt);
	pr_info("clocksource: preempt_stress: PIT channel 0 at random %u-%u us, HZ=%d from the TSC",
		PREEMPT_STRESS_MIN_US, PREEMPT_STRESS_MAX_US, HZ);
}

void time_init(void)
{
	uint32_t divisor = (PIT_FREQUENCY_HZ + HZ / 2) / HZ;

	if (preempt_stress) {
		stress_time_init();
		return;
	}
	outb(PIT_COMMAND, PIT_CH0_RATE_GENERATOR);
	pit_set_period(divisor);
	request_irq(TIMER_IRQ, timer_interrupt);
	pr_info("clocksource: PIT channel 0 tick at HZ=%d (divisor %u)", HZ, divisor);
}
