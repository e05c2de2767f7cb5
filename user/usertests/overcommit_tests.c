/* overcommit_tests.c: what vm.overcommit_memory answers, seen from user
 * space, and Committed_AS following a process's writable mappings. Read
 * first: the heuristic case (mode 0, every kernel's default) runs on the
 * host Linux too and skips, naming the setting, where the host is set
 * otherwise; the strict and always cases change /proc/sys/vm and so are
 * oomlab-only (-s): they refuse to run on any other kernel except a
 * throwaway Linux VM, and put the settings back whatever happens. */
#include "usertests.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAP_RW (PROT_READ | PROT_WRITE)
#define ANON_PRIVATE (MAP_PRIVATE | MAP_ANONYMOUS)
#define KIB 1024UL
#define MIB (1024 * KIB)
#define BEYOND_KB (64 * KIB)	  /* how far past RAM + swap a refused request asks */
#define COMMIT_SLACK_KB (4 * KIB) /* others' mappings coming and going meanwhile */
#define COMMIT_TRIES 5
#define STRICT_ROOM_KB (8 * KIB)
#define PROBE_MAX (64 * MIB)
#define MODE_PATH "/proc/sys/vm/overcommit_memory"
#define RATIO_PATH "/proc/sys/vm/overcommit_ratio"
#define KBYTES_PATH "/proc/sys/vm/overcommit_kbytes"
#define SCRATCH_SWITCH "usertests.scratch=1"

static long meminfo(const char *name)
{
	return proc_file_field("/proc/meminfo", name);
}

static long read_number(const char *path)
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

/* The write's result: its byte count, or -errno. */
static long write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	long n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	n = n < 0 ? -errno : n;
	close(fd);
	return n;
}

/* Bytes that RAM and swap together cannot hold: mode 0 refuses them. */
static size_t beyond_ram_and_swap(void)
{
	return (size_t)(meminfo("MemTotal") + meminfo("SwapTotal") + (long)BEYOND_KB) * KIB;
}

static int mmap_refused(size_t len, int prot, int flags)
{
	void *p;

	errno = 0;
	p = mmap(NULL, len, prot, flags, -1, 0);
	if (p != MAP_FAILED) {
		munmap(p, len);
		return 0;
	}
	return errno == ENOMEM;
}

static int mmap_granted(size_t len, int prot, int flags)
{
	void *p = mmap(NULL, len, prot, flags, -1, 0);

	if (p == MAP_FAILED)
		return 0;
	munmap(p, len);
	return 1;
}

/* Does Committed_AS move by about want_kb while change() runs? Other
 * processes (on the host) map and unmap too, so a few tries may be needed;
 * each looks only at the moment around one change. */
static int committed_moves(long want_kb, int (*change)(void *), void *arg)
{
	for (int i = 0; i < COMMIT_TRIES; i++) {
		long before = meminfo("Committed_AS"), after;

		if (change(arg))
			return 0;
		after = meminfo("Committed_AS");
		if (after - before >= want_kb - (long)COMMIT_SLACK_KB &&
		    after - before <= want_kb + (long)COMMIT_SLACK_KB)
			return 1;
		diag("Committed_AS moved by %ld kB, expected about %ld kB", after - before,
		     want_kb);
	}
	return 0;
}

struct region {
	size_t len;
	int prot;
	char *addr;
};

static int map_region(void *arg)
{
	struct region *r = arg;

	r->addr = mmap(NULL, r->len, r->prot, ANON_PRIVATE, -1, 0);
	return r->addr == MAP_FAILED;
}

static int unmap_region(void *arg)
{
	struct region *r = arg;

	return munmap(r->addr, r->len);
}

/* Map, then unmap, a region; Committed_AS must follow both ways. */
static int committed_follows(size_t len, int prot, long want_kb)
{
	struct region r = {.len = len, .prot = prot};

	for (int i = 0; i < COMMIT_TRIES; i++) {
		if (committed_moves(want_kb, map_region, &r) &&
		    committed_moves(-want_kb, unmap_region, &r))
			return 1;
		if (r.addr != MAP_FAILED)
			munmap(r.addr, r.len);
	}
	return 0;
}

