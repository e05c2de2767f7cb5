/* Kernel threads for the scheduler and lock suites: start one on a
 * function, wait until it reaches a state, join it with a time limit.
 * Read first: a test thread is pinned (get_task_struct), so the test can
 * look at it after it returned; a join that times out leaves it pinned
 * and running, so whatever it uses must then be leaked, never freed. */
#ifndef OOMLAB_TESTS_SCHED_TEST_HELPERS_H
#define OOMLAB_TESTS_SCHED_TEST_HELPERS_H
#include "kernel/sched.h"
#include <stdbool.h>

/* Long enough for TCG under load; reached only when something hangs. */
#define TEST_WAIT_TIMEOUT_MS 10000

/* fn(arg) in a new, running kernel thread; NULL without memory. */
struct task_struct *test_thread_run(int (*fn)(void *), void *arg, const char *name);
/* Wait up to timeout_ms for the thread to return. True: it did, its
 * return value is in *result (if result is not NULL) and the thread is
 * released. False: it is still running and still pinned. */
bool test_thread_join(struct task_struct *p, unsigned int timeout_ms, int *result);
/* Sleep a tick at a time until task_state(p) == state; false when
 * timeout_ms pass first. */
bool wait_for_task_state(struct task_struct *p, unsigned int state, unsigned int timeout_ms);
#endif
