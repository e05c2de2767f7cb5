/* thread_tests.c: clone()-based threads: shared memory, join results,
 * create/exit cycles, and errno kept per thread. Read first: join polls
 * the tid word the kernel clears at thread exit (no futex), so a kernel
 * that forgets CLONE_CHILD_CLEARTID makes these tests time out. */
#include "usertests.h"
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define NTHREADS 4
#define ADDS 10000
#define CYCLES 50

static long counter;
static pid_t tids[NTHREADS];

static void *add_many(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < ADDS; i++)
		__atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
	tids[id] = gettid();
	return (void *)(id * 2 + 1);
}

int test_threads(void)
{
	pthread_t t[NTHREADS];
	void *result;

	for (long i = 0; i < NTHREADS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, add_many, (void *)i), 0);
	for (long i = 0; i < NTHREADS; i++) {
		CHECK_EQ(pthread_join(t[i], &result), 0);
		CHECK_EQ((long)result, i * 2 + 1);
	}
	CHECK_EQ(counter, NTHREADS * ADDS);
	for (int i = 0; i < NTHREADS; i++) {
		CHECK(tids[i] > 0 && tids[i] != getpid());
		for (int j = 0; j < i; j++)
			CHECK(tids[i] != tids[j]);
	}
	return 0;
}

static void *identity(void *arg)
{
	/* Threads share the pid (the thread group) but not the tid. */
	if (getpid() != (pid_t)(long)arg || gettid() == getpid())
		return NULL;
	if (pthread_self() == NULL)
		return NULL;
	pthread_exit(arg); /* the other way out of a thread */
}

int test_thread_cycles(void)
{
	pid_t pid = getpid();

	for (int i = 0; i < CYCLES; i++) {
		pthread_t t;
		void *result = NULL;

		CHECK_EQ(pthread_create(&t, NULL, identity, (void *)(long)pid), 0);
		CHECK(t != pthread_self());
		CHECK_EQ(pthread_join(t, &result), 0);
		CHECK_EQ((long)result, pid);
	}
	return 0;
}

static void *fail_a_call(void *arg)
{
	(void)arg;
	errno = 0;
	if (close(-1) != -1 || errno != EBADF)
		return NULL;
	return (void *)1;
}

int test_thread_errno(void)
{
	pthread_t t;
	void *result;

	errno = ENOENT;
	CHECK_EQ(pthread_create(&t, NULL, fail_a_call, NULL), 0);
	CHECK_EQ(pthread_join(t, &result), 0);
	CHECK_EQ((long)result, 1);
	CHECK_EQ(errno, ENOENT); /* the thread's EBADF was its own */
	CHECK_EQ(pthread_join(pthread_self(), NULL), EDEADLK);
	return 0;
}
