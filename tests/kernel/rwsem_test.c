/* The rw_semaphore as a specification: readers share it, a writer
 * excludes everyone, a waiting writer keeps new readers out so it cannot
 * starve, trylocks never sleep, killable waits end on SIGKILL and plain
 * ones do not. Read first: "locker" threads take the test's rwsem for
 * read or write and record the order they got it in. */
#include "kernel/completion.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/locking/rwsem.h"
#include "kernel/signal.h"
#include "kernel/timer.h"
#include "mm/slab.h"
#include "tests/kernel/sched_test_helpers.h"

#define NR_LOCKERS 4
/* A sleeper a signal wrongly woke would have run within this. */
#define SIGNAL_GRACE_MS 50

enum rw_call { CALL_READ, CALL_WRITE, CALL_READ_KILLABLE, CALL_WRITE_KILLABLE };

struct rwsem_test;

struct locker {
	struct rwsem_test *t;
	int id;
	enum rw_call call;
	bool hold; /* keep the rwsem until release is completed */
	struct completion held, release;
	bool fatal_signal_at_acquire;
	struct task_struct *task;
};

struct rwsem_test {
	struct rw_semaphore sem;
	spinlock_t order_lock; /* readers record their turn at the same time */
	int order[NR_LOCKERS]; /* locker ids, in the order they got the rwsem */
	int nr_acquired;
	struct locker lockers[NR_LOCKERS];
};

static bool is_reader(enum rw_call call)
{
	return call == CALL_READ || call == CALL_READ_KILLABLE;
}

static int call_down(struct rw_semaphore *sem, enum rw_call call)
{
	switch (call) {
	case CALL_READ: down_read(sem); return 0;
	case CALL_WRITE: down_write(sem); return 0;
	case CALL_READ_KILLABLE: return down_read_killable(sem);
	case CALL_WRITE_KILLABLE: return down_write_killable(sem);
	}
	return -EINVAL;
}

static void record_turn(struct rwsem_test *t, int id)
{
	spin_lock(&t->order_lock);
	t->order[t->nr_acquired++] = id;
	spin_unlock(&t->order_lock);
}

/* Returns the down call's result. */
static int locker_fn(void *arg)
{
	struct locker *l = arg;
	struct rwsem_test *t = l->t;
	int ret;

	allow_signal(SIGTERM); /* kernel threads ignore what they do not allow */
	ret = call_down(&t->sem, l->call);

	if (ret)
		return ret;
	l->fatal_signal_at_acquire = fatal_signal_pending(current);
	record_turn(t, l->id);
	if (l->hold) {
		complete(&l->held);
		wait_for_completion(&l->release);
	}
	if (is_reader(l->call))
		up_read(&t->sem);
	else
		up_write(&t->sem);
	return 0;
}

static struct rwsem_test *rwsem_test_new(void)
{
	struct rwsem_test *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	init_rwsem(&t->sem);
	spin_lock_init(&t->order_lock);
	for (int i = 0; i < NR_LOCKERS; i++) {
		t->lockers[i].t = t;
		t->lockers[i].id = i;
		init_completion(&t->lockers[i].held);
		init_completion(&t->lockers[i].release);
	}
	return t;
}

static struct task_struct *start_locker(struct rwsem_test *t, int i, enum rw_call call, bool hold)
{
	struct locker *l = &t->lockers[i];

	l->call = call;
	l->hold = hold;
	l->task = test_thread_run(locker_fn, l, is_reader(call) ? "rwsem-reader" : "rwsem-writer");
	return l->task;
}

/* Start a locker and wait until it sleeps on the rwsem in state. */
static bool start_and_block(struct rwsem_test *t, int i, enum rw_call call, unsigned int state)
{
	struct task_struct *p = start_locker(t, i, call, false);

	return p && wait_for_task_state(p, state, TEST_WAIT_TIMEOUT_MS);
}

static bool join_locker(struct rwsem_test *t, int i, int *ret)
{
	return t->lockers[i].task &&
	       test_thread_join(t->lockers[i].task, TEST_WAIT_TIMEOUT_MS, ret);
}

static bool join_lockers(struct rwsem_test *t, int n)
{
	bool joined = true;

	for (int i = 0; i < n; i++)
		joined &= join_locker(t, i, NULL);
	return joined;
}

static bool got_it_while_held(struct locker *l)
{
	return wait_for_completion_timeout(&l->held, msecs_to_jiffies(TEST_WAIT_TIMEOUT_MS)) != 0;
}

