/* Stand-in OOM victims for the killer and reaper suites: kernel threads
 * that take an address space of their own (or share one), fault in a
 * chosen number of anonymous pages and then count as user processes.
 * Read first: a victim waits killably (it exits on SIGKILL) or stuck in
 * D state (only victim_release ends the wait), and victim_wait_gone
 * returns only once its mm has been given back. */
#ifndef OOMLAB_TESTS_OOM_TEST_HELPERS_H
#define OOMLAB_TESTS_OOM_TEST_HELPERS_H
#include "kernel/completion.h"
#include "kernel/sched.h"
#include "mm/gfp_types.h"
#include <stdbool.h>

#define VICTIM_ADDR 0x10000000ul

enum victim_wait { VICTIM_KILLABLE, VICTIM_STUCK_D };

struct oom_victim {
	const char *name;
	unsigned long pages; /* anonymous pages to fault in */
	int adj;	     /* oom_score_adj */
	bool mlocked;	     /* the mapping is VM_LOCKED */
	enum victim_wait wait;
	struct oom_victim *share; /* use that victim's mm (another process) */
	/* Instead of waiting: run this once the pages are in, then exit. */
	void (*body)(struct oom_victim *v);
	bool result[2]; /* for body */
	/* Filled in: */
	struct task_struct *p;
	struct mm_struct *mm;
	struct completion ready, release;
	int err;
};

/* Start the victim and wait until its pages are in; false on failure. */
bool victim_start(struct oom_victim *v);
/* Has it been sent SIGKILL (or died already)? */
bool victim_killed(const struct oom_victim *v);
/* End a D-state wait (or a killable one without a signal). */
void victim_release(struct oom_victim *v);
/* Release it and wait until it has exited and left its mm. */
bool victim_wait_gone(struct oom_victim *v);
/* out_of_memory() under oom_lock, as the allocator calls it. */
bool run_out_of_memory(gfp_t gfp_mask, int order);
/* Poll (a tick at a time) until bit is set in mm->flags. */
bool wait_for_mm_flag(struct mm_struct *mm, int bit, unsigned int timeout_ms);

/* The oom.* switches, saved and restored around each case. */
struct oom_switches {
	bool reaper, reap_mlocked;
	long reaper_delay_ms, reap_timeout_ms;
	int kill_reserves, lock_mode;
	long dump_tasks;
};
void oom_switches_save(struct oom_switches *s);
void oom_switches_restore(const struct oom_switches *s);
#endif
