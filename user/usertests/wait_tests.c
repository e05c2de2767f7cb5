/* wait_tests.c: the lives of processes around wait4: children of sibling
 * threads, wait4's options, errors and rusage, orphans, fatal signals in
 * threaded processes and SIGCHLD. Read first: every assertion is Linux's
 * behaviour (the suite also runs on the host); where the host may differ
 * in a detail that is not Linux's contract (which task adopts an orphan,
 * a subreaper), the test asserts only what both must agree on. */
#include "usertests.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SIBLING_STATUS 5
#define ADOPTED_STATUS 6
#define RSS_CHILD_BYTES (4ul << 20)
#define RSS_CHILD_KIB (RSS_CHILD_BYTES / 1024)
/* Linux reads an exiting process's rss from per-CPU counters without
 * folding every CPU in (a percpu_counter; its batch is 32+ pages a CPU,
 * a counter): a child that ran on another CPU than the one that forked it
 * was seen 128 KiB short of what it touched, more often on a loaded host
 * where it migrates. The bound is the process's own figure, not others':
 * half the touched KiB, which pages (a quarter) or the forking process's
 * own few hundred KiB would not reach. */
#define RSS_TOUCHED_MIN_KIB ((long)RSS_CHILD_KIB / 2)
#define WEXITED_BIT 4	       /* waitid's, refused by wait4 */
#define WNOWAIT_BIT 0x01000000 /* waitid's too */
#define USEC_PER_SEC 1000000L
#define NAP_NS 1000000L /* 1 ms between polls; usertests' time limit ends a hang */
#define FATAL_THREADS 3
#define SIGCHLD_ROUNDS 3

static void nap(void)
{
	struct timespec ts = {.tv_nsec = NAP_NS};

	nanosleep(&ts, NULL);
}

/* ---- wait4_reaps_child_of_sibling_thread ---- */

static volatile pid_t sibling_child;
static int release_pipe[2]; /* the sibling thread (or its child) waits on it */

static void *fork_then_wait_for_release(void *arg)
{
	int status_of_child = (int)(long)arg;
	pid_t pid = fork();
	char c;

	if (pid == 0) {
		if (status_of_child == ADOPTED_STATUS &&
		    read(release_pipe[0], &c, 1) != 1) /* outlive the thread */
			_exit(2);
		_exit(status_of_child);
	}
	sibling_child = pid;
	if (status_of_child == SIBLING_STATUS && read(release_pipe[0], &c, 1) != 1)
		return (void *)1;
	return NULL;
}

/* Starts a thread that forks a child exiting with status; returns the pid. */
static pid_t child_of_a_thread(pthread_t *t, int status)
{
	sibling_child = 0;
	if (pthread_create(t, NULL, fork_then_wait_for_release, (void *)(long)status))
		return -1;
	while (sibling_child == 0)
		nap();
	return sibling_child;
}

/* As Linux's do_wait: wait4 looks at the children of every thread of the
 * process, whether the thread that forked is still there or not; only
 * __WNOTHREAD narrows it to the caller's own. */
int test_wait4_sibling_thread(void)
{
	pthread_t t;
	void *result;
	int status;
	pid_t pid;

	CHECK_EQ(pipe(release_pipe), 0);
	/* The forking thread is alive (blocked) while we reap its child. */
	pid = child_of_a_thread(&t, SIBLING_STATUS);
	CHECK(pid > 0);
	CHECK_ERR(waitpid(pid, &status, __WNOTHREAD), ECHILD);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == SIBLING_STATUS);
	CHECK_EQ(write(release_pipe[1], "r", 1), 1);
	CHECK_EQ(pthread_join(t, &result), 0);
	CHECK(result == NULL);
	/* The forking thread is gone before its child: the child is ours
	 * now (a live thread of the process adopts it before init would). */
	pid = child_of_a_thread(&t, ADOPTED_STATUS);
	CHECK(pid > 0);
	CHECK_EQ(pthread_join(t, &result), 0);
	CHECK_EQ(waitpid(pid, &status, WNOHANG), 0); /* alive, waiting for "r" */
	CHECK_EQ(write(release_pipe[1], "r", 1), 1);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == ADOPTED_STATUS);
	CHECK_ERR(wait(&status), ECHILD);
	return 0;
}

/* ---- wait4_options_and_rusage ---- */

