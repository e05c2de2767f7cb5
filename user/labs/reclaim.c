/* Lab 08, reclaim before the OOM killer (no seed): page cache, kswapd,
 * direct reclaim, then the OOM killer, each step proved by the counters it
 * moves (/proc/meminfo, /proc/vmstat, /proc/pressure/memory, tracefs).
 * Read first: every step waits for outcomes, never for time. Step 2 grows
 * memory a few pages at a time and, once every zone is below its low
 * watermark, waits until kswapd has put one back above high; step 3 asks
 * kswapd to lag (vmscan.kswapd_delay_ms) while one allocation outruns it;
 * step 4 is the framework's usual OOM run, checked in .after. */
#include <errno.h>
#include <fcntl.h>
#include <oomlab.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"
#include "reclaim_counters.h"

#define CACHE_FILE "/mnt/data/cache40.bin"
#define CACHE_FILE_KB (40 * 1024)
#define CACHE_FILLED_PCT 90 /* of the file: what Cached must gain */
#define READ_CHUNK (64 * 1024)
#define PAGE 4096
#define KSWAPD_DELAY_SWITCH "/proc/sys/oomlab/vmscan.kswapd_delay_ms"
#define KSWAPD_LAG_MS "60000" /* far longer than step 3 needs */
#define GROW_SAFETY_KB 1024   /* step 2's first stretch stops this far above high */
#define KSWAPD_GOAL_PAGES 256 /* step 2 ends once kswapd has stolen this much */
#define KSWAPD_WAIT_MS 30000  /* for kswapd to restore high: a broken kernel's bound */
#define POLL_MS 10
#define RUSH_EXTRA_KB (8 * 1024) /* step 3 wants this much more than is free */
#define RUSH_MARGIN_KB (4 * 1024)
#define REVIVE_EXTRA_KB (2 * 1024) /* below min: direct reclaim must free some */
#define AFTER_OOM_KB (4 * 1024)	   /* the allocation that succeeds after the kill */
#define HOLD_FOREVER_MS 3600000L
#define ADJ_PROTECTED -1000

/* ---- the scenario's processes: each says how it went through a pipe,
 * then holds its memory until the lab has read the counters ---- */

enum { GROW_OK, GROW_NO_MEMORY, GROW_KSWAPD_NEVER_CAUGHT_UP, GROW_GOAL_NOT_MET };

struct step_arg {
	unsigned long kb; /* step 2: the most it may take; step 3: what it takes */
	int report_fd;
	long steal_base; /* step 2: pgsteal_kswapd when it began */
};

static void report_and_hold(int fd, char status)
{
	if (write(fd, &status, 1) != 1)
		exit(1);
	lab_sleep_ms(HOLD_FOREVER_MS);
}

/* Waits until kswapd has put some zone back above high; 0, or -1 after
 * KSWAPD_WAIT_MS (kswapd was never woken, or cannot reclaim). */
static int wait_for_kswapd(struct zone_wm *z)
{
	long deadline = lab_now_ms() + KSWAPD_WAIT_MS;
	int nr;

	while ((nr = read_zones(z, MAX_ZONES)) > 0 && !some_above_high(z, nr)) {
		if (lab_now_ms() > deadline)
			return -1;
		lab_sleep_ms(POLL_MS);
	}
	return nr > 0 ? 0 : -1;
}

/* Step 2: quickly down to just above the high watermarks, then a few
 * pages at a time; whenever every zone is below low (kswapd was just
 * woken), wait for kswapd instead of allocating, so only kswapd reclaims. */
