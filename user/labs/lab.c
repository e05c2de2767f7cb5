/* lab: runs the OOM labs in the guest (`lab list`, `lab run NAME [fix=F]`).
 * Read first: lab.h says what a lab is and how to add one; this file sets
 * the switches, starts the scenario, then polls /dev/kmsg and its children
 * every LAB_POLL_MS, narrating each event, until one outcome shows. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <oomlab.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"

#define LAB_POLL_MS 20
#define SWITCH_DIR "/proc/sys/oomlab/"
#define LINUX_HUNG_TASK_SYSCTL "/proc/sys/kernel/hung_task_timeout_secs"
#define RECORD_MAX 512
#define VALUE_MAX 64
#define STACK_PREFAULT (64 * 1024)
#define MAX_VICTIMS 32
#define ADJ_PROTECTED -1000

extern int lab_kmsg_write_fd;

static const char *const outcome_names[] = {
	[LAB_RECOVERED] = "recovered", [LAB_DEADLOCK] = "deadlock",  [LAB_LIVELOCK] = "livelock",
	[LAB_PANIC] = "panic",	       [LAB_TIMEOUT] = "no verdict",
};

/* What the log and wait() have shown so far. */
struct watch {
	long start_us;	   /* kernel time of the run's start */
	long first_oom_us; /* -1 until an OOM */
	long done_us;	   /* -1 until lab_done */
	int ooms, kills, reaps, stalls, exited_victims;
	pid_t victims[MAX_VICTIMS];
	int victim_gone[MAX_VICTIMS];
	char hung[VALUE_MAX]; /* "comm:pid" of the task khungtaskd named */
	int hung_secs;
	long hung_us;
	int no_killable;
	int wrong_victim; /* the first kill was not the predicted victim */
};

static const struct lab *find_lab(const char *name)
{
	for (int i = 0; i < lab_table_size; i++)
		if (lab_table[i] && !strcmp(lab_table[i]->name, name))
			return lab_table[i];
	return NULL;
}

static void describe_expect(const struct lab_expect *e, char *buf, size_t len)
{
	if (e->max_kills == LAB_ANY_KILLS)
		snprintf(buf, len, "%s, at least %d kill%s", outcome_names[e->outcome],
			 e->min_kills, e->min_kills == 1 ? "" : "s");
	else if (e->min_kills == e->max_kills)
		snprintf(buf, len, "%s, %d kill%s", outcome_names[e->outcome], e->min_kills,
			 e->min_kills == 1 ? "" : "s");
	else
		snprintf(buf, len, "%s, %d to %d kills", outcome_names[e->outcome], e->min_kills,
			 e->max_kills);
}

static int list_labs(void)
{
	char expect[VALUE_MAX * 2];

	for (int i = 0; i < lab_table_size; i++) {
		const struct lab *lab = lab_table[i];

		if (!lab)
			continue;
		printf("%-9s seed %d  %s\n", lab->name, lab->seed, lab->title);
		for (int f = 0; f < LAB_MAX_FIXES && lab->fixes[f].name; f++) {
			const struct lab_fix *fix = &lab->fixes[f];

			describe_expect(&fix->expect, expect, sizeof(expect));
			printf("  fix=%-8s", fix->name);
			for (int s = 0; s < LAB_MAX_SWITCHES && fix->switches[s]; s++)
				printf(" %s", fix->switches[s]);
			printf("\n    expect %s: %s\n", expect, fix->why);
		}
	}
	return 0;
}

/* "oom.reaper=0" -> /proc/sys/oomlab/oom.reaper. */
static int set_switch(const char *assignment)
{
	char path[128], value[VALUE_MAX];
	const char *eq = strchr(assignment, '=');

	if (!eq || (size_t)(eq - assignment) >= sizeof(path) - sizeof(SWITCH_DIR)) {
		fprintf(stderr, "lab: bad switch '%s'\n", assignment);
		return -1;
	}
	snprintf(path, sizeof(path), SWITCH_DIR "%.*s", (int)(eq - assignment), assignment);
	snprintf(value, sizeof(value), "%s\n", eq + 1);
	if (write_file(path, value) < 0) {
		fprintf(stderr, "lab: %s: %s\n", assignment, strerror(errno));
		return -1;
	}
	return 0;
}

