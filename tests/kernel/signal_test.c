/* Sleeps and signals: a killable sleep ends early on SIGKILL and on
 * nothing else, an interruptible one on any signal, an uninterruptible
 * one on none (it runs its full time, the signal left pending); and what
 * a pending signal remembers for its handler's siginfo. Read first: each
 * sleep case runs one "sleeper" thread and signals it once the thread is
 * seen asleep in the expected state; the siginfo cases run in a thread of
 * their own, which sends to itself and takes the signal back. */
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/wait.h"
#include "mm/slab.h"
#include "tests/kernel/oom_test_helpers.h"
#include "tests/kernel/sched_test_helpers.h"

/* Never slept out when the signal works; the join gives up long before. */
#define LONG_SLEEP_JIFFIES (60 * HZ)
/* Slept out in full; long enough that the grace check is done first. */
#define FULL_SLEEP_JIFFIES (2 * HZ)
/* A sleeper a signal wrongly woke would have run within this. */
#define SIGNAL_GRACE_MS 50

enum sleep_call {
	SLEEP_KILLABLE,
	SLEEP_INTERRUPTIBLE,
	SLEEP_UNINTERRUPTIBLE,
	WAIT_EVENT_KILLABLE,
	WAIT_EVENT,
};

struct sleeper {
	enum sleep_call call;
	long timeout;
	bool kill_self_first;
	struct wait_queue_head wq;
	bool condition;
	int sig; /* the signal the test sends */
	long ret;
	unsigned long slept; /* jiffies */
	bool sig_pending_after;
	struct task_struct *task;
};

static long call_sleep(struct sleeper *s)
{
	switch (s->call) {
	case SLEEP_KILLABLE: return schedule_timeout_killable(s->timeout);
	case SLEEP_INTERRUPTIBLE: return schedule_timeout_interruptible(s->timeout);
	case SLEEP_UNINTERRUPTIBLE: return schedule_timeout_uninterruptible(s->timeout);
	case WAIT_EVENT_KILLABLE:
		return wait_event_killable(s->wq, __atomic_load_n(&s->condition, __ATOMIC_ACQUIRE));
	case WAIT_EVENT: break;
	}
	wait_event(s->wq, __atomic_load_n(&s->condition, __ATOMIC_ACQUIRE));
	return 0;
}

static int sleeper_fn(void *arg)
{
	struct sleeper *s = arg;
	unsigned long start;

	allow_signal(s->sig); /* kernel threads ignore what they do not allow */
	if (s->kill_self_first)
		send_sig(s->sig, current);
	start = jiffies;
	s->ret = call_sleep(s);
	s->slept = jiffies - start;
	s->sig_pending_after = sigismember_pending(current, s->sig);
	return 0;
}

/* A sleeper thread, started; NULL without memory. The test sends it sig,
 * or with kill_self_first it sends sig to itself before it sleeps. */
static struct sleeper *start_sleeper(enum sleep_call call, long timeout, int sig,
				     bool kill_self_first)
{
	struct sleeper *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->call = call;
	s->timeout = timeout;
	s->sig = sig;
	s->kill_self_first = kill_self_first;
	init_waitqueue_head(&s->wq);
	s->task = test_thread_run(sleeper_fn, s, "sleeper");
	if (!s->task) {
		kfree(s);
		return NULL;
	}
	return s;
}

/* Wait for the sleeper to sleep in state, signal it, and check it ends the
 * sleep early with a result of want_ret (or, for a timed sleep, time left). */
static void check_signal_ends_sleep(struct kunit *test, enum sleep_call call, unsigned int state,
				    int sig, long want_ret)
{
	struct sleeper *s = start_sleeper(call, LONG_SLEEP_JIFFIES, sig, false);

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(s->task, state, TEST_WAIT_TIMEOUT_MS));
	send_sig(sig, s->task);
	/* Still sleeping after the join's time limit: leak s to it. */
	KUNIT_ASSERT_TRUE(test, test_thread_join(s->task, TEST_WAIT_TIMEOUT_MS, NULL));
	if (want_ret)
		KUNIT_EXPECT_EQ(test, s->ret, want_ret);
	else
		KUNIT_EXPECT_GT(test, s->ret, 0);
	KUNIT_EXPECT_TRUE(test, s->sig_pending_after);
	kfree(s);
}

/* Wait for the sleeper to sleep in state, signal it, check it still sleeps
 * a while later; then let the sleep end (time or condition) and check it
 * ran in full with the signal still pending. */
