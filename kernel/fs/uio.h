/* A buffer to read into or write from, in user or kernel memory (a
 * one-segment Linux iov_iter). Read first: the copies return the bytes
 * they moved; a bad user address shows as a short copy, never a fault, so
 * the file system never needs to know whose buffer it fills. */
#ifndef OOMLAB_KERNEL_FS_UIO_H
#define OOMLAB_KERNEL_FS_UIO_H
#include "kernel/uaccess.h"
#include <stdbool.h>
#include <stddef.h>

struct iov_iter {
	bool user; /* ITER_UBUF: base is a user address; else ITER_KVEC */
	char *base;
	size_t count; /* bytes left */
};

static inline void iov_iter_ubuf(struct iov_iter *i, void __user *buf, size_t count)
{
	i->user = true;
	i->base = buf;
	i->count = count;
}
static inline void iov_iter_kvec(struct iov_iter *i, void *buf, size_t count)
{
	i->user = false;
	i->base = buf;
	i->count = count;
}
static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}
size_t copy_to_iter(const void *src, size_t n, struct iov_iter *i);
size_t copy_from_iter(void *dst, size_t n, struct iov_iter *i);
#endif
