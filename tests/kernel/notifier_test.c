/* The blocking notifier chain as a specification: callbacks run highest
 * priority first and, at equal priority, in the order they registered; a
 * result with NOTIFY_STOP_MASK ends the walk; a block is on a chain once;
 * registering waits for a call in flight. Read first: every callback here
 * appends its id to the test's log, so the log is the order of calls. */
#include "kernel/completion.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/notifier.h"
#include "tests/kernel/sched_test_helpers.h"

#define NR_BLOCKS 4
#define ACTION 42

struct probe {
	struct notifier_block nb;
	int id;
	int result; /* what the callback returns */
	unsigned long action_seen;
	void *data_seen;
};

struct chain_log {
	int ids[2 * NR_BLOCKS];
	int n;
};

static struct chain_log chain_log;

static int probe_call(struct notifier_block *nb, unsigned long action, void *data)
{
	struct probe *p = container_of(nb, struct probe, nb);

	p->action_seen = action;
	p->data_seen = data;
	if (chain_log.n < 2 * NR_BLOCKS)
		chain_log.ids[chain_log.n++] = p->id;
	return p->result;
}

/* A chain on the stack: one lock class for all of them (lockdep wants a
 * static key, which BLOCKING_INIT_NOTIFIER_HEAD gives). */
static void chain_init(struct blocking_notifier_head *chain)
{
	BLOCKING_INIT_NOTIFIER_HEAD(chain);
}

static void probes_init(struct probe *probes, const int *priorities, int n)
{
	chain_log.n = 0;
	for (int i = 0; i < n; i++) {
		probes[i] = (struct probe){.id = i, .result = NOTIFY_OK};
		probes[i].nb.notifier_call = probe_call;
		probes[i].nb.priority = priorities[i];
	}
}

static void callbacks_run_by_priority_then_registration_order(struct kunit *test)
{
	static const int priorities[NR_BLOCKS] = {0, 10, 0, 10};
	static const int expected[NR_BLOCKS] = {1, 3, 0, 2};
	struct probe probes[NR_BLOCKS];
	struct blocking_notifier_head chain;

	chain_init(&chain);
	probes_init(probes, priorities, NR_BLOCKS);
	for (int i = 0; i < NR_BLOCKS; i++)
		KUNIT_ASSERT_EQ(test, blocking_notifier_chain_register(&chain, &probes[i].nb), 0);
	KUNIT_EXPECT_EQ(test, blocking_notifier_call_chain(&chain, ACTION, NULL), NOTIFY_OK);
	KUNIT_ASSERT_EQ(test, chain_log.n, NR_BLOCKS);
	for (int i = 0; i < NR_BLOCKS; i++)
		KUNIT_EXPECT_EQ(test, chain_log.ids[i], expected[i]);
}

static void every_callback_gets_the_action_and_the_data(struct kunit *test)
{
	static const int priorities[2] = {5, 1};
	struct probe probes[2];
	struct blocking_notifier_head chain;
	int data;

	chain_init(&chain);
	probes_init(probes, priorities, 2);
	for (int i = 0; i < 2; i++)
		KUNIT_ASSERT_EQ(test, blocking_notifier_chain_register(&chain, &probes[i].nb), 0);
	blocking_notifier_call_chain(&chain, ACTION, &data);
	for (int i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, probes[i].action_seen, ACTION);
		KUNIT_EXPECT_TRUE(test, probes[i].data_seen == &data);
	}
}

static void a_stop_result_ends_the_walk_and_is_returned(struct kunit *test)
{
	static const int priorities[3] = {3, 2, 1};
	struct probe probes[3];
	struct blocking_notifier_head chain;

	chain_init(&chain);
	probes_init(probes, priorities, 3);
	probes[1].result = NOTIFY_STOP;
	for (int i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, blocking_notifier_chain_register(&chain, &probes[i].nb), 0);
	KUNIT_EXPECT_EQ(test, blocking_notifier_call_chain(&chain, ACTION, NULL), NOTIFY_STOP);
	KUNIT_EXPECT_EQ(test, chain_log.n, 2);
	/* NOTIFY_BAD stops too; a plain result other than OK does not. */
	chain_log.n = 0;
	probes[1].result = NOTIFY_BAD;
	KUNIT_EXPECT_EQ(test, blocking_notifier_call_chain(&chain, ACTION, NULL), NOTIFY_BAD);
	KUNIT_EXPECT_EQ(test, chain_log.n, 2);
	chain_log.n = 0;
	probes[1].result = NOTIFY_DONE;
	KUNIT_EXPECT_EQ(test, blocking_notifier_call_chain(&chain, ACTION, NULL), NOTIFY_OK);
	KUNIT_EXPECT_EQ(test, chain_log.n, 3);
}

static void an_empty_chain_returns_notify_done(struct kunit *test)
{
	struct blocking_notifier_head chain;

	chain_init(&chain);
	KUNIT_EXPECT_EQ(test, blocking_notifier_call_chain(&chain, ACTION, NULL), NOTIFY_DONE);
}

static void a_block_registered_twice_is_eexist_and_called_once(struct kunit *test)
{
	static const int priorities[1] = {0};
	struct probe probes[1];
	struct blocking_notifier_head chain;

	chain_init(&chain);
	probes_init(probes, priorities, 1);
	KUNIT_ASSERT_EQ(test, blocking_notifier_chain_register(&chain, &probes[0].nb), 0);
	KUNIT_EXPECT_EQ(test, blocking_notifier_chain_register(&chain, &probes[0].nb), -EEXIST);
	blocking_notifier_call_chain(&chain, ACTION, NULL);
	KUNIT_EXPECT_EQ(test, chain_log.n, 1);
}

