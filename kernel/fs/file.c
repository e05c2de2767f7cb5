/* fd tables: allocation, fork's copy, exit's close, and the fd syscalls
 * that only touch the table (close, dup2). Read first: the table lock is
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

int get_unused_fd(void)
{
	struct files_struct *files = current->files;
	int ret = -EMFILE;

	if (!files)
		return -EBADF;
	spin_lock(&files->file_lock);
	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++) {
		if (!files->fd_array[fd]) {
			files->fd_array[fd] = FD_RESERVED;
			ret = fd;
			break;
		}
	}
	spin_unlock(&files->file_lock);
	return ret;
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

int do_dup2(unsigned int oldfd, unsigned int newfd)
{
	struct files_struct *files = current->files;
	struct file *f, *old = NULL;

	if (!files || newfd >= NR_OPEN_DEFAULT)
		return -EBADF;
	f = fget(oldfd);
	if (!f)
		return -EBADF;
	if (oldfd == newfd) {
		fput(f);
		return (int)newfd;
	}
	spin_lock(&files->file_lock);
	if (files->fd_array[newfd] == FD_RESERVED) {
		/* Being opened by another thread: Linux says EBUSY. */
		spin_unlock(&files->file_lock);
		fput(f);
		return -EBUSY;
	}
	old = files->fd_array[newfd];
	files->fd_array[newfd] = f; /* the table takes fget's reference */
	spin_unlock(&files->file_lock);
	fput(old);
	return (int)newfd;
}

long sys_dup2(const struct pt_regs *regs)
{
	return do_dup2((unsigned int)syscall_arg(regs, 0), (unsigned int)syscall_arg(regs, 1));
}
