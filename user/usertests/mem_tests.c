/* mem_tests.c: address-space tests: brk, mmap (private, shared across
 * fork, private file mappings), mprotect, madvise, mlock, running out of
 * address space, copy-on-write and stack growth. Read first: a test that expects a fault provokes it in a
 * child (expect_segv) and checks the child's wait status. */
#include "usertests.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAP_RW (PROT_READ | PROT_WRITE)
#define MAP_ANON_PRIVATE (MAP_PRIVATE | MAP_ANONYMOUS)

static void touch(void *addr)
{
	*(volatile char *)addr = 1;
}

static void read_byte(void *addr)
{
	(void)*(volatile char *)addr;
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

static void expect_first_byte(void *arg)
{
	_exit(*(volatile char *)arg == 0x55 ? 0 : 1);
}

/* A shared mapping stays one set of pages whatever happens to its
 * protection or its residency: a write after mprotect(RO -> RW) or after
 * MADV_DONTNEED is seen by every process sharing it. */
int test_mmap_shared_survives_mprotect(void)
{
	char *shared = mmap(NULL, 4 * PAGE, MAP_RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;

	CHECK(shared != MAP_FAILED);
	memset(shared, 0x11, 4 * PAGE);
	CHECK_EQ(mprotect(shared, 4 * PAGE, PROT_READ), 0);
	CHECK_EQ(mprotect(shared, 4 * PAGE, MAP_RW), 0);
	shared[0] = 0x55;
	status = run_in_child(expect_first_byte, shared);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	status = run_in_child(write_pattern, shared);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(all_bytes(shared, 4 * PAGE, 0x77));
	/* DONTNEED only drops our view: the shared pages keep their data. */
	CHECK_EQ(madvise(shared, 4 * PAGE, MADV_DONTNEED), 0);
	CHECK(all_bytes(shared, 4 * PAGE, 0x77));
	shared[0] = 0x55;
	status = run_in_child(expect_first_byte, shared);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(munmap(shared, 4 * PAGE), 0);
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
	/* Linux's errors: a hole still drops the mapped part, then ENOMEM;
	 * a locked range is EINVAL and keeps its pages. */
	memset(p, 0x5a, 8 * PAGE);
	CHECK_EQ(munmap(p + 4 * PAGE, PAGE), 0);
	CHECK_ERR(madvise(p, 8 * PAGE, MADV_DONTNEED), ENOMEM);
	CHECK(all_bytes(p, 4 * PAGE, 0));
	memset(p + 5 * PAGE, 0x5a, PAGE);
	CHECK_EQ(mlock(p + 5 * PAGE, PAGE), 0);
	CHECK_ERR(madvise(p + 5 * PAGE, PAGE, MADV_DONTNEED), EINVAL);
	CHECK(all_bytes(p + 5 * PAGE, PAGE, 0x5a));
	CHECK_EQ(munmap(p, 8 * PAGE), 0);
	return 0;
}

/* Below vm.mmap_min_addr only a task with CAP_SYS_RAWIO may map (Linux's
 * root may; no oomlab task can): everyone else gets EPERM. */
int test_mmap_fixed_below_min_addr(void)
{
	void *p = mmap(NULL, PAGE, MAP_RW, MAP_FIXED | MAP_ANON_PRIVATE, -1, 0);
	struct utsname u;

	CHECK_EQ(uname(&u), 0);
	if (p != MAP_FAILED) {
		diag("page 0 mapped on %s: a privileged task", u.sysname);
		CHECK(strcmp(u.sysname, "Linux") == 0);
		CHECK_EQ(munmap(p, PAGE), 0);
		return 0;
	}
	CHECK_EQ(errno, EPERM);
	CHECK_ERR(mmap((void *)PAGE, PAGE, MAP_RW, MAP_FIXED | MAP_ANON_PRIVATE, -1, 0), EPERM);
	return 0;
}

/* A private file mapping longer than its file: the pages that hold file
 * bytes read as the file, the tail of the last one as zeros, and a page
 * wholly past the end raises SIGBUS (Linux's filemap_fault), not zeros. */
int test_file_mapping_past_eof(void)
{
	char path[256], first[16];
	struct stat st;
	char *p;
	size_t file_pages;
	int fd, status;

	snprintf(path, sizeof(path), "%s/goodelf", ut_bad_dir);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(read(fd, first, sizeof(first)), (long)sizeof(first));
	file_pages = ((size_t)st.st_size + PAGE - 1) / PAGE;
	p = mmap(NULL, (file_pages + 1) * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED);
	close(fd);
	CHECK(memcmp(p, first, sizeof(first)) == 0);
	if (st.st_size % PAGE)
		CHECK(all_bytes(p + st.st_size, PAGE - st.st_size % PAGE, 0));
	status = run_in_child(read_byte, p + file_pages * PAGE);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
	CHECK_EQ(munmap(p, (file_pages + 1) * PAGE), 0);
	return 0;
}

#define LOCK_LEN (64 * 1024)
#define LOCK_KB (LOCK_LEN / 1024)

static long vm_locked_kb(void)
{
	return proc_status_field("VmLck");
}

static void expect_nothing_locked(void *arg)
{
	char *fresh = mmap(NULL, LOCK_LEN, MAP_RW, MAP_ANON_PRIVATE, -1, 0);

	(void)arg;
	/* Neither the parent's locked VMAs nor its MCL_FUTURE come along. */
	_exit(fresh != MAP_FAILED && vm_locked_kb() == 0 ? 0 : 1);
}

int test_mlock(void)
{
	char *p = map_anon(LOCK_LEN), *q;

	int status;

	CHECK(p != NULL);
	CHECK_EQ(vm_locked_kb(), 0);
	CHECK_EQ(mlock(p, LOCK_LEN), 0);
	CHECK_EQ(vm_locked_kb(), LOCK_KB);
	memset(p, 1, LOCK_LEN);
	status = run_in_child(expect_nothing_locked, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(munlock(p, LOCK_LEN), 0);
	CHECK_EQ(vm_locked_kb(), 0);
	CHECK_EQ(munmap(p, LOCK_LEN), 0);
	CHECK_EQ(mlockall(MCL_CURRENT | MCL_FUTURE), 0);
	q = map_anon(LOCK_LEN); /* MCL_FUTURE: locked (and present) at once */
	CHECK(q != NULL);
	CHECK(vm_locked_kb() >= LOCK_KB);
	CHECK(all_bytes(q, LOCK_LEN, 0));
	status = run_in_child(expect_nothing_locked, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(munlockall(), 0);
	CHECK_EQ(vm_locked_kb(), 0);
	CHECK_EQ(munmap(q, LOCK_LEN), 0);
	CHECK_ERR(mlockall(0), EINVAL);
	CHECK_ERR(mlockall(MCL_ONFAULT), EINVAL);
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
