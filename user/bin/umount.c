/* umount: detach the file system mounted on a directory (util-linux's
 * umount, reduced: by mount point only, no options).
 * Usage: umount DIR */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: umount DIR\n");
		return 1;
	}
	if (umount(argv[1]) == 0)
		return 0;
	if (errno == EBUSY)
		fprintf(stderr, "umount: %s: target is busy.\n", argv[1]);
	else if (errno == EINVAL)
		fprintf(stderr, "umount: %s: not mounted.\n", argv[1]);
	else
		fprintf(stderr, "umount: %s: %s\n", argv[1], strerror(errno));
	return 32;
}
