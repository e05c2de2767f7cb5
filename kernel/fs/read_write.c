/* read, write, lseek: the checks every file gets, then its file_operations
 * (Linux's fs/read_write.c). Read first: f_pos belongs to the open file,
 * which fds and processes may share, so a read or a seek holds f_pos_lock
 * from reading f_pos to storing it back. */
#include "kernel/fs/fdtable.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/paging.h"
#include "kernel/string.h"
#include "kernel/syscall.h"

/* As Linux's MAX_RW_COUNT: one call moves at most this much. */
#define MAX_RW_COUNT (0x7fffffffl & (long)PAGE_MASK)

/* The current segment, or the next non-empty one: false when none is left. */
static bool iter_segment(struct iov_iter *i)
{
	while (!i->seg_left && i->nr_segs) {
		i->base = i->iov->iov_base;
		i->seg_left = i->iov->iov_len;
		i->iov++;
		i->nr_segs--;
	}
	return i->seg_left && i->count;
}

/* Move up to n bytes between buf and i, segment by segment; stops at the
 * first byte a user address refuses. */
static size_t iter_copy(void *buf, size_t n, struct iov_iter *i, bool to_iter)
{
	size_t total = 0;

	while (total < n && iter_segment(i)) {
		size_t want = n - total, done;

		if (want > i->seg_left)
			want = i->seg_left;
		if (want > i->count)
			want = i->count;
		if (i->user && to_iter)
			done = want - copy_to_user(i->base, (char *)buf + total, want);
		else if (i->user)
			done = want - copy_from_user((char *)buf + total, i->base, want);
		else if (to_iter)
			done = (memcpy(i->base, (char *)buf + total, want), want);
		else
			done = (memcpy((char *)buf + total, i->base, want), want);
		i->base += done;
		i->seg_left -= done;
		i->count -= done;
		total += done;
		if (done < want)
			break;
	}
	return total;
}

size_t copy_to_iter(const void *src, size_t n, struct iov_iter *i)
{
	return iter_copy((void *)src, n, i, true);
}

size_t copy_from_iter(void *dst, size_t n, struct iov_iter *i)
{
	return iter_copy(dst, n, i, false);
}

ssize_t vfs_read(struct file *f, struct iov_iter *to, loff_t *pos)
{
	if (!(f->f_mode & FMODE_READ))
		return -EBADF;
	if (S_ISDIR(f->f_inode->i_mode))
		return -EISDIR;
	if (!f->f_op || !f->f_op->read_iter)
		return -EINVAL;
	if (to->count > (size_t)MAX_RW_COUNT)
		to->count = (size_t)MAX_RW_COUNT;
	if (to->count == 0)
		return 0;
	return f->f_op->read_iter(f, to, pos);
}

ssize_t vfs_write(struct file *f, struct iov_iter *from, loff_t *pos)
{
	if (!(f->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!f->f_op || !f->f_op->write_iter)
		return -EINVAL;
	if (from->count > (size_t)MAX_RW_COUNT)
		from->count = (size_t)MAX_RW_COUNT;
	/* Even an empty write reaches the file, as in Linux: writing ""
	 * to a /proc switch is a bad value, not a no-op. */
	return f->f_op->write_iter(f, from, pos);
}

ssize_t kernel_read(struct file *f, void *buf, size_t count, loff_t *pos)
{
	struct iov_iter iter;

	iov_iter_kvec(&iter, buf, count);
	return vfs_read(f, &iter, pos);
}

ssize_t kernel_write(struct file *f, const void *buf, size_t count, loff_t *pos)
{
	struct iov_iter iter;

	iov_iter_kvec(&iter, (void *)buf, count);
	return vfs_write(f, &iter, pos);
}

loff_t generic_file_llseek(struct file *f, loff_t offset, int whence)
{
	loff_t base;

	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = f->f_pos; break;
	case SEEK_END: base = f->f_inode->i_size; break;
	default: return -EINVAL;
	}
	if ((offset > 0 && base > (loff_t)0x7fffffffffffffffll - offset) || base + offset < 0)
		return -EINVAL;
	f->f_pos = base + offset;
	return f->f_pos;
}

loff_t no_llseek(struct file *f, loff_t offset, int whence)
{
	return -ESPIPE;
}

loff_t vfs_llseek(struct file *f, loff_t offset, int whence)
{
	loff_t ret;

	if (!f->f_op || !f->f_op->llseek)
		return -ESPIPE;
	mutex_lock(&f->f_pos_lock);
	ret = f->f_op->llseek(f, offset, whence);
	mutex_unlock(&f->f_pos_lock);
	return ret;
}

/* read(2)/write(2) at the file's own position. Pipes and the console
 * have no position to keep, so they skip the lock: a reader blocked on an
 * empty pipe must not hold up a seek through another fd. */
bool file_has_pos(const struct file *f)
{
	return f->f_op && f->f_op->llseek && f->f_op->llseek != no_llseek;
}

ssize_t file_read_at_pos(struct file *f, struct iov_iter *to)
{
	loff_t pos = 0;
	ssize_t ret;

	if (!file_has_pos(f))
		return vfs_read(f, to, &pos);
	mutex_lock(&f->f_pos_lock);
	ret = vfs_read(f, to, &f->f_pos);
	mutex_unlock(&f->f_pos_lock);
	return ret;
}

ssize_t file_write_at_pos(struct file *f, struct iov_iter *from)
{
	loff_t pos = 0;
	ssize_t ret;

	if (!file_has_pos(f))
		return vfs_write(f, from, &pos);
	mutex_lock(&f->f_pos_lock);
	ret = vfs_write(f, from, &f->f_pos);
	mutex_unlock(&f->f_pos_lock);
	return ret;
}

/* As Linux orders its checks: a bad fd (-EBADF) before a bad buffer
 * (-EFAULT), and the whole buffer must be user memory before anything
 * moves, so a kernel pointer is refused before the file is touched. */
static long rw_syscall(const struct pt_regs *regs, bool write)
{
	struct file *f = fget((unsigned int)syscall_arg(regs, 0));
	void __user *buf = (void __user *)syscall_arg(regs, 1);
	size_t count = (size_t)syscall_arg(regs, 2);
	struct iov_iter iter;
	long ret;

	if (!f)
		return -EBADF;
	if (!(f->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		ret = -EBADF;
	else if ((long)count < 0)
		ret = -EINVAL;
	else if (!access_ok(buf, count))
		ret = -EFAULT;
	else {
		iov_iter_ubuf(&iter, buf, count);
		ret = write ? file_write_at_pos(f, &iter) : file_read_at_pos(f, &iter);
	}
	fput(f);
	return ret;
}

long sys_read(const struct pt_regs *regs)
{
	return rw_syscall(regs, false);
}

long sys_write(const struct pt_regs *regs)
{
	return rw_syscall(regs, true);
}

long ksys_lseek(unsigned int fd, loff_t offset, int whence)
{
	struct file *f = fget(fd);
	loff_t ret;

	if (!f)
		return -EBADF;
	ret = vfs_llseek(f, offset, whence);
	fput(f);
	return (long)ret;
}

long sys_lseek(const struct pt_regs *regs)
{
	return ksys_lseek((unsigned int)syscall_arg(regs, 0), (loff_t)syscall_arg(regs, 1),
			  (int)syscall_arg(regs, 2));
}