static void unregister_removes_only_that_block(struct kunit *test)
{
	static const int priorities[3] = {0, 0, 0};
	struct probe probes[3];
	struct blocking_notifier_head chain;

	chain_init(&chain);
	probes_init(probes, priorities, 3);
	for (int i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, blocking_notifier_chain_register(&chain, &probes[i].nb), 0);
	KUNIT_EXPECT_EQ(test, blocking_notifier_chain_unregister(&chain, &probes[1].nb), 0);
	KUNIT_EXPECT_EQ(test, blocking_notifier_chain_unregister(&chain, &probes[1].nb), -ENOENT);
	blocking_notifier_call_chain(&chain, ACTION, NULL);
	KUNIT_ASSERT_EQ(test, chain_log.n, 2);
	KUNIT_EXPECT_EQ(test, chain_log.ids[0], 0);
	KUNIT_EXPECT_EQ(test, chain_log.ids[1], 2);
	/* Back on the chain after unregistering: at the end of its priority. */
	KUNIT_EXPECT_EQ(test, blocking_notifier_chain_register(&chain, &probes[1].nb), 0);
	chain_log.n = 0;
	blocking_notifier_call_chain(&chain, ACTION, NULL);
	KUNIT_ASSERT_EQ(test, chain_log.n, 3);
	KUNIT_EXPECT_EQ(test, chain_log.ids[2], 1);
}

/* A callback that sleeps until released: registering meanwhile waits. */
struct slow_call {
	struct notifier_block nb, late;
	struct blocking_notifier_head *chain;
	struct completion entered, release;
};

static int slow_callback(struct notifier_block *nb, unsigned long action, void *data)
{
	struct slow_call *s = container_of(nb, struct slow_call, nb);

	complete(&s->entered);
	wait_for_completion(&s->release);
	return NOTIFY_OK;
}

static int late_callback(struct notifier_block *nb, unsigned long action, void *data)
{
	return NOTIFY_OK;
}

static int caller_fn(void *arg)
{
	struct slow_call *s = arg;

	return blocking_notifier_call_chain(s->chain, ACTION, NULL);
}

static int registrar_fn(void *arg)
{
	struct slow_call *s = arg;

	return blocking_notifier_chain_register(s->chain, &s->late);
}

static void registering_waits_for_a_call_in_flight(struct kunit *test)
{
	static BLOCKING_NOTIFIER_HEAD(chain);
	static struct slow_call s;
	struct task_struct *caller, *registrar;
	int ret = -1;

	s = (struct slow_call){.chain = &chain};
	s.nb.notifier_call = slow_callback;
	s.late.notifier_call = late_callback;
	init_completion(&s.entered);
	init_completion(&s.release);
	KUNIT_ASSERT_EQ(test, blocking_notifier_chain_register(&chain, &s.nb), 0);
	caller = test_thread_run(caller_fn, &s, "notifier-call");
	KUNIT_ASSERT_NOT_NULL(test, caller);
	wait_for_completion(&s.entered);
	registrar = test_thread_run(registrar_fn, &s, "notifier-reg");
	KUNIT_ASSERT_NOT_NULL(test, registrar);
	KUNIT_EXPECT_TRUE(
		test, wait_for_task_state(registrar, TASK_UNINTERRUPTIBLE, TEST_WAIT_TIMEOUT_MS));
	KUNIT_EXPECT_TRUE(test, chain.head == &s.nb && s.nb.next == NULL);
	complete(&s.release);
	KUNIT_EXPECT_TRUE(test, test_thread_join(caller, TEST_WAIT_TIMEOUT_MS, &ret));
	KUNIT_EXPECT_EQ(test, ret, NOTIFY_OK);
	KUNIT_EXPECT_TRUE(test, test_thread_join(registrar, TEST_WAIT_TIMEOUT_MS, &ret));
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, s.nb.next == &s.late);
}

static void an_errno_survives_the_trip_through_a_result(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, notifier_to_errno(notifier_from_errno(-ENOENT)), -ENOENT);
	KUNIT_EXPECT_TRUE(test, notifier_from_errno(-EINVAL) & NOTIFY_STOP_MASK);
	KUNIT_EXPECT_EQ(test, notifier_from_errno(0), NOTIFY_OK);
	KUNIT_EXPECT_EQ(test, notifier_to_errno(NOTIFY_OK), 0);
	KUNIT_EXPECT_EQ(test, notifier_to_errno(NOTIFY_DONE), 0);
}

static struct kunit_case notifier_cases[] = {
	KUNIT_CASE(callbacks_run_by_priority_then_registration_order),
	KUNIT_CASE(every_callback_gets_the_action_and_the_data),
	KUNIT_CASE(a_stop_result_ends_the_walk_and_is_returned),
	KUNIT_CASE(an_empty_chain_returns_notify_done),
	KUNIT_CASE(a_block_registered_twice_is_eexist_and_called_once),
	KUNIT_CASE(unregister_removes_only_that_block),
	KUNIT_CASE(registering_waits_for_a_call_in_flight),
	KUNIT_CASE(an_errno_survives_the_trip_through_a_result),
	{0},
};
static struct kunit_suite notifier_suite = {.name = "notifier", .test_cases = notifier_cases};
kunit_test_suite(notifier_suite);
