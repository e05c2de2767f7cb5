/* fuzz.h: what the syscall fuzzer's files share. Read first: every random
 * choice a child makes comes from its own generator, seeded from the run's
 * seed and the child's index alone, so "fuzz -s SEED -i INDEX" replays one
 * child call for call (README.md, "Fuzzing the system calls"). */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE 4096ul
#define MAX_ARGS 6

/* Kept open in every child (the console under -v, else /dev/null) and
 * never handed to a close or dup2 as a target, so -v and a plain run make
 * the same calls. NR_OPEN_DEFAULT is 64: the highest fd there is. */
#define LOG_FD 63

/* The OOM killer's choice (child.c): every child first, the fuzzer never. */
#define OOM_SCORE_ADJ_CHILD "1000"
#define OOM_SCORE_ADJ_FUZZER "-1000"

/* What an argument means, so its random value is often a plausible one. */
enum arg_kind {
	ARG_ANY,       /* any interesting number or random bits */
	ARG_FD,	       /* one of our fds, a small number, or nonsense */
	ARG_BUF,       /* a pointer the kernel reads or writes */
	ARG_LEN,       /* a byte count */
	ARG_MAP_ADDR,  /* an address for mmap, munmap, mprotect, madvise, mlock */
	ARG_MAP_LEN,   /* a length for those */
	ARG_PROT,      /* PROT_* bits */
	ARG_MAP_FLAGS, /* MAP_* bits */
	ARG_OFFSET,    /* a file offset */
	ARG_OPEN_FLAGS,
	ARG_MODE,
	ARG_PATH,   /* a file name from the list, or a bad pointer */
	ARG_PID,    /* ourselves, our children, or no such process */
	ARG_SIG,    /* a signal number */
	ARG_SIGSET, /* a pointer to a signal mask */
	ARG_SIGACT, /* a pointer to a struct sigaction */
	ARG_TIMESPEC,
	ARG_SMALL,	  /* a small number (whence, advice, cmd, which, policy...) */
	ARG_FLAGS,	  /* random flag bits, often a few low ones */
	ARG_IOVEC,	  /* a pointer to a struct iovec array of our buffers */
	ARG_IOVCNT,	  /* its length: a few, UIO_MAXIOV, or nonsense */
	ARG_MREMAP_FLAGS, /* MREMAP_* bits */
};

struct fuzz_call;

/* One process doing calls: a child of the fuzzer or one of its forks. */
struct child {
	unsigned long index; /* the child's number, as printed */
	uint64_t rng;
	unsigned long ops_left, ops_done; /* a fork goes on counting */
	int depth;			  /* 0: forked by the fuzzer; a fork of it: 1... */
	int forks;			  /* forks made by this process */
	int verbose;
	int pids[8]; /* its own children, killed and reaped at its end */
	int nr_pids;
};

/* One system call the fuzzer knows: its number, arguments, and the fixup
 * that keeps it from taking the whole test down (see syscalls.c). */
struct fuzz_call {
	const char *name;
	long nr;
	int nargs;
	enum arg_kind args[MAX_ARGS];
	int weight;
	/* NULL, or adjusts args[] (deny-list) or makes the call itself. */
	long (*special)(struct child *c, const struct fuzz_call *call, long args[MAX_ARGS]);
};

/* rng.c / args.c */
uint64_t rng_next(uint64_t *state);
uint64_t rng_below(uint64_t *state, uint64_t n);
int rng_chance(uint64_t *state, unsigned int percent);
uint64_t rng_seed_for(uint64_t seed, unsigned long index, unsigned long salt);
void pools_init(struct child *c);
long gen_arg(struct child *c, enum arg_kind kind);
void note_fd(long fd);
void note_mapping(long addr, unsigned long len);
long pool_buffer(struct child *c, size_t len);
long pool_mapping_byte(struct child *c);
const char *pool_safe_exec_path(struct child *c);
void prime_page_cache(void);

/* syscalls.c */
extern const struct fuzz_call fuzz_calls[];
extern const int nr_fuzz_calls;
const struct fuzz_call *pick_call(struct child *c);

/* child.c */
__attribute__((noreturn)) void child_main(uint64_t seed, unsigned long index, unsigned long ops,
					  int verbose);
void child_continue_after_fork(struct child *c, uint64_t salt);
__attribute__((noreturn)) void child_exit(struct child *c, int status);

#endif
