/* proc_tests.c: processes, exec, signals, bad pointers, scheduling, time
 * and files. Read first: exec tests run execve in a child, so a loader that
 * wrongly accepts a bad file replaces only that child, whose unexpected
 * exit status or signal then fails the test. */
#include "usertests.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FORK_CHILDREN 50
#define GOODELF_STATUS 42

int test_fork_many(void)
{
	int seen[FORK_CHILDREN] = {0}, status;

	for (int i = 0; i < FORK_CHILDREN; i++) {
		pid_t pid = fork();

		CHECK(pid >= 0);
		if (pid == 0)
			_exit(i);
	}
	for (int i = 0; i < FORK_CHILDREN; i++) {
		CHECK(wait(&status) > 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) < FORK_CHILDREN);
		seen[WEXITSTATUS(status)]++;
	}
	for (int i = 0; i < FORK_CHILDREN; i++)
		CHECK_EQ(seen[i], 1);
	CHECK_ERR(wait(&status), ECHILD);
	return 0;
}

static void read_kernel(void *arg)
{
	(void)*(volatile char *)arg;
}

int test_kernel_read(void)
{
	int status = run_in_child(read_kernel, KERNEL_ADDR);
	char what[64];

	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV) {
		diag("reading %p: the child ended with %s", KERNEL_ADDR,
		     describe_status(status, what, sizeof(what)));
		return 1;
	}
	status = run_in_child(read_kernel, NULL);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	return 0;
}

int test_kernel_pointer(void)
{
	int fds[2];
	char c;

	CHECK_EQ(pipe(fds), 0);
	CHECK_ERR(write(fds[1], KERNEL_ADDR, 16), EFAULT);
	CHECK_ERR(write(fds[1], (void *)PAGE, 16), EFAULT); /* user, unmapped */
	CHECK_EQ(write(fds[1], "x", 1), 1);
	CHECK_ERR(read(fds[0], KERNEL_ADDR, 1), EFAULT);
	CHECK_ERR(open(KERNEL_ADDR, O_RDONLY), EFAULT);
	CHECK_ERR(clock_gettime(CLOCK_MONOTONIC, KERNEL_ADDR), EFAULT);
	/* The pipe still works, and the byte is still there. */
	CHECK_EQ(read(fds[0], &c, 1), 1);
	CHECK_EQ(c, 'x');
	close(fds[0]);
	close(fds[1]);
	return 0;
}

/* execve(path) in a child: the child's status, or -1 if fork failed. The
 * child exits 100 + errno when execve returns. */
#define EXEC_FAILED 100

static int exec_status(const char *path)
{
	char *argv[] = {(char *)path, NULL}, *envp[] = {NULL};
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execve(path, argv, envp);
		_exit(EXEC_FAILED + errno);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* What happened to an exec_status() child, in words. */
static const char *describe_exec(int status, char *buf, size_t size)
{
	char what[64];

	if (WIFEXITED(status) && WEXITSTATUS(status) > EXEC_FAILED)
		snprintf(buf, size, "execve failed: %s",
			 strerror(WEXITSTATUS(status) - EXEC_FAILED));
	else
		snprintf(buf, size, "execve succeeded; the new image ended with %s",
			 describe_status(status, what, sizeof(what)));
	return buf;
}

int test_exec_good(void)
{
	char path[256], what[128];
	int status;

	snprintf(path, sizeof(path), "%s/goodelf", ut_bad_dir);
	status = exec_status(path);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != GOODELF_STATUS) {
		diag("%s: %s; expected exit %d", path, describe_exec(status, what, sizeof(what)),
		     GOODELF_STATUS);
		return 1;
	}
	return 0;
}

#define EXEC_CYCLES 200

/* Process churn: each cycle forks, execs and reaps one program. The
 * kernel's baseline test runs this and counts free pages around it. */
int test_exec_cycles(void)
{
	char path[256], what[128];

	snprintf(path, sizeof(path), "%s/goodelf", ut_bad_dir);
	for (int i = 0; i < EXEC_CYCLES; i++) {
		int status = exec_status(path);

		if (!WIFEXITED(status) || WEXITSTATUS(status) != GOODELF_STATUS) {
			diag("cycle %d: %s: %s", i, path,
			     describe_exec(status, what, sizeof(what)));
			return 1;
		}
	}
	return 0;
}

