/* Lab 03, seed 1 (memory reserves for OOM-killing allocations, Weiner
 * 2015): the allocating task holds a lock its own OOM victim waits for.
 * Read first: victim and allocator share one open file (forked from the
 * lab), so read(2) holds that file's f_pos_lock, as Linux's fdget_pos
 * does, across the whole copy to user memory, and every page fault of
 * that copy allocates. The victim sleeps in D state on f_pos_lock; the
 * allocator's fault kills it and then needs a few pages more before it
 * lets go of the lock. Only reserves for the killer can give them. */
#include <errno.h>
#include <fcntl.h>
#include <oomlab.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "balloon_edge.h"
#include "lab.h"

#define SHARED_FILE "/bin/usertests" /* ~90 pages: the copy the allocator makes */
#define VICTIM_PCT 40		     /* of MemAvailable: the biggest process by far */
#define STALL_PCT 35		     /* the allocator's mlock (mmap_lock held) */
#define STALL_PT_PAGES 16	     /* its page tables, VMA and slack */
#define EDGE_PAGES 24		     /* the copy's pages that still fit */
#define PAGE 4096
#define HOLD_FOREVER_MS 3600000L

struct reserves_arg {
	int fd;			     /* the shared file */
	unsigned long kb;	     /* the victim's memory */
	unsigned long stall_bytes;   /* the allocator's mlock */
	int ready_fd;		     /* victim -> lab: filled, the file is cached */
	int go_fd;		     /* lab -> both: memory is at the edge */
	unsigned long balloon_pages; /* given back once the copy is done */
};

/* The victim: big, then read(2)s the shared file a byte at a time, so
 * whenever the allocator is inside its read it sleeps on f_pos_lock. */
static int victim(void *p)
{
	const struct reserves_arg *a = p;
	static char chunk[PAGE];
	char c;

	lab_set_adj(0, 0);
	if (!lab_fill(a->kb * KiB, 0)) {
		fprintf(stderr, "victim: cannot fill %lu kB: %s\n", a->kb, strerror(errno));
		return 1;
	}
	/* Read the file whole once, so its page cache is in place: the only
	 * allocations left in the allocator's read are its own user pages. */
	while (read(a->fd, chunk, sizeof(chunk)) > 0)
		;
	lab_mark("victim[%d]: holding %lu MiB, reading %s a byte at a time", getpid(), a->kb / 1024,
		 SHARED_FILE);
	if (write(a->ready_fd, "r", 1) != 1 || read(a->go_fd, &c, 1) != 1)
		return 1;
	for (;;)
		if (read(a->fd, &c, 1) < 0)
			return 1;
}

static volatile int stall_started;
static int stall_go[2];

/* The allocator's second thread: an mlock, which here holds the process's
 * mmap_lock for writing while it populates, so the first fault of the
 * copy waits for it with f_pos_lock held, and the victim has all that
 * time to fall asleep on f_pos_lock. */
static void *stall_mmap_lock(void *p)
{
	const struct reserves_arg *a = p;
	char *mem, c;

	if (read(stall_go[0], &c, 1) != 1)
		return NULL;
	mem = mmap(NULL, a->stall_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		   0);
	if (mem == MAP_FAILED)
		return NULL;
	stall_started = 1;
	if (mlock(mem, a->stall_bytes) < 0)
		lab_mark("alloc: mlock: %s", strerror(errno));
	return NULL;
}

static int allocator(void *p)
{
	const struct reserves_arg *a = p;
	unsigned long size = 0;
	pthread_t stall;
	ssize_t got;
	char *buf, c;

	lab_set_adj(0, -1000);
	buf = mmap(NULL, 2 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* Everything that allocates is done before memory is at the edge. */
	if (buf == MAP_FAILED || pipe(stall_go) < 0 ||
	    pthread_create(&stall, NULL, stall_mmap_lock, (void *)a))
		return 1;
	if (read(a->go_fd, &c, 1) != 1 || write(stall_go[1], "g", 1) != 1)
		return 1;
	while (!stall_started)
		;
	lab_sleep_ms(1); /* a tick: the mlock is under way */
	lab_mark("alloc[%d]: read(2) of %s into fresh memory (f_pos_lock held)", getpid(),
		 SHARED_FILE);
	lseek(a->fd, 0, SEEK_SET);
	while ((got = read(a->fd, buf + size, 2 * MiB - size)) > 0)
		size += (unsigned long)got;
	lab_mark("alloc: read %lu bytes, f_pos_lock released", size);
	lab_done();
	pthread_join(stall, NULL);
	balloon_set_pages(0);
	lab_sleep_ms(HOLD_FOREVER_MS);
	return 0;
}

static int reserves_start(struct lab_run *run)
{
	static struct reserves_arg arg;
	int ready[2], go[2];
	long balloon;
	pid_t v;
	char c;

	arg.fd = open(SHARED_FILE, O_RDONLY);
	if (arg.fd < 0 || pipe(ready) < 0 || pipe(go) < 0) {
		fprintf(stderr, "lab: %s: %s\n", SHARED_FILE, strerror(errno));
		return -1;
	}
	arg.kb = run->avail_kb * VICTIM_PCT / 100;
	arg.stall_bytes = run->avail_kb * STALL_PCT / 100 * KiB;
	arg.ready_fd = ready[1];
	arg.go_fd = go[0];
	v = lab_spawn(run, "victim", victim, &arg);
	if (v < 0 || lab_spawn(run, "alloc", allocator, &arg) < 0)
		return -1;
	run->predicted_victim = v;
	if (read(ready[0], &c, 1) != 1)
		return -1;
	/* The host takes all the rest but the allocator's mlock and the
	 * first EDGE_PAGES of its copy. */
	balloon = balloon_to_edge(arg.stall_bytes / PAGE + STALL_PT_PAGES + EDGE_PAGES);
	if (balloon < 0)
		return -1;
	lab_mark("balloon: %ld MiB taken by the host: memory is at the edge", balloon * 4 / 1024);
	return write(go[1], "gg", 2) == 2 ? 0 : -1;
}

const struct lab lab_reserves = {
	.name = "reserves",
	.seed = 1,
	.title = "reserves for the killer: the victim waits for a lock the allocator holds",
	.hung_task_timeout_secs = 5,
	.window_secs = 40,
	.fixes =
		{
			{"off",
			 {"oom.kill_reserves=none", "oom.reaper=0", "balloon.deflate_on_oom=0",
			  "balloon.inflate_gfp=noretry"},
			 {LAB_DEADLOCK, 1, 1},
			 "Linux before 2015: the killer waits for a victim that waits for it"},
			{"on",
			 {"oom.kill_reserves=killer", "oom.reaper=0", "balloon.deflate_on_oom=0",
			  "balloon.inflate_gfp=noretry"},
			 {LAB_RECOVERED, 1, 1},
			 "the seed's patch: after its kill the allocator takes the reserves"},
			{"victim",
			 {"oom.kill_reserves=victim", "oom.reaper=0", "balloon.deflate_on_oom=0",
			  "balloon.inflate_gfp=noretry"},
			 {LAB_DEADLOCK, 1, 1},
			 "Linux 4.14+ without the reaper: a sleeping victim never uses its "
			 "reserves"},
		},
	.start = reserves_start,
};