/* oomlab's switch, or on real Linux (make linux-run) the sysctl. */
static int set_hung_task_timeout(int secs)
{
	char value[VALUE_MAX];
	DIR *oomlab = opendir(SWITCH_DIR);

	if (oomlab)
		closedir(oomlab);
	else {
		snprintf(value, sizeof(value), "%d\n", secs);
		if (write_file(LINUX_HUNG_TASK_SYSCTL, value) < 0)
			printf("lab: not oomlab, and no %s: khungtaskd keeps its timeout\n",
			       LINUX_HUNG_TASK_SYSCTL);
		return 0;
	}
	snprintf(value, sizeof(value), "hung_task_timeout_secs=%d", secs);
	return set_switch(value);
}

/* Does the switch now read as assignment says? */
static int switch_is(const char *assignment)
{
	char path[128], value[VALUE_MAX];
	const char *eq = strchr(assignment, '=');
	size_t n;

	if (!eq)
		return 0;
	snprintf(path, sizeof(path), SWITCH_DIR "%.*s", (int)(eq - assignment), assignment);
	if (read_file(path, value, sizeof(value)) < 0)
		return 0;
	n = strlen(value);
	while (n && value[n - 1] == '\n')
		value[--n] = '\0';
	return !strcmp(value, eq + 1);
}

static const struct lab_fix *fix_matching_now(const struct lab *lab)
{
	for (int f = 0; f < LAB_MAX_FIXES && lab->fixes[f].name; f++) {
		int all = 1;

		for (int s = 0; s < LAB_MAX_SWITCHES && lab->fixes[f].switches[s]; s++)
			all &= switch_is(lab->fixes[f].switches[s]);
		if (all)
			return &lab->fixes[f];
	}
	return NULL;
}

/* The stack the poll loop will use is faulted in now: later, a page fault
 * may find no memory at all. */
static void prefault_stack(void)
{
	volatile char pad[STACK_PREFAULT];

	for (size_t i = 0; i < sizeof(pad); i += 4096)
		pad[i] = 0;
}

static int victim_index(const struct watch *w, pid_t pid)
{
	for (int i = 0; i < w->kills && i < MAX_VICTIMS; i++)
		if (w->victims[i] == pid)
			return i;
	return -1;
}

static void say(const struct lab_run *run, const struct watch *w, long us, const char *what)
{
	/* On real Linux, printk's clock runs a little apart from CLOCK_MONOTONIC. */
	long rel = us > w->start_us ? us - w->start_us : 0;

	printf("lab %s: [%3ld.%03ld] %s\n", run->lab->name, rel / 1000000, rel / 1000 % 1000, what);
}

