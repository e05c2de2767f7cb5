/* ioctl(2): handed to the file's driver (only the console has one);
 * anything else is not a terminal, -ENOTTY, as Linux says. */
#include "kernel/fs/fdtable.h"
#include "kernel/fs/fs.h"
#include "kernel/syscall.h"

long sys_ioctl(const struct pt_regs *regs)
{
	struct file *f = fget((unsigned int)syscall_arg(regs, 0));
	long ret = -ENOTTY;

	if (!f)
		return -EBADF;
	if (f->f_op && f->f_op->unlocked_ioctl)
		ret = f->f_op->unlocked_ioctl(f, (unsigned int)syscall_arg(regs, 1),
					      syscall_arg(regs, 2));
	fput(f);
	return ret;
}
