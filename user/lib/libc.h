/* libc.h: what the libc's own files share and programs never see. Read
 * first: every thread's %fs base points at its struct pthread, whose first
 * word points at itself, so "mov %fs:0" finds the running thread. */
#ifndef _LIBC_INTERNAL_H
#define _LIBC_INTERNAL_H

#include <stddef.h>

struct pthread {
	struct pthread *self; /* %fs:0 */
	int errno_val;
	/* Set by CLONE_PARENT_SETTID, cleared to 0 by the kernel when the
	 * thread exits (CLONE_CHILD_CLEARTID); -1 while still unknown. */
	volatile int tid;
	void *(*start)(void *);
	void *arg;
	void *result;
	void *map; /* stack + this struct, one mmap; NULL for the main thread */
	size_t map_size;
};

extern struct pthread __main_thread;
/* 0 when arch_prctl(ARCH_SET_FS) failed: errno is then shared by all. */
extern int __tls_ready;

static inline struct pthread *__self(void)
{
	struct pthread *self;

	if (!__tls_ready)
		return &__main_thread;
	__asm__("mov %%fs:0, %0" : "=r"(self));
	return self;
}

void __init_tls(void);
long __clone(unsigned long flags, void *stack, int *ptid, int *ctid, void *tls, int (*fn)(void *),
	     void *arg);
void __restore_rt(void);

#endif