/* One /dev/kmsg record: "level,seq,usec,-;text". */
static void handle_record(const struct lab_run *run, struct watch *w, char *rec)
{
	char *semi = strchr(rec, ';'), *text, *p, line[RECORD_MAX];
	long us;
	int pid;

	if (!semi)
		return;
	text = semi + 1;
	text[strcspn(text, "\n")] = '\0';
	p = strchr(rec, ',');
	p = p ? strchr(p + 1, ',') : NULL; /* level,seq,USEC */
	us = p ? strtol(p + 1, NULL, 10) : 0;
	if ((p = strstr(text, " invoked oom-killer: "))) {
		if (w->first_oom_us < 0)
			w->first_oom_us = us;
		w->ooms++;
		snprintf(line, sizeof(line), "oom #%d: %.*s invoked the OOM killer", w->ooms,
			 (int)(p - text), text);
		say(run, w, us, line);
	} else if ((p = strstr(text, "Killed process "))) {
		char comm[32] = "?";
		char *end, *paren;

		pid = (int)strtol(p + 15, &end, 10);
		paren = end[0] == ' ' && end[1] == '(' ? strchr(end + 2, ')') : NULL;
		if (paren)
			snprintf(comm, sizeof(comm), "%.*s", (int)(paren - end - 2), end + 2);
		if (pid > 0) {
			const char *note = "";

			if (w->kills < MAX_VICTIMS)
				w->victims[w->kills] = pid;
			w->kills++;
			if (run->predicted_victim && w->kills == 1) {
				w->wrong_victim = pid != run->predicted_victim;
				note = w->wrong_victim ? " (NOT the predicted victim)"
						       : " (the predicted victim)";
			}
			snprintf(line, sizeof(line), "kill #%d: %s:%d%s", w->kills, comm, pid,
				 note);
			say(run, w, us, line);
		}
	} else if (!strncmp(text, "oom_reaper: reaped process ", 27)) {
		w->reaps++;
		snprintf(line, sizeof(line), "reap: %s", text + 12);
		say(run, w, us, line);
	} else if (!strncmp(text, "oom_reaper: unable to reap", 26) ||
		   !strncmp(text, "oom_reaper: timeout for", 23)) {
		snprintf(line, sizeof(line), "reaper gave up: %s", text + 12);
		say(run, w, us, line);
	} else if (!strncmp(text, "INFO: task ", 11)) {
		char who[VALUE_MAX];
		const char *sp = strchr(text + 11, ' '), *more = strstr(text, "more than ");
		int secs = more ? atoi(more + 10) : 0;

		if (sp && more) {
			snprintf(who, sizeof(who), "%.*s", (int)(sp - text - 11), text + 11);
			char *colon = strrchr(who, ':');

			/* Name the victim when it is among the blocked. */
			if (!w->hung[0] || (colon && victim_index(w, atoi(colon + 1)) >= 0)) {
				snprintf(w->hung, sizeof(w->hung), "%s", who);
				w->hung_secs = secs;
				w->hung_us = us;
			}
			snprintf(line, sizeof(line), "hung task: %s blocked for more than %d s",
				 who, secs);
			say(run, w, us, line);
		}
	} else if (strstr(text, "page allocation stalls for")) {
		w->stalls++;
		snprintf(line, sizeof(line), "stall: %s", text);
		say(run, w, us, line);
	} else if (strstr(text, "Out of memory and no killable processes")) {
		w->no_killable = 1;
		say(run, w, us, "no killable processes: the kernel panics next");
	} else if (strstr(text, "possible circular locking dependency")) {
		say(run, w, us, "lockdep: possible circular locking dependency");
	} else if (!strncmp(text, "lab: ", 5)) {
		if (!strcmp(text + 5, "done") && w->done_us < 0)
			w->done_us = us;
		snprintf(line, sizeof(line), "%s", text + 5);
		say(run, w, us, line);
	}
}

static void drain_kmsg(int fd, const struct lab_run *run, struct watch *w)
{
	static char rec[RECORD_MAX];
	ssize_t n;

	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0) {
		rec[n] = '\0';
		handle_record(run, w, rec);
	}
}

static const char *comm_of(const struct lab_run *run, pid_t pid)
{
	for (int i = 0; i < run->nr_pids; i++)
		if (run->pids[i] == pid)
			return run->comms[i];
	return "?";
}

static void reap_children(const struct lab_run *run, struct watch *w)
{
	char line[RECORD_MAX];
	int status, i;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (WIFSIGNALED(status))
			snprintf(line, sizeof(line), "exit: %s:%d killed by signal %d",
				 comm_of(run, pid), pid, WTERMSIG(status));
		else
			snprintf(line, sizeof(line), "exit: %s:%d status %d", comm_of(run, pid),
				 pid, WEXITSTATUS(status));
		say(run, w, lab_now_ms() * 1000, line);
		i = victim_index(w, pid);
		if (i >= 0 && !w->victim_gone[i]) {
			w->victim_gone[i] = 1;
			w->exited_victims++;
		}
	}
}

static int all_victims_gone(const struct lab_run *run, const struct watch *w)
{
	for (int i = 0; i < w->kills && i < MAX_VICTIMS; i++)
		if (!w->victim_gone[i] && strcmp(comm_of(run, w->victims[i]), "?"))
			return 0;
	return 1;
}

