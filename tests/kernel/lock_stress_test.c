/* Sixteen threads hammer one mutex, one rwsem and a producer/consumer
 * queue over two wait queues for STRESS_SECONDS, and every count comes
 * out exact: no update lost under the mutex, no reader seeing a write in
 * progress, no item lost or woken for twice. Read first: pass or fail
 * depends only on the counts, never on how much got done in the time. */
#include "kernel/ktest.h"
#include "kernel/locking/mutex.h"
#include "kernel/locking/rwsem.h"
#include "kernel/timer.h"
#include "kernel/wait.h"
#include "kernel/x86.h"
#include "mm/slab.h"
#include "tests/kernel/sched_test_helpers.h"

#define STRESS_THREADS 16
#define STRESS_SECONDS 3
#define STRESS_JOIN_MS ((STRESS_SECONDS + 60) * 1000)
#define QUEUE_CAPACITY 8
#define WRITER_EVERY 4	       /* one thread in four writes the rwsem */
#define DOWNGRADE_EVERY 4      /* a writer downgrades one round in four */
#define KILLABLE_EVERY 3       /* one mutex round in three uses the killable call */
#define SLEEP_HOLDING_EVERY 64 /* a holder sleeps a tick one round in this many */
#define PHASE_JIFFIES (HZ / 4)
#define SLOW_SIDE_LOCK_ROUNDS 3
#define SECTION_SPINS 64

struct stress;

struct stress_worker {
	struct stress *s;
	int id;
	unsigned long mutex_rounds, write_rounds, read_rounds;
	unsigned long produced, produced_sum, consumed, consumed_sum;
	unsigned long full_sleeps, empty_sleeps; /* waits that really slept */
	unsigned long lock_round;
	struct task_struct *task;
};

struct stress {
	unsigned long deadline; /* jiffies */
	struct mutex mutex;
	unsigned long mutex_counter;
	struct rw_semaphore sem;
	unsigned long sem_value;
	int readers_inside, writers_inside;
	unsigned long errors; /* any broken exclusion or failed call */

	spinlock_t queue_lock;
	unsigned long queue[QUEUE_CAPACITY];
	unsigned int queue_head, queue_len;
	struct wait_queue_head not_empty, not_full;
	int producers_left;

	struct stress_worker workers[STRESS_THREADS];
};

static unsigned long load(const unsigned long *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}
static void store(unsigned long *p, unsigned long v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}
static int add(int *p, int n)
{
	return __atomic_add_fetch(p, n, __ATOMIC_SEQ_CST);
}
static void error(struct stress *s)
{
	__atomic_add_fetch(&s->errors, 1, __ATOMIC_SEQ_CST);
}

/* Stay in the critical section long enough for the tick to preempt us
 * there, and now and then sleep in it, so that others queue. */
static void hold_a_while(unsigned long round)
{
	if (round % SLEEP_HOLDING_EVERY == 0) {
		schedule_timeout_uninterruptible(1);
		return;
	}
	for (int i = 0; i < SECTION_SPINS; i++)
		cpu_relax();
}

/* Read, wait, write back: two holders at once would lose an update. */
static void mutex_round(struct stress_worker *w, unsigned long round)
{
	struct stress *s = w->s;
	unsigned long v;

	if (round % KILLABLE_EVERY == 0) {
		if (mutex_lock_killable(&s->mutex)) {
			error(s); /* nobody sends signals here */
			return;
		}
	} else {
		mutex_lock(&s->mutex);
	}
	v = load(&s->mutex_counter);
	hold_a_while(round);
	store(&s->mutex_counter, v + 1);
	mutex_unlock(&s->mutex);
	w->mutex_rounds++;
}

static void write_round(struct stress_worker *w, unsigned long round)
{
	struct stress *s = w->s;
	unsigned long v;

	down_write(&s->sem);
	if (add(&s->writers_inside, 1) != 1 || add(&s->readers_inside, 0) != 0)
		error(s);
	v = load(&s->sem_value);
	hold_a_while(round);
	store(&s->sem_value, v + 1);
	w->write_rounds++;
	if (round % DOWNGRADE_EVERY == 0) {
		/* Counted as a reader before readers can come in. */
		add(&s->readers_inside, 1);
		add(&s->writers_inside, -1);
		downgrade_write(&s->sem);
		add(&s->readers_inside, -1);
		up_read(&s->sem);
		return;
	}
	add(&s->writers_inside, -1);
	up_write(&s->sem);
}

