/* edge_tests.c: the hostile-user cases of issue 16: lengths and offsets
 * that wrap, a TLS base no CPU accepts, signals a kernel thread must not
 * take, and a console write that must die promptly at SIGKILL. Read
 * first: the cases marked oomlab-only in main.c (run with -s) need
 * oomlab's /dev/console or its kernel threads' answers; the rest pass on
 * Linux as well. */
#include "usertests.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAP_RW (PROT_READ | PROT_WRITE)
#define ANON_PRIVATE (MAP_PRIVATE | MAP_ANONYMOUS)
#define LEN_MAX (~0UL)
#define CLONE_SETTLS 0x00080000UL
#define ARCH_SET_FS 0x1002
#define NON_CANONICAL 0x8000000000000000UL
#define FAR_PAST_EOF (1L << 40) /* a valid offset, far past any file here */
#define PROC_PID_MAX 64		/* kernel threads start early: low pids */
#define CONSOLE_WRITE (8UL << 20)
#define BLANK_LINE 64		  /* the long write is blank lines */
#define KILL_AFTER_NS 200000000L  /* let the write get going first */
#define DIE_WITHIN_NS 5000000000L /* a hang check: a fixed kernel needs ms */
#define BAD_WRITE_LEN 0x7fffffffL
#define LOW_ADDR ((char *)0x40000000UL) /* free in every usertests process */

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Issue 16: mprotect(p, 2^64 - 1) returned 0. Each call answers as Linux's. */
int test_huge_lengths(void)
{
	char *p = mmap(NULL, 2 * PAGE, MAP_RW, ANON_PRIVATE, -1, 0);

	CHECK(p != MAP_FAILED);
	CHECK_ERR(mprotect(p, LEN_MAX, PROT_READ), ENOMEM);
	CHECK_ERR(mprotect(p, LEN_MAX - PAGE, PROT_READ), ENOMEM);
	CHECK_ERR(madvise(p, LEN_MAX, MADV_DONTNEED), EINVAL);
	CHECK_ERR(munmap(p, LEN_MAX), EINVAL);
	CHECK_ERR(munmap(p, LEN_MAX - PAGE), EINVAL);
	/* Nothing changed: the pages are still there and writable. */
	p[PAGE] = 1;
	CHECK_EQ(mprotect(p, 0, PROT_READ), 0);
	CHECK_EQ(munmap(p, 2 * PAGE), 0);
	return 0;
}

static void read_byte(void *p)
{
	_exit(*(volatile char *)p);
}

/* Issue 16, defect 5: offset -4096 was accepted and its first fault
 * killed the task as out of memory. As Linux's do_mmap: EOVERFLOW; a
 * valid offset past the end of the file maps, and its fault is SIGBUS. */
int test_mmap_file_offsets(void)
{
	char path[256];
	char *p;
	int fd, status;

	snprintf(path, sizeof(path), "%s/goodelf", ut_bad_dir);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, -(long)PAGE), EOVERFLOW);
	CHECK_ERR(mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, LONG_MIN), EOVERFLOW);
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, FAR_PAST_EOF);
	close(fd);
	CHECK(p != MAP_FAILED);
	status = run_in_child(read_byte, p);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
	CHECK_EQ(munmap(p, PAGE), 0);
	return 0;
}

/* Issue 16: clone(CLONE_SETTLS) took a TLS base arch_prctl refuses. */
int test_clone_settls_non_canonical(void)
{
	long r;
	int status;

	CHECK_EQ(syscall2(SYS_arch_prctl, ARCH_SET_FS, (long)NON_CANONICAL), -EPERM);
	r = syscall5(SYS_clone, (long)(CLONE_SETTLS | SIGCHLD), 0, 0, 0, (long)NON_CANONICAL);
	if (r == 0)
		syscall1(SYS_exit, 0); /* a child that should not exist: no libc */
	if (r > 0)
		waitpid((pid_t)r, &status, 0);
	CHECK_EQ(r, -EPERM);
	return 0;
}

/* No libc has a tkill wrapper: the raw call, with errno. */
static int tkill(pid_t tid, int sig)
{
	long r = syscall2(SYS_tkill, tid, sig);

	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return 0;
}

/* A kernel thread's pid from /proc/N/status ("Kthread:\t1"), or 0. */
static pid_t find_kernel_thread(void)
{
	char path[64];

	for (pid_t pid = 2; pid < PROC_PID_MAX; pid++) {
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		if (proc_file_field(path, "Kthread") == 1)
			return pid;
	}
	return 0;
}

