/* The mutex as a specification: unlock hands it to the oldest waiter,
 * killable and interruptible waits end on the signals they allow and
 * plain mutex_lock on none, trylock never sleeps. Read first: "locker"
 * threads take the test's mutex; the test holds it first so they queue,
 * and checks their state (D, killable) before acting on them. */
#include "kernel/completion.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/locking/mutex.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "mm/slab.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/sched_test_helpers.h"

#define NR_LOCKERS 3
/* A sleeper a signal wrongly woke would have run within this. */
#define SIGNAL_GRACE_MS 50

enum lock_call { CALL_LOCK, CALL_LOCK_KILLABLE, CALL_LOCK_INTERRUPTIBLE };

struct mutex_test;

struct locker {
	struct mutex_test *t;
	int id;
	enum lock_call call;
	bool hold; /* keep the mutex until release is completed */
	struct completion held, release;
	struct task_struct *owner_at_acquire;
	bool fatal_signal_at_acquire;
	struct task_struct *task;
};

struct mutex_test {
	struct mutex lock;
	int order[NR_LOCKERS]; /* locker ids, in the order they got the mutex */
	int nr_acquired;
	struct locker lockers[NR_LOCKERS];
};

static int call_lock(struct mutex *lock, enum lock_call call)
{
	switch (call) {
	case CALL_LOCK_KILLABLE: return mutex_lock_killable(lock);
	case CALL_LOCK_INTERRUPTIBLE: return mutex_lock_interruptible(lock);
	case CALL_LOCK: break;
	}
	mutex_lock(lock);
	return 0;
}

/* Returns the lock call's result. */
static int locker_fn(void *arg)
{
	struct locker *l = arg;
	struct mutex_test *t = l->t;
	int ret;

	allow_signal(SIGTERM); /* kernel threads ignore what they do not allow */
	ret = call_lock(&t->lock, l->call);

	if (ret)
		return ret;
	l->owner_at_acquire = mutex_owner(&t->lock);
	l->fatal_signal_at_acquire = fatal_signal_pending(current);
	t->order[t->nr_acquired++] = l->id;
	if (l->hold) {
		complete(&l->held);
		wait_for_completion(&l->release);
	}
	mutex_unlock(&t->lock);
	return 0;
}

static struct mutex_test *mutex_test_new(void)
{
	struct mutex_test *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	mutex_init(&t->lock);
	for (int i = 0; i < NR_LOCKERS; i++) {
		t->lockers[i].t = t;
		t->lockers[i].id = i;
		init_completion(&t->lockers[i].held);
		init_completion(&t->lockers[i].release);
	}
	return t;
}

static struct task_struct *start_locker(struct mutex_test *t, int i, enum lock_call call, bool hold)
{
	struct locker *l = &t->lockers[i];

	l->call = call;
	l->hold = hold;
	l->task = test_thread_run(locker_fn, l, "mutex-locker");
	return l->task;
}

static bool join_locker(struct mutex_test *t, int i, int *ret)
{
	return test_thread_join(t->lockers[i].task, TEST_WAIT_TIMEOUT_MS, ret);
}

/* A locker that did not return may still use t: leak it then. */
static void mutex_test_done(struct mutex_test *t, bool all_joined)
{
	if (all_joined)
		kfree(t);
}

static void lock_and_unlock_set_and_clear_the_owner(struct kunit *test)
{
	struct mutex_test *t = mutex_test_new();

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t->lock));
	mutex_lock(&t->lock);
	KUNIT_EXPECT_TRUE(test, mutex_owner(&t->lock) == current);
	mutex_unlock(&t->lock);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t->lock));
	mutex_test_done(t, true);
}

/* Trylock on a held mutex: 0 at once, no voluntary switch, still running. */
static void trylock_fails_at_once_without_sleeping(struct kunit *test)
{
	struct mutex_test *t = mutex_test_new();
	unsigned long switches;
	bool joined;
	int taken;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_NOT_NULL(test, start_locker(t, 0, CALL_LOCK, true));
	KUNIT_EXPECT_TRUE(test,
			  wait_for_completion_timeout(&t->lockers[0].held,
						      msecs_to_jiffies(TEST_WAIT_TIMEOUT_MS)));
	switches = current->nvcsw;
	taken = mutex_trylock(&t->lock);
	KUNIT_EXPECT_EQ(test, taken, 0);
	KUNIT_EXPECT_EQ(test, current->nvcsw, switches);
	KUNIT_EXPECT_EQ(test, task_state(current), TASK_RUNNING);
	complete(&t->lockers[0].release);
	joined = join_locker(t, 0, NULL);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, mutex_trylock(&t->lock), 1);
	KUNIT_EXPECT_TRUE(test, mutex_owner(&t->lock) == current);
	mutex_unlock(&t->lock);
	mutex_test_done(t, joined);
}

