/* fcntl (Linux's fs/fcntl.c): the fd's close-on-exec flag, the file's
 * status flags, and dup-from-a-minimum. Read first: FD_CLOEXEC lives in
 * the fd table (per descriptor), O_NONBLOCK and O_APPEND in the struct
 * file (shared by every descriptor that dup made of it). */
#include "kernel/errno.h"
#include "kernel/fs/fdtable.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/syscall.h"

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1
/* As Linux's SETFL_MASK, less the flags we have no use for. */
#define SETFL_MASK (O_APPEND | O_NONBLOCK)

static long set_file_flags(struct file *f, unsigned long arg)
{
	f->f_flags = (f->f_flags & ~(unsigned int)SETFL_MASK) | ((unsigned int)arg & SETFL_MASK);
	return 0;
}

static long do_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg, struct file *f)
{
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= NR_OPEN_DEFAULT)
			return -EINVAL;
		return do_dup_from(fd, (unsigned int)arg, cmd == F_DUPFD_CLOEXEC ? O_CLOEXEC : 0);
	case F_GETFD: return get_close_on_exec(fd) ? FD_CLOEXEC : 0;
	case F_SETFD: set_close_on_exec(fd, arg & FD_CLOEXEC); return 0;
	case F_GETFL: return f->f_flags;
	case F_SETFL: return set_file_flags(f, arg);
	default: return -EINVAL;
	}
}

long sys_fcntl(const struct pt_regs *regs)
{
	unsigned int fd = (unsigned int)syscall_arg(regs, 0);
	struct file *f = fget(fd);
	long r;

	if (!f)
		return -EBADF;
	r = do_fcntl(fd, (unsigned int)syscall_arg(regs, 1), syscall_arg(regs, 2), f);
	fput(f);
	return r;
}
