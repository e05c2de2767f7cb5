/* Lab 06, seed 4 (wait for oom_lock, Handa 2018): a SCHED_IDLE task holds
 * oom_lock asleep while normal threads loop in the allocator. Read first:
 * the idle task ("idle") runs memory out first and takes oom_lock; the
 * loopers start the moment its report begins, so it needs the CPU to
 * finish the report, kill, sleep its tick and let go, while they burn the
 * CPU in the allocator (oom.reclaim_cost_us) around oom_lock. Their demand
 * is more than one victim frees: they need a second kill as well. */
#include <errno.h>
#include <fcntl.h>
#include <oomlab.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "balloon_edge.h"
#include "lab.h"

#define NR_VICTIMS 3
#define VICTIM_PCT 18 /* of MemAvailable, each */
#define NR_LOOPERS 64
#define LOOP_PCT 30  /* all loopers together: more than one victim frees */
#define IDLE_KB 2048 /* what the idle task wants */
#define EDGE_PAGES 8
#define PAGE 4096
#define RECORD_MAX 1024
#define HOLD_FOREVER_MS 3600000L

struct oomlock_arg {
	unsigned long victim_kb, loop_kb;
	int ready_fd;	/* each victim -> lab: filled */
	int idle_go_fd; /* lab -> idle: memory is at the edge */
	int *loop_go;	/* starter -> loopers: a shared page, set once */
};

static int victim(void *p)
{
	const struct oomlock_arg *a = p;

	lab_set_adj(0, 0);
	if (!lab_fill(a->victim_kb * KiB, 0))
		return 1;
	if (write(a->ready_fd, "r", 1) != 1)
		return 1;
	lab_sleep_ms(HOLD_FOREVER_MS);
	return 0;
}

/* The SCHED_IDLE task: touches IDLE_KB of fresh memory at the edge, so
 * its own fault takes oom_lock and kills. */
static int idle_task(void *p)
{
	const struct oomlock_arg *a = p;
	struct sched_param sp = {0};
	char *mem, c;

	lab_set_adj(0, -1000);
	mem = mmap(NULL, IDLE_KB * KiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || read(a->idle_go_fd, &c, 1) != 1)
		return 1;
	if (sched_setscheduler(0, SCHED_IDLE, &sp) < 0) {
		lab_mark("idle: sched_setscheduler: %s", strerror(errno));
		return 1;
	}
	lab_mark("idle[%d]: SCHED_IDLE, touching %d kB at the edge", getpid(), IDLE_KB);
	for (unsigned long off = 0; off < IDLE_KB * KiB; off += PAGE)
		mem[off] = 1;
	lab_mark("idle: got its memory");
	lab_sleep_ms(HOLD_FOREVER_MS);
	return 0;
}

/* Waits for the first OOM report's header in the kernel log, then lets
 * the loopers go: the idle task holds oom_lock from then until its kill
 * (and, with trylock-sleep or killable, a tick after it). */
static int starter(void *p)
{
	const struct oomlock_arg *a = p;
	static char rec[RECORD_MAX];
	int fd = open("/dev/kmsg", O_RDONLY);
	ssize_t n;

	struct sched_param rt = {.sched_priority = 1};

	lab_set_adj(0, -1000);
	/* Real-time: it must run the moment the header is logged, before the
	 * idle task gets further with its report. */
	if (fd < 0 || sched_setscheduler(0, SCHED_FIFO, &rt) < 0)
		return 1;
	/* Fault in everything it touches now: at the edge, a real-time task
	 * stuck in the allocator would starve the whole scenario. */
	memset(rec, 0, sizeof(rec));
	lseek(fd, 0, SEEK_END);
	while ((n = read(fd, rec, sizeof(rec) - 1)) >= 0) {
		rec[n] = '\0';
		if (strstr(rec, "invoked oom-killer"))
			break;
	}
	__atomic_store_n(a->loop_go, 1, __ATOMIC_RELEASE);
	return 0;
}

static const struct oomlock_arg *loop_arg;
static int loop_done[2];

