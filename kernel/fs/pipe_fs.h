/* Pipes as the rest of the kernel sees them (Linux's pipe_fs_i.h). Read
 * first: a pipe is two struct files over one inode, read end first. */
#ifndef OOMLAB_KERNEL_FS_PIPE_FS_H
#define OOMLAB_KERNEL_FS_PIPE_FS_H
#include "kernel/paging.h"

#define PIPE_SIZE PAGE_SIZE /* the ring: one page */
#define PIPE_BUF 4096	    /* writes up to this size are atomic (POSIX) */

struct file;
/* res[0] the read end, res[1] the write end. flags: 0, O_NONBLOCK,
 * O_CLOEXEC (the fds are closed by execve). 0 or -errno. */
int create_pipe_files(struct file **res, int flags);
#endif
