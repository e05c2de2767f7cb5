/* mount.c: mount(2), umount(2) and umount2(2) over the raw system calls. */
#include <errno.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

int mount(const char *source, const char *target, const char *fstype, unsigned long flags,
	  const void *data)
{
	return (int)__syscall_ret(syscall5(SYS_mount, (long)source, (long)target, (long)fstype,
					   (long)flags, (long)data));
}

int umount2(const char *target, int flags)
{
	return (int)__syscall_ret(syscall2(SYS_umount2, (long)target, flags));
}

int umount(const char *target)
{
	return umount2(target, 0);
}