/* The value must not move while we read, and no writer may be inside. */
static void read_round(struct stress_worker *w, unsigned long round)
{
	struct stress *s = w->s;
	unsigned long v;

	down_read(&s->sem);
	add(&s->readers_inside, 1);
	v = load(&s->sem_value);
	if (add(&s->writers_inside, 0) != 0)
		error(s);
	hold_a_while(round);
	if (load(&s->sem_value) != v || add(&s->writers_inside, 0) != 0)
		error(s);
	add(&s->readers_inside, -1);
	up_read(&s->sem);
	w->read_rounds++;
}

static bool queue_has_room(struct stress *s)
{
	return __atomic_load_n(&s->queue_len, __ATOMIC_ACQUIRE) < QUEUE_CAPACITY;
}

static bool queue_has_work_or_is_over(struct stress *s)
{
	return __atomic_load_n(&s->queue_len, __ATOMIC_ACQUIRE) > 0 ||
	       __atomic_load_n(&s->producers_left, __ATOMIC_ACQUIRE) == 0;
}

static void produce(struct stress_worker *w, unsigned long item)
{
	struct stress *s = w->s;

	for (;;) {
		unsigned long switches = current->nvcsw;

		if (wait_event_interruptible(s->not_full, queue_has_room(s))) {
			error(s);
			return;
		}
		if (current->nvcsw != switches)
			w->full_sleeps++;
		spin_lock(&s->queue_lock);
		if (s->queue_len < QUEUE_CAPACITY) {
			s->queue[(s->queue_head + s->queue_len) % QUEUE_CAPACITY] = item;
			__atomic_store_n(&s->queue_len, s->queue_len + 1, __ATOMIC_RELEASE);
			spin_unlock(&s->queue_lock);
			break;
		}
		spin_unlock(&s->queue_lock); /* another producer filled it */
	}
	w->produced++;
	w->produced_sum += item;
	wake_up(&s->not_empty);
}

/* One item, or false once the queue is empty and every producer is done. */
static bool consume(struct stress_worker *w)
{
	struct stress *s = w->s;
	unsigned long item;

	for (;;) {
		unsigned long switches = current->nvcsw;

		if (wait_event_interruptible(s->not_empty, queue_has_work_or_is_over(s))) {
			error(s);
			return false;
		}
		if (current->nvcsw != switches)
			w->empty_sleeps++;
		spin_lock(&s->queue_lock);
		if (s->queue_len > 0)
			break;
		spin_unlock(&s->queue_lock);
		if (__atomic_load_n(&s->producers_left, __ATOMIC_ACQUIRE) == 0)
			return false;
	}
	item = s->queue[s->queue_head];
	s->queue_head = (s->queue_head + 1) % QUEUE_CAPACITY;
	__atomic_store_n(&s->queue_len, s->queue_len - 1, __ATOMIC_RELEASE);
	spin_unlock(&s->queue_lock);
	w->consumed++;
	w->consumed_sum += item;
	wake_up(&s->not_full);
	return true;
}

static void lock_round(struct stress_worker *w, bool writer)
{
	unsigned long round = w->lock_round++;

	mutex_round(w, round);
	if (writer)
		write_round(w, round);
	else
		read_round(w, round);
}

/* Producers and consumers take turns at being the slow side (more lock
 * rounds per item), so the queue keeps running full and then empty, and
 * both wait queues get sleepers. */
static bool producers_are_slow_now(void)
{
	return (jiffies / PHASE_JIFFIES) % 2 == 0;
}

/* Even ids produce, odd ids consume; all take the mutex and the rwsem
 * between items. At least one item each, whatever the clock says. */
