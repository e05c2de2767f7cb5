/* lab_util.c: what scenarios use to start and shape their processes.
 * Read first: scenario processes may run while memory is exhausted, so
 * nothing here allocates after the fork (the kmsg fd is opened by main). */
#include <errno.h>
#include <fcntl.h>
#include <oomlab.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "lab.h"

#define PR_SET_NAME 15
#define PAGE 4096
#define LINE_MAX_LEN 256
#define STATUS_BUF 2048
#define NSEC_PER_MSEC 1000000L
#define RECORD_BUF 512
#define POLL_MS 20
#define TRACEFS "/sys/kernel/tracing/"
#define TRACE_BUF (64 * 1024)

int lab_kmsg_write_fd = -1; /* opened by lab.c before any fork */

pid_t lab_spawn(struct lab_run *run, const char *comm, int (*fn)(void *), void *arg)
{
	pid_t pid;

	if (run->nr_pids == LAB_MAX_PROCS) {
		fprintf(stderr, "lab: too many scenario processes\n");
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "lab: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		syscall2(SYS_prctl, PR_SET_NAME, (long)comm);
		exit(fn(arg));
	}
	run->pids[run->nr_pids] = pid;
	run->comms[run->nr_pids++] = comm;
	return pid;
}

void lab_mark(const char *fmt, ...)
{
	char line[LINE_MAX_LEN];
	int n = snprintf(line, sizeof(line), "<6>lab: ");
	va_list ap;

	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line))
		n = (int)sizeof(line) - 1;
	if (lab_kmsg_write_fd >= 0 && write(lab_kmsg_write_fd, line, (size_t)n) < 0)
		fprintf(stderr, "lab: /dev/kmsg: %s\n", strerror(errno));
}

void lab_done(void)
{
	lab_mark("done");
}

void lab_step(struct lab_run *run, int step, const char *what, const char *outcome, const char *fmt,
	      ...)
{
	va_list ap;

	if (!outcome)
		run->failed_steps++;
	printf("lab %s: step %d, %s: %s: ", run->lab->name, step, what,
	       outcome ? outcome : "FAILED");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

int lab_set_adj(pid_t pid, int adj)
{
	char path[64], value[16];

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/oom_score_adj");
	snprintf(value, sizeof(value), "%d\n", adj);
	return write_file(path, value);
}

long lab_oom_score(pid_t pid)
{
	char path[64], value[32];

	snprintf(path, sizeof(path), "/proc/%d/oom_score", pid);
	if (read_file(path, value, sizeof(value)) < 0)
		return -1;
	return strtol(value, NULL, 10);
}

void *lab_fill(unsigned long bytes, int lock)
{
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (lock && mlock(p, bytes) < 0)
		return NULL;
	for (unsigned long off = 0; off < bytes; off += PAGE)
		p[off] = 1;
	return p;
}

int lab_watch_status_forever(pid_t pid)
{
	char path[64];
	static char buf[STATUS_BUF];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 1;
	for (;;) {
		lseek(fd, 0, SEEK_SET);
		if (read(fd, buf, sizeof(buf)) < 0)
			return 1;
	}
}

void lab_sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = ms % 1000 * NSEC_PER_MSEC};

	nanosleep(&ts, NULL);
}

long lab_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / NSEC_PER_MSEC;
}

int lab_open_kmsg_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

void lab_wait_first_kill(int kmsg_fd, long then_ms)
{
	static char rec[RECORD_BUF];
	ssize_t n;

	for (;;) {
		while ((n = read(kmsg_fd, rec, sizeof(rec) - 1)) > 0) {
			rec[n] = '\0';
			if (strstr(rec, "Out of memory: Killed process ")) {
				lab_sleep_ms(then_ms);
				return;
			}
		}
		lab_sleep_ms(POLL_MS);
	}
}

int lab_trace_enable(const char *event)
{
	char path[128];

	snprintf(path, sizeof(path), TRACEFS "events/%s/enable", event);
	return write_file(path, "1\n");
}

void lab_trace_print(const char *const *words)
{
	static char buf[TRACE_BUF];
	char *line, *next;

	if (read_file(TRACEFS "trace", buf, sizeof(buf)) < 0) {
		printf("lab: " TRACEFS "trace: %s\n", strerror(errno));
		return;
	}
	for (line = buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		for (const char *const *w = words; *w; w++) {
			if (strstr(line, *w)) {
				printf("trace: %s\n", line);
				break;
			}
		}
	}
}
