/* fd tables: allocation, fork's copy, exit's close, exec's
 * close-on-exec, and the fd syscalls that only touch the table (close,
 * dup, dup2, dup3). Read first: the table lock is
 * a spinlock, so nothing that may sleep (fput's release) runs under it. */
#include "kernel/errno.h"
#include "kernel/fs/fdtable.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "mm/slab.h"

/* A slot is reserved with a placeholder until fd_install fills it, so two
 * threads never get the same fd; everywhere else it reads as empty. */
#define FD_RESERVED ((struct file *)1)

static struct kmem_cache *files_cachep;

_Static_assert(NR_OPEN_DEFAULT <= 64, "close_on_exec is one 64-bit word");

static uint64_t fd_bit(unsigned int fd)
{
	return 1ull << fd;
}

/* Called with file_lock held. */
static void __set_close_on_exec(struct files_struct *files, unsigned int fd, bool on)
{
	if (on)
		files->close_on_exec |= fd_bit(fd);
	else
		files->close_on_exec &= ~fd_bit(fd);
}

static struct file *slot_file(struct file *f)
{
	return f == FD_RESERVED ? NULL : f;
}

void files_struct_cache_init(void)
{
	files_cachep =
		kmem_cache_create("files_cache", sizeof(struct files_struct), 0, SLAB_PANIC, NULL);
}

static struct files_struct *alloc_files(void)
{
	struct files_struct *files = kmem_cache_zalloc(files_cachep, GFP_KERNEL);

	if (files) {
		files->count = 1;
		spin_lock_init(&files->file_lock);
	}
	return files;
}

int files_init_current(void)
{
	if (current->files)
		return 0;
	current->files = alloc_files();
	return current->files ? 0 : -ENOMEM;
}

static struct files_struct *dup_fd(struct files_struct *old)
{
	struct files_struct *new = alloc_files();

	if (!new)
		return NULL;
	spin_lock(&old->file_lock);
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++) {
		struct file *f = slot_file(old->fd_array[fd]);

		new->fd_array[fd] = f ? get_file(f) : NULL;
	}
	new->close_on_exec = old->close_on_exec;
	spin_unlock(&old->file_lock);
	return new;
}

int copy_files(struct task_struct *child, bool share)
{
	struct files_struct *old = current->files;

	child->files = NULL;
	if (!old)
		return 0;
	if (share) {
		__atomic_add_fetch(&old->count, 1, __ATOMIC_RELAXED);
		child->files = old;
		return 0;
	}
	child->files = dup_fd(old);
	return child->files ? 0 : -ENOMEM;
}