static enum lab_outcome watch_run(int kfd, const struct lab_run *run, struct watch *w)
{
	long deadline = lab_now_ms() + run->lab->window_secs * 1000L;

	for (;;) {
		drain_kmsg(kfd, run, w);
		reap_children(run, w);
		if (w->hung[0])
			return LAB_DEADLOCK;
		if (w->done_us >= 0 && all_victims_gone(run, w))
			return LAB_RECOVERED;
		if (lab_now_ms() > deadline)
			return w->stalls && w->done_us < 0 ? LAB_LIVELOCK : LAB_TIMEOUT;
		lab_sleep_ms(LAB_POLL_MS);
	}
}

static void print_verdict(const struct lab_run *run, const struct watch *w, enum lab_outcome o)
{
	printf("lab %s: fix=%s: ", run->lab->name, run->fix);
	switch (o) {
	case LAB_RECOVERED:
		if (w->first_oom_us < 0)
			printf("recovered: 0 kills, no OOM\n");
		else
			printf("recovered: %d kill%s, OOM resolved in %ld ms\n", w->kills,
			       w->kills == 1 ? "" : "s", (w->done_us - w->first_oom_us) / 1000);
		break;
	case LAB_DEADLOCK: {
		long rel = w->hung_us - w->start_us;

		printf("deadlock: %s blocked for more than %d seconds (khungtaskd) after %ld.%ld "
		       "s\n",
		       w->hung, w->hung_secs, rel / 1000000, rel / 100000 % 10);
		break;
	}
	case LAB_LIVELOCK:
		printf("livelock: %d allocation stall warning%s, no OOM progress in %d s\n",
		       w->stalls, w->stalls == 1 ? "" : "s", run->lab->window_secs);
		break;
	default:
		printf("no verdict: nothing conclusive within %d s (%d kill%s)\n",
		       run->lab->window_secs, w->kills, w->kills == 1 ? "" : "s");
	}
}

static int as_expected(const struct lab_expect *e, enum lab_outcome o, const struct watch *w)
{
	if (o != e->outcome || w->kills < e->min_kills || w->wrong_victim)
		return 0;
	/* One kill per OOM event: a second kill needs a report of its own. */
	if (o == LAB_RECOVERED && w->kills != w->ooms)
		return 0;
	return e->max_kills == LAB_ANY_KILLS || w->kills <= e->max_kills;
}

