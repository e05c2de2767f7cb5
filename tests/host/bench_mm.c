/* The host side of make bench: the page allocator built for the host (-O2,
 * no sanitizers) on a 512 MiB synthetic machine, running the very suite
 * the kernel runs (tests/kernel/bench_page_alloc.c) and printing the same
 * "# bench:" lines. Read first: this file only stands in for the kernel's
 * ktest runner and TSC calibration; the operation mix lives in the suite. */
#include "kernel/ktest.h"
#include "kernel/time.h"
#include "kernel/x86.h"
#include "tests/host/mm_host.h"
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#define BENCH_RAM (512 * MIB) /* as tools/bench.py's QEMU guest */
#define CALIBRATE_NS 100000000ull
#define NS_PER_SEC 1000000000ull
#define NS_PER_MS 1000000ull

extern const struct kunit_suite *const __start_ktest_suites[], *const __stop_ktest_suites[];

static uint64_t host_tsc_khz;

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* The TSC against the monotonic clock over 100 ms, as the kernel's
 * calibration against the PIT. */
static void calibrate_tsc(void)
{
	uint64_t t0 = monotonic_ns(), c0 = rdtsc(), t1, c1;

	while ((t1 = monotonic_ns()) - t0 < CALIBRATE_NS)
		;
	c1 = rdtsc();
	host_tsc_khz = (c1 - c0) * NS_PER_MS / (t1 - t0);
}

uint64_t tsc_khz_get(void)
{
	return host_tsc_khz;
}

/* ---- the part of ktest the suite uses ---- */

static void vdiag(const char *fmt, va_list ap)
{
	printf("    # ");
	vprintf(fmt, ap);
	printf("\n");
}

static void diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(fmt, ap);
	va_end(ap);
}

void kunit_log(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	(void)test;
	va_start(ap, fmt);
	vdiag(fmt, ap);
	va_end(ap);
}

void kunit_mark_skipped(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	test->status = KUNIT_SKIPPED;
	va_start(ap, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
}

bool kunit_check_int(struct kunit *test, const char *file, int line, bool is_assert,
		     enum kunit_op op, const char *ltext, long long left, const char *rtext,
		     long long right)
{
	static const char *const op_text[] = {"==", "!=", "<", "<=", ">", ">="};
	bool ok;

	(void)is_assert;
	switch (op) {
	case KUNIT_OP_EQ: ok = left == right; break;
	case KUNIT_OP_NE: ok = left != right; break;
	case KUNIT_OP_LT: ok = left < right; break;
	case KUNIT_OP_LE: ok = left <= right; break;
	case KUNIT_OP_GT: ok = left > right; break;
	default: ok = left >= right; break;
	}
	if (ok)
		return true;
	test->status = KUNIT_FAILURE;
	diag("%s:%d: expected %s %s %s, got %lld and %lld", file, line, ltext, op_text[op], rtext,
	     left, right);
	return false;
}

static int run_suite(const struct kunit_suite *suite, int index)
{
	int n = 0, failed = 0;

	while (suite->test_cases[n].run_case)
		n++;
	printf("    KTAP version 1\n    # Subtest: %s\n    1..%d\n", suite->name, n);
	for (int i = 0; i < n; i++) {
		struct kunit test = {.name = suite->test_cases[i].name};

		suite->test_cases[i].run_case(&test);
		if (test.status == KUNIT_SKIPPED)
			printf("    ok %d %s # SKIP %s\n", i + 1, test.name, test.status_comment);
		else
			printf("    %s %d %s\n", test.status == KUNIT_FAILURE ? "not ok" : "ok",
			       i + 1, test.name);
		failed += test.status == KUNIT_FAILURE;
	}
	printf("%s %d %s\n", failed ? "not ok" : "ok", index, suite->name);
	return failed;
}

int main(void)
{
	int failed = 0, index = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	calibrate_tsc();
	world_boot_pc(BENCH_RAM, 0);
	printf("KTAP version 1\n1..%d\n", (int)(__stop_ktest_suites - __start_ktest_suites));
	for (const struct kunit_suite *const *s = __start_ktest_suites; s < __stop_ktest_suites;
	     s++)
		failed += run_suite(*s, ++index);
	return failed ? 1 : 0;
}