static void check_sleep_ignores_signal(struct kunit *test, enum sleep_call call, unsigned int state,
				       int sig)
{
	struct sleeper *s = start_sleeper(call, FULL_SLEEP_JIFFIES, sig, false);

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(s->task, state, TEST_WAIT_TIMEOUT_MS));
	send_sig(sig, s->task);
	msleep(SIGNAL_GRACE_MS);
	KUNIT_EXPECT_EQ(test, task_state(s->task), state);
	__atomic_store_n(&s->condition, true, __ATOMIC_RELEASE);
	wake_up(&s->wq);
	KUNIT_ASSERT_TRUE(test, test_thread_join(s->task, TEST_WAIT_TIMEOUT_MS, NULL));
	KUNIT_EXPECT_EQ(test, s->ret, 0);
	if (call != WAIT_EVENT)
		KUNIT_EXPECT_GE(test, s->slept, FULL_SLEEP_JIFFIES);
	KUNIT_EXPECT_TRUE(test, s->sig_pending_after);
	kfree(s);
}

static void schedule_timeout_killable_ends_early_on_sigkill(struct kunit *test)
{
	check_signal_ends_sleep(test, SLEEP_KILLABLE, TASK_KILLABLE, SIGKILL, 0);
}

static void schedule_timeout_killable_sleeps_through_sigterm(struct kunit *test)
{
	check_sleep_ignores_signal(test, SLEEP_KILLABLE, TASK_KILLABLE, SIGTERM);
}

static void schedule_timeout_interruptible_ends_early_on_sigterm(struct kunit *test)
{
	check_signal_ends_sleep(test, SLEEP_INTERRUPTIBLE, TASK_INTERRUPTIBLE, SIGTERM, 0);
}

static void schedule_timeout_uninterruptible_sleeps_through_sigkill(struct kunit *test)
{
	check_sleep_ignores_signal(test, SLEEP_UNINTERRUPTIBLE, TASK_UNINTERRUPTIBLE, SIGKILL);
}

static void wait_event_killable_returns_erestartsys_on_sigkill(struct kunit *test)
{
	check_signal_ends_sleep(test, WAIT_EVENT_KILLABLE, TASK_KILLABLE, SIGKILL, -ERESTARTSYS);
}

static void wait_event_sleeps_through_sigkill_until_its_condition(struct kunit *test)
{
	check_sleep_ignores_signal(test, WAIT_EVENT, TASK_UNINTERRUPTIBLE, SIGKILL);
}

/* SIGKILL already pending: a killable sleep does not start at all. */
static void killable_sleep_with_sigkill_pending_returns_at_once(struct kunit *test)
{
	struct sleeper *s = start_sleeper(SLEEP_KILLABLE, LONG_SLEEP_JIFFIES, SIGKILL, true);

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_TRUE(test, test_thread_join(s->task, TEST_WAIT_TIMEOUT_MS, NULL));
	KUNIT_EXPECT_GT(test, s->ret, 0);
	KUNIT_EXPECT_TRUE(test, s->sig_pending_after);
	kfree(s);
}

/* ---- siginfo ---- */

#define SENDER_PID 7
#define LATER_SENDER_PID 8
#define FAULT_ADDR 0x1000ul
#define FXSAVE_MXCSR 24
#define FXSAVE_SW_BYTES 464 /* fxsave never writes 464..511 */
#define MXCSR_RESERVED_BIT (1u << 31)
#define POISON 0xaa

struct siginfo_probe {
	struct kernel_siginfo first, second, fault;
	int first_sig, second_sig, again_sig, fault_sig;
	bool fault_unblocked;
};

static int siginfo_fn(void *arg)
{
	struct siginfo_probe *r = arg;
	const struct kernel_siginfo kill = {.si_code = SI_USER, .si_pid = SENDER_PID};
	const struct kernel_siginfo tkill = {.si_code = SI_TKILL, .si_pid = LATER_SENDER_PID};

	allow_signal(SIGUSR1);
	allow_signal(SIGSEGV);
	send_sig_info(SIGUSR1, &kill, current);
	send_sig_info(SIGUSR1, &tkill, current); /* merged: the first stands */
	r->first_sig = dequeue_signal(current, &r->first);
	r->again_sig = dequeue_signal(current, &r->second);
	send_sig(SIGUSR1, current);
	r->second_sig = dequeue_signal(current, &r->second);
	current->blocked |= sigmask(SIGSEGV);
	force_sig_fault(SIGSEGV, SEGV_MAPERR, FAULT_ADDR);
	r->fault_unblocked = !(current->blocked & sigmask(SIGSEGV));
	r->fault_sig = dequeue_signal(current, &r->fault);
	return 0;
}

static void run_siginfo_probe(struct kunit *test, struct siginfo_probe *r)
{
	struct task_struct *t = test_thread_run(siginfo_fn, r, "siginfo");

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_TRUE(test, test_thread_join(t, TEST_WAIT_TIMEOUT_MS, NULL));
}

/* As Linux's legacy signals: a second send while one is pending is
 * merged, and the first sender's info is the one the handler sees. */
static void second_send_while_pending_keeps_first_siginfo(struct kunit *test)
{
	struct siginfo_probe r = {0};

	run_siginfo_probe(test, &r);
	KUNIT_EXPECT_EQ(test, r.first_sig, SIGUSR1);
	KUNIT_EXPECT_EQ(test, r.first.si_signo, SIGUSR1);
	KUNIT_EXPECT_EQ(test, r.first.si_code, SI_USER);
	KUNIT_EXPECT_EQ(test, r.first.si_pid, SENDER_PID);
	KUNIT_EXPECT_EQ(test, r.again_sig, 0);
}

