/* pthread.c: threads over clone(). Read first: one mmap holds a guard
 * page, the stack and, at its top, the struct pthread that %fs points at;
 * the kernel clears its tid word when the thread exits
 * (CLONE_CHILD_CLEARTID). With no futex to sleep on, pthread_join polls
 * that word: a few sched_yield()s, then 1 ms naps. */
#include "libc.h"
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#define PAGE 4096
#define DEFAULT_STACK (256 * 1024)
#define GUARD PAGE
#define JOIN_SPINS 100
#define JOIN_NAP_NS 1000000

#define THREAD_CLONE_FLAGS                                                                  \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | \
	 CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) & ~(to - 1);
}

static int thread_main(void *arg)
{
	struct pthread *t = arg;

	t->result = t->start(t->arg);
	return 0;
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
	size_t stack = attr && attr->stack_size ? round_up(attr->stack_size, PAGE) : DEFAULT_STACK;
	size_t len = GUARD + stack + round_up(sizeof(struct pthread), PAGE);
	char *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct pthread *t;
	long ret;

	if (map == MAP_FAILED)
		return EAGAIN;
	/* Best effort: without the guard an overflow still stays in our map. */
	mprotect(map, GUARD, PROT_NONE);
	t = (struct pthread *)(map + GUARD + stack);
	t->self = t;
	/* -1 until the kernel stores the tid, so join never sees a false 0. */
	t->tid = -1;
	t->start = start;
	t->arg = arg;
	t->map = map;
	t->map_size = len;
	ret = __clone(THREAD_CLONE_FLAGS, t, (int *)&t->tid, (int *)&t->tid, t, thread_main, t);
	if (ret < 0) {
		munmap(map, len);
		return (int)-ret;
	}
	*thread = t;
	return 0;
}

int pthread_join(pthread_t t, void **result)
{
	struct timespec nap = {.tv_nsec = JOIN_NAP_NS};

	if (t == __self())
		return EDEADLK;
	for (int spins = 0; t->tid != 0; spins++) {
		if (spins < JOIN_SPINS)
			sched_yield();
		else
			nanosleep(&nap, NULL);
	}
	if (result)
		*result = t->result;
	munmap(t->map, t->map_size);
	return 0;
}

void pthread_exit(void *result)
{
	__self()->result = result;
	for (;;)
		syscall1(SYS_exit, 0);
}

pthread_t pthread_self(void)
{
	return __self();
}

int pthread_spin_lock(pthread_spinlock_t *lock)
{
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE))
		sched_yield();
	return 0;
}

int pthread_spin_unlock(pthread_spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
	return 0;
}
