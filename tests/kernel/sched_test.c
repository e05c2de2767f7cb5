/* The scheduling policies as a specification, measured by CPU time
 * (sum_exec_runtime), never by wall-clock deadlines: nice levels share the
 * CPU by Linux's weights, SCHED_IDLE gets only crumbs beside normal tasks
 * but everything alone, and a SCHED_FIFO task runs until it blocks. */
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/kthread.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/timer.h"

#define WARMUP_MS 200
#define SHARE_WINDOW_MS 3000
#define IDLE_WINDOW_MS 8000
#define NS_PER_MS 1000000ull
#define FIFO_SPIN_NS (200 * NS_PER_MS)

static int spin_until_stopped(void *unused)
{
	(void)unused;
	while (!kthread_should_stop())
		cpu_relax();
	return 0;
}

static struct task_struct *start_spinner(const char *name, int policy, long nice)
{
	struct task_struct *p = kthread_create(spin_until_stopped, NULL, "%s", name);
	struct sched_param param = {0};

	if (!p)
		return NULL;
	if (policy != SCHED_NORMAL)
		sched_setscheduler(p, policy, &param);
	set_user_nice(p, nice);
	wake_up_process(p);
	return p;
}

/* CPU time is brought up to date at every tick and switch: read it with
 * interrupts off so a tick does not land half-way. */
static uint64_t runtime_ns(const struct task_struct *p)
{
	uint64_t flags = local_irq_save(), t = p->se.sum_exec_runtime;

	local_irq_restore(flags);
	return t;
}

static void two_nice_levels_share_cpu_by_linux_weights(struct kunit *test)
{
	struct task_struct *a = start_spinner("nice0", SCHED_NORMAL, 0);
	struct task_struct *b = start_spinner("nice5", SCHED_NORMAL, 5);
	uint64_t a0, b0, da, db;
	long permille;

	KUNIT_ASSERT_TRUE(test, a && b);
	msleep(WARMUP_MS);
	a0 = runtime_ns(a);
	b0 = runtime_ns(b);
	msleep(SHARE_WINDOW_MS);
	da = runtime_ns(a) - a0;
	db = runtime_ns(b) - b0;
	kthread_stop(a);
	kthread_stop(b);
	KUNIT_ASSERT_GT(test, db, 0);
	/* Linux: 1024 / 335 = 3.057; within 15% is 2.598 .. 3.515. */
	permille = (long)(da * 1000 / db);
	kunit_log(test, "nice 0: %llu ms, nice 5: %llu ms, ratio %ld.%03ld",
		  (unsigned long long)(da / NS_PER_MS), (unsigned long long)(db / NS_PER_MS),
		  permille / 1000, permille % 1000);
	KUNIT_EXPECT_GE(test, permille, 2598);
	KUNIT_EXPECT_LE(test, permille, 3515);
}

static void sched_idle_gets_crumbs_beside_normal_tasks(struct kunit *test)
{
	struct task_struct *normal[4], *idle;
	uint64_t idle0, total0 = 0, didle, dtotal = 0;

	for (int i = 0; i < 4; i++) {
		normal[i] = start_spinner("normal", SCHED_NORMAL, 0);
		KUNIT_ASSERT_NOT_NULL(test, normal[i]);
	}
	idle = start_spinner("idle", SCHED_IDLE, 0);
	KUNIT_ASSERT_NOT_NULL(test, idle);
	msleep(WARMUP_MS);
	idle0 = runtime_ns(idle);
	for (int i = 0; i < 4; i++)
		total0 += runtime_ns(normal[i]);
	msleep(IDLE_WINDOW_MS);
	didle = runtime_ns(idle) - idle0;
	for (int i = 0; i < 4; i++)
		dtotal += runtime_ns(normal[i]);
	dtotal -= total0;
	kthread_stop(idle);
	for (int i = 0; i < 4; i++)
		kthread_stop(normal[i]);
	kunit_log(test, "SCHED_IDLE: %llu us of %llu ms", (unsigned long long)(didle / 1000),
		  (unsigned long long)(dtotal / NS_PER_MS));
	KUNIT_EXPECT_GT(test, didle, 0);
	KUNIT_EXPECT_LT(test, didle * 100, didle + dtotal); /* under 1% */
}

