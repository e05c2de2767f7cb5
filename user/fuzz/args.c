/* The fuzzer's random numbers and argument generators. Read first: a
 * value is drawn by what the argument means (enum arg_kind): mostly a
 * plausible one (our own fds, buffers and mappings, so that calls get past
 * their first check), often an adversarial one (0, -1, lengths near 2^63,
 * kernel and non-canonical addresses, unmapped and misaligned pointers). */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fuzz.h"

#define MAX_FDS 32
#define MAX_MAPS 16
#define RW_PAGES 16
#define SCRATCH_WORDS 64
#define IOV_FIRST_WORD 32 /* an iovec is built in scratch[32..], past the others */
#define IOV_MAX_SEGS 8	  /* (SCRATCH_WORDS - IOV_FIRST_WORD) / 2: two words each */
#define UIO_MAXIOV 1024
#define RAM_SHARE (8ul << 20) /* big lengths are multiples of this */
#define RAM_SHARES 8	      /* up to 64 MiB: all of a small guest */

/* splitmix64: small, fast, and every seed gives a different stream. */
uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t rng_below(uint64_t *state, uint64_t n)
{
	return n ? rng_next(state) % n : 0;
}

int rng_chance(uint64_t *state, unsigned int percent)
{
	return rng_below(state, 100) < percent;
}

uint64_t rng_seed_for(uint64_t seed, unsigned long index, unsigned long salt)
{
	uint64_t s = seed ^ (index * 0xd1b54a32d192ed03ull) ^ (salt * 0x8cb92ba72f3d8dd7ull);

	rng_next(&s);
	return rng_next(&s);
}

/* The values that break length and address checks most often. */
static const unsigned long interesting[] = {
	0,
	1,
	-1ul,
	0x7f,
	0x80,
	0xff,
	0xfff,
	0x1000,
	0x1001,
	0x7fff,
	0xffff,
	0x10000,
	0x7fffffff,
	0x80000000,
	0xffffffff,
	0x100000000,
	0x7ffffffff000,	    /* the last user page */
	0x7fffffffffff,	    /* the last user byte */
	0x800000000000,	    /* the first non-canonical address */
	0x7fffffffffffffff, /* near 2^63 */
	0x8000000000000000, /* 2^63 */
	0x7ffffffffffff000,
	0xffff800000000000, /* the first kernel-half address */
	0xffff888000000000, /* Linux's direct map */
	0xffffffff80000000, /* the kernel image */
	0xfffffffffffff000, /* -4096 */
	0xffffffffffffffea, /* -EINVAL */
};
#define NR_INTERESTING (sizeof(interesting) / sizeof(interesting[0]))

static const char *const paths[] = {
	"/",
	"/bin",
	"/bin/echo",
	"/bin/cat",
	"/test",
	"/test/goodelf",
	"/test/badelf-magic",
	"/test/badelf-phnum-huge",
	"/test/strictelf-wraps",
	"/test/strictelf-kernel-address",
	"/proc",
	"/proc/meminfo",
	"/proc/slabinfo",
	"/proc/zoneinfo",
	"/proc/buddyinfo",
	"/proc/vmstat",
	"/proc/dmesg",
	"/proc/self",
	"/proc/self/maps",
	"/proc/self/stat",
	"/proc/self/status",
	"/proc/self/oom_score_adj",
	"/proc/1/status",
	"/proc/sys/vm/drop_caches",
	"/dev",
	"/dev/null",
	"",
	".",
	"..",
	"/nonexistent",
	"/bin/echo/x",
	"//bin/../bin/./echo",
	"/proc/self/../1/stat",
	"/proc/999999/status",
	/* Deny-listed, so not here: /dev/console (it is the runner's command
	 * line: a child reading it steals typed commands, an ioctl can leave
	 * the shell in raw mode, and a long write hits issue 16's unkillable
	 * tty_write), /proc/sys/oomlab/ (a switch set at random, such as a
	 * panic on OOM, ends the test for an uninteresting reason) and the
	 * writable files of other processes (/proc/N/oom_score_adj could make
	 * the shell the OOM killer's first choice). */
};
#define NR_PATHS (sizeof(paths) / sizeof(paths[0]))

/* Programs a child may become by execve: they end by themselves. */
static const char *const exec_paths[] = {
	"/bin/echo",
	"/test/goodelf",
	"/test/badelf-magic",
	"/test/badelf-truncated",
	"/test/strictelf-overlap",
	"/test/strictelf-interp",
	"/proc/meminfo",
	"/bin",
};
#define NR_EXEC_PATHS (sizeof(exec_paths) / sizeof(exec_paths[0]))

