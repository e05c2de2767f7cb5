/* stuck_victims.c: see stuck_victims.h. Read first: the order matters:
 * the hogs fill their memory before the allocator starts, so they are the
 * biggest processes when the allocator runs out, and each is already
 * asleep on the allocator's mmap_lock when the OOM killer picks it. */
#include <errno.h>
#include <oomlab.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "stuck_victims.h"

#define HOLD_FOREVER_MS 3600000L

struct hog_arg {
	unsigned long kb;
	int locked;
	pid_t alloc;
	int ready_fd;
};

struct alloc_arg {
	unsigned long kb;
	int go_fd;
};

struct release_arg {
	unsigned long kb;
	long after_kill_ms;
	int kmsg_fd;
	int ready_fd;
};

static int hog(void *p)
{
	const struct hog_arg *a = p;

	lab_set_adj(0, 0);
	if (!lab_fill(a->kb * KiB, a->locked)) {
		fprintf(stderr, "hog: cannot fill %lu kB: %s\n", a->kb, strerror(errno));
		return 1;
	}
	lab_mark("hog[%d]: holding %lu MiB%s, reading /proc/%d/status", getpid(), a->kb / 1024,
		 a->locked ? " mlocked" : "", a->alloc);
	if (write(a->ready_fd, "r", 1) != 1)
		return 1;
	return lab_watch_status_forever(a->alloc);
}

static int allocator(void *p)
{
	const struct alloc_arg *a = p;
	char go;
	char *mem;

	lab_set_adj(0, -1000);
	if (read(a->go_fd, &go, 1) != 1)
		return 1;
	mem = mmap(NULL, a->kb * KiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	lab_mark("alloc[%d]: mlock of %lu MiB (mmap_lock held for writing)", getpid(),
		 a->kb / 1024);
	if (mlock(mem, a->kb * KiB) < 0) {
		lab_mark("alloc: mlock: %s", strerror(errno));
		return 1;
	}
	lab_done();
	lab_sleep_ms(HOLD_FOREVER_MS);
	return 0;
}

static int releaser(void *p)
{
	const struct release_arg *a = p;

	lab_set_adj(0, -1000);
	if (!lab_fill(a->kb * KiB, 0))
		return 1;
	lab_mark("batch[%d]: holding %lu MiB until %ld ms after the first kill", getpid(),
		 a->kb / 1024, a->after_kill_ms);
	if (write(a->ready_fd, "r", 1) != 1)
		return 1;
	lab_wait_first_kill(a->kmsg_fd, a->after_kill_ms);
	lab_mark("batch[%d]: finished, giving back %lu MiB", getpid(), a->kb / 1024);
	return 0;
}

int stuck_victims_start(struct lab_run *run, const struct stuck_plan *plan)
{
	static struct hog_arg hogs[STUCK_MAX_HOGS];
	static struct alloc_arg alloc;
	static struct release_arg rel;
	int go[2], ready[2];
	pid_t apid;
	char c;

	if (pipe(go) < 0 || pipe(ready) < 0)
		return -1;
	alloc = (struct alloc_arg){.kb = plan->alloc_kb, .go_fd = go[0]};
	apid = lab_spawn(run, "alloc", allocator, &alloc);
	if (apid < 0)
		return -1;
	if (plan->release_kb) {
		rel = (struct release_arg){.kb = plan->release_kb,
					   .after_kill_ms = plan->release_after_kill_ms,
					   .kmsg_fd = lab_open_kmsg_at_end(),
					   .ready_fd = ready[1]};
		if (rel.kmsg_fd < 0 || lab_spawn(run, "batch", releaser, &rel) < 0 ||
		    read(ready[0], &c, 1) != 1)
			return -1;
	}
	for (int i = 0; i < plan->nr_hogs; i++) {
		hogs[i] = (struct hog_arg){.kb = plan->hog_kb[i],
					   .locked = plan->hog_locked,
					   .alloc = apid,
					   .ready_fd = ready[1]};
		if (lab_spawn(run, "hog", hog, &hogs[i]) < 0)
			return -1;
		if (read(ready[0], &c, 1) != 1)
			return -1;
	}
	return write(go[1], "g", 1) == 1 ? 0 : -1;
}
