/* lab.h: the OOM labs' framework (`lab list`, `lab run NAME [fix=off|on|...]`).
 * Read first: a lab is a scenario that starts processes and a table of
 * switch settings ("fixes"), each with the one outcome it must show; the
 * framework sets the switches, follows the kernel log (/dev/kmsg, which
 * never allocates) narrating one line per event, and ends with a verdict.
 *
 * How to add a lab (docs/labs/NN-NAME.md is its write-up):
 *  1. Write user/labs/NAME.c defining `const struct lab lab_NAME = {...}`:
 *     name, seed (0: none), title, hung_task_timeout_secs, window_secs, the
 *     fixes (name "off"/"on"/others, switches as "oom.reaper=0" strings as
 *     oomctl takes them, the expected outcome with its kill bounds) and
 *     .start, which forks the scenario's processes (lab_spawn) and returns.
 *  2. If NAME is not yet in lab_table.c's list, add its two lines there (the
 *     list refers to every lab weakly, so a lab not built is skipped).
 *  3. A scenario reports its own milestones with lab_mark(); "lab: done"
 *     (lab_done()) means the allocation the lab is about has succeeded:
 *     the OOM was resolved. Processes that must never be chosen set
 *     oom_score_adj -1000 (lab_set_adj); the lab process itself does.
 *  4. Outcomes: LAB_RECOVERED (lab_done seen, every OOM victim reaped by
 *     wait), LAB_DEADLOCK (khungtaskd's "INFO: task ... blocked"),
 *     LAB_LIVELOCK (the allocation-stall warning, no lab_done in the
 *     window), LAB_PANIC (the guest stops: judged by the host from the
 *     serial log, tools/grade.py). tools/grade.py runs each fix of each lab
 *     in its own QEMU and checks the verdict line and "as expected".
 *  5. Student mode (tools/student.py): in the kernel, wrap the code of the
 *     seed's fix as
 *       / * LAB NAME: student begin: write FUNCTION() * /
 *       ...the fix...
 *       #if 0  / * LAB NAME: student stub * /
 *       ...the same function as before the fix, with a TODO comment...
 *       #endif / * LAB NAME: student end * /
 *     The stub must keep fix=off passing and make fix=on fail. The write-up
 *     says `make student LAB=NAME` and names FUNCTION.
 *  6. The write-up's expected output quotes the verdict lines; tests/labs
 *     compares them (numbers that vary read as N).
 *  7. A lab of several steps (lab reclaim) ends each with lab_step(): its
 *     own verdict line; any failed step makes the run NOT as expected.
 */
#ifndef LAB_H
#define LAB_H

#include <sys/types.h>

#define LAB_MAX_SWITCHES 6
#define LAB_MAX_FIXES 4
#define LAB_MAX_PROCS 16
#define LAB_ANY_KILLS -1

enum lab_outcome { LAB_RECOVERED, LAB_DEADLOCK, LAB_LIVELOCK, LAB_PANIC, LAB_TIMEOUT };

struct lab_expect {
	enum lab_outcome outcome;
	int min_kills, max_kills; /* max LAB_ANY_KILLS: no upper bound */
};

struct lab_fix {
	const char *name; /* "off", "on", or a variant such as "timeout" */
	const char *switches[LAB_MAX_SWITCHES];
	struct lab_expect expect;
	const char *why; /* one line for `lab list` */
};

struct lab_run;

struct lab {
	const char *name;
	int seed; /* /work/shared/seeds number, 0 for none */
	const char *title;
	int hung_task_timeout_secs;
	int window_secs; /* no verdict by then: LAB_TIMEOUT */
	struct lab_fix fixes[LAB_MAX_FIXES];
	/* Forks the scenario's processes; 0, or -1 after printing why. */
	int (*start)(struct lab_run *run);
	/* Optional: runs after a "recovered" verdict, memory available again
	 * (lab killer prints its trace there). */
	void (*after)(struct lab_run *run);
};

/* One run, shared with the scenario (its processes are children of lab). */
struct lab_run {
	const struct lab *lab;
	const char *fix;	/* the fix name, "as-set" when none was given */
	unsigned long avail_kb; /* MemAvailable when the run began */
	int predicted_victim;	/* 0, or the pid the first kill must name */
	pid_t pids[LAB_MAX_PROCS];
	const char *comms[LAB_MAX_PROCS];
	int nr_pids;
	int failed_steps; /* lab_step() calls that said FAILED */
};

/* Forks a child named comm (prctl PR_SET_NAME) that runs fn(arg) and
 * exits with its return value. The pid, or -1. */
pid_t lab_spawn(struct lab_run *run, const char *comm, int (*fn)(void *), void *arg);
/* A line in the kernel log, "lab: ..." (also narrated). */
void lab_mark(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void lab_done(void);
/* A step's verdict line, "lab NAME: step N, WHAT: OUTCOME: details", or
 * with outcome NULL "...: FAILED: details" (counted in failed_steps). */
void lab_step(struct lab_run *run, int step, const char *what, const char *outcome, const char *fmt,
	      ...) __attribute__((format(printf, 5, 6)));
int lab_set_adj(pid_t pid, int adj); /* 0 = self */
long lab_oom_score(pid_t pid);
/* Maps and writes bytes of anonymous memory; mlocked too when lock. NULL
 * on failure. */
void *lab_fill(unsigned long bytes, int lock);
/* Reads /proc/PID/status until killed: each read waits in D state
 * whenever that process holds its mmap_lock for writing. */
int lab_watch_status_forever(pid_t pid);
/* Waits (polling a /dev/kmsg fd opened beforehand, so never allocating)
 * for the first OOM kill after this call, then ms more. */
int lab_open_kmsg_at_end(void);
void lab_wait_first_kill(int kmsg_fd, long then_ms);
/* tracefs: turn one event on ("oom/mark_victim"); print the trace lines
 * that contain any of the words (NULL-terminated). */
int lab_trace_enable(const char *event);
void lab_trace_print(const char *const *words);
void lab_sleep_ms(long ms);
long lab_now_ms(void);

extern const struct lab *const lab_table[];
extern const int lab_table_size;

#endif