static long fds[MAX_FDS];
static int nr_fds;
static struct {
	long addr;
	unsigned long len;
} maps[MAX_MAPS];
static int nr_maps;
static char *rw_area, *ro_page, *none_page, *hole, *long_path, *unterminated;
static unsigned long scratch[SCRATCH_WORDS]; /* structures built for one call */

void note_fd(long fd)
{
	if (fd < 0 || fd == LOG_FD)
		return;
	for (int i = 0; i < nr_fds; i++)
		if (fds[i] == fd)
			return;
	if (nr_fds < MAX_FDS)
		fds[nr_fds++] = fd;
	else
		fds[fd % MAX_FDS] = fd;
}

void note_mapping(long addr, unsigned long len)
{
	if (addr < 0 || (addr & (PAGE_SIZE - 1)) || !len)
		return;
	if (nr_maps < MAX_MAPS) {
		maps[nr_maps].addr = addr;
		maps[nr_maps++].len = len;
	} else {
		maps[(addr >> 12) % MAX_MAPS].addr = addr;
		maps[(addr >> 12) % MAX_MAPS].len = len;
	}
}

static char *map_pages(unsigned long pages, int prot)
{
	long p = syscall6(SYS_mmap, 0, (long)(pages * PAGE_SIZE), prot, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);

	return p < 0 ? NULL : (char *)p;
}

/* The fds and mappings a child starts with; its stdio go to /dev/null. */
void pools_init(struct child *c)
{
	int pfd[2];
	long fd;

	rw_area = map_pages(RW_PAGES + 1, PROT_READ | PROT_WRITE);
	if (rw_area) {
		for (unsigned long i = 0; i < RW_PAGES * PAGE_SIZE / 8; i++)
			((uint64_t *)rw_area)[i] = rng_next(&c->rng);
		/* The last page is a guard: a buffer that runs off the end faults. */
		syscall2(SYS_munmap, (long)(rw_area + RW_PAGES * PAGE_SIZE), PAGE_SIZE);
		note_mapping((long)rw_area, RW_PAGES * PAGE_SIZE);
		long_path = rw_area;
		memset(long_path, 'a', 3 * PAGE_SIZE);
		long_path[3 * PAGE_SIZE] = '\0';
		/* No NUL before the guard page. */
		unterminated = rw_area + RW_PAGES * PAGE_SIZE - 64;
		memset(unterminated, '/', 64);
	}
	ro_page = map_pages(1, PROT_READ);
	none_page = map_pages(1, PROT_NONE);
	hole = map_pages(1, PROT_READ | PROT_WRITE);
	if (hole)
		syscall2(SYS_munmap, (long)hole, PAGE_SIZE);
	note_mapping((long)ro_page, PAGE_SIZE);
	note_mapping((long)none_page, PAGE_SIZE);

	fd = syscall2(SYS_open, (long)"/dev/null", O_RDWR);
	for (int i = 0; i < 3 && fd >= 0; i++)
		syscall2(SYS_dup2, fd, i);
	note_fd(fd);
	for (int i = 0; i < 3; i++)
		note_fd(i);
	if (syscall2(SYS_pipe2, (long)pfd, O_NONBLOCK) == 0) {
		note_fd(pfd[0]);
		note_fd(pfd[1]);
		syscall3(SYS_write, pfd[1], (long)"fuzz", 4);
	}
	if (syscall2(SYS_pipe2, (long)pfd, 0) == 0) {
		note_fd(pfd[0]);
		note_fd(pfd[1]);
	}
	note_fd(syscall2(SYS_open, (long)"/proc/meminfo", O_RDONLY));
	note_fd(syscall2(SYS_open, (long)"/proc", O_RDONLY | O_DIRECTORY));
	note_fd(syscall2(SYS_open, (long)"/bin/echo", O_RDONLY));
	note_fd(syscall2(SYS_open, (long)"/proc/self/maps", O_RDONLY));
}

static void read_whole_file(const char *path)
{
	static char buf[PAGE_SIZE];
	long fd = syscall2(SYS_open, (long)path, O_RDONLY);

	if (fd < 0)
		return;
	while (syscall3(SYS_read, fd, (long)buf, sizeof(buf)) > 0)
		;
	syscall1(SYS_close, fd);
}

/* Reads every file a child may open or exec: a file's page-cache index is
 * made on its first use and kept for the inode's life (kernel/fs/
 * filemap.c), so before a baseline each must have had its first use. */
