/* poweroff: ask the kernel to power the machine off (reboot(2) with
 * Linux's magic numbers), or restart it with -r. Read first: the kernel
 * does not sync anything first; the file system is read-only. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_MAGIC2 672274793
#define LINUX_REBOOT_CMD_RESTART 0x01234567
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc
#define SYS_reboot_nr 169

int main(int argc, char **argv)
{
	long cmd = LINUX_REBOOT_CMD_POWER_OFF;
	long r;

	if (argc > 1 && strcmp(argv[1], "-r") == 0)
		cmd = LINUX_REBOOT_CMD_RESTART;
	else if (argc > 1) {
		fprintf(stderr, "usage: poweroff [-r]\n");
		return 2;
	}
	r = syscall4(SYS_reboot_nr, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, 0);
	fprintf(stderr, "poweroff: %s\n", strerror((int)-r));
	return 1;
}
