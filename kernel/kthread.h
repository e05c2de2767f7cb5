/* Kernel threads (Linux's include/linux/kthread.h). Read first: a thread
 * made by kthread_create does not run until woken (kthread_run does both);
 * kthread_stop asks it to return and waits until it has. */
#ifndef OOMLAB_KERNEL_KTHREAD_H
#define OOMLAB_KERNEL_KTHREAD_H
#include "kernel/completion.h"
#include "kernel/sched.h"

struct kthread {
	int (*threadfn)(void *data);
	void *data;
	bool should_stop;
	int result;
	struct completion exited;
};

/* NULL when there is no memory for the task or its stack. */
struct task_struct *kthread_create(int (*threadfn)(void *data), void *data, const char *namefmt,
				   ...) __attribute__((format(printf, 3, 4)));
struct task_struct *kthread_run(int (*threadfn)(void *data), void *data, const char *namefmt, ...)
	__attribute__((format(printf, 3, 4)));
bool kthread_should_stop(void);
/* Returns the thread function's result. The thread must not have exited
 * on its own unless the caller holds a reference (get_task_struct). */
int kthread_stop(struct task_struct *k);
#endif
