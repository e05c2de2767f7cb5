/* linuxinit: process 1 when these programs boot on a real Linux kernel
 * (make linux-run, rdinit=/bin/linuxinit). Read first: oomlab's kernel
 * gives init /proc, /dev/kmsg and tracefs by itself; Linux needs them
 * mounted, so this mounts proc, sysfs, devtmpfs and tracefs, then becomes
 * /bin/init. On oomlab the mounts fail harmlessly (no mount syscall). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SYS_mkdir_nr 83
#define SYS_mount_nr 165
#define DIR_MODE 0755

static const struct {
	const char *source, *target, *type;
} mounts[] = {
	{"proc", "/proc", "proc"},
	{"sysfs", "/sys", "sysfs"},
	{"devtmpfs", "/dev", "devtmpfs"},
	{"tracefs", "/sys/kernel/tracing", "tracefs"},
};

int main(void)
{
	static char *const init_argv[] = {"init", NULL};
	static char *const init_envp[] = {"PATH=/bin", "HOME=/", NULL};

	for (size_t i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++) {
		long r;

		syscall2(SYS_mkdir_nr, (long)mounts[i].target, DIR_MODE); /* may exist */
		r = syscall5(SYS_mount_nr, (long)mounts[i].source, (long)mounts[i].target,
			     (long)mounts[i].type, 0, 0);
		if (r < 0 && r != -EBUSY)
			fprintf(stderr, "linuxinit: mount %s on %s: %s\n", mounts[i].type,
				mounts[i].target, strerror((int)-r));
	}
	execve("/bin/init", init_argv, init_envp);
	fprintf(stderr, "linuxinit: /bin/init: %s\n", strerror(errno));
	return 1;
}