static void sched_idle_alone_gets_nearly_all_the_cpu(struct kunit *test)
{
	struct task_struct *idle = start_spinner("idle", SCHED_IDLE, 0);
	uint64_t t0, w0, ran, wall;

	KUNIT_ASSERT_NOT_NULL(test, idle);
	msleep(WARMUP_MS);
	t0 = runtime_ns(idle);
	w0 = ktime_get_ns();
	msleep(SHARE_WINDOW_MS / 3);
	ran = runtime_ns(idle) - t0;
	wall = ktime_get_ns() - w0;
	kthread_stop(idle);
	KUNIT_EXPECT_GT(test, ran * 10, wall * 9); /* over 90% */
}

struct fifo_probe {
	struct task_struct *normal;
	uint64_t during_spin, during_sleep;
	struct completion done;
};

/* Spin without blocking: no normal task may run meanwhile. Then sleep:
 * now the normal task gets the CPU. */
static int fifo_spin_then_sleep(void *arg)
{
	struct fifo_probe *probe = arg;
	uint64_t start = runtime_ns(probe->normal), t = ktime_get_ns();

	while (ktime_get_ns() - t < FIFO_SPIN_NS)
		cpu_relax();
	probe->during_spin = runtime_ns(probe->normal) - start;
	start = runtime_ns(probe->normal);
	msleep(FIFO_SPIN_NS / NS_PER_MS);
	probe->during_sleep = runtime_ns(probe->normal) - start;
	complete(&probe->done);
	return 0;
}

static void fifo_task_runs_until_it_blocks(struct kunit *test)
{
	struct sched_param param = {.sched_priority = 50};
	struct fifo_probe probe;
	struct task_struct *fifo;

	init_completion(&probe.done);
	probe.normal = start_spinner("normal", SCHED_NORMAL, 0);
	KUNIT_ASSERT_NOT_NULL(test, probe.normal);
	msleep(WARMUP_MS);
	fifo = kthread_create(fifo_spin_then_sleep, &probe, "fifo");
	KUNIT_ASSERT_NOT_NULL(test, fifo);
	KUNIT_EXPECT_EQ(test, sched_setscheduler(fifo, SCHED_FIFO, &param), 0);
	wake_up_process(fifo);
	wait_for_completion(&probe.done);
	kthread_stop(probe.normal);
	KUNIT_EXPECT_EQ(test, probe.during_spin, 0);
	KUNIT_EXPECT_GT(test, probe.during_sleep, FIFO_SPIN_NS / 4);
}

static void sched_setscheduler_checks_policy_and_priority(struct kunit *test)
{
	struct task_struct *p = kthread_create(spin_until_stopped, NULL, "policy");
	struct sched_param zero = {0}, rt = {.sched_priority = 10}, bad = {.sched_priority = 100};

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, sched_setscheduler(p, SCHED_FIFO, &zero), -EINVAL);
	KUNIT_EXPECT_EQ(test, sched_setscheduler(p, SCHED_FIFO, &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, sched_setscheduler(p, SCHED_NORMAL, &rt), -EINVAL);
	KUNIT_EXPECT_EQ(test, sched_setscheduler(p, 42, &zero), -EINVAL);
	KUNIT_EXPECT_EQ(test, sched_setscheduler(p, SCHED_RR, &rt), 0);
	KUNIT_EXPECT_EQ(test, p->policy, SCHED_RR);
	KUNIT_EXPECT_EQ(test, sched_setscheduler(p, SCHED_IDLE, &zero), 0);
	KUNIT_EXPECT_EQ(test, p->se.load.weight, 3);
	KUNIT_EXPECT_EQ(test, sched_setscheduler(p, SCHED_NORMAL, &zero), 0);
	set_user_nice(p, -25);
	KUNIT_EXPECT_EQ(test, task_nice(p), MIN_NICE);
	KUNIT_EXPECT_EQ(test, p->se.load.weight, 88761);
	set_user_nice(p, 5);
	KUNIT_EXPECT_EQ(test, p->se.load.weight, 335);
	KUNIT_EXPECT_EQ(test, sched_setscheduler(&init_task, SCHED_NORMAL, &zero), -EPERM);
	wake_up_process(p);
	kthread_stop(p);
}