/* A locker that did not return may still use t: leak it then. */
static void rwsem_test_done(struct rwsem_test *t, bool all_joined)
{
	if (all_joined)
		kfree(t);
}

static void readers_share_the_rwsem(struct kunit *test)
{
	struct rwsem_test *t = rwsem_test_new();
	bool joined;

	KUNIT_ASSERT_NOT_NULL(test, t);
	down_read(&t->sem);
	KUNIT_EXPECT_NOT_NULL(test, start_locker(t, 0, CALL_READ, true));
	KUNIT_EXPECT_TRUE(test, got_it_while_held(&t->lockers[0]));
	KUNIT_EXPECT_EQ(test, t->sem.readers, 2);
	KUNIT_EXPECT_EQ(test, down_read_trylock(&t->sem), 1);
	KUNIT_EXPECT_EQ(test, down_write_trylock(&t->sem), 0);
	up_read(&t->sem);
	complete(&t->lockers[0].release);
	joined = join_locker(t, 0, NULL);
	KUNIT_EXPECT_TRUE(test, joined);
	up_read(&t->sem);
	KUNIT_EXPECT_FALSE(test, rwsem_is_locked(&t->sem));
	rwsem_test_done(t, joined);
}

/* Held for write: a reader and a writer both sleep; on release the reader
 * (first in the queue) goes first, then the writer. */
static void writer_excludes_readers_and_writers(struct kunit *test)
{
	struct rwsem_test *t = rwsem_test_new();
	bool joined;

	KUNIT_ASSERT_NOT_NULL(test, t);
	down_write(&t->sem);
	KUNIT_EXPECT_TRUE(test, t->sem.owner == current);
	KUNIT_EXPECT_TRUE(test, start_and_block(t, 0, CALL_READ, TASK_UNINTERRUPTIBLE));
	KUNIT_EXPECT_TRUE(test, start_and_block(t, 1, CALL_WRITE, TASK_UNINTERRUPTIBLE));
	KUNIT_EXPECT_EQ(test, t->nr_acquired, 0);
	up_write(&t->sem);
	joined = join_lockers(t, 2);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, t->nr_acquired, 2);
	KUNIT_EXPECT_EQ(test, t->order[0], 0);
	KUNIT_EXPECT_EQ(test, t->order[1], 1);
	rwsem_test_done(t, joined);
}

/* Held for read with a writer waiting: a stream of new readers queues
 * behind the writer (so does a trylock), and the writer gets the rwsem
 * before any of them. */
static void waiting_writer_is_not_starved_by_new_readers(struct kunit *test)
{
	struct rwsem_test *t = rwsem_test_new();
	unsigned long switches;
	bool joined;
	int taken;

	KUNIT_ASSERT_NOT_NULL(test, t);
	down_read(&t->sem);
	KUNIT_EXPECT_TRUE(test, start_and_block(t, 0, CALL_WRITE, TASK_UNINTERRUPTIBLE));
	for (int i = 1; i < NR_LOCKERS; i++)
		KUNIT_EXPECT_TRUE(test, start_and_block(t, i, CALL_READ, TASK_UNINTERRUPTIBLE));
	switches = current->nvcsw;
	taken = down_read_trylock(&t->sem);
	KUNIT_EXPECT_EQ(test, taken, 0);
	KUNIT_EXPECT_EQ(test, current->nvcsw, switches);
	if (taken)
		up_read(&t->sem);
	KUNIT_EXPECT_EQ(test, t->sem.readers, 1);
	up_read(&t->sem);
	joined = join_lockers(t, NR_LOCKERS);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, t->nr_acquired, NR_LOCKERS);
	KUNIT_EXPECT_EQ(test, t->order[0], 0);
	rwsem_test_done(t, joined);
}

/* Both trylocks on a write-held rwsem: 0 at once, no voluntary switch,
 * still running; on a free one they succeed. */
