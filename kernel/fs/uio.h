/* A buffer to read into or write from, in user or kernel memory: one
 * segment, or readv's list of user segments (a Linux iov_iter in small).
 * Read first: the copies return the bytes they moved; a bad user address
 * shows as a short copy, never a fault, so the file system never needs to
 * know whose buffer it fills, or in how many pieces. */
#ifndef OOMLAB_KERNEL_FS_UIO_H
#define OOMLAB_KERNEL_FS_UIO_H
#include "kernel/uaccess.h"
#include <stdbool.h>
#include <stddef.h>

/* Linux's struct iovec, the user ABI of readv and writev. */
struct iovec {
	void __user *iov_base;
	size_t iov_len;
};

/* As Linux's UIO_MAXIOV (IOV_MAX): the most segments one call takes. */
#define UIO_MAXIOV 1024

struct iov_iter {
	bool user;		 /* ITER_UBUF/ITER_IOVEC: user addresses; else ITER_KVEC */
	char *base;		 /* the next byte of the current segment */
	size_t count;		 /* bytes left, in all segments */
	size_t seg_left;	 /* bytes left in the current segment */
	const struct iovec *iov; /* the segments after the current one */
	unsigned long nr_segs;
};

static inline void iov_iter_ubuf(struct iov_iter *i, void __user *buf, size_t count)
{
	*i = (struct iov_iter){.user = true, .base = buf, .count = count, .seg_left = count};
}
static inline void iov_iter_kvec(struct iov_iter *i, void *buf, size_t count)
{
	*i = (struct iov_iter){.base = buf, .count = count, .seg_left = count};
}
/* ITER_IOVEC: user segments, already checked (import_iovec), whose
 * lengths add up to count. */
static inline void iov_iter_init(struct iov_iter *i, const struct iovec *iov, unsigned long nr_segs,
				 size_t count)
{
	*i = (struct iov_iter){.user = true, .count = count, .iov = iov, .nr_segs = nr_segs};
}
static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}
size_t copy_to_iter(const void *src, size_t n, struct iov_iter *i);
size_t copy_from_iter(void *dst, size_t n, struct iov_iter *i);
#endif