/* Three waiters queue one after another; unlock makes the first the owner
 * before it runs (a trylock right after fails), and they get the mutex in
 * the order they queued. */
static void waiters_get_the_mutex_in_queue_order(struct kunit *test)
{
	struct mutex_test *t = mutex_test_new();
	struct task_struct *handed_to;
	bool joined = true;
	int barged;

	KUNIT_ASSERT_NOT_NULL(test, t);
	mutex_lock(&t->lock);
	for (int i = 0; i < NR_LOCKERS; i++) {
		struct task_struct *p = start_locker(t, i, CALL_LOCK, false);

		KUNIT_EXPECT_NOT_NULL(test, p);
		if (p)
			KUNIT_EXPECT_TRUE(test, wait_for_task_state(p, TASK_UNINTERRUPTIBLE,
								    TEST_WAIT_TIMEOUT_MS));
	}
	preempt_disable(); /* look before the new owner can run */
	mutex_unlock(&t->lock);
	handed_to = mutex_owner(&t->lock);
	barged = mutex_trylock(&t->lock);
	preempt_enable();
	KUNIT_EXPECT_TRUE(test, handed_to == t->lockers[0].task);
	KUNIT_EXPECT_EQ(test, barged, 0);
	if (barged)
		mutex_unlock(&t->lock);
	for (int i = 0; i < NR_LOCKERS; i++)
		joined &= t->lockers[i].task && join_locker(t, i, NULL);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, t->nr_acquired, NR_LOCKERS);
	for (int i = 0; i < NR_LOCKERS; i++)
		KUNIT_EXPECT_EQ(test, t->order[i], i);
	mutex_test_done(t, joined);
}

static void lock_killable_returns_eintr_on_sigkill(struct kunit *test)
{
	struct mutex_test *t = mutex_test_new();
	struct task_struct *p;
	int ret = 0;
	bool joined;

	KUNIT_ASSERT_NOT_NULL(test, t);
	mutex_lock(&t->lock);
	p = start_locker(t, 0, CALL_LOCK_KILLABLE, false);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(p, TASK_KILLABLE, TEST_WAIT_TIMEOUT_MS));
	get_task_struct(p); /* the join drops the last reference; p is read after it */
	send_sig(SIGKILL, p);
	joined = join_locker(t, 0, &ret);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, ret, -EINTR);
	KUNIT_EXPECT_NULL(test, p->blocked_on);
	put_task_struct(p);
	/* The waiter left the queue: unlocking hands the mutex to nobody. */
	KUNIT_EXPECT_TRUE(test, mutex_owner(&t->lock) == current);
	mutex_unlock(&t->lock);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t->lock));
	KUNIT_EXPECT_EQ(test, t->nr_acquired, 0);
	mutex_test_done(t, joined);
}

/* mutex_lock sleeps in D state through SIGKILL and takes the mutex when
 * it is released, the signal still pending. */
static void lock_sleeps_through_sigkill_until_unlocked(struct kunit *test)
{
	struct mutex_test *t = mutex_test_new();
	struct task_struct *p;
	bool joined;

	KUNIT_ASSERT_NOT_NULL(test, t);
	mutex_lock(&t->lock);
	p = start_locker(t, 0, CALL_LOCK, false);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(p, TASK_UNINTERRUPTIBLE, TEST_WAIT_TIMEOUT_MS));
	KUNIT_EXPECT_STREQ(test, p->blocked_on ? p->blocked_on : "", "&t->lock");
	send_sig(SIGKILL, p);
	msleep(SIGNAL_GRACE_MS);
	KUNIT_EXPECT_EQ(test, task_state(p), TASK_UNINTERRUPTIBLE);
	KUNIT_EXPECT_EQ(test, t->nr_acquired, 0);
	mutex_unlock(&t->lock);
	joined = join_locker(t, 0, NULL);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, t->nr_acquired, 1);
	KUNIT_EXPECT_TRUE(test, t->lockers[0].fatal_signal_at_acquire);
	mutex_test_done(t, joined);
}

/* A killable wait ignores signals other than SIGKILL. */
static void lock_killable_sleeps_through_sigterm(struct kunit *test)
{
	struct mutex_test *t = mutex_test_new();
	struct task_struct *p;
	int ret = -1;
	bool joined;

	KUNIT_ASSERT_NOT_NULL(test, t);
	mutex_lock(&t->lock);
	p = start_locker(t, 0, CALL_LOCK_KILLABLE, false);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(p, TASK_KILLABLE, TEST_WAIT_TIMEOUT_MS));
	send_sig(SIGTERM, p);
	msleep(SIGNAL_GRACE_MS);
	KUNIT_EXPECT_EQ(test, task_state(p), TASK_KILLABLE);
	mutex_unlock(&t->lock);
	joined = join_locker(t, 0, &ret);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, t->nr_acquired, 1);
	mutex_test_done(t, joined);
}

