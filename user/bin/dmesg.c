/* dmesg: prints the kernel log. Read first: oomlab's kernel serves its
 * whole printk ring, one "[    1.234567] text" line per record, as the
 * read-only file /proc/dmesg (there is no /dev/kmsg or syslog()). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define DMESG_PATH "/proc/dmesg"
#define CHUNK 4096

int main(void)
{
	char buf[CHUNK];
	int fd = open(DMESG_PATH, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		fprintf(stderr, "dmesg: %s: %s\n", DMESG_PATH, strerror(errno));
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (write(STDOUT_FILENO, buf, (size_t)n) != n)
			return 1;
	}
	if (n < 0) {
		fprintf(stderr, "dmesg: %s: %s\n", DMESG_PATH, strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
