/* Linux's errno values (asm-generic/errno-base.h numbering), so kernel
 * return codes and, later, syscall results mean what Linux users expect. */
#ifndef OOMLAB_KERNEL_ERRNO_H
#define OOMLAB_KERNEL_ERRNO_H
#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define ENOTBLK 15
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define ENFILE 23
#define EMFILE 24
#define ENOTTY 25
#define ENOSPC 28
#define ESPIPE 29
#define EROFS 30
#define EPIPE 32
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ENOTEMPTY 39
#define ELOOP 40
#define EOVERFLOW 75
#define EOPNOTSUPP 95
#define ETIMEDOUT 110
#define ESTALE 116
#define EUCLEAN 117 /* EFSCORRUPTED: a file system found its metadata bad */
/* Kernel-internal: a signal ended the wait; never seen by user space. */
#define ERESTARTSYS 512
#endif
