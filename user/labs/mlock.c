/* Lab 07, seed 5 (the reaper and mlock, Rientjes 2018): every candidate
 * has mlocked its memory and sleeps in D state, so none can exit. Read
 * first: stuck_victims.h builds the scenario; a "batch" job (protected)
 * gives its memory back 9 s after the first kill, which is what the
 * timeout fix waits for; the 2018 reaper gives up on each victim at once. */
#include "stuck_victims.h"

/* Percent of MemAvailable: the three hogs, the batch job and the
 * allocation do not fit; without one hog, or without the batch job, they
 * do. */
#define HOG_PCT 18
#define BATCH_PCT 20
#define ALLOC_PCT 36
#define BATCH_AFTER_KILL_MS 9000

static int mlock_start(struct lab_run *run)
{
	unsigned long hog_kb = run->avail_kb * HOG_PCT / 100;
	struct stuck_plan plan = {
		.nr_hogs = 3,
		.hog_kb = {hog_kb, hog_kb, hog_kb},
		.hog_locked = 1,
		.alloc_kb = run->avail_kb * ALLOC_PCT / 100,
		.release_kb = run->avail_kb * BATCH_PCT / 100,
		.release_after_kill_ms = BATCH_AFTER_KILL_MS,
	};

	return stuck_victims_start(run, &plan);
}

const struct lab lab_mlock = {
	.name = "mlock",
	.seed = 5,
	.title = "mlock and the reaper: a victim the reaper cannot free",
	.hung_task_timeout_secs = 30,
	.window_secs = 40,
	.fixes =
		{
			{"off",
			 {"oom.reaper=1", "oom.reap_mlocked=0", "oom.reap_timeout_ms=0"},
			 {LAB_PANIC, 3, 3},
			 "each victim is given up at once: every hog dies, then the panic"},
			{"on",
			 {"oom.reaper=1", "oom.reap_mlocked=1", "oom.reap_timeout_ms=0"},
			 {LAB_RECOVERED, 1, 1},
			 "the reaper unmaps mlocked memory too: one kill"},
			{"timeout",
			 {"oom.reaper=1", "oom.reap_mlocked=0", "oom.reap_timeout_ms=10000"},
			 {LAB_RECOVERED, 1, 1},
			 "the victim keeps its 10 s: the batch job ends first: one kill, later"},
		},
	.start = mlock_start,
};
