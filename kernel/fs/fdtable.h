/* Per-process open files: the fd table (Linux's files_struct). Read
 * first: an fd names a struct file; fork copies the table (each file then
 * has one more reference) or, for threads, shares the table itself. The
 * close-on-exec flag belongs to the fd, not the file. */
#ifndef OOMLAB_KERNEL_FS_FDTABLE_H
#define OOMLAB_KERNEL_FS_FDTABLE_H
#include "kernel/spinlock.h"
#include <stdbool.h>
#include <stdint.h>

#define NR_OPEN_DEFAULT 64 /* also the bits of close_on_exec */

struct file;
struct task_struct;

struct files_struct {
	int count;
	spinlock_t file_lock; /* fd_array */
	struct file *fd_array[NR_OPEN_DEFAULT];
	uint64_t close_on_exec; /* bit fd: closed by execve (FD_CLOEXEC) */
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
/* The lowest free fd of current at or above start, reserved, its
 * close-on-exec flag from O_CLOEXEC in flags; -EMFILE when none (-EINVAL
 * for a start past the table, -EBADF without a table). */
int alloc_fd(unsigned int start, unsigned int flags);
/* alloc_fd from 0: what open and pipe use. */
int get_unused_fd_flags(unsigned int flags);
int get_unused_fd(void);
/* Put file (whose reference the table takes over) at a free fd. */
void fd_install(unsigned int fd, struct file *file);
int close_fd(unsigned int fd);
/* dup2's work: newfd then names oldfd's file. newfd or -EBADF. */
int do_dup2(unsigned int oldfd, unsigned int newfd);
/* dup, fcntl(F_DUPFD*): oldfd's file at the lowest free fd >= start. */
int do_dup_from(unsigned int oldfd, unsigned int start, unsigned int flags);
/* execve, past its point of no return: close every FD_CLOEXEC fd. */
void do_close_on_exec(struct files_struct *files);
bool get_close_on_exec(unsigned int fd);
void set_close_on_exec(unsigned int fd, bool on);
#endif
