/* stuck_victims.h: the scenario shape labs reaper and mlock share. Read
 * first: the allocator ("alloc", oom_score_adj -1000) mlocks a fresh
 * mapping, which holds its mmap_lock for writing while every page is
 * allocated; the hogs read /proc/<alloc>/status in a loop, which takes
 * that mmap_lock for reading, so each hog sleeps in D state on it until
 * the allocation completes. An OOM victim among them cannot exit. */
#ifndef STUCK_VICTIMS_H
#define STUCK_VICTIMS_H

#include "lab.h"

#define STUCK_MAX_HOGS 6

struct stuck_plan {
	int nr_hogs;
	unsigned long hog_kb[STUCK_MAX_HOGS];
	int hog_locked; /* the hogs mlock their memory */
	unsigned long alloc_kb;
	/* A bystander (oom_score_adj -1000) that holds release_kb and exits
	 * by itself release_after_kill_ms after the first OOM kill (0 kB:
	 * none): "a batch job that finishes". */
	unsigned long release_kb;
	long release_after_kill_ms;
};

int stuck_victims_start(struct lab_run *run, const struct stuck_plan *plan);

#endif
