/* Lab 05, seed 3 (OOM notifiers outside oom_lock, Handa and Rientjes
 * 2018): the balloon's OOM notifier needs balloon_lock while the balloon's
 * own fill holds it and allocates. Read first: the fill
 * (balloon.inflate_gfp=mayfail) may not OOM-kill, but a failed trylock of
 * oom_lock counts as progress, so it retries for as long as someone else
 * holds oom_lock. With the notifiers inside oom_lock that someone is the
 * faulting task, asleep on balloon_lock: AB-BA. Outside, the fill finds
 * oom_lock free, fails, lets go of balloon_lock, and the notifier deflates
 * the balloon: memory comes back with no kill at all. */
#include <errno.h>
#include <oomlab.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "balloon_edge.h"
#include "lab.h"

#define VICTIM_PCT 25	    /* a process the OOM killer could take */
#define FILL_MORE_PAGES 256 /* what the host asks for beyond the edge */
#define FAULT_KB 512	    /* the faulting task's need: less than one deflate */
#define HEAD_START_MS 20    /* the fill is under way, balloon_lock held */
#define PAGE 4096
#define HOLD_FOREVER_MS 3600000L

struct notifier_arg {
	unsigned long victim_kb;
	int ready_fd, fill_go_fd, fault_go_fd;
};

static int victim(void *p)
{
	const struct notifier_arg *a = p;

	lab_set_adj(0, 0);
	if (!lab_fill(a->victim_kb * KiB, 0) || write(a->ready_fd, "r", 1) != 1)
		return 1;
	lab_sleep_ms(HOLD_FOREVER_MS);
	return 0;
}

/* The host asks for more: the writing task fills the balloon itself,
 * holding balloon_lock across every allocation. It runs as background
 * work (SCHED_IDLE), so the faulting task reaches the OOM path first. */
static int inflater(void *p)
{
	const struct notifier_arg *a = p;
	struct sched_param sp = {0};
	unsigned long target;

	lab_set_adj(0, -1000);
	if (sched_setscheduler(0, SCHED_IDLE, &sp) < 0) {
		lab_mark("inflate: sched_setscheduler: %s", strerror(errno));
		return 1;
	}
	if (read(a->fill_go_fd, &target, sizeof(target)) != (ssize_t)sizeof(target))
		return 1;
	balloon_set_pages(target);
	lab_mark("inflate[%d]: the fill to %lu pages returned, balloon_lock released", getpid(),
		 target);
	lab_sleep_ms(HOLD_FOREVER_MS);
	return 0;
}

static int faulter(void *p)
{
	const struct notifier_arg *a = p;
	char *mem, c;

	lab_set_adj(0, -1000);
	mem = mmap(NULL, FAULT_KB * KiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		   0);
	if (mem == MAP_FAILED || read(a->fault_go_fd, &c, 1) != 1)
		return 1;
	lab_mark("fault[%d]: touching %d kB at the edge", getpid(), FAULT_KB);
	for (unsigned long off = 0; off < FAULT_KB * KiB; off += PAGE)
		mem[off] = 1;
	lab_mark("fault: got its memory; the balloon gave back %ld pages to the OOM notifier",
		 balloon_figure("oom_deflated"));
	lab_done();
	balloon_set_pages(0);
	lab_sleep_ms(HOLD_FOREVER_MS);
	return 0;
}

static int notifier_start(struct lab_run *run)
{
	static struct notifier_arg arg;
	int ready[2], fill_go[2], fault_go[2];
	unsigned long target;
	long balloon;
	char c;

	if (pipe(ready) < 0 || pipe(fill_go) < 0 || pipe(fault_go) < 0)
		return -1;
	arg = (struct notifier_arg){.victim_kb = run->avail_kb * VICTIM_PCT / 100,
				    .ready_fd = ready[1],
				    .fill_go_fd = fill_go[0],
				    .fault_go_fd = fault_go[0]};
	run->predicted_victim = lab_spawn(run, "victim", victim, &arg);
	if (run->predicted_victim < 0 || lab_spawn(run, "inflate", inflater, &arg) < 0 ||
	    lab_spawn(run, "fault", faulter, &arg) < 0 || read(ready[0], &c, 1) != 1)
		return -1;
	balloon = balloon_to_edge(0);
	if (balloon < 0)
		return -1;
	target = (unsigned long)balloon + FILL_MORE_PAGES;
	lab_mark("balloon: %ld MiB: memory is at the edge; the host asks for %d pages more "
		 "(the fill holds balloon_lock)",
		 balloon * 4 / 1024, FILL_MORE_PAGES);
	if (write(fill_go[1], &target, sizeof(target)) != (ssize_t)sizeof(target))
		return -1;
	lab_sleep_ms(HEAD_START_MS);
	return write(fault_go[1], "g", 1) == 1 ? 0 : -1;
}

const struct lab lab_notifier = {
	.name = "notifier",
	.seed = 3,
	.title = "OOM notifiers: the balloon's notifier waits for its own fill under oom_lock",
	.hung_task_timeout_secs = 5,
	.window_secs = 40,
	.fixes =
		{
			{"off",
			 {"oom.notifier=inside", "balloon.inflate_gfp=mayfail",
			  "balloon.deflate_on_oom=1", "balloon.host_ack_ms=0",
			  "oom.reclaim_cost_us=100000"},
			 {LAB_DEADLOCK, 0, 0},
			 "Linux: the notifier waits under oom_lock for a fill that waits for "
			 "oom_lock"},
			{"on",
			 {"oom.notifier=outside", "balloon.inflate_gfp=mayfail",
			  "balloon.deflate_on_oom=1", "balloon.host_ack_ms=0",
			  "oom.reclaim_cost_us=100000"},
			 {LAB_RECOVERED, 0, 0},
			 "the seed's patch: the fill fails and lets go; the deflate saves every "
			 "process"},
		},
	.start = notifier_start,
};
