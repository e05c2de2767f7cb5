/* jobs.c: children, background jobs and the builtins (exit, wait, jobs,
 * kill). Read first: every child is reaped through reap(), whoever called
 * wait4, so a background job finishing while a foreground one runs is
 * booked against its job and reported before the next prompt. */
#include "sh.h"
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define MAX_JOBS 16
#define JOB_TEXT 80

struct job {
	int used;
	pid_t pids[MAX_PIPE];
	int npids, live;
	int status; /* of the last command in the pipeline */
	char text[JOB_TEXT];
};

static struct job jobs[MAX_JOBS];

int status_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* The job holding pid (live, or done: then stored as -pid). */
static struct job *job_of(pid_t pid, int *index)
{
	for (int j = 0; j < MAX_JOBS; j++) {
		for (int k = 0; jobs[j].used && k < jobs[j].npids; k++) {
			if (jobs[j].pids[k] == pid || jobs[j].pids[k] == -pid) {
				*index = k;
				return &jobs[j];
			}
		}
	}
	return NULL;
}

/* Books a reaped child against its background job, if it has one. */
void reap(pid_t pid, int status)
{
	int k;
	struct job *j = job_of(pid, &k);

	if (!j || j->pids[k] < 0)
		return;
	j->pids[k] = -pid; /* done: kept negated so "wait PID" can find it */
	j->live--;
	if (k == j->npids - 1)
		j->status = status;
}

void report_done_jobs(void)
{
	int status;
	pid_t pid;

	while ((pid = wait4(-1, &status, WNOHANG, NULL)) > 0)
		reap(pid, status);
	for (int j = 0; j < MAX_JOBS; j++) {
		struct job *job = &jobs[j];

		if (!job->used || job->live)
			continue;
		if (interactive)
			printf("[%d] %s\t%s\n", j + 1,
			       WIFSIGNALED(job->status) ? strsignal(WTERMSIG(job->status)) : "Done",
			       job->text);
		job->used = 0;
	}
}

/* Waits until every pid in pids has been reaped; returns the status of
 * the last one. Other children reaped meanwhile go to their jobs. */
int wait_for(const pid_t *pids, int n)
{
	int left = n, last = 0, status;

	while (left > 0) {
		pid_t pid = wait4(-1, &status, 0, NULL);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int k = 0; k < n; k++) {
			if (pids[k] == pid) {
				left--;
				if (k == n - 1)
					last = status;
			}
		}
		reap(pid, status);
	}
	return last;
}

void add_job(const struct pipeline *pl, const pid_t *pids)
{
	struct job *j = NULL;
	size_t len = 0;
	int slot = 0;

	while (slot < MAX_JOBS && jobs[slot].used)
		slot++;
	if (slot == MAX_JOBS) {
		fprintf(stderr, "sh: too many jobs; this one is not tracked\n");
		return;
	}
	j = &jobs[slot];
	memset(j, 0, sizeof(*j));
	j->used = 1;
	j->npids = j->live = pl->ncmds;
	memcpy(j->pids, pids, sizeof(pid_t) * (size_t)pl->ncmds);
	for (int c = 0; c < pl->ncmds; c++) {
		for (int a = 0; a < pl->cmds[c].argc && len < sizeof(j->text); a++)
			len += (size_t)snprintf(j->text + len, sizeof(j->text) - len, "%s%s",
						len ? " " : "", pl->cmds[c].argv[a]);
		if (c + 1 < pl->ncmds && len < sizeof(j->text))
			len += (size_t)snprintf(j->text + len, sizeof(j->text) - len, " |");
	}
	printf("[%d] %d\n", slot + 1, pids[pl->ncmds - 1]);
}

/* "%N" is job N; anything else a pid. Returns the job or NULL. */
static struct job *job_arg(const char *arg, pid_t *pid)
{
	char *end;
	long n = strtol(arg + (arg[0] == '%'), &end, 10);

	*pid = 0;
	if (*end || end == arg + (arg[0] == '%'))
		return NULL;
	if (arg[0] != '%') {
		*pid = (pid_t)n;
		return NULL;
	}
	return n >= 1 && n <= MAX_JOBS && jobs[n - 1].used ? &jobs[n - 1] : NULL;
}