static void trylocks_fail_at_once_without_sleeping(struct kunit *test)
{
	struct rwsem_test *t = rwsem_test_new();
	unsigned long switches;
	int read_taken, write_taken;
	bool joined;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_NOT_NULL(test, start_locker(t, 0, CALL_WRITE, true));
	KUNIT_EXPECT_TRUE(test, got_it_while_held(&t->lockers[0]));
	switches = current->nvcsw;
	read_taken = down_read_trylock(&t->sem);
	write_taken = down_write_trylock(&t->sem);
	KUNIT_EXPECT_EQ(test, read_taken, 0);
	KUNIT_EXPECT_EQ(test, write_taken, 0);
	KUNIT_EXPECT_EQ(test, current->nvcsw, switches);
	KUNIT_EXPECT_EQ(test, task_state(current), TASK_RUNNING);
	complete(&t->lockers[0].release);
	joined = join_locker(t, 0, NULL);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, down_write_trylock(&t->sem), 1);
	up_write(&t->sem);
	KUNIT_EXPECT_EQ(test, down_read_trylock(&t->sem), 1);
	up_read(&t->sem);
	KUNIT_EXPECT_FALSE(test, rwsem_is_locked(&t->sem));
	rwsem_test_done(t, joined);
}

static void killable_downs_return_eintr_on_sigkill(struct kunit *test)
{
	struct rwsem_test *t = rwsem_test_new();
	int read_ret = 0, write_ret = 0;
	bool joined;

	KUNIT_ASSERT_NOT_NULL(test, t);
	down_write(&t->sem);
	KUNIT_EXPECT_TRUE(test, start_and_block(t, 0, CALL_READ_KILLABLE, TASK_KILLABLE));
	KUNIT_EXPECT_TRUE(test, start_and_block(t, 1, CALL_WRITE_KILLABLE, TASK_KILLABLE));
	if (t->lockers[0].task)
		send_sig(SIGKILL, t->lockers[0].task);
	if (t->lockers[1].task)
		send_sig(SIGKILL, t->lockers[1].task);
	joined = join_locker(t, 0, &read_ret);
	joined &= join_locker(t, 1, &write_ret);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, read_ret, -EINTR);
	KUNIT_EXPECT_EQ(test, write_ret, -EINTR);
	KUNIT_EXPECT_TRUE(test, list_empty(&t->sem.wait_list));
	up_write(&t->sem);
	KUNIT_EXPECT_FALSE(test, rwsem_is_locked(&t->sem));
	KUNIT_EXPECT_EQ(test, t->nr_acquired, 0);
	rwsem_test_done(t, joined);
}

/* down_read and down_write sleep in D state through SIGKILL and get the
 * rwsem when it is released, the signal still pending. */
static void plain_downs_sleep_through_sigkill(struct kunit *test)
{
	struct rwsem_test *t = rwsem_test_new();
	bool joined;

	KUNIT_ASSERT_NOT_NULL(test, t);
	down_write(&t->sem);
	KUNIT_EXPECT_TRUE(test, start_and_block(t, 0, CALL_READ, TASK_UNINTERRUPTIBLE));
	KUNIT_EXPECT_TRUE(test, start_and_block(t, 1, CALL_WRITE, TASK_UNINTERRUPTIBLE));
	for (int i = 0; i < 2; i++)
		if (t->lockers[i].task)
			send_sig(SIGKILL, t->lockers[i].task);
	msleep(SIGNAL_GRACE_MS);
	for (int i = 0; i < 2; i++)
		if (t->lockers[i].task)
			KUNIT_EXPECT_EQ(test, task_state(t->lockers[i].task), TASK_UNINTERRUPTIBLE);
	KUNIT_EXPECT_EQ(test, t->nr_acquired, 0);
	up_write(&t->sem);
	joined = join_lockers(t, 2);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, t->nr_acquired, 2);
	KUNIT_EXPECT_TRUE(test, t->lockers[0].fatal_signal_at_acquire);
	KUNIT_EXPECT_TRUE(test, t->lockers[1].fatal_signal_at_acquire);
	rwsem_test_done(t, joined);
}

/* Held for read, a killable writer waits and a reader queues behind it;
 * when the writer gives up on SIGKILL, the reader gets in at once. */
