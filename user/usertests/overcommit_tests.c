/* overcommit_tests.c: what vm.overcommit_memory answers, seen from user
 * space, and Committed_AS following a process's writable mappings. Read
 * first: the heuristic case (mode 0, every kernel's default) runs on the
 * host Linux too and skips, naming the setting, where the host is set
 * otherwise; the Committed_AS case is oomlab-only (-s): Committed_AS is the
 * whole system's, and on a busy host others' mappings move it by more than
 * ours between two reads (after a fork and its exit, Committed_AS was seen
 * 16-57 MiB away from where it started), while in the guest nothing else
 * maps: there it checks exact figures, and a fork's charge against the
 * process's own VmData + VmStk; the strict and always cases change
 * /proc/sys/vm and so are oomlab-only too: they refuse to run on any other
 * kernel except a throwaway Linux VM, and put the settings back whatever
 * happens. */
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
#define BEYOND_KB (64 * KIB) /* how far past RAM + swap a refused request asks */
#define STRICT_ROOM_KB (8 * KIB)
#define PROBE (16 * MIB) /* a region mode 0 grants in the smallest guest */
#define MODE_PATH "/proc/sys/vm/overcommit_memory"
#define RATIO_PATH "/proc/sys/vm/overcommit_ratio"
#define KBYTES_PATH "/proc/sys/vm/overcommit_kbytes"
#define SCRATCH_SWITCH "usertests.scratch=1"

static long meminfo(const char *name)
{
	return proc_file_field("/proc/meminfo", name);
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

int test_overcommit_heuristic(void)
{
	long mode = proc_read_number(MODE_PATH);
	size_t huge = beyond_ram_and_swap(), half = (size_t)meminfo("MemTotal") * KIB / 2;
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
	return 0;
}

/* ---- oomlab-only: Committed_AS is the whole system's (see the top) ---- */

/* Committed_AS counts a writable private mapping from mmap to munmap, and
 * not a read-only one; fork charges the child's copy of every writable
 * private mapping (the region, plus this program's own data, heap and
 * stack: at most its VmData + VmStk), and the child's exit gives it back. */
int test_committed_as_follows_private_writable_mappings(void)
{
	long base = meminfo("Committed_AS"), want = (long)(PROBE / KIB), own, rise;
	char *p = mmap(NULL, PROBE, MAP_RW, ANON_PRIVATE, -1, 0);

	CHECK(base > 0 && p != MAP_FAILED);
	CHECK_EQ(meminfo("Committed_AS"), base + want);
	own = proc_status_field("VmData") + proc_status_field("VmStk");
	rise = fork_rise_kb();
	if (rise < want || rise > own)
		diag("fork charged %ld kB; the region is %ld kB, VmData + VmStk %ld kB", rise, want,
		     own);
	CHECK(rise >= want && rise <= own);
	CHECK_EQ(meminfo("Committed_AS"), base + want);
	CHECK_EQ(munmap(p, PROBE), 0);
	CHECK_EQ(meminfo("Committed_AS"), base);
	p = mmap(NULL, PROBE, PROT_READ, ANON_PRIVATE, -1, 0);
	CHECK(p != MAP_FAILED);
	CHECK_EQ(meminfo("Committed_AS"), base);
	CHECK_EQ(munmap(p, PROBE), 0);
	return 0;
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
	proc_write_text(KBYTES_PATH, "0");
	proc_write_text(RATIO_PATH, "50");
	proc_write_text(MODE_PATH, "0");
}

static int strict_and_always_answers(void)
{
	char text[32];
	long limit;
	char *p;
	pid_t pid;
	int status;

	CHECK_EQ(proc_write_text(MODE_PATH, "3"), -EINVAL);
	CHECK_EQ(proc_write_text(MODE_PATH, "-1"), -EINVAL);
	CHECK_EQ(proc_write_text(KBYTES_PATH, "-1"), -EINVAL);
	/* Mode 1: anything goes, even 4x what RAM and swap hold. */
	CHECK_EQ(proc_write_text(MODE_PATH, "1\n"), 0);
	CHECK(mmap_granted(4 * beyond_ram_and_swap(), MAP_RW, ANON_PRIVATE));
	/* Mode 2: CommitLimit = RAM * ratio / 100 + swap (in pages). */
	CHECK_EQ(proc_write_text(MODE_PATH, "2\n"), 0);
	limit = (meminfo("MemTotal") / 4 * 50 / 100) * 4 + meminfo("SwapTotal");
	CHECK_EQ(meminfo("CommitLimit"), limit);
	/* Then leave STRICT_ROOM_KB of room, through overcommit_kbytes. */
	snprintf(text, sizeof(text), "%ld", meminfo("Committed_AS") + (long)STRICT_ROOM_KB);
	CHECK_EQ(proc_write_text(KBYTES_PATH, text), 0);
	CHECK_EQ(proc_read_number(RATIO_PATH), 0);
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
	CHECK_EQ(proc_read_number(MODE_PATH), 0);
	CHECK_EQ(proc_read_number(RATIO_PATH), 50);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return 0;
}
