/* ps: one line per process, from /proc. Read first: the process list is
 * the numeric names in /proc (getdents64); state, parent, name and RSS
 * come from /proc/PID/status, the OOM columns from /proc/PID/oom_score and
 * oom_score_adj, and the policy and nice from the scheduler syscalls,
 * which take any pid. A process may exit while we look: it is skipped. */
#include <dirent.h>
#include <oomlab.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define MAX_PROCS 1024
#define STATUS_MAX 4096
#define NAME_MAX_LEN 64

struct proc {
	int pid, ppid, nice, oom_score, oom_adj;
	int oom_victim; /* chosen by the OOM killer, on its way out */
	char state;
	long rss_kb; /* -1: no mm (a kernel thread) */
	const char *policy;
	char name[NAME_MAX_LEN];
};

/* Class names as "ps -o cls" prints them. */
static const char *policy_name(int policy)
{
	switch (policy) {
	case SCHED_OTHER: return "TS";
	case SCHED_FIFO: return "FF";
	case SCHED_RR: return "RR";
	case SCHED_BATCH: return "B";
	case SCHED_IDLE: return "IDL";
	case SCHED_DEADLINE: return "DLN";
	default: return "-";
	}
}

/* The rest of the "Key:" line, into out. */
static void field_text(const char *text, const char *key, char *out, size_t size)
{
	const char *v = field_find(text, key);
	size_t n = 0;

	while (v && v[n] && v[n] != '\n' && n + 1 < size) {
		out[n] = v[n];
		n++;
	}
	out[n] = '\0';
}

static int read_number(int pid, const char *file, int *value)
{
	char path[64], buf[32];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	if (read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	*value = atoi(buf);
	return 0;
}

static int read_proc(int pid, struct proc *p)
{
	char path[64], status[STATUS_MAX], state[16];
	int policy;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (read_file(path, status, sizeof(status)) <= 0)
		return -1;
	p->pid = pid;
	field_text(status, "Name", p->name, sizeof(p->name));
	field_text(status, "State", state, sizeof(state));
	p->state = state[0] ? state[0] : '?';
	p->ppid = (int)field_value(status, "PPid");
	p->rss_kb = field_value(status, "VmRSS");
	p->oom_victim = field_value(status, "OomVictim") > 0;
	if (read_number(pid, "oom_score", &p->oom_score) < 0)
		p->oom_score = 0;
	if (read_number(pid, "oom_score_adj", &p->oom_adj) < 0)
		p->oom_adj = 0;
	policy = sched_getscheduler(pid);
	p->policy = policy < 0 ? "-" : policy_name(policy);
	p->nice = getpriority(PRIO_PROCESS, (id_t)pid);
	return 0;
}

static int by_pid(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int list_pids(int *pids, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) && n < max) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (*end == '\0' && end != e->d_name && pid > 0)
			pids[n++] = (int)pid;
	}
	closedir(d);
	qsort(pids, (size_t)n, sizeof(pids[0]), by_pid);
	return n;
}

int main(void)
{
	static int pids[MAX_PROCS];
	struct proc p;
	int n = list_pids(pids, MAX_PROCS);

	if (n < 0) {
		perror("ps: /proc");
		return 1;
	}
	printf("  PID  PPID S POLICY  NI    RSS OOM_SCORE OOM_ADJ COMMAND\n");
	for (int i = 0; i < n; i++) {
		if (read_proc(pids[i], &p) < 0)
			continue;
		/* Kernel threads have no mm, hence no VmRSS: bracket them. */
		printf("%5d %5d %c %-6s %3d %6ld %9d %7d %s%s%s%s\n", p.pid, p.ppid, p.state,
		       p.policy, p.nice, p.rss_kb < 0 ? 0 : p.rss_kb, p.oom_score, p.oom_adj,
		       p.rss_kb < 0 ? "[" : "", p.name, p.rss_kb < 0 ? "]" : "",
		       p.oom_victim ? " <oom-victim>" : "");
	}
	return 0;
}
