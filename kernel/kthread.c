/* Kernel threads on top of create_kernel_task (Linux's kernel/kthread.c).
 * Read first: as in Linux, a thread that may return before kthread_stop is
 * called must be pinned by its creator with get_task_struct; otherwise it
 * is freed as soon as it has exited. */
#include "kernel/kthread.h"
#include "kernel/printk.h"
#include "kernel/vsprintf.h"
#include "mm/slab.h"
#include <stdarg.h>

struct task_struct *create_kernel_task(int (*fn)(void *), void *arg, const char *name);

static int kthread(void *arg)
{
	struct kthread *self = arg;
	int ret = self->threadfn(self->data);

	self->result = ret;
	complete_all(&self->exited);
	return ret;
}

static struct task_struct *kthread_vcreate(int (*threadfn)(void *data), void *data,
					   const char *namefmt, va_list ap)
{
	char name[TASK_COMM_LEN];
	struct kthread *k = kzalloc(sizeof(*k), GFP_KERNEL);
	struct task_struct *p;

	if (!k)
		return NULL;
	vsnprintf(name, sizeof(name), namefmt, ap);
	k->threadfn = threadfn;
	k->data = data;
	init_completion(&k->exited);
	p = create_kernel_task(kthread, k, name);
	if (!p) {
		kfree(k);
		return NULL;
	}
	p->kthread = k;
	return p;
}

struct task_struct *kthread_create(int (*threadfn)(void *data), void *data, const char *namefmt,
				   ...)
{
	struct task_struct *p;
	va_list ap;

	va_start(ap, namefmt);
	p = kthread_vcreate(threadfn, data, namefmt, ap);
	va_end(ap);
	return p;
}

struct task_struct *kthread_run(int (*threadfn)(void *data), void *data, const char *namefmt, ...)
{
	struct task_struct *p;
	va_list ap;

	va_start(ap, namefmt);
	p = kthread_vcreate(threadfn, data, namefmt, ap);
	va_end(ap);
	if (p)
		wake_up_process(p);
	return p;
}

bool kthread_should_stop(void)
{
	return current->kthread && current->kthread->should_stop;
}

int kthread_stop(struct task_struct *k)
{
	int ret;

	get_task_struct(k);
	k->kthread->should_stop = true;
	wake_up_process(k);
	wait_for_completion(&k->kthread->exited);
	ret = k->kthread->result;
	put_task_struct(k);
	return ret;
}
