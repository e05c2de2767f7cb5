/* hog: allocates and touches memory so the kernel has to find it, for the
 * OOM labs. Read first: memory comes in 1 MiB anonymous mmaps, each page
 * written once (a read would only map the shared zero page); under -l the
 * kernel populates each mmap itself (MCL_FUTURE). Progress lines read
 * "hog[PID]: touched N MiB"; the last one gives the total. */
#include <errno.h>
#include <oomlab.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define CHUNK MiB
#define PAGE 4096
#define MAX_THREADS 64
#define PROGRESS_STEPS 8
#define HOLD_NAP_SEC 3600
#define NSEC_PER_SEC 1000000000L

struct options {
	unsigned long bytes;
	unsigned long rate; /* bytes per second over all threads; 0: no limit */
	int threads, lock, idle, hold, set_adj;
	long adj;
};

struct worker {
	pthread_t thread;
	unsigned long bytes;
	unsigned long rate;
	int error; /* errno of a failed mmap, 0 if all went well */
};

static pid_t pid;
static unsigned long total_bytes, progress_step;
static unsigned long touched; /* all threads, updated atomically */

/* "8 MiB", or "300 KiB" for a small size that is no whole MiB. */
static const char *size_text(unsigned long bytes, char *buf, size_t len)
{
	if (bytes % MiB == 0 || bytes >= 16 * MiB)
		snprintf(buf, len, "%lu MiB", bytes / MiB);
	else
		snprintf(buf, len, "%lu KiB", bytes / KiB);
	return buf;
}

static void say_size(const char *what, unsigned long bytes)
{
	char buf[32];

	printf("hog[%d]: %s %s\n", pid, what, size_text(bytes, buf, sizeof(buf)));
}

/* Counts len more bytes; reports each progress step passed, except the
 * final total, which main prints once every thread is done. */