void prime_page_cache(void)
{
	for (unsigned int i = 0; i < NR_PATHS; i++)
		read_whole_file(paths[i]);
	for (unsigned int i = 0; i < NR_EXEC_PATHS; i++)
		read_whole_file(exec_paths[i]);
}

const char *pool_safe_exec_path(struct child *c)
{
	return exec_paths[rng_below(&c->rng, NR_EXEC_PATHS)];
}

static long bad_pointer(struct child *c)
{
	static const long bad[] = {
		0,
		1,
		-1,
		0xffffffff80000000,
		0xffff888000000000,
		0x800000000000,
		0x8000000000000000,
		0x7ffffffff000,
		0x7ffffffffff8,
		0xfff,
		0x10000,
	};
	int pick = (int)rng_below(&c->rng, 14);

	if (pick < (int)(sizeof(bad) / sizeof(bad[0])))
		return bad[pick];
	if (pick == 11 && hole)
		return (long)hole + (long)rng_below(&c->rng, PAGE_SIZE);
	if (pick == 12)
		return (long)&pick; /* our own stack */
	return (long)&rng_next;	    /* our own text */
}

/* Any byte of a mapping we made or were given: anonymous, file-backed
 * (perhaps past the file's end, or at an offset it never had), locked,
 * read-only or PROT_NONE; perhaps unmapped since. */
long pool_mapping_byte(struct child *c)
{
	int i = (int)rng_below(&c->rng, (uint64_t)(nr_maps ? nr_maps : 1));

	if (!nr_maps)
		return 0;
	return maps[i].addr + (long)rng_below(&c->rng, maps[i].len);
}

/* A pointer into our buffers: often valid, sometimes misaligned, running
 * into the guard page, read-only or PROT_NONE. */
long pool_buffer(struct child *c, size_t len)
{
	unsigned int pick = (unsigned int)rng_below(&c->rng, 100);
	unsigned long span = RW_PAGES * PAGE_SIZE;

	if (pick >= 90 && nr_maps)
		return pool_mapping_byte(c);
	if (!rw_area || pick >= 85)
		return bad_pointer(c);
	if (pick < 60) {
		unsigned long room = len < span ? span - len : 0;

		return (long)rw_area + (long)(rng_below(&c->rng, room + 1) & ~7ul);
	}
	if (pick < 70)
		return (long)rw_area + (long)span -
		       (long)rng_below(&c->rng, 64); /* into the guard */
	if (pick < 78)
		return (long)rw_area + 1 + (long)rng_below(&c->rng, 7); /* misaligned */
	if (pick < 85 && ro_page)
		return (long)ro_page + (long)rng_below(&c->rng, PAGE_SIZE);
	if (none_page)
		return (long)none_page;
	return bad_pointer(c);
}

static long interesting_value(struct child *c)
{
	return (long)interesting[rng_below(&c->rng, NR_INTERESTING)];
}

static long gen_fd(struct child *c)
{
	unsigned int pick = (unsigned int)rng_below(&c->rng, 100);

	if (pick < 65 && nr_fds)
		return fds[rng_below(&c->rng, (uint64_t)nr_fds)];
	if (pick < 85)
		return (long)rng_below(&c->rng, 70);
	return interesting_value(c);
}

static long gen_len(struct child *c)
{
	unsigned int pick = (unsigned int)rng_below(&c->rng, 100);

	if (pick < 40)
		return (long)rng_below(&c->rng, 257);
	if (pick < 55)
		return (long)rng_below(&c->rng, RW_PAGES * PAGE_SIZE + 1);
	if (pick < 65)
		return (long)(PAGE_SIZE * (1 + rng_below(&c->rng, RW_PAGES)));
	return interesting_value(c);
}

static long gen_map_addr(struct child *c)
{
	unsigned int pick = (unsigned int)rng_below(&c->rng, 100);

	if (pick < 45 && nr_maps) {
		int i = (int)rng_below(&c->rng, (uint64_t)nr_maps);
		unsigned long pages = maps[i].len / PAGE_SIZE;

		return maps[i].addr + (long)(rng_below(&c->rng, pages ? pages : 1) * PAGE_SIZE);
	}
	if (pick < 60)
		return 0;
	if (pick < 70 && rw_area)
		return (long)rw_area + 1 + (long)rng_below(&c->rng, PAGE_SIZE - 1);
	if (pick < 80)
		return (long)(rng_below(&c->rng, 0x800000000000ull) & ~(PAGE_SIZE - 1));
	return interesting_value(c);
}