static void put_files_struct(struct files_struct *files)
{
	if (__atomic_sub_fetch(&files->count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	/* Nobody else can see the table now: no lock needed. */
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++)
		fput(slot_file(files->fd_array[fd]));
	kmem_cache_free(files_cachep, files);
}

void exit_files(struct task_struct *tsk)
{
	struct files_struct *files = tsk->files;

	if (!files)
		return;
	tsk->files = NULL;
	put_files_struct(files);
}

struct file *fget(unsigned int fd)
{
	struct files_struct *files = current->files;
	struct file *f = NULL;

	if (!files || fd >= NR_OPEN_DEFAULT)
		return NULL;
	spin_lock(&files->file_lock);
	f = slot_file(files->fd_array[fd]);
	if (f)
		get_file(f);
	spin_unlock(&files->file_lock);
	return f;
}

int alloc_fd(unsigned int start, unsigned int flags)
{
	struct files_struct *files = current->files;
	int ret = -EMFILE;

	if (!files)
		return -EBADF;
	if (start >= NR_OPEN_DEFAULT)
		return -EINVAL;
	spin_lock(&files->file_lock);
	for (unsigned int fd = start; fd < NR_OPEN_DEFAULT; fd++) {
		if (!files->fd_array[fd]) {
			files->fd_array[fd] = FD_RESERVED;
			__set_close_on_exec(files, fd, flags & O_CLOEXEC);
			ret = (int)fd;
			break;
		}
	}
	spin_unlock(&files->file_lock);
	return ret;
}

int get_unused_fd_flags(unsigned int flags)
{
	return alloc_fd(0, flags);
}

int get_unused_fd(void)
{
	return alloc_fd(0, 0);
}

void put_unused_fd(unsigned int fd)
{
	struct files_struct *files = current->files;

	spin_lock(&files->file_lock);
	if (files->fd_array[fd] == FD_RESERVED)
		files->fd_array[fd] = NULL;
	spin_unlock(&files->file_lock);
}

void fd_install(unsigned int fd, struct file *file)
{
	struct files_struct *files = current->files;

	spin_lock(&files->file_lock);
	files->fd_array[fd] = file;
	spin_unlock(&files->file_lock);
}

/* Take the file out of its slot (a reserved slot counts as empty). */
static struct file *pick_file(struct files_struct *files, unsigned int fd)
{
	struct file *f = NULL;

	spin_lock(&files->file_lock);
	if (files->fd_array[fd] != FD_RESERVED) {
		f = files->fd_array[fd];
		files->fd_array[fd] = NULL;
		__set_close_on_exec(files, fd, false);
	}
	spin_unlock(&files->file_lock);
	return f;
}

int close_fd(unsigned int fd)
{
	struct file *f;

	if (!current->files || fd >= NR_OPEN_DEFAULT)
		return -EBADF;
	f = pick_file(current->files, fd);
	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

/* newfd names oldfd's file, its close-on-exec flag from flags. */
static int do_dup3(unsigned int oldfd, unsigned int newfd, unsigned int flags)
{
	struct files_struct *files = current->files;
	struct file *f, *old = NULL;

	if (!files || newfd >= NR_OPEN_DEFAULT)
		return -EBADF;
	f = fget(oldfd);
	if (!f)
		return -EBADF;
	spin_lock(&files->file_lock);
	if (files->fd_array[newfd] == FD_RESERVED) {
		/* Being opened by another thread: Linux says EBUSY. */
		spin_unlock(&files->file_lock);
		fput(f);
		return -EBUSY;
	}
	old = files->fd_array[newfd];
	files->fd_array[newfd] = f; /* the table takes fget's reference */
	__set_close_on_exec(files, newfd, flags & O_CLOEXEC);
	spin_unlock(&files->file_lock);
	fput(old);
	return (int)newfd;
}

/* As Linux, dup2 onto itself changes nothing (not even FD_CLOEXEC). */
int do_dup2(unsigned int oldfd, unsigned int newfd)
{
	struct file *f;

	if (oldfd != newfd)
		return do_dup3(oldfd, newfd, 0);
	f = fget(oldfd);
	if (!f)
		return -EBADF;
	fput(f);
	return (int)newfd;
}

/* dup and fcntl(F_DUPFD*): oldfd's file at the lowest free fd >= start. */
int do_dup_from(unsigned int oldfd, unsigned int start, unsigned int flags)
{
	struct file *f = fget(oldfd);
	int fd;

	if (!f)
		return -EBADF;
	fd = alloc_fd(start, flags);
	if (fd < 0) {
		fput(f);
		return fd;
	}
	fd_install((unsigned int)fd, f);
	return fd;
}

void do_close_on_exec(struct files_struct *files)
{
	for (unsigned int fd = 0; fd < NR_OPEN_DEFAULT; fd++) {
		struct file *f = NULL;

		spin_lock(&files->file_lock);
		if (files->close_on_exec & fd_bit(fd))
			f = slot_file(files->fd_array[fd]);
		if (f) {
			files->fd_array[fd] = NULL;
			__set_close_on_exec(files, fd, false);
		}
		spin_unlock(&files->file_lock);
		fput(f); /* outside the lock: a release may sleep */
	}
}

bool get_close_on_exec(unsigned int fd)
{
	struct files_struct *files = current->files;
	bool on;

	spin_lock(&files->file_lock);
	on = files->close_on_exec & fd_bit(fd);
	spin_unlock(&files->file_lock);
	return on;
}

void set_close_on_exec(unsigned int fd, bool on)
{
	struct files_struct *files = current->files;

	spin_lock(&files->file_lock);
	__set_close_on_exec(files, fd, on);
	spin_unlock(&files->file_lock);
}

long sys_dup2(const struct pt_regs *regs)
{
	return do_dup2((unsigned int)syscall_arg(regs, 0), (unsigned int)syscall_arg(regs, 1));
}

long sys_dup3(const struct pt_regs *regs)
{
	unsigned int oldfd = (unsigned int)syscall_arg(regs, 0);
	unsigned int newfd = (unsigned int)syscall_arg(regs, 1);
	unsigned int flags = (unsigned int)syscall_arg(regs, 2);

	if ((flags & ~O_CLOEXEC) || oldfd == newfd)
		return -EINVAL;
	return do_dup3(oldfd, newfd, flags);
}

long sys_dup(const struct pt_regs *regs)
{
	return do_dup_from((unsigned int)syscall_arg(regs, 0), 0, 0);
}
