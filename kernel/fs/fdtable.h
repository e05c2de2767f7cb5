/* Per-process open files: the fd table (Linux's files_struct). Read
 * first: an fd names a struct file; fork copies the table (each file then
 * has one more reference) or, for threads, shares the table itself. */
#ifndef OOMLAB_KERNEL_FS_FDTABLE_H
#define OOMLAB_KERNEL_FS_FDTABLE_H
#include "kernel/spinlock.h"
#include <stdbool.h>

#define NR_OPEN_DEFAULT 64

struct file;
struct task_struct;

struct files_struct {
	int count;
	spinlock_t file_lock; /* fd_array */
	struct file *fd_array[NR_OPEN_DEFAULT];
};

/* fork/clone: child->files becomes a copy of current's table, or the same
 * table when share (CLONE_FILES). A task without files gives its child
 * none. 0 or -ENOMEM. */
int copy_files(struct task_struct *child, bool share);
/* exit: drop the task's table; the last holder closes every file. */
void exit_files(struct task_struct *tsk);
/* An empty table for current if it has none: 0 or -ENOMEM. */
int files_init_current(void);

/* The file on fd of current, with a reference (fput it), or NULL. */
struct file *fget(unsigned int fd);
/* The lowest free fd of current, or -EMFILE (-EBADF without a table). */
int get_unused_fd(void);
/* Put file (whose reference the table takes over) at a free fd. */
void fd_install(unsigned int fd, struct file *file);
int close_fd(unsigned int fd);
/* dup2's work: newfd then names oldfd's file. newfd or -EBADF. */
int do_dup2(unsigned int oldfd, unsigned int newfd);
#endif
