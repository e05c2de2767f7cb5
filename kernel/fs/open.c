/* Opening and closing: filp_open for the kernel, open/openat/close for
 * user space. Read first: a file system refuses what it cannot do when the
 * file is opened, not later: writing to the initramfs is -EROFS at open. */
#include "kernel/fs/fdtable.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "mm/slab.h"

static bool wants_write(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
}

/* Permission to open inode this way: 0 or -errno. Everyone is root here,
 * so only the file's nature and its write bits can refuse. */
static int may_open(struct inode *inode, int flags)
{
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	if (!wants_write(flags))
		return 0;
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if ((inode->i_sb->s_flags & SB_RDONLY) && !S_ISCHR(inode->i_mode) &&
	    !S_ISFIFO(inode->i_mode))
		return -EROFS;
	if (!(inode->i_mode & 0222))
		return -EACCES;
	return 0;
}

struct file *dentry_open(struct dentry *dentry, int flags)
{
	struct inode *inode = dentry->d_inode;
	struct file *f;
	int err = may_open(inode, flags);

	if (err)
		return ERR_PTR(err);
	f = alloc_empty_file(inode, flags, inode->i_fop);
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->f_dentry = dget(dentry);
	if (f->f_op && f->f_op->open) {
		err = f->f_op->open(inode, f);
		if (err) {
			f->f_op = NULL; /* not opened: nothing to release */
			fput(f);
			return ERR_PTR(err);
		}
	}
	f->f_flags &= ~(unsigned int)O_TRUNC;
	return f;
}

/* Why O_CREAT could not make path: as Linux, a missing directory on the
 * way is -ENOENT (or whatever its lookup says); only a name that could be
 * made is -EROFS, since every writable place is read-only. */
static long create_error(struct dentry *start, const char *path)
{
	const char *slash = strrchr(path, '/');
	struct dentry *dir;
	char *parent;
	long err;

	if (!slash || slash == path)
		return -EROFS; /* the parent is start itself, or "/" */
	parent = kmalloc((size_t)(slash - path) + 1, GFP_KERNEL);
	if (!parent)
		return -ENOMEM;
	memcpy(parent, path, (size_t)(slash - path));
	parent[slash - path] = '\0';
	dir = vfs_path_lookup(start, parent, true);
	kfree(parent);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	err = S_ISDIR(dir->d_inode->i_mode) ? -EROFS : -ENOTDIR;
	dput(dir);
	return err;
}

/* The open itself, from a start directory: what both filp_open and the
 * syscalls do once the path is a kernel string. */
static struct file *do_filp_open(struct dentry *start, const char *path, int flags)
{
	struct dentry *d = vfs_path_lookup(start, path, !(flags & O_NOFOLLOW));
	struct file *f;

	if (IS_ERR(d)) {
		if (PTR_ERR(d) == -ENOENT && (flags & O_CREAT))
			return ERR_PTR(create_error(start, path));
		return (struct file *)d;
	}
	if ((flags & O_CREAT) && (flags & O_EXCL)) {
		dput(d);
		return ERR_PTR(-EEXIST);
	}
	if (S_ISLNK(d->d_inode->i_mode)) { /* O_NOFOLLOW on a symlink */
		dput(d);
		return ERR_PTR(-ELOOP);
	}
	f = dentry_open(d, flags);
	dput(d);
	return f;
}

struct file *filp_open(const char *path, int flags)
{
	return do_filp_open(root_dentry, path, flags);
}

/* The directory a relative path starts from: "/" for AT_FDCWD (there is
 * no chdir), else the directory open on dfd. Referenced. */
static struct dentry *start_dir(int dfd, const char *path)
{
	struct file *f;
	struct dentry *d;

	if (path[0] == '/' || dfd == AT_FDCWD)
		return dget(root_dentry);
	f = fget((unsigned int)dfd);
	if (!f)
		return ERR_PTR(-EBADF);
	if (!f->f_dentry || !S_ISDIR(f->f_inode->i_mode)) {
		fput(f);
		return ERR_PTR(-ENOTDIR);
	}
	d = dget(f->f_dentry);
	fput(f);
	return d;
}

/* A path from user space into a kernel buffer the caller frees. */
char *getname(const char __user *upath)
{
	char *name = kmalloc(PATH_MAX, GFP_KERNEL);
	long len;

	if (!name)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(name, upath, PATH_MAX);
	if (len < 0 || len == PATH_MAX) {
		kfree(name);
		return ERR_PTR(len < 0 ? len : -ENAMETOOLONG);
	}
	if (len == 0) {
		kfree(name);
		return ERR_PTR(-ENOENT);
	}
	return name;
}

long do_sys_openat(int dfd, const char __user *upath, int flags)
{
	char *path = getname(upath);
	struct dentry *start;
	struct file *f;
	int fd;

	if (IS_ERR(path))
		return PTR_ERR(path);
	start = start_dir(dfd, path);
	f = IS_ERR(start) ? (struct file *)start : do_filp_open(start, path, flags);
	if (!IS_ERR(start))
		dput(start);
	kfree(path);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = get_unused_fd_flags((unsigned int)flags);
	if (fd < 0) {
		fput(f);
		return fd;
	}
	fd_install((unsigned int)fd, f);
	return fd;
}

long sys_open(const struct pt_regs *regs)
{
	return do_sys_openat(AT_FDCWD, (const char __user *)syscall_arg(regs, 0),
			     (int)syscall_arg(regs, 1));
}

long sys_openat(const struct pt_regs *regs)
{
	return do_sys_openat((int)syscall_arg(regs, 0), (const char __user *)syscall_arg(regs, 1),
			     (int)syscall_arg(regs, 2));
}

long sys_close(const struct pt_regs *regs)
{
	return close_fd((unsigned int)syscall_arg(regs, 0));
}
