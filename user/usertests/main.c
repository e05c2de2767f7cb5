/* usertests: the user-space test suite, in the spirit of xv6's, printing
 * KTAP version 1 for the oomlab runner. Read first: every test runs in a
 * forked child with a time limit, and its result is that child's wait
 * status; the suite passes on Linux as well as on oomlab, except the
 * oomlab-only cases (-s): exec_strictelf needs a loader that checks every
 * segment before committing to an exec, as oomlab's does; others need
 * oomlab's /dev/console or its kernel threads' answers to a root user;
 * the meminfo_* and committed_as_* cases read system-wide counters that
 * other processes on a host move too (meminfo_tests.c says why).
 *
 * usage: usertests [-s] [-d DIR] [-t SECONDS] [NAME...]
 *   -s        also run the oomlab-only cases: exec_strictelf,
 *             overcommit_strict_and_always_modes (it changes /proc/sys/vm),
 *             meminfo_* (system-wide counters), ...
 *   -d DIR    where goodelf, badelf-* and strictelf-* are (default /test,
 *             where the initrd puts build/user/bad)
 *   -t SEC    the time limit of each test (default 120)
 *   NAME...   only the tests whose names start with one of these */
#include "usertests.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_LIMIT_SEC 120
#define POLL_MAX_NS 20000000L /* 20 ms: the longest nap between polls */

struct test {
	const char *name;
	int (*fn)(void);
	int strict; /* oomlab-only: only with -s */
};

/* Expected failures, each with the work that will fix it: reported as
 * KTAP's "not ok N name # TODO why", which is not a failure; one that
 * passes says so, to have its entry taken away. */
static const struct {
	const char *name, *why;
} expected_failures[] = {
	{NULL, NULL}, /* none today; a NULL name matches no test */
};