static void touch_and_exit(void *arg)
{
	char *p = mmap(NULL, RSS_CHILD_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	(void)arg;
	if (p == MAP_FAILED)
		_exit(2);
	for (size_t i = 0; i < RSS_CHILD_BYTES; i += PAGE)
		p[i] = 1;
	_exit(3);
}

static pid_t start(void (*fn)(void *))
{
	pid_t pid = fork();

	if (pid == 0) {
		fn(NULL);
		_exit(0);
	}
	return pid;
}

static void exit_now(void *arg)
{
	(void)arg;
	_exit(0);
}

int test_wait4_options(void)
{
	struct rusage ru;
	int status;
	pid_t pid;

	/* No children at all: ECHILD, with or without WNOHANG. */
	CHECK_ERR(wait4(-1, &status, 0, NULL), ECHILD);
	CHECK_ERR(wait4(-1, &status, WNOHANG, NULL), ECHILD);
	/* Option bits wait4 does not know are EINVAL, even with children. */
	pid = start(exit_now);
	CHECK(pid > 0);
	CHECK_ERR(wait4(pid, &status, WEXITED_BIT, NULL), EINVAL);
	CHECK_ERR(wait4(pid, &status, WNOWAIT_BIT, NULL), EINVAL);
	/* A fork child sends SIGCHLD: __WCLONE waits only for the others. */
	CHECK_ERR(wait4(pid, &status, __WCLONE, NULL), ECHILD);
	/* WUNTRACED and WCONTINUED are accepted; an exit is still reported. */
	CHECK_EQ(wait4(pid, &status, WUNTRACED | WCONTINUED | __WALL, NULL), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* rusage is the reaped child's own: its peak rss in KiB, sane times. */
	pid = start(touch_and_exit);
	CHECK(pid > 0);
	memset(&ru, 0xff, sizeof(ru));
	CHECK_EQ(wait4(pid, &status, 0, &ru), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	if (ru.ru_maxrss < RSS_TOUCHED_MIN_KIB)
		diag("ru_maxrss %ld KiB after touching %lu KiB", ru.ru_maxrss, RSS_CHILD_KIB);
	CHECK(ru.ru_maxrss >= RSS_TOUCHED_MIN_KIB);
	CHECK(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 &&
	      ru.ru_utime.tv_usec < USEC_PER_SEC);
	CHECK(ru.ru_stime.tv_sec >= 0 && ru.ru_stime.tv_usec >= 0 &&
	      ru.ru_stime.tv_usec < USEC_PER_SEC);
	/* Not the peak of every child reaped so far: one that touched
	 * nothing, reaped next, shows only what fork gave it (0 on Linux, when
	 * all of it still sits in the counters' per-CPU parts). */
	pid = start(exit_now);
	CHECK(pid > 0);
	memset(&ru, 0xff, sizeof(ru));
	CHECK_EQ(wait4(pid, &status, 0, &ru), pid);
	if (ru.ru_maxrss >= RSS_TOUCHED_MIN_KIB)
		diag("ru_maxrss %ld KiB for a child that touched nothing", ru.ru_maxrss);
	CHECK(ru.ru_maxrss >= 0 && ru.ru_maxrss < RSS_TOUCHED_MIN_KIB);
	/* A bad rusage pointer is EFAULT, and the child is reaped all the same. */
	pid = start(exit_now);
	CHECK(pid > 0);
	CHECK_ERR(wait4(pid, &status, 0, (struct rusage *)KERNEL_ADDR), EFAULT);
	CHECK_ERR(wait4(pid, &status, WNOHANG, NULL), ECHILD);
	return 0;
}

/* ---- orphan_is_reparented_to_init ---- */

/* The middle process forks the grandchild and exits; the grandchild
 * waits until getppid() changes and reports it. On oomlab that is 1; on
 * the host a subreaper (systemd --user, a container's init) may adopt it
 * instead, so the test asserts what both agree on: not the dead parent,
 * not us (we are no subreaper), and the orphan is not our child. */
int test_orphan_reparented(void)
{
	int report[2], status;
	pid_t middle, orphan = 0, new_parent = 0;

	CHECK_EQ(pipe(report), 0);
	middle = fork();
	CHECK(middle >= 0);
	if (middle == 0) {
		pid_t me = getpid(), gc = fork();

		if (gc < 0)
			_exit(2);
		if (gc == 0) {
			pid_t ppid;

			while ((ppid = getppid()) == me)
				nap();
			if (write(report[1], &ppid, sizeof(ppid)) != sizeof(ppid))
				_exit(3);
			_exit(0);
		}
		if (write(report[1], &gc, sizeof(gc)) != sizeof(gc))
			_exit(3);
		_exit(0);
	}
	close(report[1]);
	CHECK_EQ(waitpid(middle, &status, 0), middle);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(read(report[0], &orphan, sizeof(orphan)), sizeof(orphan));
	CHECK_EQ(read(report[0], &new_parent, sizeof(new_parent)), sizeof(new_parent));
	CHECK(new_parent > 0);
	CHECK(new_parent != middle);
	CHECK(new_parent != getpid());
	CHECK_ERR(waitpid(orphan, &status, WNOHANG), ECHILD);
	return 0;
}

/* ---- fatal_signal_kills_every_thread ---- */

static int tid_pipe[2], never_pipe[2], fault_pipe[2];
static volatile int *volatile nowhere; /* NULL, out of the compiler's sight */

static void *report_tid_and_block(void *arg)
{
	pid_t tid = gettid();
	char c;

	(void)arg;
	if (write(tid_pipe[1], &tid, sizeof(tid)) != sizeof(tid))
		return NULL;
	(void)read(never_pipe[0], &c, 1); /* never written */
	return NULL;
}

static void *fault_after_reporting(void *arg)
{
	pid_t tid = gettid();
	char c;

	(void)arg;
	if (write(tid_pipe[1], &tid, sizeof(tid)) != sizeof(tid))
		return NULL;
	if (read(fault_pipe[0], &c, 1) != 1) /* until every thread is counted */
		return NULL;
	*nowhere = 1; /* SIGSEGV, in a thread that is not the leader */
	return NULL;
}

/* A process whose main thread and FATAL_THREADS others report their tids
 * and block; the last started one faults instead when fault is set. */
static pid_t start_threaded(int fault, pid_t tids[FATAL_THREADS + 1])
{
	pid_t pid = fork();

	if (pid == 0) {
		for (int i = 0; i < FATAL_THREADS; i++) {
			pthread_t t;
			void *(*fn)(void *) = fault && i == FATAL_THREADS - 1
						      ? fault_after_reporting
						      : report_tid_and_block;

			if (pthread_create(&t, NULL, fn, NULL))
				_exit(2);
		}
		report_tid_and_block(NULL);
		_exit(4);
	}
	for (int i = 0; pid > 0 && i <= FATAL_THREADS; i++) {
		if (read(tid_pipe[0], &tids[i], sizeof(tids[i])) != sizeof(tids[i]))
			return -1;
	}
	return pid;
}

static int proc_entry_exists(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

/* Kills (or lets fault) a threaded process; its status names the signal
 * and, once reaped, none of its threads is left. */
static int fatal_round(int fault, int sig)
{
	pid_t tids[FATAL_THREADS + 1], pid = start_threaded(fault, tids);
	int status;

	CHECK(pid > 0);
	for (int i = 0; i <= FATAL_THREADS; i++)
		CHECK(proc_entry_exists(tids[i])); /* a thread's own pid works too */
	if (fault)
		CHECK_EQ(write(fault_pipe[1], "f", 1), 1);
	else
		CHECK_EQ(kill(pid, sig), 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WTERMSIG(status), sig);
	CHECK(!proc_entry_exists(pid));
	for (int i = 0; i <= FATAL_THREADS; i++)
		CHECK(!proc_entry_exists(tids[i]));
	return 0;
}

int test_fatal_signal_threads(void)
{
	CHECK_EQ(pipe(tid_pipe), 0);
	CHECK_EQ(pipe(never_pipe), 0);
	CHECK_EQ(pipe(fault_pipe), 0);
	CHECK_EQ(fatal_round(0, SIGKILL), 0);
	CHECK_EQ(fatal_round(1, SIGSEGV), 0);
	return 0;
}

/* ---- sigchld_is_delivered_to_parent_on_child_exit ---- */

static volatile int sigchld_count;

static void count_sigchld(int sig)
{
	if (sig == SIGCHLD)
		sigchld_count++;
}

/* The child's exit makes SIGCHLD pending before it wakes our wait4, so
 * the handler has run by the time waitpid returns; a blocked SIGCHLD
 * waits for the unblock. */
int test_sigchld(void)
{
	struct sigaction act = {.sa_handler = count_sigchld, .sa_flags = SA_RESTART};
	sigset_t chld;
	int status;
	pid_t pid;

	CHECK_EQ(sigaction(SIGCHLD, &act, NULL), 0);
	for (int i = 0; i < SIGCHLD_ROUNDS; i++) {
		pid = start(exit_now);
		CHECK(pid > 0);
		CHECK_EQ(waitpid(pid, &status, 0), pid);
		CHECK_EQ(sigchld_count, i + 1);
	}
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	CHECK_EQ(sigprocmask(SIG_BLOCK, &chld, NULL), 0);
	pid = start(exit_now);
	CHECK(pid > 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EQ(sigchld_count, SIGCHLD_ROUNDS);
	CHECK_EQ(sigprocmask(SIG_UNBLOCK, &chld, NULL), 0);
	CHECK_EQ(sigchld_count, SIGCHLD_ROUNDS + 1);
	return 0;
}

/* As Linux's do_notify_parent: with SIGCHLD ignored, or SA_NOCLDWAIT
 * set, children leave no zombie; wait4 sees them go and says ECHILD. With
 * SA_NOCLDWAIT a handler still hears of each exit. */
int test_sigchld_ignored(void)
{
	struct sigaction ign = {.sa_handler = SIG_IGN};
	struct sigaction nowait = {.sa_handler = count_sigchld,
				   .sa_flags = SA_NOCLDWAIT | SA_RESTART};
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	int status, before;

	CHECK_EQ(sigaction(SIGCHLD, &ign, NULL), 0);
	CHECK(start(exit_now) > 0);
	CHECK_ERR(wait(&status), ECHILD);
	before = sigchld_count;
	CHECK_EQ(sigaction(SIGCHLD, &nowait, NULL), 0);
	CHECK(start(exit_now) > 0);
	CHECK_ERR(wait(&status), ECHILD);
	CHECK_EQ(sigchld_count, before + 1);
	CHECK_EQ(sigaction(SIGCHLD, &dfl, NULL), 0);
	CHECK(start(exit_now) > 0);
	CHECK(wait(&status) > 0); /* a zombie again */
	return 0;
}
