/* file.c: the file-descriptor system calls. Read first: each wrapper is the
 * raw call passed through __syscall_ret, which maps -errno to -1 + errno. */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <unistd.h>

ssize_t read(int fd, void *buf, size_t count)
{
	return __syscall_ret(syscall3(SYS_read, fd, (long)buf, (long)count));
}

ssize_t write(int fd, const void *buf, size_t count)
{
	return __syscall_ret(syscall3(SYS_write, fd, (long)buf, (long)count));
}

ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
	return __syscall_ret(syscall3(SYS_readv, fd, (long)iov, iovcnt));
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
	return __syscall_ret(syscall3(SYS_writev, fd, (long)iov, iovcnt));
}

/* As glibc: the offset in the low word, and its high half (0 on a 64-bit
 * off_t) in the next, for the kernel's 32-bit-compatible signature. */
ssize_t preadv(int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
	return __syscall_ret(syscall5(SYS_preadv, fd, (long)iov, iovcnt, offset, 0));
}

ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset)
{
	return __syscall_ret(syscall5(SYS_pwritev, fd, (long)iov, iovcnt, offset, 0));
}

/* The mode argument is only there with O_CREAT; read it only then. */
static mode_t open_mode(int flags, va_list ap)
{
	return (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return (int)__syscall_ret(syscall3(SYS_open, (long)path, flags, mode));
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return (int)__syscall_ret(syscall4(SYS_openat, dirfd, (long)path, flags, mode));
}

int close(int fd)
{
	return (int)__syscall_ret(syscall1(SYS_close, fd));
}

off_t lseek(int fd, off_t offset, int whence)
{
	return __syscall_ret(syscall3(SYS_lseek, fd, offset, whence));
}

int fstat(int fd, struct stat *st)
{
	return (int)__syscall_ret(syscall2(SYS_fstat, fd, (long)st));
}

ssize_t getdents64(int fd, void *buf, size_t count)
{
	return __syscall_ret(syscall3(SYS_getdents64, fd, (long)buf, (long)count));
}

int dup(int fd)
{
	return (int)__syscall_ret(syscall1(SYS_dup, fd));
}

int dup2(int oldfd, int newfd)
{
	return (int)__syscall_ret(syscall2(SYS_dup2, oldfd, newfd));
}

int dup3(int oldfd, int newfd, int flags)
{
	return (int)__syscall_ret(syscall3(SYS_dup3, oldfd, newfd, flags));
}

/* Every command we know takes an int or nothing. */
int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return (int)__syscall_ret(syscall3(SYS_fcntl, fd, cmd, arg));
}

int pipe2(int fds[2], int flags)
{
	return (int)__syscall_ret(syscall2(SYS_pipe2, (long)fds, flags));
}

int pipe(int fds[2])
{
	return pipe2(fds, 0);
}

int uname(struct utsname *u)
{
	return (int)__syscall_ret(syscall1(SYS_uname, (long)u));
}