static int stress_worker_fn(void *arg)
{
	struct stress_worker *w = arg;
	struct stress *s = w->s;
	bool producer = w->id % 2 == 0, writer = w->id % WRITER_EVERY == 0;

	do {
		int rounds = producer == producers_are_slow_now() ? SLOW_SIDE_LOCK_ROUNDS : 1;

		for (int i = 0; i < rounds; i++)
			lock_round(w, writer);
		if (producer)
			produce(w, ((unsigned long)w->id << 32) | w->produced);
		else
			consume(w);
	} while (time_before(jiffies, s->deadline));
	if (producer) {
		if (__atomic_sub_fetch(&s->producers_left, 1, __ATOMIC_ACQ_REL) == 0)
			wake_up_all(&s->not_empty);
	} else {
		while (consume(w))
			;
	}
	return 0;
}

static struct stress *stress_new(void)
{
	struct stress *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	mutex_init(&s->mutex);
	init_rwsem(&s->sem);
	spin_lock_init(&s->queue_lock);
	init_waitqueue_head(&s->not_empty);
	init_waitqueue_head(&s->not_full);
	s->producers_left = STRESS_THREADS / 2;
	s->deadline = jiffies + STRESS_SECONDS * HZ;
	for (int i = 0; i < STRESS_THREADS; i++) {
		s->workers[i].s = s;
		s->workers[i].id = i;
	}
	return s;
}

static void sixteen_threads_keep_exact_counts(struct kunit *test)
{
	struct stress *s = stress_new();
	unsigned long mutex_rounds = 0, write_rounds = 0, produced = 0, consumed = 0;
	unsigned long produced_sum = 0, consumed_sum = 0, full_sleeps = 0, empty_sleeps = 0;
	unsigned long give_up = jiffies + msecs_to_jiffies(STRESS_JOIN_MS);
	bool joined = true;

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (int i = 0; i < STRESS_THREADS; i++) {
		s->workers[i].task = test_thread_run(stress_worker_fn, &s->workers[i], "stress");
		KUNIT_ASSERT_NOT_NULL(test, s->workers[i].task); /* leaks s to the others */
	}
	/* One time limit for all the joins, so a hang costs it once. */
	for (int i = 0; i < STRESS_THREADS; i++) {
		long left = time_after(jiffies, give_up) ? 1 : (long)(give_up - jiffies);

		joined &= test_thread_join(s->workers[i].task, jiffies_to_msecs(left), NULL);
	}
	KUNIT_ASSERT_TRUE(test, joined); /* a hang (a lost wake-up?): s stays leaked */
	for (int i = 0; i < STRESS_THREADS; i++) {
		struct stress_worker *w = &s->workers[i];

		mutex_rounds += w->mutex_rounds;
		write_rounds += w->write_rounds;
		produced += w->produced;
		produced_sum += w->produced_sum;
		consumed += w->consumed;
		consumed_sum += w->consumed_sum;
		full_sleeps += w->full_sleeps;
		empty_sleeps += w->empty_sleeps;
	}
	KUNIT_EXPECT_UEQ(test, s->errors, 0);
	KUNIT_EXPECT_UEQ(test, s->mutex_counter, mutex_rounds);
	KUNIT_EXPECT_UEQ(test, s->sem_value, write_rounds);
	KUNIT_EXPECT_UGE(test, produced, STRESS_THREADS / 2);
	KUNIT_EXPECT_UEQ(test, consumed, produced);
	KUNIT_EXPECT_UEQ(test, consumed_sum, produced_sum);
	KUNIT_EXPECT_EQ(test, s->queue_len, 0);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&s->mutex));
	KUNIT_EXPECT_FALSE(test, rwsem_is_locked(&s->sem));
	kunit_log(test, "%lu mutex rounds, %lu rwsem writes, %lu items in %d s", mutex_rounds,
		  write_rounds, produced, STRESS_SECONDS);
	kunit_log(test, "producers slept on a full queue %lu times, consumers on an empty one %lu",
		  full_sleeps, empty_sleeps);
	kfree(s);
}

static struct kunit_case lock_stress_cases[] = {
	KUNIT_CASE(sixteen_threads_keep_exact_counts),
	{0},
};

static struct kunit_suite lock_stress_suite = {
	.name = "lock_stress", .test_cases = lock_stress_cases, .preempt_stress = true};
kunit_test_suite(lock_stress_suite);