/* Every file named prefix* in ut_bad_dir must fail execve with ENOEXEC. */
static int exec_all_refused(const char *prefix)
{
	DIR *d = opendir(ut_bad_dir);
	struct dirent *e;
	int files = 0, failed = 0;

	CHECK(d != NULL);
	while ((e = readdir(d))) {
		char path[256], what[128];
		int status;

		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		files++;
		snprintf(path, sizeof(path), "%s/%s", ut_bad_dir, e->d_name);
		status = exec_status(path);
		if (WIFEXITED(status) && WEXITSTATUS(status) == EXEC_FAILED + ENOEXEC)
			continue;
		failed++;
		diag("%s: %s; expected ENOEXEC", e->d_name,
		     describe_exec(status, what, sizeof(what)));
	}
	closedir(d);
	if (files == 0)
		diag("no %s* files in %s", prefix, ut_bad_dir);
	else
		diag("%d %s* files, %d refused with ENOEXEC", files, prefix, files - failed);
	return files == 0 || failed;
}

int test_exec_badelf(void)
{
	return exec_all_refused("badelf-");
}

int test_exec_strictelf(void)
{
	return exec_all_refused("strictelf-");
}

static volatile int handled_sig, handled_count;

static void on_signal(int sig)
{
	handled_sig = sig;
	handled_count++;
}

int test_signal_handler(void)
{
	struct sigaction act = {.sa_handler = on_signal, .sa_flags = SA_RESTART}, old;
	sigset_t block;
	volatile long canary = 0x1234567890abcdefL;

	CHECK_EQ(sigaction(SIGUSR1, &act, NULL), 0);
	CHECK_EQ(kill(getpid(), SIGUSR1), 0);
	CHECK_EQ(handled_count, 1); /* delivered on the way out of kill() */
	CHECK_EQ(handled_sig, SIGUSR1);
	CHECK_EQ(raise(SIGUSR1), 0);
	CHECK_EQ(handled_count, 2);
	CHECK(canary == 0x1234567890abcdefL); /* rt_sigreturn restored us */
	/* A blocked signal waits until it is unblocked. */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	CHECK_EQ(sigprocmask(SIG_BLOCK, &block, NULL), 0);
	CHECK_EQ(kill(getpid(), SIGUSR1), 0);
	CHECK_EQ(handled_count, 2);
	CHECK_EQ(sigprocmask(SIG_UNBLOCK, &block, NULL), 0);
	CHECK_EQ(handled_count, 3);
	/* Ignored: nothing happens. The old action comes back. */
	act.sa_handler = SIG_IGN;
	CHECK_EQ(sigaction(SIGUSR1, &act, &old), 0);
	CHECK(old.sa_handler == on_signal);
	CHECK_EQ(kill(getpid(), SIGUSR1), 0);
	CHECK_EQ(handled_count, 3);
	CHECK_ERR(sigaction(SIGKILL, &act, NULL), EINVAL);
	CHECK_ERR(sigaction(0, &act, NULL), EINVAL);
	return 0;
}

static void sleep_forever(void *arg)
{
	(void)arg;
	for (;;)
		sleep(1000);
}

/* Starts a sleeping child, sends sig, and returns the child's status. */
static int status_after(int sig)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		sleep_forever(NULL);
	if (pid < 0 || kill(pid, sig) < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

int test_signal_default(void)
{
	static const int fatal[] = {SIGKILL, SIGTERM, SIGINT, SIGUSR1};
	pid_t pid;
	int status;

	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++) {
		status = status_after(fatal[i]);
		CHECK(WIFSIGNALED(status));
		CHECK_EQ(WTERMSIG(status), fatal[i]);
	}
	/* A reaped pid is gone: kill finds no such process. */
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		_exit(0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_ERR(kill(pid, SIGTERM), ESRCH);
	CHECK_ERR(kill(getpid(), 1000), EINVAL);
	return 0;
}

int test_pipe(void)
{
	static const char msg[] = "hello through a pipe\n";
	char buf[64];
	int fds[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	CHECK_EQ(pipe(fds), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[1]);
		printf("%s", msg);
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf + got, sizeof(buf) - 1 - (size_t)got)) > 0)
		got += n;
	CHECK_EQ(n, 0); /* end of file once the child is gone */
	buf[got] = '\0';
	CHECK(strcmp(buf, msg) == 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EQ(status, 0);
	close(fds[0]);
	CHECK_ERR(close(fds[0]), EBADF);
	CHECK_ERR(dup2(1000, 3), EBADF);
	return 0;
}

