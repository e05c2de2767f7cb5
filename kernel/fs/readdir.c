/* Directory listing: iterate_dir and getdents64 (Linux's fs/readdir.c).
 * Read first: a directory's f_pos is a cookie its file system chose (the
 * next entry's position), not a byte offset; each record carries the
 * position after it in d_off, so a listing resumes where it stopped. */
#include "kernel/fs/fdtable.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include <stdint.h>

int iterate_dir(struct file *file, struct dir_context *ctx)
{
	if (!S_ISDIR(file->f_inode->i_mode) || !file->f_op || !file->f_op->iterate_shared)
		return -ENOTDIR;
	return file->f_op->iterate_shared(file, ctx);
}

/* Linux's struct linux_dirent64, as user space sees it. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

struct getdents_callback64 {
	struct dir_context ctx;
	char __user *next; /* where the next record goes */
	size_t left;	   /* bytes of the user buffer still free */
	int error;
};

#define DIRENT_ALIGN 8
/* The longest record: header, NAME_MAX bytes, NUL, padding. */
#define DIRENT_MAX ((offsetof(struct linux_dirent64, d_name) + NAME_MAX + 1 + 7) & ~(size_t)7)

static size_t dirent_reclen(size_t namelen)
{
	size_t len = offsetof(struct linux_dirent64, d_name) + namelen + 1;

	return (len + DIRENT_ALIGN - 1) & ~(size_t)(DIRENT_ALIGN - 1);
}

/* Build the record in a kernel buffer, then one copy_to_user: a fault
 * anywhere in it is one -EFAULT. d_off is the position after this entry. */
static bool filldir64(struct dir_context *ctx, const char *name, size_t namelen, loff_t pos,
		      unsigned long ino, unsigned int d_type)
{
	struct getdents_callback64 *buf = (struct getdents_callback64 *)ctx;
	size_t reclen = dirent_reclen(namelen);
	char record[DIRENT_MAX];
	struct linux_dirent64 *d = (struct linux_dirent64 *)record;

	if (namelen > NAME_MAX) {
		buf->error = -EOVERFLOW;
		return false;
	}
	if (reclen > buf->left) {
		buf->error = -EINVAL; /* reported only if nothing fitted */
		return false;
	}
	memset(record, 0, reclen);
	d->d_ino = ino;
	d->d_off = pos + 1;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = (uint8_t)d_type;
	memcpy(d->d_name, name, namelen);
	if (copy_to_user(buf->next, record, reclen)) {
		buf->error = -EFAULT;
		return false;
	}
	buf->next += reclen;
	buf->left -= reclen;
	return true;
}

/* The work of getdents64 on an open directory, for any user buffer. */
long vfs_getdents64(struct file *f, void __user *dirent, size_t count)
{
	struct getdents_callback64 buf = {
		.ctx.actor = filldir64, .next = dirent, .left = count, .error = 0};
	long ret;

	if (!S_ISDIR(f->f_inode->i_mode))
		return -ENOTDIR;
	if (!access_ok(dirent, count))
		return -EFAULT;
	mutex_lock(&f->f_pos_lock);
	buf.ctx.pos = f->f_pos;
	ret = iterate_dir(f, &buf.ctx);
	f->f_pos = buf.ctx.pos;
	mutex_unlock(&f->f_pos_lock);
	if (ret)
		return ret;
	if (buf.left == count && buf.error)
		return buf.error; /* not even one record fitted */
	if (buf.error == -EFAULT)
		return -EFAULT;
	return (long)(count - buf.left);
}

long sys_getdents64(const struct pt_regs *regs)
{
	struct file *f = fget((unsigned int)syscall_arg(regs, 0));
	long ret;

	if (!f)
		return -EBADF;
	ret = vfs_getdents64(f, (void __user *)syscall_arg(regs, 1), (size_t)syscall_arg(regs, 2));
	fput(f);
	return ret;
}