static void lock_interruptible_returns_eintr_on_any_signal(struct kunit *test)
{
	struct mutex_test *t = mutex_test_new();
	struct task_struct *p;
	int ret = 0;
	bool joined;

	KUNIT_ASSERT_NOT_NULL(test, t);
	mutex_lock(&t->lock);
	p = start_locker(t, 0, CALL_LOCK_INTERRUPTIBLE, false);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(p, TASK_INTERRUPTIBLE, TEST_WAIT_TIMEOUT_MS));
	send_sig(SIGTERM, p);
	joined = join_locker(t, 0, &ret);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, ret, -EINTR);
	mutex_unlock(&t->lock);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t->lock));
	mutex_test_done(t, joined);
}

/* The killable race: the waiter is handed the mutex and then SIGKILLed
 * before it runs. It keeps the mutex and returns 0 (see mutex.c). */
static void sigkill_after_hand_off_keeps_the_mutex(struct kunit *test)
{
	struct mutex_test *t = mutex_test_new();
	struct task_struct *p;
	int ret = -1;
	bool joined;

	KUNIT_ASSERT_NOT_NULL(test, t);
	mutex_lock(&t->lock);
	p = start_locker(t, 0, CALL_LOCK_KILLABLE, false);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(p, TASK_KILLABLE, TEST_WAIT_TIMEOUT_MS));
	preempt_disable(); /* both before the waiter runs */
	mutex_unlock(&t->lock);
	send_sig(SIGKILL, p);
	preempt_enable();
	joined = join_locker(t, 0, &ret);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, t->lockers[0].owner_at_acquire == p);
	KUNIT_EXPECT_TRUE(test, t->lockers[0].fatal_signal_at_acquire);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t->lock));
	mutex_test_done(t, joined);
}

/* Unlocking a mutex one does not own is reported, as Linux's
 * DEBUG_LOCKS_WARN_ON. Last: lockdep may also complain and switch off. */
static void unlock_by_a_non_owner_warns(struct kunit *test)
{
	struct mutex_test *t = mutex_test_new();
	unsigned long mark = log_mark();

	KUNIT_ASSERT_NOT_NULL(test, t);
	quietly_begin();
	mutex_unlock(&t->lock);
	quietly_end();
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "DEBUG_LOCKS_WARN_ON", NULL, 0));
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t->lock));
	mutex_test_done(t, true);
}

/* Locking a mutex one holds already deadlocks, as in Linux: the task
 * sleeps (here killably, so the test can end it) and its waiter leaves
 * the queue whole; it never "gets" the mutex a second time. */
static int relock_fn(void *arg)
{
	struct mutex *lock = arg;
	int ret;

	mutex_lock(lock);
	ret = mutex_lock_killable(lock);
	if (!ret)
		mutex_unlock(lock);
	mutex_unlock(lock);
	return ret;
}

static void relocking_a_held_mutex_sleeps_instead_of_taking_it_twice(struct kunit *test)
{
	struct mutex_test *t = mutex_test_new();
	struct task_struct *p;
	int ret = 0;
	bool joined;

	KUNIT_ASSERT_NOT_NULL(test, t);
	p = test_thread_run(relock_fn, &t->lock, "mutex-relock");
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(p, TASK_KILLABLE, TEST_WAIT_TIMEOUT_MS));
	send_sig(SIGKILL, p);
	joined = test_thread_join(p, TEST_WAIT_TIMEOUT_MS, &ret);
	KUNIT_EXPECT_TRUE(test, joined);
	KUNIT_EXPECT_EQ(test, ret, -EINTR);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&t->lock));
	KUNIT_EXPECT_TRUE(test, list_empty(&t->lock.wait_list));
	mutex_test_done(t, joined);
}

static struct kunit_case mutex_cases[] = {
	KUNIT_CASE(lock_and_unlock_set_and_clear_the_owner),
	KUNIT_CASE(trylock_fails_at_once_without_sleeping),
	KUNIT_CASE(waiters_get_the_mutex_in_queue_order),
	KUNIT_CASE(lock_killable_returns_eintr_on_sigkill),
	KUNIT_CASE(lock_sleeps_through_sigkill_until_unlocked),
	KUNIT_CASE(lock_killable_sleeps_through_sigterm),
	KUNIT_CASE(lock_interruptible_returns_eintr_on_any_signal),
	KUNIT_CASE(sigkill_after_hand_off_keeps_the_mutex),
	KUNIT_CASE(unlock_by_a_non_owner_warns),
	KUNIT_CASE(relocking_a_held_mutex_sleeps_instead_of_taking_it_twice),
	{0},
};

static struct kunit_suite mutex_suite = {
	.name = "mutex", .test_cases = mutex_cases, .preempt_stress = true};
kunit_test_suite(mutex_suite);
