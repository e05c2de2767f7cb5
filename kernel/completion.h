/* Completions: "wait until this has happened once" (Linux's
 * include/linux/completion.h). Read first: done counts completions not
 * yet consumed, so complete() before wait_for_completion() is not lost. */
#ifndef OOMLAB_KERNEL_COMPLETION_H
#define OOMLAB_KERNEL_COMPLETION_H
#include "kernel/wait.h"

#define COMPLETION_DONE_ALL 0x7fffffffu

struct completion {
	unsigned int done;
	struct wait_queue_head wait;
};

void init_completion(struct completion *x);
void complete(struct completion *x);
void complete_all(struct completion *x);
void wait_for_completion(struct completion *x);
/* 0 when completed, -ERESTARTSYS on a fatal signal. */
int wait_for_completion_killable(struct completion *x);
int wait_for_completion_interruptible(struct completion *x);
/* Jiffies left (at least 1) when completed, 0 on timeout. */
unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout);
bool try_wait_for_completion(struct completion *x);
bool completion_done(struct completion *x);
#endif
