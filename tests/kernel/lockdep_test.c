/* Lock-order checking as a specification: an order seen once and its
 * reverse seen later is reported though nothing deadlocked; the same order
 * twice, trylocks and readers sharing a class are not; taking a held class
 * again and releasing a lock not held are. Read first: each case starts
 * from an empty graph with checking on (lockdep_reset), since the first
 * report turns checking off. */
#include "kernel/ktest.h"
#include "kernel/locking/lockdep_internals.h"
#include "kernel/locking/mutex.h"
#include "kernel/locking/rwsem.h"
#include "kernel/vsprintf.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/report_test_helpers.h"
#include "tests/kernel/sched_test_helpers.h"

#define CIRCULAR "WARNING: possible circular locking dependency detected"
#define RECURSIVE "WARNING: possible recursive locking detected"
#define NR_SAME_CLASS 2

static DEFINE_MUTEX(lockdep_test_a);
static DEFINE_MUTEX(lockdep_test_b);
static DEFINE_MUTEX(lockdep_test_c);

static void lock_pair(struct mutex *first, struct mutex *second)
{
	mutex_lock(first);
	mutex_lock(second);
	mutex_unlock(second);
	mutex_unlock(first);
}

static int lock_a_then_b(void *unused)
{
	(void)unused;
	lock_pair(&lockdep_test_a, &lockdep_test_b);
	return 0;
}

static int lock_b_then_a(void *unused)
{
	(void)unused;
	lock_pair(&lockdep_test_b, &lockdep_test_a);
	return 0;
}

static void run_thread(struct kunit *test, int (*fn)(void *), const char *name)
{
	struct task_struct *p = test_thread_run(fn, NULL, name);

	KUNIT_EXPECT_NOT_NULL(test, p);
	if (p)
		KUNIT_EXPECT_TRUE(test, test_thread_join(p, TEST_WAIT_TIMEOUT_MS, NULL));
}

static void inversion_on_two_threads_is_reported_though_no_deadlock_happens(struct kunit *test)
{
	unsigned long mark = log_mark(), reports = lockdep_report_count();

	run_thread(test, lock_a_then_b, "lock_a_then_b");
	KUNIT_EXPECT_EQ(test, lockdep_report_count(), reports);
	run_thread(test, lock_b_then_a, "lock_b_then_a");
	KUNIT_EXPECT_EQ(test, lockdep_report_count(), reports + 1);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, CIRCULAR, NULL, 0));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, CIRCULAR, "-> #1", "lock_b_then_a/"));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, "is trying to acquire lock:",
						"but task is already holding", "(lockdep_test_a)"));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, "but task is already holding lock:",
						"which lock already depends", "(lockdep_test_b)"));
	/* Both chains: where the first thread took b under a, and where the
	 * second is taking a under b. */
	KUNIT_EXPECT_TRUE(
		test, log_section_has(mark, "-> #1 (lockdep_test_b):", "-> #0", "lock_a_then_b+"));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, "-> #0 (lockdep_test_a):", "other info",
						"lock_b_then_a+"));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, "Possible unsafe locking scenario",
						"*** DEADLOCK ***", "  lock(lockdep_test_b);"));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "1 lock held by lock_b_then_a/", NULL, 0));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, "stack backtrace:", NULL, "Call Trace:"));
	KUNIT_EXPECT_FALSE(test, debug_locks);
}

static void only_the_first_report_is_printed(struct kunit *test)
{
	unsigned long mark = log_mark(), reports = lockdep_report_count();

	lock_pair(&lockdep_test_a, &lockdep_test_b);
	lock_pair(&lockdep_test_b, &lockdep_test_a);
	lock_pair(&lockdep_test_a, &lockdep_test_c);
	lock_pair(&lockdep_test_c, &lockdep_test_a);
	KUNIT_EXPECT_EQ(test, lockdep_report_count(), reports + 1);
	KUNIT_EXPECT_EQ(test, log_count_since(mark, CIRCULAR), 1);
}

static void same_order_twice_is_not_reported(struct kunit *test)
{
	unsigned long reports = lockdep_report_count();

	run_thread(test, lock_a_then_b, "lock_a_then_b");
	run_thread(test, lock_a_then_b, "lock_a_then_b");
	KUNIT_EXPECT_EQ(test, lockdep_report_count(), reports);
	KUNIT_EXPECT_TRUE(test, debug_locks);
}

