/* fstat: an inode's attributes in Linux's x86_64 struct stat. Read first:
 * there are no users here, so uid and gid are always 0 (root). */
#include "kernel/fs/stat.h"
#include "kernel/fs/fdtable.h"
#include "kernel/fs/fs.h"
#include "kernel/string.h"
#include "kernel/syscall.h"

#define STAT_BLKSIZE 4096
#define STAT_BLOCK_BYTES 512

/* Linux's new_encode_dev: the dev_t user space sees. */
static uint64_t encode_dev(dev_t dev)
{
	unsigned int major = MAJOR(dev), minor = MINOR(dev);

	return (minor & 0xff) | (major << 8) | ((uint64_t)(minor & ~0xffu) << 12);
}

void generic_fillattr(const struct inode *inode, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = encode_dev(inode->i_sb->s_dev);
	st->st_ino = inode->i_ino;
	st->st_nlink = inode->i_nlink;
	st->st_mode = inode->i_mode;
	st->st_rdev = encode_dev(inode->i_rdev);
	st->st_size = inode->i_size;
	st->st_blksize = STAT_BLKSIZE;
	st->st_blocks = (inode->i_size + STAT_BLOCK_BYTES - 1) / STAT_BLOCK_BYTES;
	st->st_atime = st->st_mtime = st->st_ctime = (uint64_t)inode->i_mtime;
}

long sys_fstat(const struct pt_regs *regs)
{
	struct file *f = fget((unsigned int)syscall_arg(regs, 0));
	void __user *ubuf = (void __user *)syscall_arg(regs, 1);
	struct stat st;

	if (!f)
		return -EBADF;
	generic_fillattr(f->f_inode, &st);
	fput(f);
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}