/* One try: fork a child that waits on a pipe, read Committed_AS while it
 * lives, let it go. The rise in kB, or -1 if fork failed. */
static long fork_rise_kb(void)
{
	long before = meminfo("Committed_AS"), during;
	int fds[2], status;
	pid_t pid;
	char c;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		read(fds[0], &c, 1);
		_exit(0);
	}
	during = meminfo("Committed_AS");
	close(fds[1]);
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return during - before;
}

/* fork charges the child's copy of every private writable mapping (the
 * region, plus this small program's own data, heap and stack), and the
 * child's exit gives it back. */
static int fork_charges_the_copy(size_t len)
{
	char *p = mmap(NULL, len, MAP_RW, ANON_PRIVATE, -1, 0);
	long want = (long)(len / KIB), rise = 0, after_exit = 0;
	int ok = 0;

	CHECK(p != MAP_FAILED);
	for (int i = 0; i < COMMIT_TRIES && !ok; i++) {
		long before = meminfo("Committed_AS");

		rise = fork_rise_kb();
		after_exit = meminfo("Committed_AS") - before;
		ok = rise >= want && rise <= want + 2 * (long)COMMIT_SLACK_KB &&
		     after_exit >= -(long)COMMIT_SLACK_KB && after_exit <= (long)COMMIT_SLACK_KB;
	}
	if (!ok)
		diag("fork moved Committed_AS by %ld kB (%ld kB after the exit), expected %ld kB",
		     rise, after_exit, want);
	CHECK(ok);
	CHECK_EQ(munmap(p, len), 0);
	return 0;
}

int test_overcommit_heuristic(void)
{
	long mode = read_number(MODE_PATH);
	size_t huge = beyond_ram_and_swap(), half = (size_t)meminfo("MemTotal") * KIB / 2;
	/* A region well inside what mode 0 grants: a quarter of RAM, whole
	 * MiBs, at most PROBE_MAX. */
	size_t probe = half / 2 / MIB * MIB < PROBE_MAX ? half / 2 / MIB * MIB : PROBE_MAX;
	char *p;

	if (mode != 0)
		return skip("vm.overcommit_memory is %ld here, the case needs 0", mode);
	CHECK(meminfo("CommitLimit") > 0 && meminfo("Committed_AS") > 0);
	/* More than RAM and swap could ever hold: refused, however asked. */
	CHECK(mmap_refused(huge, MAP_RW, ANON_PRIVATE));
	CHECK(mmap_refused(huge, MAP_RW, MAP_SHARED | MAP_ANONYMOUS));
	errno = 0;
	CHECK(sbrk((long)huge) == (void *)-1 && errno == ENOMEM);
	/* The brk of a small machine: 1 GiB does not fit in RAM + swap. */
	if (huge < (1UL << 30)) {
		errno = 0;
		CHECK(sbrk(1L << 30) == (void *)-1 && errno == ENOMEM);
	}
	/* Unless nothing is promised: read-only or MAP_NORESERVE. */
	CHECK(mmap_granted(huge, MAP_RW, ANON_PRIVATE | MAP_NORESERVE));
	p = mmap(NULL, huge, PROT_READ, ANON_PRIVATE, -1, 0);
	CHECK(p != MAP_FAILED);
	/* Making it writable makes the promise: refused the same way. */
	CHECK_ERR(mprotect(p, huge, MAP_RW), ENOMEM);
	CHECK_EQ(munmap(p, huge), 0);
	/* Half of RAM, untouched, is only a promise mode 0 makes freely. */
	CHECK(mmap_granted(half, MAP_RW, ANON_PRIVATE));
	/* Committed_AS counts writable private mappings, not read-only ones. */
	CHECK(committed_follows(probe, MAP_RW, (long)(probe / KIB)));
	CHECK(committed_follows(probe, PROT_READ, 0));
	return fork_charges_the_copy(probe);
}

/* ---- oomlab-only: these change the machine's settings ---- */