static long gen_map_len(struct child *c)
{
	unsigned int pick = (unsigned int)rng_below(&c->rng, 100);

	if (pick < 50)
		return (long)(PAGE_SIZE * (1 + rng_below(&c->rng, 16)));
	if (pick < 60)
		return 0;
	if (pick < 70)
		return (long)rng_below(&c->rng, 3 * PAGE_SIZE);
	if (pick < 75)
		return 1l << 30;
	/* A good part of a small guest's RAM, which the overcommit heuristic
	 * grants: populated (MAP_POPULATE, MAP_LOCKED, mlock, a shared
	 * mapping) by several children at once, it ends in OOM kills. */
	if (pick < 80)
		return (long)(RAM_SHARE * (1 + rng_below(&c->rng, RAM_SHARES)));
	return interesting_value(c);
}

static long gen_map_flags(struct child *c)
{
	static const long bits[] = {
		MAP_SHARED,
		MAP_PRIVATE,
		MAP_FIXED,
		MAP_ANONYMOUS,
		0x100 /* GROWSDOWN */,
		0x2000 /* LOCKED */,
		0x4000 /* NORESERVE */,
		0x8000 /* POPULATE */,
		0x100000 /* FIXED_NOREPLACE */,
	};
	long flags = rng_chance(&c->rng, 80) ? MAP_PRIVATE | MAP_ANONYMOUS : 0;

	for (int n = (int)rng_below(&c->rng, 4); n > 0; n--)
		flags |= bits[rng_below(&c->rng, sizeof(bits) / sizeof(bits[0]))];
	if (rng_chance(&c->rng, 5))
		flags |= (long)rng_next(&c->rng);
	return flags;
}

static long gen_open_flags(struct child *c)
{
	static const long bits[] = {O_CREAT,	0200 /* O_EXCL */, O_TRUNC,   O_APPEND,
				    O_NONBLOCK, O_DIRECTORY,	   O_CLOEXEC, 0400 /* O_NOCTTY */};
	long flags = (long)rng_below(&c->rng, 4);

	for (int n = (int)rng_below(&c->rng, 3); n > 0; n--)
		flags |= bits[rng_below(&c->rng, sizeof(bits) / sizeof(bits[0]))];
	if (rng_chance(&c->rng, 5))
		flags |= (long)rng_next(&c->rng);
	return flags;
}

static long gen_path(struct child *c)
{
	unsigned int pick = (unsigned int)rng_below(&c->rng, 100);

	if (pick < 75)
		return (long)paths[rng_below(&c->rng, NR_PATHS)];
	if (pick < 82 && long_path)
		return (long)long_path;
	if (pick < 88 && unterminated)
		return (long)unterminated;
	return bad_pointer(c);
}

static long gen_pid(struct child *c)
{
	unsigned int pick = (unsigned int)rng_below(&c->rng, 100);

	if (pick < 30)
		return syscall0(SYS_getpid);
	if (pick < 50 && c->nr_pids)
		return c->pids[rng_below(&c->rng, (uint64_t)c->nr_pids)];
	if (pick < 60)
		return 0;
	if (pick < 70)
		return -1;
	if (pick < 80)
		return (long)(-2147483647 - 1);
	return 0x40000000 + (long)rng_below(&c->rng, 0x3fffffff); /* past PID_MAX_LIMIT */
}

static long gen_sig(struct child *c)
{
	if (rng_chance(&c->rng, 85))
		return (long)rng_below(&c->rng, NSIG);
	return interesting_value(c);
}

static void handler(int sig)
{
	(void)sig;
}

extern void __restore_rt(void); /* the libc's restorer (lib/signal.c) */

/* The structures pointed to are built in scratch[], which no random
 * munmap touches (it is in .bss, not in the mapping pool). */
static long gen_sigaction(struct child *c)
{
	static const long handlers[] = {(long)SIG_DFL,	    (long)SIG_IGN,  (long)handler,
					0xffffffff80000000, 0x800000000000, 0x1000};

	if (rng_chance(&c->rng, 20))
		return pool_buffer(c, 32);
	scratch[0] = (unsigned long)handlers[rng_below(&c->rng, 6)];
	scratch[1] = rng_chance(&c->rng, 70) ? SA_RESTORER | (rng_next(&c->rng) & 0x5c000007)
					     : rng_next(&c->rng);
	scratch[2] = rng_chance(&c->rng, 80) ? (unsigned long)__restore_rt : rng_next(&c->rng);
	scratch[3] = rng_next(&c->rng);
	return (long)scratch;
}

/* Mostly short sleeps: a long one only holds a child slot until the
 * parent's timeout ends it. */
