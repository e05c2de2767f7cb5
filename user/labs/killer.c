/* Lab 02, the OOM killer itself (no seed): three hogs of different sizes
 * and oom_score_adj, then an allocation that needs one of them gone. Read
 * first: the lab reads each hog's /proc/PID/oom_score before the OOM and
 * predicts the victim (the highest score); the check fails when the first
 * kill names another process, or when two kills share one OOM event. A
 * second OOM event is allowed: see question 6 of the write-up. */
#include <oomlab.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lab.h"

#define NR_HOGS 3
#define DESIGNED_VICTIM 1 /* hog-adj500 */
#define ALLOC_PCT 35
#define HOLD_FOREVER_MS 3600000L

struct hog_spec {
	const char *comm;
	int pct; /* of MemAvailable */
	int adj;
};

/* The smallest hog has the highest score: oom_score_adj counts as that
 * many thousandths of all memory (Linux's oom_badness). */
static const struct hog_spec hogs[NR_HOGS] = {
	{"hog-big", 25, 0},
	{"hog-adj500", 15, 500},
	{"hog-adj-500", 35, -500},
};

struct hog_arg {
	unsigned long kb;
	int adj;
	int ready_fd;
};

static struct hog_arg hog_args[NR_HOGS];
static unsigned long alloc_kb;
static int go_pipe[2];

static int hog(void *p)
{
	const struct hog_arg *a = p;

	lab_set_adj(0, a->adj);
	if (!lab_fill(a->kb * KiB, 0))
		return 1;
	if (write(a->ready_fd, "r", 1) != 1)
		return 1;
	lab_sleep_ms(HOLD_FOREVER_MS);
	return 0;
}

static int allocator(void *p)
{
	char go;

	(void)p;
	if (read(go_pipe[0], &go, 1) != 1)
		return 1;
	lab_mark("alloc[%d]: touching %lu MiB", getpid(), alloc_kb / 1024);
	if (!lab_fill(alloc_kb * KiB, 0))
		return 1;
	lab_done();
	lab_sleep_ms(HOLD_FOREVER_MS);
	return 0;
}

static int killer_start(struct lab_run *run)
{
	int ready[2];
	long best = -1;
	char c;

	if (pipe(ready) < 0 || pipe(go_pipe) < 0)
		return -1;
	lab_trace_enable("oom/mark_victim");
	lab_trace_enable("oom/oom_score_adj_update");
	for (int i = 0; i < NR_HOGS; i++) {
		hog_args[i] = (struct hog_arg){
			.kb = run->avail_kb * (unsigned long)hogs[i].pct / 100,
			.adj = hogs[i].adj,
			.ready_fd = ready[1],
		};
		if (lab_spawn(run, hogs[i].comm, hog, &hog_args[i]) < 0 ||
		    read(ready[0], &c, 1) != 1)
			return -1;
	}
	for (int i = 0; i < NR_HOGS; i++) {
		pid_t pid = run->pids[i];
		long score = lab_oom_score(pid);

		printf("lab killer: oom_score of %s:%d is %ld (%lu MiB, oom_score_adj %d)\n",
		       hogs[i].comm, pid, score, hog_args[i].kb / 1024, hogs[i].adj);
		if (score > best) {
			best = score;
			run->predicted_victim = pid;
		}
	}
	printf("lab killer: predicted victim: pid %d\n", run->predicted_victim);
	/* The sizes are chosen so that only oom_score_adj makes the smallest
	 * hog the highest score: a kernel that ignored it fails here. */
	if (run->predicted_victim != run->pids[DESIGNED_VICTIM]) {
		printf("lab killer: %s should score highest: is oom_score_adj counted?\n",
		       hogs[DESIGNED_VICTIM].comm);
		return -1;
	}
	alloc_kb = run->avail_kb * ALLOC_PCT / 100;
	if (lab_spawn(run, "alloc", allocator, NULL) < 0)
		return -1;
	return write(go_pipe[1], "g", 1) == 1 ? 0 : -1;
}

static void killer_after(struct lab_run *run)
{
	static const char *const words[] = {"mark_victim", "oom_score_adj_update", NULL};

	(void)run;
	lab_trace_print(words);
}

const struct lab lab_killer = {
	.name = "killer",
	.seed = 0,
	.title = "the OOM killer: the highest oom_score dies, once per OOM event",
	.hung_task_timeout_secs = 10,
	.window_secs = 40,
	.fixes =
		{
			{"default",
			 {"oom.reaper=1"},
			 {LAB_RECOVERED, 1, 2},
			 "the predicted victim (highest oom_score) dies first; one kill per OOM "
			 "event"},
		},
	.start = killer_start,
	.after = killer_after,
};