static void killed_writer_lets_queued_readers_in(struct kunit *test)
{
	struct rwsem_test *t = rwsem_test_new();
	int write_ret = 0;
	bool joined;

	KUNIT_ASSERT_NOT_NULL(test, t);
	down_read(&t->sem);
	KUNIT_EXPECT_TRUE(test, start_and_block(t, 0, CALL_WRITE_KILLABLE, TASK_KILLABLE));
	KUNIT_EXPECT_NOT_NULL(test, start_locker(t, 1, CALL_READ, true));
	if (t->lockers[1].task)
		KUNIT_EXPECT_TRUE(test,
				  wait_for_task_state(t->lockers[1].task, TASK_UNINTERRUPTIBLE,
						      TEST_WAIT_TIMEOUT_MS));
	if (t->lockers[0].task)
		send_sig(SIGKILL, t->lockers[0].task);
	KUNIT_EXPECT_TRUE(test, got_it_while_held(&t->lockers[1]));
	KUNIT_EXPECT_EQ(test, t->sem.readers, 2);
	complete(&t->lockers[1].release);
	joined = join_locker(t, 0, &write_ret);
	joined &= join_locker(t, 1, NULL);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, write_ret, -EINTR);
	up_read(&t->sem);
	KUNIT_EXPECT_FALSE(test, rwsem_is_locked(&t->sem));
	rwsem_test_done(t, joined);
}

/* downgrade_write lets the queued reader in beside us, while a writer
 * that comes later waits for both readers to leave. */
static void downgrade_write_admits_readers_not_writers(struct kunit *test)
{
	struct rwsem_test *t = rwsem_test_new();
	bool joined;

	KUNIT_ASSERT_NOT_NULL(test, t);
	down_write(&t->sem);
	KUNIT_EXPECT_NOT_NULL(test, start_locker(t, 0, CALL_READ, true));
	if (t->lockers[0].task)
		KUNIT_EXPECT_TRUE(test,
				  wait_for_task_state(t->lockers[0].task, TASK_UNINTERRUPTIBLE,
						      TEST_WAIT_TIMEOUT_MS));
	downgrade_write(&t->sem);
	KUNIT_EXPECT_NULL(test, t->sem.owner);
	KUNIT_EXPECT_TRUE(test, got_it_while_held(&t->lockers[0]));
	KUNIT_EXPECT_TRUE(test, start_and_block(t, 1, CALL_WRITE, TASK_UNINTERRUPTIBLE));
	KUNIT_EXPECT_EQ(test, t->sem.readers, 2);
	complete(&t->lockers[0].release);
	up_read(&t->sem);
	joined = join_lockers(t, 2);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, t->nr_acquired, 2);
	KUNIT_EXPECT_EQ(test, t->order[0], 0);
	KUNIT_EXPECT_EQ(test, t->order[1], 1);
	rwsem_test_done(t, joined);
}

/* The killable race: the waiter is granted the rwsem and then SIGKILLed
 * before it runs. It keeps the rwsem and returns 0 (see rwsem.c). */
static void sigkill_after_grant_keeps_the_rwsem(struct kunit *test)
{
	struct rwsem_test *t = rwsem_test_new();
	int ret = -1;
	bool joined;

	KUNIT_ASSERT_NOT_NULL(test, t);
	down_write(&t->sem);
	KUNIT_EXPECT_TRUE(test, start_and_block(t, 0, CALL_WRITE_KILLABLE, TASK_KILLABLE));
	preempt_disable(); /* both before the waiter runs */
	up_write(&t->sem);
	KUNIT_EXPECT_TRUE(test, t->sem.owner == t->lockers[0].task);
	if (t->lockers[0].task)
		send_sig(SIGKILL, t->lockers[0].task);
	preempt_enable();
	joined = join_locker(t, 0, &ret);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, t->nr_acquired, 1);
	KUNIT_EXPECT_TRUE(test, t->lockers[0].fatal_signal_at_acquire);
	KUNIT_EXPECT_FALSE(test, rwsem_is_locked(&t->sem));
	rwsem_test_done(t, joined);
}

static struct kunit_case rwsem_cases[] = {
	KUNIT_CASE(readers_share_the_rwsem),
	KUNIT_CASE(writer_excludes_readers_and_writers),
	KUNIT_CASE(waiting_writer_is_not_starved_by_new_readers),
	KUNIT_CASE(trylocks_fail_at_once_without_sleeping),
	KUNIT_CASE(killable_downs_return_eintr_on_sigkill),
	KUNIT_CASE(plain_downs_sleep_through_sigkill),
	KUNIT_CASE(killed_writer_lets_queued_readers_in),
	KUNIT_CASE(downgrade_write_admits_readers_not_writers),
	KUNIT_CASE(sigkill_after_grant_keeps_the_rwsem),
	{0},
};

static struct kunit_suite rwsem_suite = {
	.name = "rwsem", .test_cases = rwsem_cases, .preempt_stress = true};
kunit_test_suite(rwsem_suite);