static int grow_slowly(void *p)
{
	const struct step_arg *a = p;
	struct zone_wm z[MAX_ZONES];
	unsigned long limit = a->kb * KiB, off = 0, first = 0;
	long chunk, steal;
	int nr = read_zones(z, MAX_ZONES);
	char *mem;

	lab_set_adj(0, 0); /* the lab's -1000 is inherited */
	mem = mmap(NULL, limit, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (nr <= 0 || mem == MAP_FAILED)
		report_and_hold(a->report_fd, GROW_NO_MEMORY);
	for (int i = 0; i < nr; i++)
		if (z[i].free > z[i].high + z[i].prot)
			first += (unsigned long)(z[i].free - z[i].high - z[i].prot) * PAGE;
	first = first > GROW_SAFETY_KB * KiB ? first - GROW_SAFETY_KB * KiB : 0;
	for (; off < first && off < limit; off += PAGE)
		mem[off] = 1;
	chunk = safe_chunk_pages(z, nr);
	while (off < limit) {
		/* Enough stolen: end once kswapd's pass is over. */
		steal = vmstat_read("pgsteal_kswapd");
		if (steal >= 0 && steal - a->steal_base >= KSWAPD_GOAL_PAGES)
			report_and_hold(a->report_fd, wait_for_kswapd(z) < 0
							      ? GROW_KSWAPD_NEVER_CAUGHT_UP
							      : GROW_OK);
		if ((nr = read_zones(z, MAX_ZONES)) <= 0)
			report_and_hold(a->report_fd, GROW_NO_MEMORY);
		if (all_below_low(z, nr)) {
			if (wait_for_kswapd(z) < 0)
				report_and_hold(a->report_fd, GROW_KSWAPD_NEVER_CAUGHT_UP);
			continue;
		}
		for (long i = 0; i < chunk && off < limit; i++, off += PAGE)
			mem[off] = 1;
	}
	report_and_hold(a->report_fd, GROW_GOAL_NOT_MET);
	return 0;
}

/* Step 3 (and revive_kswapd): all of it at once. */
static int rush(void *p)
{
	const struct step_arg *a = p;

	lab_set_adj(0, 0);
	report_and_hold(a->report_fd, lab_fill(a->kb * KiB, 0) ? GROW_OK : GROW_NO_MEMORY);
	return 0;
}

/* Runs fn in a child until it reports; the status, or -1. The child is
 * stopped and reaped after the lab has read the counters into *after. */
static int run_step_child(struct lab_run *run, const char *comm, int (*fn)(void *),
			  struct step_arg *arg, struct counters *after)
{
	int fds[2], got;
	char status;
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	arg->report_fd = fds[1];
	pid = lab_spawn(run, comm, fn, arg);
	close(fds[1]);
	got = pid > 0 ? (int)read(fds[0], &status, 1) : -1;
	close(fds[0]);
	if (read_counters(after) < 0)
		got = -1;
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return got == 1 ? status : -1;
}

/* ---- the steps ---- */

static int step_page_cache(struct lab_run *run)
{
	static char buf[READ_CHUNK];
	struct counters a, b;
	long bytes = 0, gained;
	ssize_t n;
	int fd;

	printf("lab reclaim: step 1 of 4, page cache: read %s (%d MiB) into memory that has room\n",
	       CACHE_FILE, CACHE_FILE_KB / 1024);
	/* From an empty cache, whatever ran before (as Linux's drop_caches). */
	if (write_file("/proc/sys/vm/drop_caches", "1\n") < 0)
		printf("lab reclaim:   drop_caches: %s\n", strerror(errno));
	fd = open(CACHE_FILE, O_RDONLY);
	if (fd < 0 || read_counters(&a) < 0) {
		lab_step(run, 1, "page cache", NULL, "%s: %s (is the disk attached?)", CACHE_FILE,
			 strerror(errno));
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		bytes += n;
	close(fd);
	if (read_counters(&b) < 0)
		return -1;
	show_meminfo(&a, &b);
	show_vmstat(&a, &b);
	gained = b.cached - a.cached;
	if (bytes / 1024 < CACHE_FILE_KB || gained < CACHE_FILE_KB * CACHE_FILLED_PCT / 100)
		lab_step(run, 1, "page cache", NULL, "read %ld kB, Cached +%ld kB", bytes / 1024,
			 gained);
	else if (b.pgscan_kswapd != a.pgscan_kswapd || b.pgscan_direct != a.pgscan_direct ||
		 reclaimed(&a, &b))
		lab_step(run, 1, "page cache", NULL,
			 "reclaim ran already (%ld pages stolen): too little memory for the lab",
			 reclaimed(&a, &b));
	else
		lab_step(run, 1, "page cache", "filled",
			 "Cached +%ld kB, Inactive(file) +%ld kB, nothing scanned or reclaimed",
			 gained, b.inactive_file - a.inactive_file);
	return 0;
}

/* After an OOM (an earlier run's step 4) kswapd may have given up on the
 * node, as Linux's does after MAX_RECLAIM_RETRIES fruitless passes: it is
 * not woken again until some reclaim frees a page. One direct reclaim
 * that does revives it. */
static void revive_kswapd(struct lab_run *run)
{
	struct zone_wm z[MAX_ZONES];
	struct step_arg arg = {0};
	struct counters c;
	int nr = read_zones(z, MAX_ZONES);

	if (nr <= 0 || !z[0].unreclaimable || read_counters(&c) < 0)
		return;
	printf("lab reclaim:   kswapd gave up on the node at an earlier OOM (zoneinfo "
	       "node_unreclaimable 1): a direct reclaim that frees pages revives it\n");
	arg.kb = (unsigned long)(c.memfree + REVIVE_EXTRA_KB);
	run_step_child(run, "revive", rush, &arg, &c);
	nr = read_zones(z, MAX_ZONES);
	printf("lab reclaim:   node_unreclaimable now %ld\n", nr > 0 ? z[0].unreclaimable : -1L);
}

static int step_kswapd(struct lab_run *run)
{
	static const char *const why[] = {
		[GROW_NO_MEMORY] = "the allocating process could not map its memory",
		[GROW_KSWAPD_NEVER_CAUGHT_UP] = "every zone fell below low and, 30 s later, "
						"none was back above high: was kswapd woken?",
		[GROW_GOAL_NOT_MET] = "grew as far as it may without kswapd stealing enough",
	};
	struct step_arg arg = {0};
	struct counters a, b;
	char first[TRACE_LINE], last[TRACE_LINE];
	int status, wakes;

	printf("lab reclaim: step 2 of 4, kswapd: grow a few pages at a time below the low "
	       "watermark, "
	       "waiting for kswapd each time\n");
	revive_kswapd(run);
	lab_trace_enable("vmscan/mm_vmscan_kswapd_wake");
	lab_trace_enable("vmscan/mm_vmscan_kswapd_sleep");
	trace_clear();
	if (read_counters(&a) < 0)
		return -1;
	arg.kb = (unsigned long)a.memtotal;
	arg.steal_base = a.pgsteal_kswapd;
	status = run_step_child(run, "grow", grow_slowly, &arg, &b);
	wakes = trace_count("mm_vmscan_kswapd_wake", first, last, sizeof(first));
	show_meminfo(&a, &b);
	show_vmstat(&a, &b);
	printf("lab reclaim:   vmstat: kswapd_low_wmark_hit_quickly +%ld "
	       "kswapd_high_wmark_hit_quickly +%ld\n",
	       b.low_wmark_quickly - a.low_wmark_quickly,
	       b.high_wmark_quickly - a.high_wmark_quickly);
	if (wakes > 0)
		printf("lab reclaim:   trace: %d mm_vmscan_kswapd_wake, the first:\n  %s\n", wakes,
		       first);
	if (status < 0) {
		lab_step(run, 2, "kswapd", NULL, "the step's process was lost");
	} else if (status != GROW_OK) {
		lab_step(run, 2, "kswapd", NULL, "%s (pgsteal_kswapd +%ld)", why[status],
			 b.pgsteal_kswapd - a.pgsteal_kswapd);
	} else if (b.allocstall != a.allocstall || b.pgsteal_direct != a.pgsteal_direct) {
		lab_step(run, 2, "kswapd", NULL, "direct reclaim ran too (allocstall +%ld)",
			 b.allocstall - a.allocstall);
	} else if (wakes <= 0 || b.pgscan_kswapd == a.pgscan_kswapd) {
		lab_step(run, 2, "kswapd", NULL, "no mm_vmscan_kswapd_wake in the trace");
	} else {
		lab_step(run, 2, "kswapd", "woke",
			 "mm_vmscan_kswapd_wake x%d, pgscan_kswapd +%ld, pgsteal_kswapd +%ld, no "
			 "allocstall",
			 wakes, b.pgscan_kswapd - a.pgscan_kswapd,
			 b.pgsteal_kswapd - a.pgsteal_kswapd);
	}
	return 0;
}

/* kswapd lags on oomlab only; on Linux it keeps up or not as it may. */
static int set_kswapd_lag(const char *ms)
{
	char value[32];

	snprintf(value, sizeof(value), "%s\n", ms);
	if (write_file(KSWAPD_DELAY_SWITCH, value) == 0)
		return 0;
	printf("lab reclaim:   no %s (%s): kswapd is not held back\n", KSWAPD_DELAY_SWITCH,
	       strerror(errno));
	return -1;
}

static int step_direct_reclaim(struct lab_run *run)
{
	struct step_arg arg = {0};
	struct counters a, b;
	int status;

	if (read_counters(&a) < 0)
		return -1;
	arg.kb = (unsigned long)(a.memfree + RUSH_EXTRA_KB);
	printf("lab reclaim: step 3 of 4, direct reclaim: kswapd lags (vmscan.kswapd_delay_ms=%s) "
	       "while "
	       "one process touches %lu MiB at once, %d MiB more than is free\n",
	       KSWAPD_LAG_MS, arg.kb / 1024, RUSH_EXTRA_KB / 1024);
	if (a.inactive_file + a.active_file < RUSH_EXTRA_KB + RUSH_MARGIN_KB) {
		lab_step(run, 3, "direct reclaim", NULL, "only %ld kB of page cache to reclaim",
			 a.inactive_file + a.active_file);
		return 0;
	}
	set_kswapd_lag(KSWAPD_LAG_MS);
	status = run_step_child(run, "rush", rush, &arg, &b);
	set_kswapd_lag("0");
	show_meminfo(&a, &b);
	show_vmstat(&a, &b);
	if (b.oom_kill != a.oom_kill)
		lab_step(run, 3, "direct reclaim", NULL,
			 "oom_kill +%ld: reclaim should have sufficed (%ld kB of page cache)",
			 b.oom_kill - a.oom_kill, a.inactive_file + a.active_file);
	else if (status != GROW_OK)
		lab_step(run, 3, "direct reclaim", NULL, "the process could not touch its memory");
	else if (b.allocstall == a.allocstall || b.pgsteal_direct == a.pgsteal_direct)
		lab_step(run, 3, "direct reclaim", NULL, "allocstall +%ld, pgsteal_direct +%ld",
			 b.allocstall - a.allocstall, b.pgsteal_direct - a.pgsteal_direct);
	else if (b.psi_some_us <= a.psi_some_us)
		lab_step(run, 3, "direct reclaim", NULL, "PSI saw no memory stall");
	else
		lab_step(run, 3, "direct reclaim", "stalled",
			 "allocstall +%ld, pgsteal_direct +%ld, PSI some total +%ld us",
			 b.allocstall - a.allocstall, b.pgsteal_direct - a.pgsteal_direct,
			 b.psi_some_us - a.psi_some_us);
	return 0;
}

/* ---- step 4: the framework watches this one ---- */

static struct counters oom_before;
static unsigned long oom_hog_kb;
static int kmsg_fd = -1;

static int hog(void *p)
{
	(void)p;
	lab_set_adj(0, 0);
	lab_mark("hog[%d]: touching %lu MiB of anonymous memory", getpid(), oom_hog_kb / 1024);
	lab_fill(oom_hog_kb * KiB, 0);
	lab_mark("hog: all of it fits?");
	lab_sleep_ms(HOLD_FOREVER_MS);
	return 0;
}

/* Once the hog is killed, memory is back: this allocation succeeds. */
static int after_oom(void *p)
{
	(void)p;
	lab_set_adj(0, ADJ_PROTECTED);
	lab_wait_first_kill(kmsg_fd, 0);
	if (!lab_fill(AFTER_OOM_KB * KiB, 0))
		return 1;
	lab_done();
	lab_sleep_ms(HOLD_FOREVER_MS);
	return 0;
}

static int reclaim_start(struct lab_run *run)
{
	pid_t pid;

	if (step_page_cache(run) < 0 || step_kswapd(run) < 0 || step_direct_reclaim(run) < 0)
		return -1;
	if (read_counters(&oom_before) < 0)
		return -1;
	oom_hog_kb = (unsigned long)oom_before.memtotal;
	printf("lab reclaim: step 4 of 4, OOM: one process touches %lu MiB, all of memory, with "
	       "%ld kB "
	       "of page cache to reclaim first\n",
	       oom_hog_kb / 1024, oom_before.inactive_file + oom_before.active_file);
	lab_trace_enable("oom/reclaim_retry_zone");
	trace_clear();
	kmsg_fd = lab_open_kmsg_at_end();
	if (kmsg_fd < 0 || lab_spawn(run, "after-oom", after_oom, NULL) < 0)
		return -1;
	pid = lab_spawn(run, "hog", hog, NULL);
	if (pid < 0)
		return -1;
	run->predicted_victim = pid;
	return 0;
}

static void reclaim_after(struct lab_run *run)
{
	struct counters b;
	char first[TRACE_LINE], last[TRACE_LINE];
	int retries;

	if (read_counters(&b) < 0)
		return;
	retries = trace_count("reclaim_retry_zone", first, last, sizeof(first));
	show_meminfo(&oom_before, &b);
	show_vmstat(&oom_before, &b);
	if (retries > 0)
		printf("lab reclaim:   trace: %d reclaim_retry_zone (should_reclaim_retry), the "
		       "last:\n  %s\n",
		       retries, last);
	if (b.oom_kill - oom_before.oom_kill != 1)
		lab_step(run, 4, "OOM", NULL, "oom_kill +%ld", b.oom_kill - oom_before.oom_kill);
	else if (!reclaimed(&oom_before, &b))
		lab_step(run, 4, "OOM", NULL, "killed without reclaiming any page cache first");
	else if (retries <= 0 || !strstr(last, "wmark_check=0"))
		lab_step(run, 4, "OOM", NULL, "no reclaim_retry_zone giving up in the trace");
	else
		lab_step(run, 4, "OOM", "killed",
			 "reclaim stole %ld pages, then made no progress; oom_kill +1",
			 reclaimed(&oom_before, &b));
}

const struct lab lab_reclaim = {
	.name = "reclaim",
	.seed = 0,
	.title = "reclaim before the OOM killer: page cache, kswapd, direct reclaim, then a kill",
	.hung_task_timeout_secs = 60,
	.window_secs = 120,
	.fixes =
		{
			{"default",
			 {"vmscan.kswapd_delay_ms=0", "oom.reaper=1"},
			 {LAB_RECOVERED, 1, 1},
			 "each step moves its counters; the OOM comes only once reclaim cannot "
			 "help, and kills the hog"},
		},
	.start = reclaim_start,
	.after = reclaim_after,
};