/* Reaps children until job j has none left running. */
static void wait_job(struct job *j)
{
	int status;

	while (j->live) {
		pid_t pid = wait4(-1, &status, 0, NULL);

		if (pid > 0)
			reap(pid, status);
		else if (errno != EINTR)
			break;
	}
}

/* wait: every child; wait %N or wait PID: that job, $? its status. */
static int builtin_wait(int argc, char **argv)
{
	int status = 0, k;
	pid_t pid;

	if (argc == 1) {
		while ((pid = wait4(-1, &status, 0, NULL)) > 0 || errno == EINTR) {
			if (pid > 0)
				reap(pid, status);
		}
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		struct job *j = job_arg(argv[i], &pid);

		if (!j && pid > 0)
			j = job_of(pid, &k);
		if (!j) {
			error("wait: %s: no such job", argv[i]);
			status = 127 << 8;
			continue;
		}
		wait_job(j);
		status = j->status;
	}
	return status_code(status);
}

static int builtin_jobs(void)
{
	int status;
	pid_t pid;

	while ((pid = wait4(-1, &status, WNOHANG, NULL)) > 0)
		reap(pid, status);
	for (int j = 0; j < MAX_JOBS; j++) {
		if (jobs[j].used)
			printf("[%d] %d %s\t%s\n", j + 1, jobs[j].pids[jobs[j].npids - 1],
			       jobs[j].live ? "Running" : "Done", jobs[j].text);
	}
	return 0;
}

static int kill_one(pid_t pid, int sig)
{
	if (kill(pid, sig) == 0)
		return 0;
	error("kill: (%d): %s", pid, strerror(errno));
	return 1;
}

/* A %JOB signals every live process of the job. */
static int kill_target(const char *arg, int sig)
{
	pid_t pid;
	struct job *j = job_arg(arg, &pid);
	int status = 0;

	if (!j && pid == 0) {
		error("kill: %s: no such job or process", arg);
		return 1;
	}
	if (!j)
		return kill_one(pid, sig);
	for (int k = 0; k < j->npids; k++) {
		if (j->pids[k] > 0)
			status |= kill_one(j->pids[k], sig);
	}
	return status;
}

/* kill [-SIGNAL | -s SIGNAL] PID|%JOB...; "kill -l" is left to /bin/kill. */
static int builtin_kill(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;
	const char *name = NULL;

	if (argc > 2 && strcmp(argv[1], "-s") == 0) {
		name = argv[2];
		i = 3;
	} else if (argc > 2 && argv[1][0] == '-') {
		name = argv[1] + 1;
		i = 2;
	}
	if (name && strcmp(name, "0") == 0)
		sig = 0;
	else if (name && str2sig(name, &sig) < 0) {
		error("kill: %s: unknown signal", name);
		return 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: kill [-SIGNAL] PID|%%JOB...\n");
		return 2;
	}
	for (; i < argc; i++)
		status |= kill_target(argv[i], sig);
	return status;
}

/* exit, wait, jobs and kill run in the shell; "kill -l" is /bin/kill's. */
int is_builtin(const struct command *c)
{
	static const char *const names[] = {"exit", "wait", "jobs", "kill"};
	const char *name = c->argc ? c->argv[0] : "";

	if (strcmp(name, "kill") == 0 && c->argc > 1 && strcmp(c->argv[1], "-l") == 0)
		return 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* Returns 1 if argv was a builtin (and ran it), 0 if not. */
int run_builtin(struct command *c)
{
	const char *name = c->argv[0];

	if (!is_builtin(c))
		return 0;
	if (strcmp(name, "exit") == 0)
		exit(c->argc > 1 ? atoi(c->argv[1]) : last_status);
	if (strcmp(name, "wait") == 0)
		last_status = builtin_wait(c->argc, c->argv);
	else if (strcmp(name, "jobs") == 0)
		last_status = builtin_jobs();
	else
		last_status = builtin_kill(c->argc, c->argv);
	return 1;
}
