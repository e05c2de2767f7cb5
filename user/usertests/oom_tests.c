/* oom_tests.c: the OOM killer's view of a process, from /proc/self: the
 * score grows with the memory a kill would free and with oom_score_adj.
 * Read first: only raising oom_score_adj needs no privilege on Linux, so
 * the test only raises it (it runs in a child of its own). */
#include "usertests.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define TOUCH_LEN (16ul << 20)
#define SCORE_NEUTRAL 666  /* (1000 + 0) * 2 / 3: adj 0, almost no memory */
#define SCORE_ADJ_MAX 1333 /* (1000 + 1000) * 2 / 3: adj 1000 */
#define SCORE_LIMIT 2000

static long read_long(const char *path)
{
	char buf[32];
	int fd = open(path, O_RDONLY);
	long n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static int write_adj(const char *text)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);
	long n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (long)strlen(text) ? 0 : -1;
}

int test_oom_score(void)
{
	long fresh, touched, half, most;
	char *p;

	CHECK_EQ(read_long("/proc/self/oom_score_adj"), 0);
	fresh = read_long("/proc/self/oom_score");
	CHECK(fresh >= SCORE_NEUTRAL && fresh < SCORE_ADJ_MAX);
	p = mmap(NULL, TOUCH_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	memset(p, 1, TOUCH_LEN);
	touched = read_long("/proc/self/oom_score");
	CHECK(touched >= fresh); /* on a machine of gigabytes 16 MiB may not show */
	CHECK_EQ(write_adj("500"), 0);
	half = read_long("/proc/self/oom_score");
	CHECK(half > touched);
	CHECK_EQ(write_adj("1000"), 0);
	most = read_long("/proc/self/oom_score");
	CHECK(most >= SCORE_ADJ_MAX && most <= SCORE_LIMIT);
	CHECK(most > half);
	CHECK_EQ(munmap(p, TOUCH_LEN), 0);
	return 0;
}