/* Once taken, the signal's info is gone: the next send brings its own. */
static void send_sig_after_dequeue_is_si_kernel(struct kunit *test)
{
	struct siginfo_probe r = {0};

	run_siginfo_probe(test, &r);
	KUNIT_EXPECT_EQ(test, r.second_sig, SIGUSR1);
	KUNIT_EXPECT_EQ(test, r.second.si_code, SI_KERNEL);
	KUNIT_EXPECT_EQ(test, r.second.si_pid, 0);
}

/* A fault signal gets through a mask and says what and where. */
static void force_sig_fault_unblocks_and_records_the_fault(struct kunit *test)
{
	struct siginfo_probe r = {0};

	run_siginfo_probe(test, &r);
	KUNIT_EXPECT_TRUE(test, r.fault_unblocked);
	KUNIT_EXPECT_EQ(test, r.fault_sig, SIGSEGV);
	KUNIT_EXPECT_EQ(test, r.fault.si_code, SEGV_MAPERR);
	KUNIT_EXPECT_EQ(test, r.fault.si_addr, FAULT_ADDR);
}

/* ---- the FPU image of a signal frame ---- */

static uint8_t fx_image[FXSAVE_AREA_SIZE] __attribute__((aligned(16)));

/* The bytes fxsave leaves alone go to the user zeroed, not as whatever
 * the kernel stack held. */
static void fpu_save_user_zeroes_the_bytes_fxsave_skips(struct kunit *test)
{
	bool clean = true;

	memset(fx_image, POISON, sizeof(fx_image));
	fpu_save_user(fx_image);
	for (int i = FXSAVE_SW_BYTES; i < FXSAVE_AREA_SIZE; i++)
		clean = clean && fx_image[i] == 0;
	KUNIT_EXPECT_TRUE(test, clean);
}

/* fxrstor would #GP in the kernel on a reserved MXCSR bit: refused. */
static void fpu_restore_user_refuses_reserved_mxcsr_bits(struct kunit *test)
{
	uint32_t mxcsr;

	fpu_save_user(fx_image);
	memcpy(&mxcsr, fx_image + FXSAVE_MXCSR, sizeof(mxcsr));
	mxcsr |= MXCSR_RESERVED_BIT;
	memcpy(fx_image + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
	KUNIT_EXPECT_EQ(test, fpu_restore_user(fx_image), -EINVAL);
}

/* As Linux's copy_process: a process that got SIGKILL while forking gets
 * -EINTR and no child; a child born to a parent already killed outlives
 * whoever killed the parent and then looked for its children. */
static void fork_under_sigkill(struct oom_victim *v)
{
	struct pt_regs regs = *task_pt_regs(current);

	send_sig(SIGKILL, current);
	v->result[0] = do_fork(&regs, SIGCHLD, 0, 0, 0, 0) == -EINTR;
	v->result[1] = list_empty(&current->children);
}

static void a_fork_with_sigkill_pending_fails_with_eintr_and_leaves_no_child(struct kunit *test)
{
	struct oom_victim v = {.name = "forker", .pages = 1, .body = fork_under_sigkill};

	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
	KUNIT_EXPECT_TRUE(test, v.result[0]);
	KUNIT_EXPECT_TRUE(test, v.result[1]);
}

static struct kunit_case signal_cases[] = {
	KUNIT_CASE(schedule_timeout_killable_ends_early_on_sigkill),
	KUNIT_CASE(schedule_timeout_killable_sleeps_through_sigterm),
	KUNIT_CASE(schedule_timeout_interruptible_ends_early_on_sigterm),
	KUNIT_CASE(schedule_timeout_uninterruptible_sleeps_through_sigkill),
	KUNIT_CASE(wait_event_killable_returns_erestartsys_on_sigkill),
	KUNIT_CASE(wait_event_sleeps_through_sigkill_until_its_condition),
	KUNIT_CASE(killable_sleep_with_sigkill_pending_returns_at_once),
	KUNIT_CASE(second_send_while_pending_keeps_first_siginfo),
	KUNIT_CASE(send_sig_after_dequeue_is_si_kernel),
	KUNIT_CASE(force_sig_fault_unblocks_and_records_the_fault),
	KUNIT_CASE(fpu_save_user_zeroes_the_bytes_fxsave_skips),
	KUNIT_CASE(fpu_restore_user_refuses_reserved_mxcsr_bits),
	KUNIT_CASE(a_fork_with_sigkill_pending_fails_with_eintr_and_leaves_no_child),
	{0},
};

static struct kunit_suite signal_suite = {.name = "signals", .test_cases = signal_cases};
kunit_test_suite(signal_suite);