/* Issue 16, defect 4: tgkill(2, 2, SIGKILL) returned 0 and left the
 * kernel thread runnable for good, while kill() said EPERM. */
int test_kernel_thread_refuses_user_signals(void)
{
	pid_t k = find_kernel_thread();
	char path[64];

	CHECK(k > 0);
	CHECK_ERR(kill(k, SIGKILL), EPERM);
	CHECK_ERR(tgkill(k, k, SIGKILL), EPERM);
	CHECK_ERR(tkill(k, SIGKILL), EPERM);
	CHECK_EQ(kill(k, 0), 0);
	snprintf(path, sizeof(path), "/proc/%d/status", k);
	CHECK_EQ(proc_file_field(path, "Kthread"), 1);
	return 0;
}

/* A buffer of blank lines: what a long console write sends is invisible
 * in the KTAP the suite prints on the same console. */
static char *blank_lines(size_t len)
{
	char *buf = mmap(NULL, len, MAP_RW, ANON_PRIVATE, -1, 0);

	if (buf == MAP_FAILED)
		return NULL;
	for (size_t i = 0; i < len; i++)
		buf[i] = i % BLANK_LINE == BLANK_LINE - 1 ? '\n' : ' ';
	return buf;
}

static void write_console(void *buf)
{
	int fd = open("/dev/console", O_WRONLY);

	_exit(fd >= 0 && write(fd, buf, CONSOLE_WRITE) == (long)CONSOLE_WRITE ? 0 : 3);
}

/* Issue 16, defect 2: a 4 MiB console write outlived its SIGKILL by
 * 16 s. A killed writer must die between chunks; the bound here is only
 * a generous hang check (the in-kernel tty suite checks the count). */
int test_console_write_dies_at_sigkill(void)
{
	char *buf = blank_lines(CONSOLE_WRITE), *edge;
	struct timespec nap = {.tv_nsec = KILL_AFTER_NS};
	long long killed, reaped;
	int status, fd;
	pid_t pid;

	CHECK(buf != NULL);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		write_console(buf);
	nanosleep(&nap, NULL);
	killed = now_ns();
	CHECK_EQ(kill(pid, SIGKILL), 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	reaped = now_ns();
	diag("a console writer killed mid-write was reaped %lld us after its SIGKILL",
	     (reaped - killed) / 1000);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CHECK(reaped - killed < DIE_WITHIN_NS);
	CHECK_EQ(munmap(buf, CONSOLE_WRITE), 0);
	/* A range that turns bad stops the write at the first bad byte. Low
	 * in memory, so that all 2 GiB are user addresses (else access_ok
	 * refuses the whole write, as Linux's import_ubuf does). */
	edge = mmap(LOW_ADDR, 2 * PAGE, MAP_RW, ANON_PRIVATE | MAP_FIXED, -1, 0);
	CHECK(edge == LOW_ADDR);
	for (size_t i = 0; i < PAGE; i++)
		edge[i] = i % BLANK_LINE == BLANK_LINE - 1 ? '\n' : ' ';
	CHECK_EQ(munmap(edge + PAGE, PAGE), 0);
	fd = open("/dev/console", O_WRONLY);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, edge, BAD_WRITE_LEN), (long)PAGE);
	CHECK_ERR(write(fd, edge + PAGE, BAD_WRITE_LEN), EFAULT);
	close(fd);
	CHECK_EQ(munmap(edge, PAGE), 0);
	return 0;
}

#define HUGE_BSS_KB (1L << 20) /* goodelf-hugebss's .bss: 1 GiB */
#define EXEC_OOM_WARMUP 2      /* caches and lists reach their working size */
#define EXEC_OOM_ATTEMPTS 100
/* Per-CPU page lists and slab partials may hold a little either way;
 * the leak was 150-210 kB per attempt, 7 MB over the attempts. */
#define EXEC_OOM_SLACK_KB 1024

static void exec_huge_bss(void *arg)
{
	char path[256];
	char *argv[] = {path, NULL};
	char *envp[] = {NULL};

	(void)arg;
	snprintf(path, sizeof(path), "%s/goodelf-hugebss", ut_bad_dir);
	execve(path, argv, envp);
	_exit(errno == ENOMEM ? 3 : 4); /* refused before the point of no return */
}

/* Runs the exec count times; each must end in the kernel's SIGKILL. */
static int exec_oom_attempts(int count)
{
	char what[64];

	for (int i = 0; i < count; i++) {
		int status = run_in_child(exec_huge_bss, NULL);

		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
			diag("attempt %d ended with %s", i,
			     describe_status(status, what, sizeof(what)));
			return -1;
		}
	}
	return 0;
}

