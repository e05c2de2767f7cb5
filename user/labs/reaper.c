/* Lab 04, seed 2 (the oom_reaper, Hocko 2015): an OOM victim that cannot
 * exit because it sleeps in D state on a lock the allocating task holds.
 * Read first: stuck_victims.h builds the scenario; this file sizes it and
 * says what each setting of oom.reaper must show. */
#include "stuck_victims.h"

/* Percent of MemAvailable: the hog alone fits, the allocator alone fits,
 * both do not; without the hog's memory the allocation completes. */
#define HOG_PCT 55
#define ALLOC_PCT 60

static int reaper_start(struct lab_run *run)
{
	struct stuck_plan plan = {
		.nr_hogs = 1,
		.hog_kb = {run->avail_kb * HOG_PCT / 100},
		.alloc_kb = run->avail_kb * ALLOC_PCT / 100,
	};

	return stuck_victims_start(run, &plan);
}

const struct lab lab_reaper = {
	.name = "reaper",
	.seed = 2,
	.title = "the oom_reaper: a victim stuck in D state cannot free its memory",
	.hung_task_timeout_secs = 5,
	.window_secs = 40,
	.fixes =
		{
			{"off",
			 {"oom.reaper=0"},
			 {LAB_DEADLOCK, 1, 1},
			 "the victim waits for the allocator, the allocator for the victim"},
			{"on",
			 {"oom.reaper=1", "oom.reaper_delay_ms=2000", "oom.reap_timeout_ms=0"},
			 {LAB_RECOVERED, 1, 1},
			 "the reaper frees the victim's memory while it sleeps; then it exits"},
		},
	.start = reaper_start,
};
