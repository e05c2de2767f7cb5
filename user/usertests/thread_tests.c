/* thread_tests.c: clone()-based threads: shared memory, join results,
 * create/exit cycles, and errno kept per thread. Read first: join polls
 * the tid word the kernel clears at thread exit (no futex), so a kernel
 * that forgets CLONE_CHILD_CLEARTID makes these tests time out. The last
 * two are about the process around the threads: who is reaped when. */
#include "usertests.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 4
#define ADDS 10000
#define CYCLES 50

static long counter;
static pid_t tids[NTHREADS];

static void *add_many(void *arg)
{
	long id = (long)arg;

	for (int i = 0; i < ADDS; i++)
		__atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
	tids[id] = gettid();
	return (void *)(id * 2 + 1);
}

int test_threads(void)
{
	pthread_t t[NTHREADS];
	void *result;

	for (long i = 0; i < NTHREADS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, add_many, (void *)i), 0);
	for (long i = 0; i < NTHREADS; i++) {
		CHECK_EQ(pthread_join(t[i], &result), 0);
		CHECK_EQ((long)result, i * 2 + 1);
	}
	CHECK_EQ(counter, NTHREADS * ADDS);
	for (int i = 0; i < NTHREADS; i++) {
		CHECK(tids[i] > 0 && tids[i] != getpid());
		for (int j = 0; j < i; j++)
			CHECK(tids[i] != tids[j]);
	}
	return 0;
}

static void *identity(void *arg)
{
	/* Threads share the pid (the thread group) but not the tid. */
	if (getpid() != (pid_t)(long)arg || gettid() == getpid())
		return NULL;
	if (pthread_self() == NULL)
		return NULL;
	pthread_exit(arg); /* the other way out of a thread */
}

int test_thread_cycles(void)
{
	pid_t pid = getpid();

	for (int i = 0; i < CYCLES; i++) {
		pthread_t t;
		void *result = NULL;

		CHECK_EQ(pthread_create(&t, NULL, identity, (void *)(long)pid), 0);
		CHECK(t != pthread_self());
		CHECK_EQ(pthread_join(t, &result), 0);
		CHECK_EQ((long)result, pid);
	}
	return 0;
}

static void *fail_a_call(void *arg)
{
	(void)arg;
	errno = 0;
	if (close(-1) != -1 || errno != EBADF)
		return NULL;
	return (void *)1;
}

int test_thread_errno(void)
{
	pthread_t t;
	void *result;

	errno = ENOENT;
	CHECK_EQ(pthread_create(&t, NULL, fail_a_call, NULL), 0);
	CHECK_EQ(pthread_join(t, &result), 0);
	CHECK_EQ((long)result, 1);
	CHECK_EQ(errno, ENOENT); /* the thread's EBADF was its own */
	CHECK_EQ(pthread_join(pthread_self(), NULL), EDEADLK);
	return 0;
}

#define GROUP_STATUS 7
#define STATE_LINE_MAX 512

/* Is pid's main thread a zombie (by /proc/PID/status, on Linux too)? */
static int leader_is_zombie(pid_t pid)
{
	char path[64], text[STATE_LINE_MAX];
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = (int)read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	text[n] = '\0';
	return strstr(text, "State:\tZ") != NULL;
}

static int go_pipe[2];

static void *exit_group_when_told(void *arg)
{
	char go;

	(void)arg;
	if (read(go_pipe[0], &go, 1) != 1)
		_exit(3);
	exit(GROUP_STATUS); /* exit_group, from a thread that is not the leader */
}

/* The main thread leaves first (pthread_exit): the process lives on in
 * its other thread, its parent cannot reap it yet, and what it finally
 * reaps is that thread's exit_group status. */
int test_thread_leader_exits_first(void)
{
	struct timespec nap = {.tv_nsec = 1000000};
	int status;
	pid_t pid;

	CHECK_EQ(pipe(go_pipe), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		pthread_t t;

		if (pthread_create(&t, NULL, exit_group_when_told, NULL))
			_exit(2);
		pthread_exit(NULL);
	}
	while (!leader_is_zombie(pid))
		nanosleep(&nap, NULL); /* usertests' time limit ends a hang */
	CHECK_EQ(waitpid(pid, &status, WNOHANG), 0);
	CHECK_EQ(kill(pid, 0), 0); /* the process is still there */
	CHECK_EQ(write(go_pipe[1], "g", 1), 1);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == GROUP_STATUS);
	return 0;
}

static void *exit_group_now(void *arg)
{
	(void)arg;
	exit(GROUP_STATUS);
}

/* A thread's exit_group ends the blocked main thread too, and the status
 * is the exit_group's, not the SIGKILL that stopped the main thread. */
int test_thread_exit_group_status(void)
{
	int status, never[2];
	pid_t pid;

	CHECK_EQ(pipe(never), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		pthread_t t;
		char c;

		if (pthread_create(&t, NULL, exit_group_now, NULL))
			_exit(2);
		(void)read(never[0], &c, 1); /* never written: only the group exit ends this */
		_exit(4);
	}
	close(never[0]);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	close(never[1]);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == GROUP_STATUS);
	return 0;
}

/* A child forked by a thread has the process as its parent: getppid()
 * and /proc/self/status PPid both give the thread group's id, never the
 * forking thread's tid (Linux's task_ppid_nr). */
static void *fork_and_check_ppid(void *arg)
{
	pid_t process = (pid_t)(long)arg, child = fork();
	int status;

	if (child == 0)
		_exit(getppid() == process && proc_status_field("PPid") == process ? 0 : 1);
	if (child < 0 || waitpid(child, &status, 0) != child)
		return (void *)-1L;
	return (void *)(long)status;
}

int test_thread_child_ppid(void)
{
	pthread_t t;
	void *result;

	CHECK_EQ(pthread_create(&t, NULL, fork_and_check_ppid, (void *)(long)getpid()), 0);
	CHECK_EQ(pthread_join(t, &result), 0);
	CHECK((long)result != -1L);
	CHECK(WIFEXITED((int)(long)result) && WEXITSTATUS((int)(long)result) == 0);
	return 0;
}

#define SPIN_SLEEP_US 1000

static volatile int spinner_started;

static void *sleep_forever(void *arg)
{
	(void)arg;
	spinner_started = 1;
	for (;;)
		usleep(SPIN_SLEEP_US);
	return NULL;
}

/* In a child: start a thread, then exec cat on our own status with the
 * output into out_fd. Returns only if something failed. */
static void exec_with_a_thread_running(int out_fd)
{
	char *const argv[] = {"cat", "/proc/self/status", NULL};
	char *const envp[] = {NULL};
	pthread_t t;

	if (pthread_create(&t, NULL, sleep_forever, NULL))
		_exit(2);
	while (!spinner_started)
		usleep(SPIN_SLEEP_US);
	if (dup2(out_fd, 1) != 1)
		_exit(3);
	execve("/bin/cat", argv, envp);
	_exit(4);
}

/* As Linux's de_thread: execve first kills every other thread of the
 * process, so the new program starts as its only thread. */
int test_exec_kills_other_threads(void)
{
	static char out[4096];
	int fds[2], status;
	pid_t pid;

	CHECK_EQ(pipe(fds), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		exec_with_a_thread_running(fds[1]);
	}
	close(fds[1]);
	read_to_end(fds[0], out, sizeof(out));
	close(fds[0]);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!strstr(out, "\nThreads:\t1\n"))
		diag("status after exec:\n%s", out);
	CHECK(strstr(out, "\nThreads:\t1\n") != NULL);
	return 0;
}
