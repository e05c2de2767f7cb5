/* stop_tests.c: job control as Linux does it: SIGSTOP stops the whole
 * process (every thread), wait4(WUNTRACED) reports it once, SIGCONT
 * resumes it and wait4(WCONTINUED) reports that, and SIGKILL still kills
 * a stopped process. Read first: the children count in shared memory, so
 * the parent can see whether they run; a stopped child cannot count. */
#include "usertests.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define COUNTERS 2
#define STILL_NS 50000000L /* a stopped child must not count in this */
#define RESUME_POLLS 1000  /* 10 s at most for a resumed child to count */
#define RESUME_POLL_NS 10000000L

static volatile unsigned long *counters;

static void nap(long ns)
{
	struct timespec ts = {.tv_sec = ns / 1000000000L, .tv_nsec = ns % 1000000000L};

	nanosleep(&ts, NULL);
}

static void *count_forever(void *arg)
{
	volatile unsigned long *c = arg;

	for (;;)
		(*c)++;
	return NULL;
}

/* The child: one counter per thread, counting until killed. */
static void counting_child(int threads)
{
	pthread_t t;

	if (threads > 1 && pthread_create(&t, NULL, count_forever, (void *)&counters[1]))
		_exit(3);
	count_forever((void *)&counters[0]);
}

/* The state letter of /proc/PID/stat ("pid (comm) S ..."), or '?'. */
static char proc_state(pid_t pid)
{
	char path[64], buf[256], *close_paren;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	read_to_end(fd, buf, sizeof(buf));
	close(fd);
	close_paren = strrchr(buf, ')');
	return close_paren && close_paren[1] == ' ' ? close_paren[2] : '?';
}

static int all_counting(const unsigned long before[COUNTERS], int threads)
{
	for (int i = 0; i < threads; i++) {
		if (counters[i] == before[i])
			return 0;
	}
	return 1;
}

static int wait_counting(int threads)
{
	unsigned long before[COUNTERS];

	for (int i = 0; i < threads; i++)
		before[i] = counters[i];
	for (int i = 0; i < RESUME_POLLS && !all_counting(before, threads); i++)
		nap(RESUME_POLL_NS);
	return all_counting(before, threads);
}

static int stop_and_continue(int threads)
{
	unsigned long frozen[COUNTERS];
	int status;
	pid_t pid;

	counters = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(counters != MAP_FAILED);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		counting_child(threads);
	CHECK(wait_counting(threads));
	CHECK_EQ(kill(pid, SIGSTOP), 0);
	CHECK_EQ(waitpid(pid, &status, WUNTRACED), pid);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	CHECK(!WIFSIGNALED(status) && !WIFEXITED(status));
	CHECK_EQ(proc_state(pid), 'T');
	for (int i = 0; i < threads; i++)
		frozen[i] = counters[i];
	nap(STILL_NS);
	for (int i = 0; i < threads; i++)
		CHECK_EQ(counters[i], frozen[i]);
	CHECK_EQ(waitpid(pid, &status, WNOHANG | WUNTRACED), 0); /* reported once */
	CHECK_EQ(kill(pid, SIGCONT), 0);
	CHECK_EQ(waitpid(pid, &status, WCONTINUED), pid);
	CHECK(WIFCONTINUED(status));
	CHECK(wait_counting(threads));
	/* Stopped again, SIGKILL still kills it. */
	CHECK_EQ(kill(pid, SIGSTOP), 0);
	CHECK_EQ(waitpid(pid, &status, WUNTRACED), pid);
	CHECK(WIFSTOPPED(status));
	CHECK_EQ(kill(pid, SIGKILL), 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CHECK_EQ(munmap((void *)counters, PAGE), 0);
	return 0;
}

/* Issue 16: SIGSTOP killed the process, and SIGCONT then got ESRCH. */
int test_sigstop_stops_and_sigcont_resumes(void)
{
	return stop_and_continue(1);
}

/* A stop is the whole process's: every thread stops and resumes. */
int test_sigstop_stops_every_thread(void)
{
	return stop_and_continue(COUNTERS);
}

static volatile int tstp_handled;

static void on_tstp(int sig)
{
	(void)sig;
	tstp_handled = 1;
}

/* A stop signal with a handler runs the handler and stops nothing;
 * without WUNTRACED a stop is not reported. */
int test_caught_sigtstp_does_not_stop(void)
{
	struct sigaction act = {.sa_handler = on_tstp};
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		sigaction(SIGTSTP, &act, NULL);
		raise(SIGTSTP);
		_exit(tstp_handled ? 7 : 8);
	}
	CHECK_EQ(waitpid(pid, &status, WUNTRACED), pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 7);
	return 0;
}
