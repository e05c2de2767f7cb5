/* mount: mount a file system, or list the mounted ones (util-linux's
 * mount, reduced). Read first: every mount is read-only (the kernel has no
 * ext2 write path), so "-o ro" is accepted and assumed.
 * Usage: mount                       (prints /proc/mounts)
 *        mount [-t TYPE] [-o ro] DEVICE DIR   (TYPE defaults to ext2) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define CHUNK 1024

static int show_mounts(void)
{
	char buf[CHUNK];
	ssize_t n;
	int fd = open("/proc/mounts", O_RDONLY);

	if (fd < 0) {
		fprintf(stderr, "mount: /proc/mounts: %s\n", strerror(errno));
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		write(STDOUT_FILENO, buf, (size_t)n);
	close(fd);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: mount [-t TYPE] [-o ro] DEVICE DIR\n");
	return 1;
}

/* util-linux's wording for the errors a user meets most. */
static void report(const char *dev, const char *dir)
{
	switch (errno) {
	case EINVAL:
		fprintf(stderr,
			"mount: %s: wrong fs type, bad option, bad superblock on %s, missing "
			"codepage or helper program, or other error.\n",
			dir, dev);
		break;
	case EBUSY:
		fprintf(stderr, "mount: %s: %s already mounted or mount point busy.\n", dir, dev);
		break;
	case ENODEV: fprintf(stderr, "mount: %s: unknown filesystem type.\n", dir); break;
	case ENOTBLK: fprintf(stderr, "mount: %s: %s is not a block device.\n", dir, dev); break;
	default: fprintf(stderr, "mount: %s: %s: %s\n", dir, dev, strerror(errno)); break;
	}
}

int main(int argc, char **argv)
{
	const char *type = "ext2";
	int i = 1;

	if (argc == 1)
		return show_mounts();
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-t") && i + 1 < argc)
			type = argv[++i];
		else if (!strcmp(argv[i], "-o") && i + 1 < argc && !strcmp(argv[i + 1], "ro"))
			i++;
		else
			return usage();
	}
	if (argc - i != 2)
		return usage();
	if (mount(argv[i], argv[i + 1], type, MS_RDONLY, NULL)) {
		report(argv[i], argv[i + 1]);
		return 32; /* util-linux's "mount failure" */
	}
	return 0;
}