static const struct test tests[] = {
	{"sbrk_grow_shrink", test_sbrk, 0},
	{"mmap_private", test_mmap_private, 0},
	{"mmap_shared_fork", test_mmap_shared, 0},
	{"mmap_shared_survives_mprotect", test_mmap_shared_survives_mprotect, 0},
	{"mmap_fixed_below_min_addr", test_mmap_fixed_below_min_addr, 0},
	{"file_mapping_past_eof_is_sigbus", test_file_mapping_past_eof, 0},
	{"mprotect", test_mprotect, 0},
	{"madvise_dontneed", test_madvise, 0},
	{"mlock", test_mlock, 0},
	{"mremap_shrinks_and_grows_in_place", test_mremap_shrink_and_grow_in_place, 0},
	{"mremap_moves_when_it_must", test_mremap_moves_when_it_must, 0},
	{"mremap_fixed_moves_to_the_address_given", test_mremap_fixed, 0},
	{"mremap_keeps_a_locked_mapping_locked_and_counted", test_mremap_locked, 0},
	{"mremap_moves_a_file_mapping_with_its_offset", test_mremap_file_mapping, 0},
	{"mremap_moves_copy_on_write_pages_still_shared", test_mremap_cow_pages, 0},
	{"mremap_argument_errors", test_mremap_errors, 0},
	{"mremap_growth_is_charged_to_committed_as", test_mremap_growth_is_charged_to_committed_as,
	 1},
	{"status_rss_anon_follows_touched_memory", test_status_rss_anon, 0},
	{"status_rss_shmem_follows_shared_anonymous_pages", test_status_rss_shmem, 0},
	{"meminfo_anon_pages_follow_touched_memory", test_meminfo_anon_pages, 1},
	{"meminfo_shmem_follows_shared_anonymous_pages", test_meminfo_shmem, 1},
	{"meminfo_mlocked_follows_mlock", test_meminfo_mlocked, 1},
	{"meminfo_kernel_stack_grows_with_threads", test_meminfo_kernel_stack, 1},
	{"alloc_until_enomem", test_enomem, 0},
	{"overcommit_heuristic_refuses_what_ram_and_swap_cannot_hold", test_overcommit_heuristic,
	 0},
	{"committed_as_follows_private_writable_mappings_and_fork",
	 test_committed_as_follows_private_writable_mappings, 1},
	{"overcommit_strict_and_always_modes", test_overcommit_modes, 1},
	{"cow", test_cow, 0},
	{"private_file_mapping_reads_file_and_copies_on_write", test_mmap_private_file, 0},
	{"stack_grows_on_demand", test_stack_growth, 0},
	{"fork_many", test_fork_many, 0},
	{"threads", test_threads, 0},
	{"thread_cycles", test_thread_cycles, 0},
	{"thread_errno", test_thread_errno, 0},
	{"thread_child_ppid", test_thread_child_ppid, 0},
	{"exec_kills_other_threads", test_exec_kills_other_threads, 0},
	{"thread_leader_exits_first", test_thread_leader_exits_first, 0},
	{"thread_exit_group_status", test_thread_exit_group_status, 0},
	{"wait4_reaps_child_of_sibling_thread", test_wait4_sibling_thread, 0},
	{"wait4_options_errors_and_rusage", test_wait4_options, 0},
	{"orphan_is_reparented_to_init", test_orphan_reparented, 0},
	{"fatal_signal_kills_every_thread", test_fatal_signal_threads, 0},
	{"sigchld_is_delivered_to_parent_on_child_exit", test_sigchld, 0},
	{"sigchld_ignored_leaves_no_zombies", test_sigchld_ignored, 0},
	{"sigstop_stops_and_sigcont_resumes", test_sigstop_stops_and_sigcont_resumes, 0},
	{"sigstop_stops_every_thread", test_sigstop_stops_every_thread, 0},
	{"caught_sigtstp_does_not_stop", test_caught_sigtstp_does_not_stop, 0},
	{"signal_handler_keeps_sse_state", test_signal_keeps_sse, 0},
	{"siginfo_reports_fault_address", test_siginfo_fault_address, 0},
	{"ucontext_is_what_sigreturn_restores", test_ucontext_is_restored, 0},
	{"signal_frame_holds_interrupted_fpu_image", test_signal_frame_fpu_image, 0},
	{"siginfo_names_the_sender", test_siginfo_sender, 0},
	{"sigreturn_sanitises_the_frame", test_sigreturn_sanitises_frame, 0},
	{"sigreturn_bad_frame_is_sigsegv", test_sigreturn_bad_frame, 0},
	{"kernel_read_segv", test_kernel_read, 0},
	{"kernel_pointer_efault", test_kernel_pointer, 0},
	{"huge_lengths_wrap_to_errors_not_to_nothing", test_huge_lengths, 0},
	{"mmap_file_offset_overflow_is_eoverflow_and_past_eof_sigbus", test_mmap_file_offsets, 0},
	{"clone_settls_refuses_a_non_canonical_base", test_clone_settls_non_canonical, 0},
	{"kernel_thread_refuses_user_signals", test_kernel_thread_refuses_user_signals, 1},
	{"console_write_dies_at_sigkill", test_console_write_dies_at_sigkill, 1},
	{"exec_oom_after_point_of_no_return_leaks_nothing",
	 test_exec_oom_after_point_of_no_return_leaks_nothing, 1},
	{"mlockall_future_then_huge_brk_is_refused_or_oom_killed", test_mlockall_future_huge_brk,
	 1},
	{"exec_goodelf", test_exec_good, 0},
	{"exec_maps_text_from_file", test_exec_maps_text_from_file, 0},
	{"fork_exec_cycles", test_exec_cycles, 0},
	{"exec_badelf", test_exec_badelf, 0},
	{"exec_strictelf", test_exec_strictelf, 1},
	{"signal_handler", test_signal_handler, 0},
	{"signal_default", test_signal_default, 0},
	{"pipe_dup2", test_pipe, 0},
	{"readv_writev_gather_and_scatter_through_a_pipe", test_readv_writev_pipe, 0},
	{"readv_and_preadv_read_a_file_in_segments", test_readv_preadv_file, 0},
	{"iovec_list_is_checked_before_anything_moves", test_iovec_errors, 0},
	{"fcntl_dup", test_fcntl_dup, 0},
	{"close_on_exec", test_close_on_exec, 0},
	{"sched_policy_nice", test_sched, 0},
	{"clock_nanosleep", test_clock, 0},
	{"ids_uname", test_ids, 0},
	{"files_getdents", test_files, 0},
	{"oom_score", test_oom_score, 0},
	{"libc_printf", test_printf, 0},
	{"libc_string", test_string, 0},
	{"libc_malloc", test_malloc, 0},
};

#define NTESTS (sizeof(tests) / sizeof(tests[0]))
#define SKIP_REASON_MAX 200

/* The test's child writes why it skipped here; the runner reads it. */
static char *skip_reason;

const char *ut_bad_dir = "/test";
pid_t ut_runner_pid;

void diag(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("# %s\n", line);
}

int skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (skip_reason)
		vsnprintf(skip_reason, SKIP_REASON_MAX, fmt, ap);
	va_end(ap);
	return UT_SKIP;
}

