/* mem_tests.c: address-space tests: brk, mmap (private, shared across
 * fork, private file mappings), mprotect, madvise, mlock, running out of
 * address space, copy-on-write and stack growth. Read first: a test that expects a fault provokes it in a
 * child (expect_segv) and checks the child's wait status. */
#include "usertests.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAP_RW (PROT_READ | PROT_WRITE)
#define MAP_ANON_PRIVATE (MAP_PRIVATE | MAP_ANONYMOUS)

static void touch(void *addr)
{
	*(volatile char *)addr = 1;
}

/* Does writing to addr kill a child with SIGSEGV? */
static int expect_segv(void *addr)
{
	int status = run_in_child(touch, addr);
	char what[64];

	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)
		return 0;
	diag("writing %p: the child ended with %s, not SIGSEGV", addr,
	     describe_status(status, what, sizeof(what)));
	return 1;
}

static int all_bytes(const char *p, size_t len, char value)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i] != value)
			return 0;
	}
	return 1;
}

static char *map_anon(size_t len)
{
	char *p = mmap(NULL, len, MAP_RW, MAP_ANON_PRIVATE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

#define SBRK_GROW (1024 * 1024)

int test_sbrk(void)
{
	char *start = sbrk(0), *p;
	char *first_unmapped = (char *)(((unsigned long)start + PAGE - 1) & ~(PAGE - 1));

	p = sbrk(SBRK_GROW);
	CHECK(p == start);
	CHECK(sbrk(0) == start + SBRK_GROW);
	CHECK(all_bytes(p, SBRK_GROW, 0));
	memset(p, 0x5a, SBRK_GROW);
	CHECK(sbrk(-SBRK_GROW) == start + SBRK_GROW);
	CHECK(sbrk(0) == start);
	/* Memory given back and taken again comes back zeroed. */
	p = sbrk(SBRK_GROW);
	CHECK(p == start);
	CHECK(all_bytes(p, SBRK_GROW, 0));
	CHECK(sbrk(-SBRK_GROW) == start + SBRK_GROW);
	/* Past the shrunk break, nothing is mapped any more. */
	return expect_segv(first_unmapped + PAGE);
}

#define MAP_PAGES 16

int test_mmap_private(void)
{
	size_t len = MAP_PAGES * PAGE;
	char *p = map_anon(len);

	CHECK(p != NULL);
	CHECK(((unsigned long)p & (PAGE - 1)) == 0);
	CHECK(all_bytes(p, len, 0));
	memset(p, 0x33, len);
	CHECK_EQ(munmap(p + 4 * PAGE, PAGE), 0); /* a hole in the middle */
	CHECK(all_bytes(p, 4 * PAGE, 0x33));
	CHECK(all_bytes(p + 5 * PAGE, len - 5 * PAGE, 0x33));
	if (expect_segv(p + 4 * PAGE))
		return 1;
	CHECK_EQ(munmap(p, len), 0);
	if (expect_segv(p))
		return 1;
	CHECK_ERR(mmap(NULL, 0, MAP_RW, MAP_ANON_PRIVATE, -1, 0), EINVAL);
	CHECK_ERR(munmap(p + 1, PAGE), EINVAL);
	return 0;
}

static void write_pattern(void *arg)
{
	memset(arg, 0x77, 4 * PAGE);
}

int test_mmap_shared(void)
{
	char *shared = mmap(NULL, 4 * PAGE, MAP_RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *private = map_anon(4 * PAGE);
	int status;

	CHECK(shared != MAP_FAILED && private != NULL);
	status = run_in_child(write_pattern, shared);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(all_bytes(shared, 4 * PAGE, 0x77)); /* the child's writes are ours */
	status = run_in_child(write_pattern, private);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(all_bytes(private, 4 * PAGE, 0)); /* but not into a private map */
	CHECK_EQ(munmap(shared, 4 * PAGE), 0);
	CHECK_EQ(munmap(private, 4 * PAGE), 0);
	return 0;
}

int test_mprotect(void)
{
	char *p = map_anon(2 * PAGE);

	CHECK(p != NULL);
	memset(p, 0x11, 2 * PAGE);
	CHECK_EQ(mprotect(p, PAGE, PROT_READ), 0);
	CHECK(all_bytes(p, 2 * PAGE, 0x11)); /* still readable */
	if (expect_segv(p))
		return 1;
	p[PAGE] = 0x22; /* the other page stays writable */
	CHECK_EQ(mprotect(p, PAGE, MAP_RW), 0);
	p[0] = 0x22;
	CHECK_ERR(mprotect(p + 1, PAGE, PROT_READ), EINVAL);
	CHECK_EQ(munmap(p, 2 * PAGE), 0);
	return 0;
}

int test_madvise(void)
{
	char *p = map_anon(8 * PAGE);

	CHECK(p != NULL);
	memset(p, 0x5a, 8 * PAGE);
	/* For private anonymous memory, DONTNEED drops the pages: the next
	 * touch finds fresh zero pages. */
	CHECK_EQ(madvise(p + 2 * PAGE, 4 * PAGE, MADV_DONTNEED), 0);
	CHECK(all_bytes(p, 2 * PAGE, 0x5a));
	CHECK(all_bytes(p + 2 * PAGE, 4 * PAGE, 0));
	CHECK(all_bytes(p + 6 * PAGE, 2 * PAGE, 0x5a));
	CHECK_EQ(munmap(p, 8 * PAGE), 0);
	return 0;
}

#define LOCK_LEN (64 * 1024)

int test_mlock(void)
{
	char *p = map_anon(LOCK_LEN), *q;

	CHECK(p != NULL);
	CHECK_EQ(mlock(p, LOCK_LEN), 0);
	memset(p, 1, LOCK_LEN);
	CHECK_EQ(munlock(p, LOCK_LEN), 0);
	CHECK_EQ(munmap(p, LOCK_LEN), 0);
	CHECK_EQ(mlockall(MCL_CURRENT | MCL_FUTURE), 0);
	q = map_anon(LOCK_LEN); /* MCL_FUTURE: locked (and present) at once */
	CHECK(q != NULL);
	CHECK(all_bytes(q, LOCK_LEN, 0));
	CHECK_EQ(munlockall(), 0);
	CHECK_EQ(munmap(q, LOCK_LEN), 0);
	CHECK_ERR(mlockall(0), EINVAL);
	return 0;
}

/* Address space, not memory: nothing here is touched, so no kernel has to
 * find pages; it runs out of room or of its overcommit limit first. */
#define ENOMEM_FIRST_CHUNK (64UL << 30)
#define ENOMEM_LAST_CHUNK (1UL << 20)
#define ENOMEM_MAX_MAPS 16384

static struct {
	void *addr;
	size_t len;
} maps[ENOMEM_MAX_MAPS];

/* Maps until even ENOMEM_LAST_CHUNK fails; returns the number of maps, or
 * -1 if something other than ENOMEM stopped it. */
static int exhaust(unsigned long *total)
{
	size_t chunk = ENOMEM_FIRST_CHUNK;
	int n = 0;

	*total = 0;
	while (chunk >= ENOMEM_LAST_CHUNK && n < ENOMEM_MAX_MAPS) {
		void *p = mmap(NULL, chunk, MAP_RW, MAP_ANON_PRIVATE | MAP_NORESERVE, -1, 0);

		if (p == MAP_FAILED) {
			if (errno != ENOMEM) {
				diag("mmap(%lu bytes) failed with errno %d, not ENOMEM", chunk,
				     errno);
				return -1;
			}
			chunk /= 2;
			continue;
		}
		maps[n].addr = p;
		maps[n++].len = chunk;
		*total += chunk;
	}
	if (n == ENOMEM_MAX_MAPS) {
		diag("no ENOMEM after %d maps (%lu MiB)", n, *total >> 20);
		return -1;
	}
	return n;
}

int test_enomem(void)
{
	unsigned long total;
	int n = exhaust(&total);
	char *p;

	if (n < 0)
		return 1;
	diag("ENOMEM after %d maps, %lu MiB of address space", n, total >> 20);
	errno = 0;
	p = malloc(4 * ENOMEM_LAST_CHUNK);
	CHECK(p == NULL && errno == ENOMEM);
	for (int i = 0; i < n; i++)
		CHECK_EQ(munmap(maps[i].addr, maps[i].len), 0);
	/* Everything is back: allocating works again. */
	p = malloc(4 * ENOMEM_LAST_CHUNK);
	CHECK(p != NULL);
	memset(p, 1, 4 * ENOMEM_LAST_CHUNK);
	free(p);
	return 0;
}

/* Copy-on-write: after fork, each side's writes are its own, in every kind
 * of private memory (data, bss, heap, stack, mmap). */
#define COW_LEN (3 * PAGE)

static char cow_data[COW_LEN] = {1};
static char cow_bss[COW_LEN];

struct cow_regions {
	char *r[5];
	int pipe[2];
};

static void fill(struct cow_regions *c, char value)
{
	for (int i = 0; i < 5; i++)
		memset(c->r[i], value, COW_LEN);
}

static int all_regions(const struct cow_regions *c, char value)
{
	for (int i = 0; i < 5; i++) {
		if (!all_bytes(c->r[i], COW_LEN, value))
			return 0;
	}
	return 1;
}

/* The child sees the parent's values, writes its own, and sees those. */
static void cow_child_writes(void *arg)
{
	struct cow_regions *c = arg;

	if (!all_regions(c, 'A'))
		_exit(2);
	fill(c, 'B');
	_exit(all_regions(c, 'B') ? 0 : 3);
}

/* The child waits for the parent to write, then must still see 'A'. */
static void cow_child_reads(void *arg)
{
	struct cow_regions *c = arg;
	char go;

	close(c->pipe[1]);
	if (read(c->pipe[0], &go, 1) != 1)
		_exit(4);
	_exit(all_regions(c, 'A') ? 0 : 5);
}

int test_cow(void)
{
	char stack[COW_LEN];
	struct cow_regions c = {
		.r = {cow_data, cow_bss, malloc(COW_LEN), stack, map_anon(COW_LEN)}};
	int status;
	pid_t pid;

	CHECK(c.r[2] != NULL && c.r[4] != NULL);
	fill(&c, 'A');
	status = run_in_child(cow_child_writes, &c);
	CHECK_EQ(status, 0);
	CHECK(all_regions(&c, 'A'));

	CHECK_EQ(pipe(c.pipe), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0)
		cow_child_reads(&c);
	close(c.pipe[0]);
	fill(&c, 'C');
	CHECK_EQ(write(c.pipe[1], "g", 1), 1);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EQ(status, 0);
	CHECK(all_regions(&c, 'C'));
	return 0;
}

/* ---- private_file_mapping_reads_file_and_copies_on_write ---- */

#define FILE_MAP_LEN (2 * PAGE)
#define FILE_MAP_PAGES 2

/* This very program, a file on both systems: through /proc/self/exe on
 * Linux, at /bin/usertests in oomlab's initrd (which has no exe link). */
static int open_own_binary(void)
{
	static const char *const paths[] = {"/proc/self/exe", "/bin/usertests"};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int fd = open(paths[i], O_RDONLY);

		if (fd >= 0)
			return fd;
	}
	return -1;
}

static int read_at(int fd, char *buf, size_t len, off_t off)
{
	size_t done = 0;

	if (lseek(fd, off, SEEK_SET) != off)
		return -1;
	while (done < len) {
		ssize_t n = read(fd, buf + done, len - done);

		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* A MAP_PRIVATE file mapping shows the file's bytes, takes writes (even
 * with the file open read-only) into private copies, and never writes
 * them back: read() and a second mapping still see the file. */
int test_mmap_private_file(void)
{
	static char file[FILE_MAP_LEN], again[FILE_MAP_LEN];
	int fd = open_own_binary();
	char *map, *other;

	CHECK(fd >= 0);
	CHECK_EQ(read_at(fd, file, FILE_MAP_LEN, 0), 0);
	CHECK(memcmp(file,
		     "\x7f"
		     "ELF",
		     4) == 0);
	map = mmap(NULL, FILE_MAP_LEN, MAP_RW, MAP_PRIVATE, fd, 0);
	CHECK(map != MAP_FAILED);
	CHECK(memcmp(map, file, FILE_MAP_LEN) == 0);
	for (int i = 0; i < FILE_MAP_PAGES; i++)
		map[i * PAGE + 1] = (char)~file[i * PAGE + 1];
	CHECK(map[1] == (char)~file[1] && map[PAGE + 1] == (char)~file[PAGE + 1]);
	CHECK(memcmp(map + 2, file + 2, PAGE - 2) == 0); /* the rest of the copy is the file */
	CHECK_EQ(read_at(fd, again, FILE_MAP_LEN, 0), 0);
	CHECK(memcmp(again, file, FILE_MAP_LEN) == 0);
	other = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE); /* at an offset */
	CHECK(other != MAP_FAILED);
	CHECK(memcmp(other, file + PAGE, PAGE) == 0);
	CHECK_EQ(munmap(other, PAGE), 0);
	CHECK_EQ(munmap(map, FILE_MAP_LEN), 0);
	close(fd);
	return 0;
}

/* ---- stack_grows_on_demand ---- */

#define STACK_FRAME_BYTES (16 * 1024)
#define STACK_GROW_BYTES (1ul << 20)

static unsigned long stack_top;

/* Each call owns STACK_FRAME_BYTES and touches every page of it from the
 * top down, as a growing stack does, until it is STACK_GROW_BYTES below
 * the first call; returns how deep it went (in bytes) or 0. */
static unsigned long grow(unsigned long depth)
{
	volatile char frame[STACK_FRAME_BYTES];
	unsigned long here = (unsigned long)frame, deepest;

	for (long i = STACK_FRAME_BYTES - 1; i >= 0; i -= (long)PAGE)
		frame[i] = (char)depth;
	if (stack_top - here >= STACK_GROW_BYTES)
		deepest = stack_top - here;
	else
		deepest = grow(depth + 1);
	for (long i = STACK_FRAME_BYTES - 1; i >= 0; i -= (long)PAGE) {
		if (frame[i] != (char)depth)
			return 0; /* a page came back different */
	}
	return deepest;
}

int test_stack_growth(void)
{
	volatile char mark;

	stack_top = (unsigned long)&mark;
	CHECK(grow(0) >= STACK_GROW_BYTES);
	return 0;
}