#define OVERCOMMIT_PATH "/proc/sys/vm/overcommit_memory"
#define DROP_CACHES_PATH "/proc/sys/vm/drop_caches"

/* With the heuristic overcommit check (vm.overcommit_memory=0) a .bss
 * larger than RAM is refused while the old program is still there. */
static int exec_huge_bss_is_refused_before_the_point_of_no_return(void)
{
	int status = run_in_child(exec_huge_bss, NULL);

	return WIFEXITED(status) && WEXITSTATUS(status) == 3 ? 0 : -1;
}

static int exec_oom_leaks_nothing(void)
{
	long free_kb, slab_kb;

	CHECK_EQ(exec_oom_attempts(EXEC_OOM_WARMUP), 0);
	CHECK_EQ(proc_write_text(DROP_CACHES_PATH, "3\n"), 0);
	free_kb = proc_file_field("/proc/meminfo", "MemFree");
	slab_kb = proc_file_field("/proc/meminfo", "Slab");
	CHECK(free_kb > 0 && slab_kb > 0);
	CHECK_EQ(exec_oom_attempts(EXEC_OOM_ATTEMPTS), 0);
	CHECK_EQ(proc_write_text(DROP_CACHES_PATH, "3\n"), 0);
	CHECK(proc_file_field("/proc/meminfo", "MemFree") > free_kb - EXEC_OOM_SLACK_KB);
	CHECK(proc_file_field("/proc/meminfo", "Slab") < slab_kb + EXEC_OOM_SLACK_KB);
	return 0;
}

/* Issue 16, defect 3: an exec that ran out of memory after the point of
 * no return died in do_exit holding its image, file, path and argument
 * buffer: 150-210 kB each time. Now it dies on its way out, having let
 * go of them: a hundred attempts leave free memory and slab where the
 * first ones left them. Since the overcommit check such an exec is
 * refused early (first assertion); vm.overcommit_memory=1 lets it map
 * the .bss, so it runs out populating it, after the point of no return
 * (each attempt is an OOM kill of the exec'ing task). */
int test_exec_oom_after_point_of_no_return_leaks_nothing(void)
{
	int r;

	CHECK(proc_file_field("/proc/meminfo", "MemTotal") < HUGE_BSS_KB);
	CHECK_EQ(proc_read_number(OVERCOMMIT_PATH), 0);
	CHECK_EQ(exec_huge_bss_is_refused_before_the_point_of_no_return(), 0);
	CHECK_EQ(proc_write_text(OVERCOMMIT_PATH, "1\n"), 0);
	r = exec_oom_leaks_nothing();
	CHECK_EQ(proc_write_text(OVERCOMMIT_PATH, "0\n"), 0);
	return r;
}

#define HUGE_BRK (1L << 30)
#define DMESG_SIZE 65536

static void lock_future_then_huge_brk(void *arg)
{
	(void)arg;
	if (mlockall(MCL_FUTURE))
		_exit(3);
	/* A heap made under MCL_FUTURE is locked; it then grows in place. */
	if (sbrk((long)PAGE) == (void *)-1)
		_exit(6);
	if (sbrk(HUGE_BRK) == (void *)-1)
		_exit(errno == ENOMEM ? 0 : 4);
	_exit(5); /* granted: the memory it cannot have is "locked" */
}

/* Issue 16: under mlockall(MCL_FUTURE) a 1 GiB brk in a 64M guest
 * succeeded, leaving 1 MB free and nobody killed. As Linux: the
 * overcommit heuristic refuses one request larger than RAM plus swap
 * (ENOMEM), or populating it runs out of memory and the OOM killer
 * kills this process (its "Killed process" line names it). */
int test_mlockall_future_huge_brk(void)
{
	static char log[DMESG_SIZE];
	char what[64], killed[48];
	int status, fd;

	pid_t pid;

	CHECK(proc_file_field("/proc/meminfo", "MemTotal") < HUGE_BRK / 1024);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		lock_future_then_huge_brk(NULL);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
		diag("the child ended with %s", describe_status(status, what, sizeof(what)));
		return 1;
	}
	fd = open("/proc/dmesg", O_RDONLY);
	CHECK(fd >= 0);
	read_to_end(fd, log, sizeof(log));
	close(fd);
	snprintf(killed, sizeof(killed), "Killed process %d ", pid);
	CHECK(strstr(log, killed) != NULL);
	return 0;
}