int test_sched(void)
{
	struct sched_param param = {0}, rt = {.sched_priority = 1000};

	CHECK_EQ(sched_getscheduler(0), SCHED_OTHER);
	CHECK_EQ(sched_setscheduler(0, SCHED_IDLE, &param), 0);
	CHECK_EQ(sched_getscheduler(0), SCHED_IDLE);
	CHECK_EQ(sched_getscheduler(getpid()), SCHED_IDLE);
	CHECK_ERR(sched_setscheduler(0, SCHED_FIFO, &rt), EINVAL);
	CHECK_ERR(sched_setscheduler(0, 12345, &param), EINVAL);
	CHECK_EQ(getpriority(PRIO_PROCESS, 0), 0);
	/* Raising nice needs no privilege. */
	CHECK_EQ(setpriority(PRIO_PROCESS, 0, 10), 0);
	CHECK_EQ(getpriority(PRIO_PROCESS, 0), 10);
	CHECK_EQ(sched_yield(), 0);
	CHECK_ERR(sched_getscheduler(-1), EINVAL);
	return 0;
}

#define NAP_NS 20000000L /* 20 ms */

int test_clock(void)
{
	struct timespec t0, t1, nap = {.tv_nsec = NAP_NS};
	long long elapsed;

	CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &t0), 0);
	CHECK_EQ(nanosleep(&nap, NULL), 0);
	CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &t1), 0);
	elapsed = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
	CHECK(elapsed >= NAP_NS);
	CHECK(t1.tv_nsec >= 0 && t1.tv_nsec < 1000000000L);
	nap.tv_nsec = 1000000000L; /* out of range */
	CHECK_ERR(nanosleep(&nap, NULL), EINVAL);
	return 0;
}

int test_ids(void)
{
	struct utsname u;

	CHECK(getpid() > 0);
	CHECK_EQ(getppid(), ut_runner_pid);
	CHECK_EQ(gettid(), getpid());
	CHECK_EQ(uname(&u), 0);
	CHECK(u.sysname[0] != '\0' && u.release[0] != '\0');
	CHECK(strcmp(u.machine, "x86_64") == 0);
	return 0;
}

/* Files through the descriptor calls, on goodelf (it is in every image
 * the suite runs from). */
int test_files(void)
{
	char path[256], head[4];
	struct stat st;
	DIR *d = opendir(ut_bad_dir);
	struct dirent *e;
	int found = 0, fd;

	CHECK(d != NULL);
	while ((e = readdir(d)))
		found |= strcmp(e->d_name, "goodelf") == 0;
	closedir(d);
	CHECK(found);
	snprintf(path, sizeof(path), "%s/goodelf", ut_bad_dir);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(read(fd, head, 4), 4);
	CHECK(memcmp(head, "\177ELF", 4) == 0);
	CHECK_EQ(lseek(fd, 0, SEEK_END), st.st_size);
	CHECK_EQ(read(fd, head, 4), 0);
	CHECK_EQ(lseek(fd, 1, SEEK_SET), 1);
	CHECK_EQ(read(fd, head, 3), 3);
	CHECK(memcmp(head, "ELF", 3) == 0);
	CHECK_EQ(close(fd), 0);
	CHECK_ERR(open("/no/such/file", O_RDONLY), ENOENT);
	CHECK_ERR(fstat(fd, &st), EBADF);
	return 0;
}

/* The program's text is a private file mapping of its executable, as
 * Linux's ELF loader makes it: /proc/self/maps names the file on an r-xp
 * line, and its resident pages count as file rss, not anon. */
int test_exec_maps_text_from_file(void)
{
	static char maps[16384];
	int fd = open("/proc/self/maps", O_RDONLY);
	char *line;
	int found = 0;

	CHECK(fd >= 0);
	read_to_end(fd, maps, sizeof(maps));
	close(fd);
	for (line = maps; *line;) {
		char *end = strchr(line, '\n');
		char *perms = strchr(line, ' ');

		if (end)
			*end = '\0';
		if (perms && strncmp(perms + 1, "r-xp", 4) == 0 && strstr(line, "/usertests"))
			found = 1;
		if (!end)
			break;
		line = end + 1;
	}
	if (!found)
		diag("no r-xp line of /proc/self/maps names usertests");
	CHECK(found);
	CHECK(proc_status_field("RssFile") > 0);
	return 0;
}