/* The settings are the whole machine's: oomlab, or a throwaway Linux
 * VM booted with usertests.scratch=1 (tests/runner/test_overcommit_linux.py),
 * never a host others share. */
static int may_change_settings(void)
{
	char cmdline[512];
	struct utsname u;
	int fd;
	long n;

	if (uname(&u) == 0 && strstr(u.release, "oomlab") != NULL)
		return 1;
	fd = open("/proc/cmdline", O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, cmdline, sizeof(cmdline) - 1);
	close(fd);
	cmdline[n > 0 ? n : 0] = '\0';
	return strstr(cmdline, SCRATCH_SWITCH) != NULL;
}

static void restore_defaults(void)
{
	/* kbytes first: writing it clears the ratio, which comes next. */
	write_text(KBYTES_PATH, "0");
	write_text(RATIO_PATH, "50");
	write_text(MODE_PATH, "0");
}

static int strict_and_always_answers(void)
{
	char text[32];
	long limit;
	char *p;
	pid_t pid;
	int status;

	CHECK_EQ(write_text(MODE_PATH, "3"), -EINVAL);
	CHECK_EQ(write_text(MODE_PATH, "-1"), -EINVAL);
	CHECK_EQ(write_text(KBYTES_PATH, "-1"), -EINVAL);
	/* Mode 1: anything goes, even 4x what RAM and swap hold. */
	CHECK_EQ(write_text(MODE_PATH, "1\n"), 2);
	CHECK(mmap_granted(4 * beyond_ram_and_swap(), MAP_RW, ANON_PRIVATE));
	/* Mode 2: CommitLimit = RAM * ratio / 100 + swap (in pages). */
	CHECK_EQ(write_text(MODE_PATH, "2\n"), 2);
	limit = (meminfo("MemTotal") / 4 * 50 / 100) * 4 + meminfo("SwapTotal");
	CHECK_EQ(meminfo("CommitLimit"), limit);
	/* Then leave STRICT_ROOM_KB of room, through overcommit_kbytes. */
	snprintf(text, sizeof(text), "%ld", meminfo("Committed_AS") + (long)STRICT_ROOM_KB);
	CHECK(write_text(KBYTES_PATH, text) > 0);
	CHECK_EQ(read_number(RATIO_PATH), 0);
	CHECK(mmap_refused(2 * STRICT_ROOM_KB * KIB, MAP_RW, ANON_PRIVATE));
	CHECK(mmap_refused(2 * STRICT_ROOM_KB * KIB, MAP_RW, ANON_PRIVATE | MAP_NORESERVE));
	errno = 0;
	CHECK(sbrk((long)(2 * STRICT_ROOM_KB * KIB)) == (void *)-1 && errno == ENOMEM);
	errno = 0;
	CHECK(sbrk(1L << 30) == (void *)-1 && errno == ENOMEM);
	p = mmap(NULL, 2 * STRICT_ROOM_KB * KIB, PROT_READ, ANON_PRIVATE, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK_ERR(mprotect(p, 2 * STRICT_ROOM_KB * KIB, MAP_RW), ENOMEM);
	CHECK_EQ(munmap(p, 2 * STRICT_ROOM_KB * KIB), 0);
	/* Half the room is granted; a fork would copy it, and does not fit. */
	p = mmap(NULL, STRICT_ROOM_KB * KIB / 2, MAP_RW, ANON_PRIVATE, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK_ERR(fork(), ENOMEM);
	CHECK_EQ(munmap(p, STRICT_ROOM_KB * KIB / 2), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	return 0;
}

static void strict_child(void *arg)
{
	(void)arg;
	_exit(strict_and_always_answers());
}

int test_overcommit_modes(void)
{
	int status;

	if (!may_change_settings()) {
		diag("changes /proc/sys/vm: runs only on oomlab or a VM booted "
		     "with " SCRATCH_SWITCH);
		return 1;
	}
	status = run_in_child(strict_child, NULL);
	restore_defaults();
	CHECK_EQ(read_number(MODE_PATH), 0);
	CHECK_EQ(read_number(RATIO_PATH), 50);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return 0;
}