static int return_42(void *unused)
{
	(void)unused;
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 42;
}

static void kthread_stop_returns_the_thread_result(struct kunit *test)
{
	struct task_struct *p = kthread_run(return_42, NULL, "answer");

	KUNIT_ASSERT_NOT_NULL(test, p);
	msleep(20);
	KUNIT_EXPECT_EQ(test, kthread_stop(p), 42);
}

static void sleeping_for_a_timeout_takes_at_least_that_long(struct kunit *test)
{
	unsigned long start = jiffies;
	long left;

	msleep(100);
	KUNIT_EXPECT_GE(test, (long)(jiffies - start), (long)msecs_to_jiffies(100));
	left = schedule_timeout_uninterruptible(5);
	KUNIT_EXPECT_EQ(test, left, 0);
	KUNIT_EXPECT_EQ(test, task_state(current), TASK_RUNNING);
}

static volatile bool fifo_ran;

static int note_that_i_ran(void *unused)
{
	(void)unused;
	fifo_ran = true;
	return 0;
}

/* A higher-priority task woken inside preempt_disable() waits for the
 * critical section to end, and runs the moment it does. */
static void preempt_disable_holds_off_a_waking_fifo_task(struct kunit *test)
{
	struct sched_param param = {.sched_priority = 10};
	struct task_struct *fifo = kthread_create(note_that_i_ran, NULL, "fifo-probe");
	uint64_t t;
	bool ran_inside;

	KUNIT_ASSERT_NOT_NULL(test, fifo);
	KUNIT_EXPECT_EQ(test, sched_setscheduler(fifo, SCHED_FIFO, &param), 0);
	fifo_ran = false;
	preempt_disable();
	wake_up_process(fifo);
	t = ktime_get_ns();
	while (ktime_get_ns() - t < 50 * NS_PER_MS) /* several ticks, IRQs on */
		cpu_relax();
	ran_inside = fifo_ran;
	preempt_enable();
	KUNIT_EXPECT_FALSE(test, ran_inside);
	KUNIT_EXPECT_TRUE(test, fifo_ran);
}

static volatile int timer_fired;

static void count_firing(struct timer_list *t)
{
	(void)t;
	timer_fired++;
}

static void timers_fire_once_after_expiry_and_not_after_delete(struct kunit *test)
{
	struct timer_list a, b;
	unsigned long start = jiffies;

	timer_fired = 0;
	timer_setup(&a, count_firing, 0);
	timer_setup(&b, count_firing, 0);
	mod_timer(&a, start + 5);
	mod_timer(&b, start + 10);
	KUNIT_EXPECT_TRUE(test, timer_pending(&b));
	KUNIT_EXPECT_EQ(test, del_timer_sync(&b), 1);
	KUNIT_EXPECT_FALSE(test, timer_pending(&b));
	msleep(100);
	KUNIT_EXPECT_EQ(test, timer_fired, 1);
	KUNIT_EXPECT_FALSE(test, timer_pending(&a));
	KUNIT_EXPECT_EQ(test, del_timer(&a), 0);
}

static struct kunit_case sched_cases[] = {
	KUNIT_CASE(preempt_disable_holds_off_a_waking_fifo_task),
	KUNIT_CASE(timers_fire_once_after_expiry_and_not_after_delete),
	KUNIT_CASE(two_nice_levels_share_cpu_by_linux_weights),
	KUNIT_CASE(sched_idle_gets_crumbs_beside_normal_tasks),
	KUNIT_CASE(sched_idle_alone_gets_nearly_all_the_cpu),
	KUNIT_CASE(fifo_task_runs_until_it_blocks),
	KUNIT_CASE(sched_setscheduler_checks_policy_and_priority),
	KUNIT_CASE(kthread_stop_returns_the_thread_result),
	KUNIT_CASE(sleeping_for_a_timeout_takes_at_least_that_long),
	{0},
};

static struct kunit_suite sched_suite = {
	.name = "sched",
	.test_cases = sched_cases,
};
kunit_test_suite(sched_suite);
