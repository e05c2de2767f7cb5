/* cowstress: issue 16's page refcount race as a program. Workers share
 * copy-on-write pages with their parent; each keeps forking a child that
 * locks all its memory (mlockall(MCL_CURRENT) copies every shared page)
 * and exits, while the parent drops the page cache now and then.
 * Read first: a lost count shows in the kernel (BUG: Bad page state, a
 * Mlocked total that never comes back); here we check what user space
 * sees: every child finds the pattern intact and exits 0.
 * Usage: cowstress [-t SECONDS] [-w WORKERS] [-k KIB]. Exits 0 if all
 * went well, 1 otherwise; the last line says which. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define MAX_WORKERS 16
#define DROP_EVERY_NS 50000000L /* the parent drops the page cache every 50 ms */
#define NSEC_PER_SEC 1000000000L
#define CHILD_LOCK_FAILED 2
#define CHILD_SAW_CORRUPTION 3
#define WORKER_FAILED 1

struct options {
	long seconds, workers, kib;
};

static long *total_forks; /* a MAP_SHARED page: every worker adds to it */

static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* Each page holds its own index: a page swapped for another, or freed and
 * reused under us, shows as a wrong word. */
static void fill(unsigned long *area, unsigned long pages)
{
	for (unsigned long p = 0; p < pages; p++)
		for (unsigned long w = 0; w < PAGE / sizeof(long); w++)
			area[p * PAGE / sizeof(long) + w] = p ^ w;
}

static int intact(const unsigned long *area, unsigned long pages)
{
	for (unsigned long p = 0; p < pages; p++)
		for (unsigned long w = 0; w < PAGE / sizeof(long); w++)
			if (area[p * PAGE / sizeof(long) + w] != (p ^ w))
				return 0;
	return 1;
}

static void child(unsigned long *area, unsigned long pages)
{
	if (mlockall(MCL_CURRENT) != 0)
		_exit(CHILD_LOCK_FAILED);
	_exit(intact(area, pages) ? 0 : CHILD_SAW_CORRUPTION);
}

/* Fork children until the deadline; exits 0, or WORKER_FAILED after
 * saying what went wrong. */
static void worker(int id, unsigned long *area, unsigned long pages, long deadline)
{
	long forks = 0;

	while (now_ns() < deadline || forks == 0) {
		int status;
		pid_t pid = fork();

		if (pid == 0)
			child(area, pages);
		if (pid < 0) {
			printf("cowstress: worker %d: fork: %s\n", id, strerror(errno));
			_exit(WORKER_FAILED);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			printf("cowstress: worker %d: child %d ended with status 0x%x\n", id, pid,
			       status);
			_exit(WORKER_FAILED);
		}
		forks++;
		__atomic_add_fetch(total_forks, 1, __ATOMIC_RELAXED);
	}
	_exit(intact(area, pages) ? 0 : CHILD_SAW_CORRUPTION);
}

static void drop_caches(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	if (fd >= 0) {
		write(fd, "1", 1);
		close(fd);
	}
}

static int parse(int argc, char **argv, struct options *o)
{
	*o = (struct options){.seconds = 3, .workers = 4, .kib = 1024};
	for (int i = 1; i + 1 < argc; i += 2) {
		long v = strtol(argv[i + 1], NULL, 10);

		if (!strcmp(argv[i], "-t") && v >= 0)
			o->seconds = v;
		else if (!strcmp(argv[i], "-w") && v > 0 && v <= MAX_WORKERS)
			o->workers = v;
		else if (!strcmp(argv[i], "-k") && v > 0 && v <= 65536)
			o->kib = v;
		else
			return -1;
	}
	return argc % 2 == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct options o;
	pid_t pids[MAX_WORKERS];
	unsigned long pages, *area;
	long deadline;
	int failed = 0, running;

	if (parse(argc, argv, &o)) {
		printf("usage: cowstress [-t SECONDS] [-w WORKERS(1-%d)] [-k KIB]\n", MAX_WORKERS);
		return 2;
	}
	pages = (unsigned long)o.kib * 1024 / PAGE;
	area = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		printf("cowstress: mmap: %s\n", strerror(errno));
		return 1;
	}
	total_forks = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (total_forks == MAP_FAILED) {
		printf("cowstress: mmap: %s\n", strerror(errno));
		return 1;
	}
	fill(area, pages);
	/* Half stays writable (mlockall copies it: the COW break of the issue),
	 * half read-only (mlockall only locks it; exit unmaps it in a tight
	 * loop while other workers' forks map it). */
	if (mprotect((char *)area + pages / 2 * PAGE, (pages - pages / 2) * PAGE, PROT_READ)) {
		printf("cowstress: mprotect: %s\n", strerror(errno));
		return 1;
	}
	deadline = now_ns() + o.seconds * NSEC_PER_SEC;
	for (running = 0; running < o.workers; running++) {
		pids[running] = fork();
		if (pids[running] == 0)
			worker(running, area, pages, deadline);
		if (pids[running] < 0) {
			printf("cowstress: fork: %s\n", strerror(errno));
			failed = 1;
			break;
		}
	}
	while (now_ns() < deadline) {
		struct timespec nap = {0, DROP_EVERY_NS};

		drop_caches();
		nanosleep(&nap, NULL);
	}
	for (int i = 0; i < running; i++) {
		int status;

		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			failed = 1;
	}
	if (!intact(area, pages))
		failed = 1;
	printf("cowstress: %ld workers, %lu pages, %ld forks in %ld s: %s\n", o.workers, pages,
	       *total_forks, o.seconds, failed ? "FAIL" : "ok");
	return failed;
}