static long gen_timespec(struct child *c)
{
	static const long secs[] = {1, -1, 0x7fffffffffffffff, 1000000};
	static const long nsecs[] = {0, 1000, 999999999, 1000000000, -1};

	if (rng_chance(&c->rng, 15))
		return pool_buffer(c, 16);
	scratch[0] = rng_chance(&c->rng, 85) ? 0 : (unsigned long)secs[rng_below(&c->rng, 4)];
	scratch[1] = rng_chance(&c->rng, 60) ? rng_below(&c->rng, 1000000)
					     : (unsigned long)nsecs[rng_below(&c->rng, 5)];
	return (long)scratch;
}

/* A struct iovec array of our buffers, with lengths as ARG_LEN draws
 * them; sometimes a bad pointer instead, or one into our buffers whose
 * words are random (a segment anywhere, of any length). */
static long gen_iovec(struct child *c)
{
	unsigned long *iov = &scratch[IOV_FIRST_WORD];

	if (rng_chance(&c->rng, 10))
		return pool_buffer(c, IOV_MAX_SEGS * 16);
	for (int i = 0; i < IOV_MAX_SEGS; i++) {
		iov[2 * i] = (unsigned long)pool_buffer(c, PAGE_SIZE);
		iov[2 * i + 1] = (unsigned long)gen_len(c);
	}
	return (long)iov;
}

/* Mostly the segments gen_iovec built; also none, UIO_MAXIOV and one past
 * it (EINVAL), and nonsense. */
static long gen_iovcnt(struct child *c)
{
	unsigned int pick = (unsigned int)rng_below(&c->rng, 100);

	if (pick < 75)
		return (long)rng_below(&c->rng, IOV_MAX_SEGS + 1);
	if (pick < 80)
		return UIO_MAXIOV;
	if (pick < 85)
		return UIO_MAXIOV + 1;
	return interesting_value(c);
}

static long gen_mremap_flags(struct child *c)
{
	static const long bits[] = {1 /* MAYMOVE */, 2 /* FIXED */, 4 /* DONTUNMAP */};
	long flags = rng_chance(&c->rng, 70) ? 1 : 0;

	for (int n = (int)rng_below(&c->rng, 3); n > 0; n--)
		flags |= bits[rng_below(&c->rng, sizeof(bits) / sizeof(bits[0]))];
	if (rng_chance(&c->rng, 5))
		flags |= (long)rng_next(&c->rng);
	return flags;
}

long gen_arg(struct child *c, enum arg_kind kind)
{
	switch (kind) {
	case ARG_FD: return gen_fd(c);
	case ARG_BUF: return pool_buffer(c, PAGE_SIZE);
	case ARG_LEN: return gen_len(c);
	case ARG_MAP_ADDR: return gen_map_addr(c);
	case ARG_MAP_LEN: return gen_map_len(c);
	case ARG_PROT:
		return rng_chance(&c->rng, 90) ? (long)rng_below(&c->rng, 8)
					       : (long)rng_next(&c->rng);
	case ARG_MAP_FLAGS: return gen_map_flags(c);
	case ARG_OFFSET:
		return rng_chance(&c->rng, 60) ? (long)(PAGE_SIZE * rng_below(&c->rng, 4))
					       : interesting_value(c);
	case ARG_OPEN_FLAGS: return gen_open_flags(c);
	case ARG_MODE: return rng_chance(&c->rng, 80) ? 0644 : (long)rng_next(&c->rng);
	case ARG_PATH: return gen_path(c);
	case ARG_PID: return gen_pid(c);
	case ARG_SIG: return gen_sig(c);
	case ARG_SIGSET:
		if (rng_chance(&c->rng, 20))
			return pool_buffer(c, 8);
		scratch[0] = rng_next(&c->rng);
		return (long)scratch;
	case ARG_SIGACT: return gen_sigaction(c);
	case ARG_TIMESPEC: return gen_timespec(c);
	case ARG_SMALL:
		return rng_chance(&c->rng, 75) ? (long)rng_below(&c->rng, 9) : interesting_value(c);
	case ARG_FLAGS:
		if (rng_chance(&c->rng, 50))
			return 0;
		return rng_chance(&c->rng, 60) ? (long)rng_below(&c->rng, 256)
					       : (long)rng_next(&c->rng);
	case ARG_IOVEC: return gen_iovec(c);
	case ARG_IOVCNT: return gen_iovcnt(c);
	case ARG_MREMAP_FLAGS: return gen_mremap_flags(c);
	case ARG_ANY: break;
	}
	if (rng_chance(&c->rng, 50))
		return interesting_value(c);
	return rng_chance(&c->rng, 50) ? (long)rng_next(&c->rng) : (long)rng_below(&c->rng, 4097);
}