static void stop_scenario(const struct lab_run *run)
{
	for (int i = 0; i < run->nr_pids; i++)
		kill(run->pids[i], SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
}

static int run_lab(const struct lab *lab, const char *fix_name)
{
	static struct lab_run run;
	static struct watch w;
	const struct lab_fix *fix = NULL;
	char value[VALUE_MAX * 2], meminfo[2048];
	enum lab_outcome o;
	long avail;
	int kfd, ok;

	run.lab = lab;
	if (fix_name) {
		for (int f = 0; f < LAB_MAX_FIXES && lab->fixes[f].name; f++)
			if (!strcmp(lab->fixes[f].name, fix_name))
				fix = &lab->fixes[f];
		if (!fix) {
			fprintf(stderr, "lab %s: no fix named '%s' (lab list shows them)\n",
				lab->name, fix_name);
			return 2;
		}
		for (int s = 0; s < LAB_MAX_SWITCHES && fix->switches[s]; s++)
			if (set_switch(fix->switches[s]) < 0)
				return 1;
	} else {
		fix = fix_matching_now(lab);
	}
	run.fix = fix ? fix->name : "as-set";
	if (set_hung_task_timeout(lab->hung_task_timeout_secs) < 0)
		return 1;
	if (read_file("/proc/meminfo", meminfo, sizeof(meminfo)) < 0)
		return 1;
	avail = field_value(meminfo, "MemAvailable");
	run.avail_kb = (unsigned long)(avail > 0 ? avail : field_value(meminfo, "MemFree"));

	printf("lab %s: seed %d: %s\n", lab->name, lab->seed, lab->title);
	if (fix) {
		describe_expect(&fix->expect, value, sizeof(value));
		printf("lab %s: fix=%s: expecting %s within %d s\n", lab->name, run.fix, value,
		       lab->window_secs);
	} else {
		printf("lab %s: fix=as-set: the switches match no fix of this lab: no "
		       "expectation\n",
		       lab->name);
	}
	kfd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	lab_kmsg_write_fd = open("/dev/kmsg", O_WRONLY);
	if (kfd < 0 || lab_kmsg_write_fd < 0) {
		fprintf(stderr, "lab: /dev/kmsg: %s\n", strerror(errno));
		return 1;
	}
	lseek(kfd, 0, SEEK_END);
	lab_set_adj(0, ADJ_PROTECTED); /* the observer must outlive the scenario */
	lab_set_adj(getppid(), ADJ_PROTECTED);
	prefault_stack();
	memset(&w, 0, sizeof(w));
	w.first_oom_us = w.done_us = -1;
	w.start_us = lab_now_ms() * 1000;
	lab_mark("%s fix=%s: start (MemAvailable %lu kB)", lab->name, run.fix, run.avail_kb);
	if (lab->start(&run) < 0) {
		stop_scenario(&run);
		printf("lab %s: fix=%s: NOT as expected: the scenario could not start\n", lab->name,
		       run.fix);
		return 1;
	}
	o = watch_run(kfd, &run, &w);
	if (o == LAB_RECOVERED && lab->after)
		lab->after(&run);
	print_verdict(&run, &w, o);
	if (!fix)
		return o == LAB_RECOVERED ? 0 : 1;
	ok = as_expected(&fix->expect, o, &w);
	describe_expect(&fix->expect, value, sizeof(value));
	if (ok && run.failed_steps)
		printf("lab %s: fix=%s: NOT as expected: %d step%s FAILED\n", lab->name, run.fix,
		       run.failed_steps, run.failed_steps == 1 ? "" : "s");
	else if (ok)
		printf("lab %s: fix=%s: as expected\n", lab->name, run.fix);
	else
		printf("lab %s: fix=%s: NOT as expected: wanted %s%s\n", lab->name, run.fix, value,
		       w.wrong_victim ? ", of the predicted victim" : "");
	ok &= !run.failed_steps;
	if (o == LAB_DEADLOCK || o == LAB_LIVELOCK)
		printf("lab %s: the scenario stays stuck for you to inspect: SysRq is Ctrl-\\ then "
		       "t (tasks), w (blocked), d (locks held)\n",
		       lab->name);
	else
		stop_scenario(&run);
	return ok ? 0 : 1;
}

/* One line per check, for tools/grade.py: "check NAME FIX WINDOW OUTCOME
 * MIN MAX SWITCH..." (MAX -1: no bound). */
static int list_checks(void)
{
	for (int i = 0; i < lab_table_size; i++) {
		const struct lab *lab = lab_table[i];

		for (int f = 0; lab && f < LAB_MAX_FIXES && lab->fixes[f].name; f++) {
			const struct lab_fix *fix = &lab->fixes[f];

			printf("check %s %s %d %s %d %d", lab->name, fix->name, lab->window_secs,
			       outcome_names[fix->expect.outcome], fix->expect.min_kills,
			       fix->expect.max_kills);
			for (int s = 0; s < LAB_MAX_SWITCHES && fix->switches[s]; s++)
				printf(" %s", fix->switches[s]);
			printf("\n");
		}
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: lab list [--checks]\n       lab run NAME [fix=NAME]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const struct lab *lab;

	if (argc == 2 && !strcmp(argv[1], "list"))
		return list_labs();
	if (argc == 3 && !strcmp(argv[1], "list") && !strcmp(argv[2], "--checks"))
		return list_checks();
	if (argc < 3 || argc > 4 || strcmp(argv[1], "run"))
		return usage();
	lab = find_lab(argv[2]);
	if (!lab) {
		fprintf(stderr, "lab: no lab named '%s' (lab list shows them)\n", argv[2]);
		return 2;
	}
	if (argc == 4 && strncmp(argv[3], "fix=", 4))
		return usage();
	return run_lab(lab, argc == 4 ? argv[3] + 4 : NULL);
}
