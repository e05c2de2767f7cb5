/* meminfo_tests.c: the memory counters a process can read: its own, in
 * /proc/self/status, and the whole system's, in /proc/meminfo. Read
 * first: a system-wide counter moves with every process on the machine,
 * so the /proc/meminfo cases are oomlab-only (-s); the same behaviour,
 * seen from the process itself, is checked everywhere.
 *
 * Why not on the host: these cases read a counter, change it by a few MiB
 * and read it again. On a busy host another process may free more than
 * that in between (a host under churn failed AnonPages by 8 MiB, and
 * KernelStack, whose change is 128 kB, often), and no tolerance tells its
 * change from ours. In the guest usertests is the only process that
 * allocates, so there the global counters say what this process did. */
#include "usertests.h"
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAP_RW (PROT_READ | PROT_WRITE)
#define COUNTED_LEN (8UL << 20)
#define COUNTED_KB ((long)(COUNTED_LEN / 1024))

/* ---- the process's own counters: on every kernel ---- */

/* Linux keeps a process's rss counters per CPU and /proc/PID/status may
 * read them without folding in every CPU's batch (a percpu_counter of 32+
 * pages a CPU), so a count can lag ours by a few batches: never by half
 * of 8 MiB. Only this process moves them, whatever else runs. */
static int rss_follows(const char *field, int flags)
{
	long before = proc_status_field(field), touched;
	char *p = mmap(NULL, COUNTED_LEN, MAP_RW, flags | MAP_ANONYMOUS, -1, 0);

	CHECK(before >= 0 && p != MAP_FAILED);
	memset(p, 1, COUNTED_LEN);
	touched = proc_status_field(field);
	if (touched - before < COUNTED_KB / 2)
		diag("%s: %ld kB before touching 8 MiB, %ld kB after", field, before, touched);
	CHECK(touched - before >= COUNTED_KB / 2);
	CHECK_EQ(munmap(p, COUNTED_LEN), 0);
	CHECK(touched - proc_status_field(field) >= COUNTED_KB / 2);
	return 0;
}

/* Touched private anonymous pages are RssAnon, until unmapped. */
int test_status_rss_anon(void)
{
	return rss_follows("RssAnon", MAP_PRIVATE);
}

/* A shared anonymous mapping is shmem: RssShmem, not RssAnon. */
int test_status_rss_shmem(void)
{
	long anon = proc_status_field("RssAnon");
	int r = rss_follows("RssShmem", MAP_SHARED);

	CHECK_EQ(r, 0);
	CHECK(proc_status_field("RssAnon") - anon < COUNTED_KB / 2);
	return 0;
}

/* ---- the system's counters: oomlab-only (see the top of the file) ---- */

static long meminfo_kb(const char *name)
{
	return proc_file_field("/proc/meminfo", name);
}

int test_meminfo_anon_pages(void)
{
	long before = meminfo_kb("AnonPages"), touched;
	char *p = mmap(NULL, COUNTED_LEN, MAP_RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(before >= 0 && p != MAP_FAILED);
	memset(p, 1, COUNTED_LEN);
	touched = meminfo_kb("AnonPages");
	CHECK(touched - before >= COUNTED_KB / 2);
	CHECK_EQ(munmap(p, COUNTED_LEN), 0);
	CHECK(touched - meminfo_kb("AnonPages") >= COUNTED_KB / 2);
	return 0;
}

/* A shared anonymous mapping is shmem: Shmem and Mapped, until unmapped. */
int test_meminfo_shmem(void)
{
	long shmem = meminfo_kb("Shmem"), mapped = meminfo_kb("Mapped");
	char *p = mmap(NULL, COUNTED_LEN, MAP_RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	long shmem_touched;

	CHECK(shmem >= 0 && mapped >= 0 && p != MAP_FAILED);
	memset(p, 1, COUNTED_LEN);
	shmem_touched = meminfo_kb("Shmem");
	CHECK(shmem_touched - shmem >= COUNTED_KB / 2);
	CHECK(meminfo_kb("Mapped") - mapped >= COUNTED_KB / 2);
	CHECK_EQ(munmap(p, COUNTED_LEN), 0);
	CHECK(shmem_touched - meminfo_kb("Shmem") >= COUNTED_KB / 2);
	return 0;
}

/* Linux counts Mlocked through per-CPU batches of up to 31 pages, so the
 * range is large enough for a batch's lag to stay under half of it (and
 * within the usual 8 MiB RLIMIT_MEMLOCK). The process's own view, VmLck,
 * is the mlock case's. */
#define MLOCKED_LEN (1UL << 20)
#define MLOCKED_KB ((long)(MLOCKED_LEN / 1024))

int test_meminfo_mlocked(void)
{
	char *p = mmap(NULL, MLOCKED_LEN, MAP_RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long before, locked;

	CHECK(p != MAP_FAILED);
	memset(p, 1, MLOCKED_LEN);
	before = meminfo_kb("Mlocked");
	CHECK(before >= 0);
	CHECK_EQ(mlock(p, MLOCKED_LEN), 0);
	locked = meminfo_kb("Mlocked");
	CHECK(locked - before >= MLOCKED_KB / 2);
	CHECK_EQ(munlock(p, MLOCKED_LEN), 0);
	CHECK(locked - meminfo_kb("Mlocked") >= MLOCKED_KB / 2);
	CHECK_EQ(munmap(p, MLOCKED_LEN), 0);
	return 0;
}

#define STACK_THREADS 8
#define THREAD_STACK_KB 16 /* x86_64 THREAD_SIZE, on Linux as here */

static int release_pipe[2];

static void *wait_for_release(void *arg)
{
	char c;

	(void)arg;
	return read(release_pipe[0], &c, 1) == 1 ? NULL : arg;
}

/* No process-own counterpart: a thread's kernel stack shows only here. */
int test_meminfo_kernel_stack(void)
{
	pthread_t t[STACK_THREADS];
	char go[STACK_THREADS] = {0};
	long before = meminfo_kb("KernelStack"), during;

	CHECK(before >= 0);
	CHECK_EQ(pipe(release_pipe), 0);
	for (int i = 0; i < STACK_THREADS; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, wait_for_release, NULL), 0);
	during = meminfo_kb("KernelStack");
	CHECK_EQ(write(release_pipe[1], go, sizeof(go)), (long)sizeof(go));
	for (int i = 0; i < STACK_THREADS; i++)
		CHECK_EQ(pthread_join(t[i], NULL), 0);
	close(release_pipe[0]);
	close(release_pipe[1]);
	CHECK(during - before >= STACK_THREADS * THREAD_STACK_KB / 2);
	return 0;
}