const char *describe_status(int status, char *buf, size_t size)
{
	if (WIFSIGNALED(status))
		snprintf(buf, size, "signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "exit %d", WEXITSTATUS(status));
	return buf;
}

int run_in_child(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Polls (no alarm() here) until the child ends or the limit passes. */
static int wait_limited(pid_t pid, int limit_sec, int *status)
{
	long long deadline = now_ns() + limit_sec * 1000000000LL;
	struct timespec nap = {.tv_nsec = 100000};

	for (;;) {
		pid_t got = waitpid(pid, status, WNOHANG);

		if (got == pid)
			return 0;
		if (got < 0 && errno != EINTR)
			return -1;
		if (now_ns() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			return -1;
		}
		nanosleep(&nap, NULL);
		if (nap.tv_nsec < POLL_MAX_NS)
			nap.tv_nsec *= 2;
	}
}

enum outcome { FAILED, PASSED, XFAILED, XPASSED, SKIPPED };

static const char *todo_of(const struct test *t)
{
	for (size_t i = 0; i < sizeof(expected_failures) / sizeof(expected_failures[0]); i++) {
		if (expected_failures[i].name && strcmp(expected_failures[i].name, t->name) == 0)
			return expected_failures[i].why;
	}
	return NULL;
}

static enum outcome run_test(const struct test *t, int number, int limit_sec)
{
	char what[64];
	int status, ok = 0;
	pid_t pid;

	if (skip_reason)
		skip_reason[0] = '\0';
	pid = fork();
	if (pid == 0) {
		int r = t->fn();

		_exit(r == UT_SKIP ? UT_SKIP : r ? 1 : 0);
	}
	if (pid < 0) {
		diag("%s: fork: %s", t->name, strerror(errno));
	} else if (wait_limited(pid, limit_sec, &status) < 0) {
		diag("%s: no result within %d s; killed", t->name, limit_sec);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		ok = 1;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == UT_SKIP && skip_reason) {
		printf("ok %d %s # SKIP %s\n", number, t->name, skip_reason);
		return SKIPPED;
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 1) {
		diag("%s: the test process ended with %s", t->name,
		     describe_status(status, what, sizeof(what)));
	}
	if (todo_of(t)) {
		if (ok)
			diag("%s passes now: take its TODO away", t->name);
		printf("%s %d %s # TODO %s\n", ok ? "ok" : "not ok", number, t->name, todo_of(t));
		return ok ? XPASSED : XFAILED;
	}
	printf("%s %d %s\n", ok ? "ok" : "not ok", number, t->name);
	return ok ? PASSED : FAILED;
}

/* Tests start from default actions and an empty mask, whatever we
 * inherited: a shell's "&" leaves SIGINT ignored, and an ignored signal
 * stays ignored across fork and exec (signal_default would wait forever). */
static void reset_signals(void)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++) {
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL); /* 32..64 may be refused: fine */
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static int selected(const struct test *t, int strict, int argc, char **argv)
{
	if (t->strict && !strict)
		return 0;
	if (optind == argc)
		return 1;
	for (int i = optind; i < argc; i++) {
		if (strncmp(t->name, argv[i], strlen(argv[i])) == 0)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int strict = 0, limit = DEFAULT_LIMIT_SEC, planned = 0, n = 0, c;
	int count[SKIPPED + 1] = {0};

	while ((c = getopt(argc, argv, "sd:t:")) != -1) {
		if (c == 's')
			strict = 1;
		else if (c == 'd')
			ut_bad_dir = optarg;
		else if (c == 't')
			limit = atoi(optarg);
		else
			return 2;
	}
	ut_runner_pid = getpid();
	reset_signals();
	for (size_t i = 0; i < NTESTS; i++)
		planned += selected(&tests[i], strict, argc, argv);
	if (planned == 0) {
		fprintf(stderr, "usertests: no test matches\n");
		return 2;
	}
	printf("KTAP version 1\n1..%d\n", planned);
	/* Shared, so a test's child can leave its skip reason behind. */
	skip_reason = mmap(NULL, SKIP_REASON_MAX, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (skip_reason == MAP_FAILED)
		skip_reason = NULL;
	for (size_t i = 0; i < NTESTS; i++) {
		if (selected(&tests[i], strict, argc, argv))
			count[run_test(&tests[i], ++n, limit)]++;
	}
	printf("# Totals: pass:%d fail:%d xfail:%d xpass:%d skip:%d error:0\n", count[PASSED],
	       count[FAILED], count[XFAILED], count[XPASSED], count[SKIPPED]);
	return count[FAILED] ? 1 : 0;
}
