/* mremap_tests.c: mremap as Linux answers it: shrink, grow in place, move
 * (with MREMAP_MAYMOVE, or to MREMAP_FIXED's address), the data going
 * along and the old range gone; resident and locked memory counted once;
 * and the argument errors. Read first: every case passes on Linux too. */
#include "usertests.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAP_RW (PROT_READ | PROT_WRITE)
#define ANON_PRIVATE (MAP_PRIVATE | MAP_ANONYMOUS)
#define KB(pages) ((long)((pages)*PAGE / 1024))

static void read_byte(void *p)
{
	_exit(*(volatile char *)p);
}

static int segfaults(void *p)
{
	int status = run_in_child(read_byte, p);

	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

static void fill(char *p, size_t pages, char base)
{
	for (size_t i = 0; i < pages; i++)
		memset(p + i * PAGE, base + (char)i, PAGE);
}

static int holds(const char *p, size_t pages, char base)
{
	for (size_t i = 0; i < pages; i++) {
		for (size_t j = 0; j < PAGE; j += PAGE / 4) {
			if (p[i * PAGE + j] != (char)(base + (char)i))
				return 0;
		}
	}
	return 1;
}

/* Shrink keeps the start; grow in place when the pages after are free. */
int test_mremap_shrink_and_grow_in_place(void)
{
	char *p = mmap(NULL, 4 * PAGE, MAP_RW, ANON_PRIVATE, -1, 0);

	CHECK(p != MAP_FAILED);
	fill(p, 4, 'a');
	CHECK(mremap(p, 4 * PAGE, 2 * PAGE, 0) == p);
	CHECK(holds(p, 2, 'a'));
	CHECK(segfaults(p + 3 * PAGE));
	CHECK(mremap(p, 2 * PAGE, 4 * PAGE, 0) == p);
	CHECK(holds(p, 2, 'a'));
	CHECK(p[3 * PAGE] == 0); /* new pages are zero, and writable */
	p[3 * PAGE] = 1;
	CHECK(mremap(p, 4 * PAGE, 4 * PAGE, 0) == p);
	CHECK_EQ(munmap(p, 4 * PAGE), 0);
	return 0;
}

/* Hemmed in by the next mapping: ENOMEM, unless it may move; then the
 * pages go along, the old range is gone, and rss counts them once. */
int test_mremap_moves_when_it_must(void)
{
	char *p = mmap(NULL, 3 * PAGE, MAP_RW, ANON_PRIVATE, -1, 0), *q;
	long rss;

	CHECK(p != MAP_FAILED);
	fill(p, 3, 'k');
	CHECK_EQ(mprotect(p + 2 * PAGE, PAGE, PROT_READ), 0); /* a VMA of its own */
	CHECK_ERR(mremap(p, 2 * PAGE, 8 * PAGE, 0), ENOMEM);
	proc_status_field("VmRSS"); /* its buffer's pages are in rss from now on */
	rss = proc_status_field("VmRSS");
	q = mremap(p, 2 * PAGE, 8 * PAGE, MREMAP_MAYMOVE);
	CHECK_EQ(proc_status_field("VmRSS"), rss);
	CHECK(q != MAP_FAILED && q != p);
	CHECK(holds(q, 2, 'k'));
	CHECK(q[7 * PAGE] == 0);
	CHECK(segfaults(p));
	CHECK(holds(p + 2 * PAGE, 1, 'k' + 2)); /* the neighbour stays */
	CHECK_EQ(munmap(q, 8 * PAGE), 0);
	CHECK_EQ(munmap(p + 2 * PAGE, PAGE), 0);
	return 0;
}

/* MREMAP_FIXED: to the address given, replacing what was there; a part
 * of a mapping can move on its own. */
int test_mremap_fixed(void)
{
	char *p = mmap(NULL, 4 * PAGE, MAP_RW, ANON_PRIVATE, -1, 0);
	char *to = mmap(NULL, 2 * PAGE, MAP_RW, ANON_PRIVATE, -1, 0);

	CHECK(p != MAP_FAILED && to != MAP_FAILED);
	fill(p, 4, 'p');
	memset(to, 'x', 2 * PAGE);
	CHECK(mremap(p + PAGE, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to) == to);
	CHECK(holds(to, 2, 'p' + 1));
	CHECK(segfaults(p + PAGE) && segfaults(p + 2 * PAGE));
	CHECK(holds(p, 1, 'p') && holds(p + 3 * PAGE, 1, 'p' + 3));
	/* Shrinking while moving keeps the front. */
	CHECK(mremap(to, 2 * PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, p + PAGE) == p + PAGE);
	CHECK(holds(p + PAGE, 1, 'p' + 1));
	CHECK(segfaults(to) && segfaults(to + PAGE));
	CHECK_ERR(mremap(p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, p + PAGE), EINVAL);
	CHECK_EQ(munmap(p, 4 * PAGE), 0);
	return 0;
}

/* A locked mapping stays locked where it goes, and its new pages are
 * resident: VmLck follows the new length, counted once. */
int test_mremap_locked(void)
{
	char *p = mmap(NULL, 3 * PAGE, MAP_RW, ANON_PRIVATE, -1, 0), *q;
	char *wall = p + 2 * PAGE;
	long locked = proc_status_field("VmLck");

	CHECK(p != MAP_FAILED);
	CHECK_EQ(mprotect(wall, PAGE, PROT_READ), 0); /* nowhere to grow in place */
	CHECK_EQ(mlock(p, 2 * PAGE), 0);
	CHECK_EQ(proc_status_field("VmLck"), locked + KB(2));
	q = mremap(p, 2 * PAGE, 4 * PAGE, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED && q != p);
	CHECK_EQ(proc_status_field("VmLck"), locked + KB(4));
	CHECK(mremap(q, 4 * PAGE, PAGE, 0) == q);
	CHECK_EQ(proc_status_field("VmLck"), locked + KB(1));
	CHECK_EQ(munmap(q, PAGE), 0);
	CHECK_EQ(munmap(wall, PAGE), 0);
	CHECK_EQ(proc_status_field("VmLck"), locked);
	return 0;
}

/* A private file mapping moves with its file offset. */
int test_mremap_file_mapping(void)
{
	char path[256], head[16], second[16];
	char *area = mmap(NULL, 6 * PAGE, PROT_READ, ANON_PRIVATE, -1, 0), *p, *q;
	int fd;

	CHECK(area != MAP_FAILED);
	snprintf(path, sizeof(path), "%s/goodelf", ut_bad_dir);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(read(fd, head, sizeof(head)), (long)sizeof(head));
	CHECK_EQ(lseek(fd, PAGE, SEEK_SET), (long)PAGE);
	CHECK_EQ(read(fd, second, sizeof(second)), (long)sizeof(second));
	/* Inside an area of our own: the moves below replace only ours. */
	p = mmap(area, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
	close(fd);
	CHECK(p == area);
	q = mremap(p + PAGE, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, area + 4 * PAGE);
	CHECK(q == area + 4 * PAGE);
	CHECK(memcmp(p, head, sizeof(head)) == 0);
	CHECK(memcmp(q, second, sizeof(second)) == 0);
	CHECK(segfaults(p + PAGE));
	CHECK_EQ(munmap(area, 6 * PAGE), 0);
	return 0;
}

/* Moved pages still shared copy-on-write with a child stay shared: a
 * write at the new address copies, and the child keeps its data. */
int test_mremap_cow_pages(void)
{
	/* The move stays inside an area of our own. */
	char *p = mmap(NULL, 10 * PAGE, MAP_RW, ANON_PRIVATE, -1, 0), *q;
	int go[2], status;
	pid_t pid;

	CHECK(p != MAP_FAILED);
	fill(p, 2, 'c');
	CHECK_EQ(pipe(go), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char byte;

		close(go[1]);
		read(go[0], &byte, 1);
		_exit(holds(p, 2, 'c') ? 0 : 1);
	}
	close(go[0]);
	q = mremap(p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, p + 8 * PAGE);
	CHECK(q == p + 8 * PAGE);
	memset(q, 'z', 2 * PAGE);
	CHECK_EQ(write(go[1], "g", 1), 1);
	close(go[1]);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(munmap(p, 10 * PAGE), 0);
	return 0;
}

int test_mremap_errors(void)
{
	char *p = mmap(NULL, 2 * PAGE, MAP_RW, ANON_PRIVATE, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK_ERR(mremap(p, PAGE, PAGE, MREMAP_FIXED, p + PAGE), EINVAL);
	CHECK_ERR(mremap(p + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE), EINVAL);
	CHECK_ERR(mremap(p, PAGE, 0, MREMAP_MAYMOVE), EINVAL);
	CHECK_ERR(mremap(p, PAGE, ~0UL, MREMAP_MAYMOVE), EINVAL);
	CHECK_ERR(mremap(p, PAGE, 2 * PAGE, 0x80), EINVAL);
	CHECK_ERR(mremap(p, 3 * PAGE, 4 * PAGE, MREMAP_MAYMOVE), EFAULT); /* past the VMA */
	CHECK_EQ(munmap(p, 2 * PAGE), 0);
	CHECK_ERR(mremap(p, PAGE, 2 * PAGE, MREMAP_MAYMOVE), EFAULT); /* not mapped */
	return 0;
}

#define GROW_PAGES 64
#define HUGE_GROW (1UL << 40) /* far past RAM: the heuristic check refuses it */

/* Growing a private writable mapping is a promise of more memory: as
 * Linux's vma_to_resize, Committed_AS grows by the new pages (moved or
 * in place) and gives them back at munmap; a grow past RAM is ENOMEM and
 * charges nothing. oomlab-only: the host's Committed_AS moves with
 * everything else running there. */
int test_mremap_growth_is_charged_to_committed_as(void)
{
	long base = proc_file_field("/proc/meminfo", "Committed_AS");
	char *p = mmap(NULL, PAGE, MAP_RW, ANON_PRIVATE, -1, 0), *q;

	CHECK(p != MAP_FAILED && base > 0);
	CHECK_EQ(proc_file_field("/proc/meminfo", "Committed_AS"), base + KB(1));
	q = mremap(p, PAGE, GROW_PAGES * PAGE, MREMAP_MAYMOVE);
	CHECK(q != MAP_FAILED);
	CHECK_EQ(proc_file_field("/proc/meminfo", "Committed_AS"), base + KB(GROW_PAGES));
	CHECK_ERR(mremap(q, GROW_PAGES * PAGE, HUGE_GROW, MREMAP_MAYMOVE), ENOMEM);
	CHECK_EQ(proc_file_field("/proc/meminfo", "Committed_AS"), base + KB(GROW_PAGES));
	CHECK_EQ(munmap(q, GROW_PAGES * PAGE), 0);
	CHECK_EQ(proc_file_field("/proc/meminfo", "Committed_AS"), base);
	return 0;
}
