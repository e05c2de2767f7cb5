/* usertests.h: what the usertests files share. Read first: each test is a
 * function returning 0 (pass) or 1 (fail), run by main.c in a child of
 * its own, so a crash or a leak stays inside one test; CHECK prints a KTAP
 * diagnostic ("# file:line: ...") and fails the test. */
#ifndef USERTESTS_H
#define USERTESTS_H

#include <sys/types.h>

/* A kernel address: the start of oomlab's (and Linux's) kernel text. */
#define KERNEL_ADDR ((void *)0xffffffff80000000UL)
#define PAGE 4096UL

void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define CHECK(cond)                                                                 \
	do {                                                                        \
		if (!(cond)) {                                                      \
			diag("%s:%d: CHECK(%s) failed", __FILE__, __LINE__, #cond); \
			return 1;                                                   \
		}                                                                   \
	} while (0)

/* Compares two integers and shows both values when they differ. */
#define CHECK_EQ(a, b)                                                                           \
	do {                                                                                     \
		long _a = (long)(a), _b = (long)(b);                                             \
		if (_a != _b) {                                                                  \
			diag("%s:%d: %s == %ld, expected %s == %ld", __FILE__, __LINE__, #a, _a, \
			     #b, _b);                                                            \
			return 1;                                                                \
		}                                                                                \
	} while (0)

/* Fails unless call returned -1 with errno == err. */
#define CHECK_ERR(call, err)                                                                  \
	do {                                                                                  \
		errno = 0;                                                                    \
		long _r = (long)(call);                                                       \
		if (_r != -1 || errno != (err)) {                                             \
			diag("%s:%d: %s gave %ld, errno %d; expected -1, errno %d", __FILE__, \
			     __LINE__, #call, _r, errno, (err));                              \
			return 1;                                                             \
		}                                                                             \
	} while (0)

/* A test that cannot say anything here (a host setting differs) returns
 * skip("why", ...): KTAP's "ok N name # SKIP why". */
#define UT_SKIP 2
int skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Set by main.c: where badelf-* and goodelf live, and its own pid. */
extern const char *ut_bad_dir;
extern pid_t ut_runner_pid;

/* Runs fn in a child and returns its wait status (-1 if fork failed). */
int run_in_child(void (*fn)(void *), void *arg);
/* The number after "name:" in /proc/self/status (VmLck, PPid, ...), or
 * -1 when the file or the line is missing. */
long proc_status_field(const char *name);
/* Reads fd to its end (or size - 1 bytes) into buf, NUL-terminated;
 * returns the length. */
long read_to_end(int fd, char *buf, size_t size);
/* The same for any "name: number" file: proc_file_field("/proc/meminfo",
 * "AnonPages") is its kB. */
long proc_file_field(const char *path, const char *name);
/* The number a one-number file holds (a sysctl, oom_score), or -1. */
long proc_read_number(const char *path);
/* Writes text to a /proc file (a sysctl, oom_score_adj): 0 when all of it
 * was taken, else -errno (-EIO for a short write). */
int proc_write_text(const char *path, const char *text);
/* "exit 3" / "signal 11 (Segmentation fault)" into buf, for messages. */
const char *describe_status(int status, char *buf, size_t size);

/* The tests, by file. */
int test_sbrk(void);
int test_mmap_private(void);
int test_mmap_shared(void);
int test_mmap_shared_survives_mprotect(void);
int test_mmap_fixed_below_min_addr(void);
int test_file_mapping_past_eof(void);
int test_mprotect(void);
int test_madvise(void);
int test_mlock(void);
int test_status_rss_anon(void);
int test_status_rss_shmem(void);
int test_meminfo_anon_pages(void);
int test_meminfo_shmem(void);
int test_meminfo_mlocked(void);
int test_meminfo_kernel_stack(void);
int test_enomem(void);
int test_cow(void);
int test_overcommit_heuristic(void);
int test_overcommit_modes(void);
int test_committed_as_follows_private_writable_mappings(void);
int test_mmap_private_file(void);
int test_stack_growth(void);

int test_fork_many(void);
int test_kernel_read(void);
int test_kernel_pointer(void);
int test_exec_good(void);
int test_exec_maps_text_from_file(void);
int test_exec_cycles(void);
int test_oom_score(void);
int test_exec_badelf(void);
int test_exec_strictelf(void);
int test_signal_handler(void);
int test_signal_default(void);
int test_pipe(void);
int test_sched(void);
int test_clock(void);
int test_ids(void);
int test_files(void);
int test_fcntl_dup(void);
int test_close_on_exec(void);

int test_threads(void);
int test_thread_cycles(void);
int test_thread_errno(void);
int test_thread_child_ppid(void);
int test_exec_kills_other_threads(void);
int test_sigchld_ignored(void);
int test_signal_keeps_sse(void);
int test_siginfo_fault_address(void);
int test_ucontext_is_restored(void);
int test_signal_frame_fpu_image(void);
int test_siginfo_sender(void);
int test_sigreturn_sanitises_frame(void);
int test_sigreturn_bad_frame(void);
int test_thread_leader_exits_first(void);
int test_thread_exit_group_status(void);

int test_wait4_sibling_thread(void);
int test_wait4_options(void);
int test_orphan_reparented(void);
int test_fatal_signal_threads(void);
int test_sigchld(void);

int test_huge_lengths(void);
int test_mmap_file_offsets(void);
int test_clone_settls_non_canonical(void);
int test_kernel_thread_refuses_user_signals(void);
int test_console_write_dies_at_sigkill(void);
int test_exec_oom_after_point_of_no_return_leaks_nothing(void);
int test_mlockall_future_huge_brk(void);

int test_readv_writev_pipe(void);
int test_readv_preadv_file(void);
int test_iovec_errors(void);

int test_sigstop_stops_and_sigcont_resumes(void);
int test_sigstop_stops_every_thread(void);
int test_caught_sigtstp_does_not_stop(void);

int test_mremap_shrink_and_grow_in_place(void);
int test_mremap_moves_when_it_must(void);
int test_mremap_fixed(void);
int test_mremap_locked(void);
int test_mremap_file_mapping(void);
int test_mremap_cow_pages(void);
int test_mremap_errors(void);
int test_mremap_growth_is_charged_to_committed_as(void);

int test_printf(void);
int test_string(void);
int test_malloc(void);

#endif
