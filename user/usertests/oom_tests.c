/* oom_tests.c: the OOM killer's view of a process, from /proc/self: the
 * score grows with the memory a kill would free and with oom_score_adj.
 * Read first: only raising oom_score_adj needs no privilege on Linux, so
 * the test only raises it (it runs in a child of its own). */
#include "usertests.h"
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define TOUCH_LEN (16ul << 20)
#define SCORE_NEUTRAL 666  /* (1000 + 0) * 2 / 3: adj 0, almost no memory */
#define SCORE_ADJ_MAX 1333 /* (1000 + 1000) * 2 / 3: adj 1000 */
#define SCORE_LIMIT 2000
#define ADJ_PATH "/proc/self/oom_score_adj"

int test_oom_score(void)
{
	long fresh, touched, half, most;
	char *p;

	CHECK_EQ(proc_read_number(ADJ_PATH), 0);
	fresh = proc_read_number("/proc/self/oom_score");
	CHECK(fresh >= SCORE_NEUTRAL && fresh < SCORE_ADJ_MAX);
	p = mmap(NULL, TOUCH_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	memset(p, 1, TOUCH_LEN);
	touched = proc_read_number("/proc/self/oom_score");
	CHECK(touched >= fresh); /* on a machine of gigabytes 16 MiB may not show */
	CHECK_EQ(proc_write_text(ADJ_PATH, "500"), 0);
	half = proc_read_number("/proc/self/oom_score");
	CHECK(half > touched);
	CHECK_EQ(proc_write_text(ADJ_PATH, "1000"), 0);
	most = proc_read_number("/proc/self/oom_score");
	CHECK(most >= SCORE_ADJ_MAX && most <= SCORE_LIMIT);
	CHECK(most > half);
	CHECK_EQ(munmap(p, TOUCH_LEN), 0);
	return 0;
}