static void account(unsigned long len)
{
	unsigned long now = __atomic_add_fetch(&touched, len, __ATOMIC_RELAXED);

	if ((now - len) / progress_step != now / progress_step && now < total_bytes)
		say_size("touched", now / progress_step * progress_step);
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* Sleeps until done bytes are due at this worker's rate. */
static void pace(unsigned long rate, unsigned long done, long long start)
{
	long long due, wait;
	struct timespec ts;

	if (!rate)
		return;
	due = start + (long long)((double)done / (double)rate * NSEC_PER_SEC);
	wait = due - now_ns();
	if (wait <= 0)
		return;
	ts.tv_sec = wait / NSEC_PER_SEC;
	ts.tv_nsec = wait % NSEC_PER_SEC;
	nanosleep(&ts, NULL);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	long long start = now_ns();

	for (unsigned long done = 0; done < w->bytes;) {
		unsigned long len = w->bytes - done < CHUNK ? w->bytes - done : CHUNK;
		volatile char *p =
			mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			w->error = errno;
			break;
		}
		for (unsigned long off = 0; off < len; off += PAGE)
			p[off] = 1;
		done += len;
		account(len);
		pace(w->rate, done, start);
	}
	return NULL;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: hog [-m SIZE] [-r MIB_PER_SEC] [-t THREADS] [-l] [-i] [-a ADJ] [-H|-x]\n"
		"  -m SIZE  memory to touch: 8M, 512K, 1G (a bare number is MiB; default 8M)\n"
		"  -r RATE  MiB per second over all threads (0, the default: as fast as possible)\n"
		"  -t N     threads sharing the work (default 1)\n"
		"  -l       mlockall(MCL_CURRENT | MCL_FUTURE) first\n"
		"  -i       run under SCHED_IDLE\n"
		"  -a ADJ   write ADJ to /proc/self/oom_score_adj (-1000..1000)\n"
		"  -H       hold the memory until killed (the default); -x: exit instead\n");
	return 2;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	unsigned long rate;
	char *end;
	int c;

	*o = (struct options){.bytes = 8 * MiB, .threads = 1, .hold = 1};
	while ((c = getopt(argc, argv, "m:r:t:lia:Hxh")) != -1) {
		switch (c) {
		case 'm':
			if (parse_size(optarg, MiB, &o->bytes) < 0 || !o->bytes)
				return -1;
			break;
		case 'r':
			if (parse_size(optarg, MiB, &rate) < 0)
				return -1;
			o->rate = rate;
			break;
		case 't':
			o->threads = atoi(optarg);
			if (o->threads < 1 || o->threads > MAX_THREADS)
				return -1;
			break;
		case 'l': o->lock = 1; break;
		case 'i': o->idle = 1; break;
		case 'a':
			o->adj = strtol(optarg, &end, 10);
			if (*end || end == optarg)
				return -1;
			o->set_adj = 1;
			break;
		case 'H': o->hold = 1; break;
		case 'x': o->hold = 0; break;
		default: return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

/* Everything that must happen before the first page is touched. */
static int prepare(const struct options *o)
{
	char text[32];

	if (o->set_adj) {
		snprintf(text, sizeof(text), "%ld\n", o->adj);
		if (write_file("/proc/self/oom_score_adj", text) < 0) {
			fprintf(stderr, "hog[%d]: oom_score_adj %ld: %s\n", pid, o->adj,
				strerror(errno));
			return -1;
		}
	}
	if (o->idle) {
		struct sched_param param = {0};

		if (sched_setscheduler(0, SCHED_IDLE, &param) < 0) {
			fprintf(stderr, "hog[%d]: SCHED_IDLE: %s\n", pid, strerror(errno));
			return -1;
		}
	}
	if (o->lock && mlockall(MCL_CURRENT | MCL_FUTURE) < 0) {
		fprintf(stderr, "hog[%d]: mlockall: %s\n", pid, strerror(errno));
		return -1;
	}
	return 0;
}

/* Splits the work page-exactly over the threads and waits for them. */
static int run_workers(const struct options *o)
{
	static struct worker workers[MAX_THREADS];
	unsigned long pages = (o->bytes + PAGE - 1) / PAGE;
	int error = 0;

	for (int i = 0; i < o->threads; i++) {
		struct worker *w = &workers[i];
		unsigned long share = pages / (unsigned long)o->threads +
				      ((unsigned long)i < pages % (unsigned long)o->threads);
		int err;

		w->bytes = share * PAGE;
		w->rate = o->rate / (unsigned long)o->threads;
		err = i ? pthread_create(&w->thread, NULL, work, w) : 0;
		if (err) {
			fprintf(stderr, "hog[%d]: thread %d: %s\n", pid, i, strerror(err));
			return -1;
		}
	}
	work(&workers[0]); /* the main thread is worker 0 */
	for (int i = 0; i < o->threads; i++) {
		if (i)
			pthread_join(workers[i].thread, NULL);
		if (workers[i].error)
			error = workers[i].error;
	}
	if (error) {
		fprintf(stderr, "hog[%d]: mmap failed after %lu MiB: %s\n", pid, touched / MiB,
			strerror(error));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	char size[32], rate[32];

	pid = getpid();
	if (parse_options(argc, argv, &o) < 0)
		return usage();
	total_bytes = (o.bytes + PAGE - 1) / PAGE * PAGE;
	progress_step = total_bytes / PROGRESS_STEPS / MiB * MiB;
	if (progress_step < MiB)
		progress_step = MiB;
	/* One printf, one write(): lines from other programs cannot split it. */
	printf("hog[%d]: %s in %d thread%s%s%s%s%s%s\n", pid,
	       size_text(total_bytes, size, sizeof(size)), o.threads, o.threads > 1 ? "s" : "",
	       o.lock ? ", mlocked" : "", o.idle ? ", SCHED_IDLE" : "", o.rate ? ", at " : "",
	       o.rate ? size_text(o.rate, rate, sizeof(rate)) : "", o.rate ? "/s" : "");
	if (prepare(&o) < 0 || run_workers(&o) < 0)
		return 1;
	say_size("touched", touched);
	if (!o.hold)
		return 0;
	say_size("holding", touched);
	for (;;)
		sleep(HOLD_NAP_SEC);
}
