/* Who may signal whom: every sender acting for user space (kill, tgkill,
 * tkill, the console's Ctrl-C, the OOM killer) asks check_kill_permission
 * first, so a kernel thread takes only the signals it allowed. Read first:
 * the system calls are called directly with a pt_regs of their arguments,
 * from a kernel thread; the target is a test thread asleep. */
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "tests/kernel/sched_test_helpers.h"

long sys_kill(const struct pt_regs *regs);
long sys_tgkill(const struct pt_regs *regs);
long sys_tkill(const struct pt_regs *regs);

/* Sleeps (a tick at a time, so it never needs a signal to end) until
 * told to stop; it allows SIGUSR1 and nothing else. */
static int sleeper_fn(void *arg)
{
	bool *stop = arg;

	allow_signal(SIGUSR1);
	while (!__atomic_load_n(stop, __ATOMIC_ACQUIRE))
		schedule_timeout_uninterruptible(1);
	return 0;
}

static long call3(long (*fn)(const struct pt_regs *), long a0, long a1, long a2)
{
	struct pt_regs regs = {
		.rdi = (unsigned long)a0, .rsi = (unsigned long)a1, .rdx = (unsigned long)a2};

	return fn(&regs);
}

/* Defect 4 of issue 16: tgkill(2, 2, SIGKILL) reached khungtaskd, which
 * then never slept again; kill() gave EPERM. Now all agree. */
static void a_kernel_thread_takes_from_users_only_what_it_allowed(struct kunit *test)
{
	bool stop = false;
	struct task_struct *t = test_thread_run(sleeper_fn, &stop, "kperm");
	int pid;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(t, TASK_UNINTERRUPTIBLE, TEST_WAIT_TIMEOUT_MS));
	pid = t->pid;
	KUNIT_EXPECT_EQ(test, check_kill_permission(SIGKILL, t), -EPERM);
	KUNIT_EXPECT_EQ(test, call3(sys_kill, pid, SIGKILL, 0), -EPERM);
	KUNIT_EXPECT_EQ(test, call3(sys_tgkill, t->tgid, pid, SIGKILL), -EPERM);
	KUNIT_EXPECT_EQ(test, call3(sys_tkill, pid, SIGTERM, 0), -EPERM);
	KUNIT_EXPECT_FALSE(test, signal_pending(t));
	/* What it allowed gets through; a probe only asks if it is there. */
	KUNIT_EXPECT_EQ(test, call3(sys_kill, pid, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, call3(sys_tgkill, t->tgid, pid, SIGUSR1), 0);
	KUNIT_EXPECT_TRUE(test, sigismember_pending(t, SIGUSR1));
	KUNIT_EXPECT_EQ(test, call3(sys_tgkill, t->tgid + 1, pid, SIGUSR1), -ESRCH);
	KUNIT_EXPECT_EQ(test, call3(sys_tkill, pid, _NSIG + 1, 0), -EINVAL);
	__atomic_store_n(&stop, true, __ATOMIC_RELEASE);
	KUNIT_EXPECT_TRUE(test, test_thread_join(t, TEST_WAIT_TIMEOUT_MS, NULL));
}

static struct kunit_case kill_permission_cases[] = {
	KUNIT_CASE(a_kernel_thread_takes_from_users_only_what_it_allowed),
	{0},
};

static struct kunit_suite kill_permission_suite = {.name = "kill_permission",
						   .test_cases = kill_permission_cases};
kunit_test_suite(kill_permission_suite);
