/* pthread.h: a small pthread-like thread API over clone(). Read first:
 * there is no futex, so pthread_join polls the thread's tid word (cleared
 * by the kernel at thread exit, CLONE_CHILD_CLEARTID) with sched_yield. */
#ifndef _PTHREAD_H
#define _PTHREAD_H

#include <sys/types.h>

typedef struct pthread *pthread_t;
typedef struct pthread_attr {
	size_t stack_size; /* 0: the default */
} pthread_attr_t;

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
		   void *arg);
int pthread_join(pthread_t thread, void **result);
__attribute__((noreturn)) void pthread_exit(void *result);
pthread_t pthread_self(void);

/* A spin lock that yields: enough for malloc and tests without a futex. */
typedef struct {
	volatile int locked;
} pthread_spinlock_t;

int pthread_spin_lock(pthread_spinlock_t *lock);
int pthread_spin_unlock(pthread_spinlock_t *lock);

#endif