static void cycle_through_three_locks_is_reported_with_its_chain(struct kunit *test)
{
	unsigned long mark = log_mark();

	lock_pair(&lockdep_test_a, &lockdep_test_b);
	lock_pair(&lockdep_test_b, &lockdep_test_c);
	lock_pair(&lockdep_test_c, &lockdep_test_a);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, CIRCULAR, NULL, 0));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "-> #2 (lockdep_test_c):", NULL, 0));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "-> #1 (lockdep_test_b):", NULL, 0));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "-> #0 (lockdep_test_a):", NULL, 0));
	KUNIT_EXPECT_TRUE(
		test, log_find_since(mark, "  lockdep_test_a --> lockdep_test_b --> lockdep_test_c",
				     NULL, 0));
}

static void trylock_teaches_no_order(struct kunit *test)
{
	unsigned long reports = lockdep_report_count();

	mutex_lock(&lockdep_test_a);
	KUNIT_EXPECT_EQ(test, mutex_trylock(&lockdep_test_b), 1);
	mutex_unlock(&lockdep_test_b);
	mutex_unlock(&lockdep_test_a);
	lock_pair(&lockdep_test_b, &lockdep_test_a);
	KUNIT_EXPECT_EQ(test, lockdep_report_count(), reports);
}

/* Two rwsems from one init site: one class, two instances. */
static void init_same_class_rwsems(struct rw_semaphore *sems)
{
	for (int i = 0; i < NR_SAME_CLASS; i++)
		init_rwsem(&sems[i]);
}

static void readers_of_one_class_may_nest(struct kunit *test)
{
	unsigned long reports = lockdep_report_count();
	struct rw_semaphore sems[NR_SAME_CLASS];

	init_same_class_rwsems(sems);
	down_read(&sems[0]);
	down_read(&sems[1]);
	up_read(&sems[1]);
	up_read(&sems[0]);
	KUNIT_EXPECT_EQ(test, lockdep_report_count(), reports);
}

static void writer_inside_reader_of_its_class_is_recursive_locking(struct kunit *test)
{
	unsigned long mark = log_mark(), reports = lockdep_report_count();
	struct rw_semaphore sems[NR_SAME_CLASS];

	init_same_class_rwsems(sems);
	down_read(&sems[0]);
	down_write(&sems[1]);
	up_write(&sems[1]);
	up_read(&sems[0]);
	KUNIT_EXPECT_EQ(test, lockdep_report_count(), reports + 1);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, RECURSIVE, NULL, 0));
}

static void second_mutex_of_a_held_class_is_recursive_locking(struct kunit *test)
{
	unsigned long mark = log_mark(), reports = lockdep_report_count();
	struct mutex locks[NR_SAME_CLASS];

	for (int i = 0; i < NR_SAME_CLASS; i++)
		mutex_init(&locks[i]);
	lock_pair(&locks[0], &locks[1]);
	KUNIT_EXPECT_EQ(test, lockdep_report_count(), reports + 1);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, RECURSIVE, NULL, 0));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, RECURSIVE, "stack backtrace:",
						" May be due to missing lock nesting notation"));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, "       CPU0", "*** DEADLOCK ***",
						"  lock(&locks[i]);"));
}

static void release_of_a_lock_not_held_is_bad_unlock_balance(struct kunit *test)
{
	static struct lock_class_key key;
	unsigned long mark = log_mark(), reports = lockdep_report_count();
	struct lockdep_map map;

	lockdep_init_map(&map, "lockdep_test_unheld", &key);
	lock_release(&map, _RET_IP_);
	KUNIT_EXPECT_EQ(test, lockdep_report_count(), reports + 1);
	KUNIT_EXPECT_TRUE(test,
			  log_find_since(mark, "WARNING: bad unlock balance detected!", NULL, 0));
	KUNIT_EXPECT_TRUE(
		test, log_find_since(mark, "is trying to release lock (lockdep_test_unheld) at:",
				     NULL, 0));
	KUNIT_EXPECT_TRUE(test,
			  log_find_since(mark, "but there are no more locks to release!", NULL, 0));
}