static void *looper(void *p)
{
	unsigned long bytes = loop_arg->loop_kb * KiB / NR_LOOPERS;
	char *mem = p;

	/* Polled asleep, a tick at a time, on a page shared with the starter:
	 * the tick that wakes the starter at the report's header wakes every
	 * looper too, and the starter (real-time) has set the flag before
	 * they look. (Reading a pipe, 64 readers would queue on its mutex
	 * and wake one by one, leaving the CPU to the idle task meanwhile.) */
	while (!__atomic_load_n(loop_arg->loop_go, __ATOMIC_ACQUIRE))
		lab_sleep_ms(1);
	for (unsigned long off = 0; off < bytes; off += PAGE)
		mem[off] = 1;
	if (write(loop_done[1], "d", 1) != 1)
		return NULL;
	return NULL;
}

/* NR_LOOPERS SCHED_NORMAL threads, each faulting in its share; "done"
 * when every one has all of it. */
static int loopers(void *p)
{
	static pthread_t threads[NR_LOOPERS];
	unsigned long share;
	char c;

	loop_arg = p;
	share = loop_arg->loop_kb * KiB / NR_LOOPERS;
	lab_set_adj(0, -1000);
	if (pipe(loop_done) < 0)
		return 1;
	for (int i = 0; i < NR_LOOPERS; i++) {
		char *mem = mmap(NULL, share, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				 -1, 0);

		if (mem == MAP_FAILED || pthread_create(&threads[i], NULL, looper, mem))
			return 1;
	}
	for (int i = 0; i < NR_LOOPERS; i++)
		if (read(loop_done[0], &c, 1) != 1)
			return 1;
	lab_mark("loop[%d]: all %d threads have their memory", getpid(), NR_LOOPERS);
	lab_done();
	lab_sleep_ms(HOLD_FOREVER_MS);
	return 0;
}

static int oomlock_start(struct lab_run *run)
{
	static struct oomlock_arg arg;
	int ready[2], idle_go[2];
	int *loop_go = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long balloon;
	char c;

	if (loop_go == MAP_FAILED || pipe(ready) < 0 || pipe(idle_go) < 0)
		return -1;
	arg = (struct oomlock_arg){.victim_kb = run->avail_kb * VICTIM_PCT / 100,
				   .loop_kb = run->avail_kb * LOOP_PCT / 100,
				   .ready_fd = ready[1],
				   .idle_go_fd = idle_go[0],
				   .loop_go = loop_go};
	if (lab_spawn(run, "loop", loopers, &arg) < 0 ||
	    lab_spawn(run, "idle", idle_task, &arg) < 0 ||
	    lab_spawn(run, "starter", starter, &arg) < 0)
		return -1;
	for (int i = 0; i < NR_VICTIMS; i++) {
		pid_t v = lab_spawn(run, "victim", victim, &arg);

		if (v < 0 || read(ready[0], &c, 1) != 1)
			return -1;
		run->predicted_victim = v; /* equal sizes: the newest goes first */
	}
	balloon = balloon_to_edge(EDGE_PAGES);
	if (balloon < 0)
		return -1;
	lab_mark("balloon: %ld MiB taken by the host: memory is at the edge", balloon * 4 / 1024);
	return write(idle_go[1], "g", 1) == 1 ? 0 : -1;
}

const struct lab lab_oomlock = {
	.name = "oomlock",
	.seed = 4,
	.title = "oom_lock: a SCHED_IDLE holder starved by threads looping in the allocator",
	.hung_task_timeout_secs = 30,
	.window_secs = 20,
	.fixes =
		{
			{"off",
			 {"oom.lock=trylock-sleep", "oom.stall_warn_ms=2000",
			  "oom.reclaim_cost_us=4000", "balloon.deflate_on_oom=0",
			  "balloon.inflate_gfp=noretry"},
			 {LAB_LIVELOCK, 0, 1},
			 "Linux 2018: the loopers trylock and retry, the holder never runs again"},
			{"on",
			 {"oom.lock=killable", "oom.stall_warn_ms=2000", "oom.reclaim_cost_us=4000",
			  "balloon.deflate_on_oom=0", "balloon.inflate_gfp=noretry"},
			 {LAB_RECOVERED, 2, 2},
			 "the seed's patch: the loopers sleep on oom_lock, the holder gets the "
			 "CPU"},
		},
	.start = oomlock_start,
};
