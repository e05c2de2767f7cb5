/* proc_files.c: reading and writing the small text files of /proc (a
 * status line, a sysctl, oom_score_adj) for every usertests file. Read
 * first: each helper says failure in its return value, never by exiting,
 * so a test decides what a failure means (often that it is expected). */
#include "usertests.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NUMBER_TEXT_MAX 32

long read_to_end(int fd, char *buf, size_t size)
{
	long n = 0, r;

	while (n < (long)size - 1 && (r = read(fd, buf + n, size - 1 - (size_t)n)) > 0)
		n += r;
	buf[n] = '\0';
	return n;
}

long proc_file_field(const char *path, const char *name)
{
	static char buf[8192];
	char key[40];
	int fd = open(path, O_RDONLY);
	char *line;

	if (fd < 0)
		return -1;
	buf[0] = '\n'; /* so the first line matches "\nname:" too */
	read_to_end(fd, buf + 1, sizeof(buf) - 1);
	close(fd);
	snprintf(key, sizeof(key), "\n%s:", name);
	line = strstr(buf, key);
	return line ? strtol(line + strlen(key), NULL, 10) : -1;
}

long proc_status_field(const char *name)
{
	return proc_file_field("/proc/self/status", name);
}

long proc_read_number(const char *path)
{
	char buf[NUMBER_TEXT_MAX];
	int fd = open(path, O_RDONLY);
	long n;

	if (fd < 0)
		return -1;
	n = read_to_end(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

int proc_write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	long n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	n = n < 0 ? -errno : n;
	close(fd);
	if (n < 0)
		return (int)n;
	return n == (long)strlen(text) ? 0 : -EIO;
}