static void key_outside_static_memory_is_refused(struct kunit *test)
{
	unsigned long mark = log_mark(), reports = lockdep_report_count();
	struct lock_class_key stack_key;
	struct lockdep_map map;

	lockdep_init_map(&map, "lockdep_test_stack_key", &stack_key);
	lock_acquire(&map, false, false, _RET_IP_);
	lock_release(&map, _RET_IP_);
	KUNIT_EXPECT_EQ(test, lockdep_report_count(), reports + 1);
	KUNIT_EXPECT_TRUE(
		test, log_find_since(mark, "INFO: trying to register non-static key.", NULL, 0));
	KUNIT_EXPECT_EQ(test, current->lockdep_depth, 0);
}

static void held_locks_are_listed_oldest_first(struct kunit *test)
{
	unsigned long mark = log_mark();
	char header[64];

	mutex_lock(&lockdep_test_a);
	mutex_lock(&lockdep_test_b);
	lockdep_print_held_locks(current);
	mutex_unlock(&lockdep_test_b);
	mutex_unlock(&lockdep_test_a);
	lockdep_print_held_locks(current);
	snprintf(header, sizeof(header), "2 locks held by %s/%d:", current->comm, current->pid);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, header, NULL, 0));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, " #0: ", " #1: ", "(lockdep_test_a), at: "));
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, " #1: ", NULL, "(lockdep_test_b), at: "));
	KUNIT_EXPECT_TRUE(
		test, log_section_has(mark, " #0: ", NULL, "held_locks_are_listed_oldest_first+"));
	snprintf(header, sizeof(header), "no locks held by %s/%d.", current->comm, current->pid);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, header, NULL, 0));
}

static void failed_acquisition_is_forgotten(struct kunit *test)
{
	static struct lock_class_key key;
	int depth = current->lockdep_depth;
	struct lockdep_map map;

	lockdep_init_map(&map, "lockdep_test_failed", &key);
	lock_acquire(&map, false, false, _RET_IP_);
	KUNIT_EXPECT_EQ(test, current->lockdep_depth, depth + 1);
	lock_acquire_failed(&map);
	KUNIT_EXPECT_EQ(test, current->lockdep_depth, depth);
}

static void checking_off_reports_nothing_but_keeps_held_locks(struct kunit *test)
{
	unsigned long reports = lockdep_report_count();

	debug_locks = false;
	lock_pair(&lockdep_test_a, &lockdep_test_b);
	mutex_lock(&lockdep_test_b);
	mutex_lock(&lockdep_test_a);
	KUNIT_EXPECT_EQ(test, current->lockdep_depth, 2);
	mutex_unlock(&lockdep_test_a);
	mutex_unlock(&lockdep_test_b);
	KUNIT_EXPECT_EQ(test, current->lockdep_depth, 0);
	KUNIT_EXPECT_EQ(test, lockdep_report_count(), reports);
}

static int lockdep_test_init(struct kunit *test)
{
	(void)test;
	lockdep_reset();
	return 0;
}

static struct kunit_case lockdep_cases[] = {
	KUNIT_CASE(inversion_on_two_threads_is_reported_though_no_deadlock_happens),
	KUNIT_CASE(only_the_first_report_is_printed),
	KUNIT_CASE(same_order_twice_is_not_reported),
	KUNIT_CASE(cycle_through_three_locks_is_reported_with_its_chain),
	KUNIT_CASE(trylock_teaches_no_order),
	KUNIT_CASE(readers_of_one_class_may_nest),
	KUNIT_CASE(writer_inside_reader_of_its_class_is_recursive_locking),
	KUNIT_CASE(second_mutex_of_a_held_class_is_recursive_locking),
	KUNIT_CASE(release_of_a_lock_not_held_is_bad_unlock_balance),
	KUNIT_CASE(key_outside_static_memory_is_refused),
	KUNIT_CASE(held_locks_are_listed_oldest_first),
	KUNIT_CASE(failed_acquisition_is_forgotten),
	KUNIT_CASE(checking_off_reports_nothing_but_keeps_held_locks),
	{},
};
static struct kunit_suite lockdep_suite = {
	.name = "lockdep", .test_cases = lockdep_cases, .init = lockdep_test_init};
kunit_test_suite(lockdep_suite);
