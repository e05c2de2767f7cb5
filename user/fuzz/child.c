/* One fuzzing process: draws a call, draws its arguments, makes it, and
 * remembers what it got back (fds, mappings) for later calls. Read first:
 * a child does a fixed number of calls from its own random stream, so a
 * child that brings the kernel down replays with the same seed and index;
 * it may die any time on its own (a fault, a signal, an exec), which is
 * fine: the parent only cares that the kernel survives. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fuzz.h"

#define SYS_pipe 22
#define FD_NEVER_OPEN 64 /* NR_OPEN_DEFAULT: always EBADF */

static int is_error(long ret)
{
	return ret < 0 && ret >= -4095;
}

/* What a successful call gave us that later calls should use. */
static void note_result(const struct fuzz_call *call, const long a[MAX_ARGS], long ret)
{
	if (is_error(ret))
		return;
	switch (call->nr) {
	case SYS_open:
	case SYS_openat:
	case SYS_dup:
	case SYS_dup2:
	case SYS_dup3: note_fd(ret); break;
	case SYS_pipe:
	case SYS_pipe2:
		note_fd(((const int *)a[0])[0]);
		note_fd(((const int *)a[0])[1]);
		break;
	case SYS_mmap:
		note_mapping(ret, ((unsigned long)a[1] + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
		break;
	case SYS_mremap:
		note_mapping(ret, ((unsigned long)a[2] + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
		break;
	default: break;
	}
}

static void log_call(const struct child *c, const struct fuzz_call *call, const long a[MAX_ARGS])
{
	char line[256];
	int n = snprintf(line, sizeof(line), "fuzz: child %lu pid %ld call %lu: %s(", c->index,
			 syscall0(SYS_getpid), c->ops_done, call->name);

	for (int i = 0; i < call->nargs && n < (int)sizeof(line); i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%s%#lx", i ? ", " : "",
			      (unsigned long)a[i]);
	if (n < (int)sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, ")");
	syscall3(SYS_write, LOG_FD, (long)line, n < (int)sizeof(line) ? n : (int)sizeof(line) - 1);
}

static void log_result(long ret)
{
	char line[32];
	int n = snprintf(line, sizeof(line), " = %ld\n", ret);

	syscall3(SYS_write, LOG_FD, (long)line, n);
}

static void one_call(struct child *c)
{
	const struct fuzz_call *call = pick_call(c);
	long a[MAX_ARGS] = {0};
	long ret;

	for (int i = 0; i < call->nargs; i++) {
		a[i] = gen_arg(c, call->args[i]);
		if (call->args[i] == ARG_FD && a[i] == LOG_FD)
			a[i] = FD_NEVER_OPEN;
	}
	if (c->verbose)
		log_call(c, call, a);
	if (call->special)
		ret = call->special(c, call, a);
	else
		ret = syscall6(call->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (c->verbose)
		log_result(ret);
	note_result(call, a, ret);
}

static void run(struct child *c)
{
	while (c->ops_left > 0) {
		c->ops_left--;
		c->ops_done++;
		one_call(c);
	}
	child_exit(c, 0);
}

/* Our own children die with us: their parent is gone, nobody would stop
 * one that sleeps or reads a pipe forever. */
void child_exit(struct child *c, int status)
{
	for (int i = 0; i < c->nr_pids; i++) {
		syscall2(SYS_kill, c->pids[i], 9 /* SIGKILL */);
		syscall4(SYS_wait4, c->pids[i], 0, 0, 0);
	}
	syscall1(SYS_exit_group, status);
	__builtin_unreachable();
}

/* The new process of a fork or clone: its own stream, one level deeper. */
void child_continue_after_fork(struct child *c, uint64_t salt)
{
	c->depth++;
	c->forks = 0;
	c->nr_pids = 0;
	c->rng = rng_seed_for(c->rng, c->index, salt + (uint64_t)c->depth);
	run(c);
}

/* Children may populate as much as they like, so they run memory out and
 * the OOM killer must choose: this makes it choose one of them (the
 * fuzzer itself is OOM_SCORE_ADJ_MIN, main.c), never the shell, whose
 * death would end the test for an uninteresting reason. */
static void set_oom_score_adj(const char *adj)
{
	long fd = syscall2(SYS_open, (long)"/proc/self/oom_score_adj", O_WRONLY);

	if (fd < 0)
		return;
	syscall3(SYS_write, fd, (long)adj, (long)strlen(adj));
	syscall1(SYS_close, fd);
}

void child_main(uint64_t seed, unsigned long index, unsigned long ops, int verbose)
{
	struct child c = {.index = index, .ops_left = ops, .verbose = verbose};
	long fd;

	c.rng = rng_seed_for(seed, index, 0);
	set_oom_score_adj(OOM_SCORE_ADJ_CHILD);
	/* LOG_FD is taken in both modes, so both see the same fd numbers. */
	if (verbose)
		fd = syscall2(SYS_dup2, STDOUT_FILENO, LOG_FD);
	else
		fd = syscall2(SYS_open, (long)"/dev/null", O_WRONLY);
	if (!verbose && fd >= 0 && fd != LOG_FD) {
		syscall2(SYS_dup2, fd, LOG_FD);
		syscall1(SYS_close, fd);
	}
	pools_init(&c);
	run(&c);
	__builtin_unreachable();
}
