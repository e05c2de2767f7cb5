/* readv, writev, preadv, pwritev: read and write through a list of user
 * buffers (Linux's vfs_readv and import_iovec in fs/read_write.c and
 * lib/iov_iter.c). Read first: the list is copied in and checked whole
 * (count, each length, each range) before the file is touched, and then
 * the file sees one iov_iter, so a pipe or the console moves the bytes as
 * for one read or write of the total. */
#include "kernel/fs/fdtable.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/paging.h"
#include "kernel/syscall.h"
#include "mm/slab.h"

/* As Linux's MAX_RW_COUNT: one call moves at most this much. */
#define MAX_RW_COUNT (0x7fffffffl & (long)PAGE_MASK)

/* As Linux's import_iovec: nr_segs segments from uvec into *out (a
 * kmalloc'd copy the caller frees) and the iterator over them. -EINVAL for
 * more than UIO_MAXIOV segments or a negative length, -EFAULT for a list
 * or a buffer outside user memory; a total past MAX_RW_COUNT is cut
 * there, as Linux cuts it. */
static long import_iovec(const struct iovec __user *uvec, unsigned long nr_segs, struct iovec **out,
			 struct iov_iter *iter)
{
	struct iovec *iov;
	size_t total = 0;

	*out = NULL;
	if (nr_segs > UIO_MAXIOV)
		return -EINVAL;
	if (nr_segs == 0) {
		iov_iter_init(iter, NULL, 0, 0);
		return 0;
	}
	iov = kmalloc(nr_segs * sizeof(*iov), GFP_KERNEL);
	if (!iov)
		return -ENOMEM;
	*out = iov;
	if (copy_from_user(iov, uvec, nr_segs * sizeof(*iov)))
		return -EFAULT;
	for (unsigned long s = 0; s < nr_segs; s++) {
		size_t len = iov[s].iov_len;

		if ((ssize_t)len < 0)
			return -EINVAL;
		if (!access_ok(iov[s].iov_base, len))
			return -EFAULT;
		if (len > (size_t)MAX_RW_COUNT - total)
			iov[s].iov_len = len = (size_t)MAX_RW_COUNT - total;
		total += len;
	}
	iov_iter_init(iter, iov, nr_segs, total);
	return 0;
}

/* pos NULL: at the file's own position (readv/writev); else at *pos,
 * which the file must have (preadv/pwritev). */
static long do_rw_vec(const struct pt_regs *regs, bool write, loff_t *pos)
{
	struct file *f = fget((unsigned int)syscall_arg(regs, 0));
	const struct iovec __user *uvec = (const void __user *)syscall_arg(regs, 1);
	struct iovec *iov = NULL;
	struct iov_iter iter;
	long ret;

	/* Linux's order: a negative offset, the fd, no offset to honour,
	 * the mode, then the list. */
	if (pos && *pos < 0) {
		if (f)
			fput(f);
		return -EINVAL;
	}
	if (!f)
		return -EBADF;
	if (pos && !file_has_pos(f))
		ret = -ESPIPE;
	else if (!(f->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		ret = -EBADF;
	else
		ret = import_iovec(uvec, syscall_arg(regs, 2), &iov, &iter);
	if (ret)
		goto out;
	if (!iov_iter_count(&iter))
		ret = 0; /* Linux: nothing to move is not even a call to the file */
	else if (pos)
		ret = write ? vfs_write(f, &iter, pos) : vfs_read(f, &iter, pos);
	else
		ret = write ? file_write_at_pos(f, &iter) : file_read_at_pos(f, &iter);
out:
	kfree(iov);
	fput(f);
	return ret;
}

long sys_readv(const struct pt_regs *regs);
long sys_readv(const struct pt_regs *regs)
{
	return do_rw_vec(regs, false, NULL);
}

long sys_writev(const struct pt_regs *regs);
long sys_writev(const struct pt_regs *regs)
{
	return do_rw_vec(regs, true, NULL);
}

/* x86_64 passes the whole offset in the fourth argument (pos_l); the
 * fifth (pos_h) only matters to 32-bit callers. */
long sys_preadv(const struct pt_regs *regs);
long sys_preadv(const struct pt_regs *regs)
{
	loff_t pos = (loff_t)syscall_arg(regs, 3);

	return do_rw_vec(regs, false, &pos);
}

long sys_pwritev(const struct pt_regs *regs);
long sys_pwritev(const struct pt_regs *regs)
{
	loff_t pos = (loff_t)syscall_arg(regs, 3);

	return do_rw_vec(regs, true, &pos);
}
