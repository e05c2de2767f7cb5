/* The sanitize build's two checkers prove they report: UBSan on an
 * out-of-bounds shift, an overflowing add and a bad index (reports read back
 * from the log), and the stack protector on a smashed canary (a panic, so a
 * harness-only suite the host runner expects to fail). Read first: in the
 * normal build (no CONFIG_UBSAN) the checks skip, never pass. */
#include "kernel/ktest.h"
#include "kernel/stackprotector.h"
#include "kernel/string.h"
#include "kernel/ubsan.h"
#include "kernel/vsprintf.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/report_test_helpers.h"

#define THIS_FILE "tests/kernel/sanitizer_test.c"
#define NEEDLE_MAX 160
#define CANARY_LOW_BYTE 0xffu
#define SMASH_PAST_BUFFER 8 /* the canary sits right above the buffer */
#define REPORT_END "========"

static int trigger_line; /* the line of the last trigger's bad operation */

/* noipa: the compiler must not see the constants the tests pass, or it
 * would fold the undefined operation away (or refuse to build it). */
__attribute__((noipa)) unsigned long ubsan_test_shift(unsigned long value, unsigned int by);
__attribute__((noipa)) unsigned long ubsan_test_shift(unsigned long value, unsigned int by)
{
	trigger_line = __LINE__ + 1;
	return value << by; /* cppcheck-suppress shiftTooManyBits */
}

__attribute__((noipa)) int ubsan_test_add(int a, int b);
__attribute__((noipa)) int ubsan_test_add(int a, int b)
{
	trigger_line = __LINE__ + 1;
	return a + b;
}

__attribute__((noipa)) int ubsan_test_index(int i);
__attribute__((noipa)) int ubsan_test_index(int i)
{
	static int four[4] = {1, 2, 3, 4};

	trigger_line = __LINE__ + 1;
	return four[i] ? 1 : 0; /* cppcheck-suppress arrayIndexOutOfBounds */
}

static bool sanitize_build(struct kunit *test)
{
#ifdef CONFIG_UBSAN
	(void)test;
	return true;
#else
	kunit_mark_skipped(test, "needs the sanitize build (make kernel-sanitize)");
	return false;
#endif
}

/* Does the report that starts with header (after mark) hold needle? */
static bool report_has(unsigned long mark, const char *header, const char *needle)
{
	return log_section_has(mark, header, REPORT_END, needle);
}

static void ubsan_reports_an_out_of_bounds_shift(struct kunit *test)
{
	char header[NEEDLE_MAX];
	unsigned long mark, before;

	if (!sanitize_build(test))
		return;
	mark = log_mark();
	before = ubsan_report_count();
	quietly_begin(); /* an expected report must not fail the run's log check */
	ubsan_test_shift(1, 65);
	quietly_end();
	KUNIT_EXPECT_EQ(test, ubsan_report_count(), before + 1);
	snprintf(header, sizeof(header),
		 "UBSAN: shift-out-of-bounds in " THIS_FILE ":%d:", trigger_line);
	KUNIT_EXPECT_EQ(test, log_count_since(mark, header), 1);
	KUNIT_EXPECT_TRUE(test, report_has(mark, header,
					   "shift exponent 65 is too large for 64-bit type "
					   "'long unsigned int'"));
	KUNIT_EXPECT_TRUE(test, report_has(mark, header, "Call Trace:"));
	/* GCC may move the report call into ubsan_test_shift.cold. */
	KUNIT_EXPECT_TRUE(test, report_has(mark, header, " ubsan_test_shift"));
}

static void ubsan_reports_each_location_once(struct kunit *test)
{
	unsigned long before;

	if (!sanitize_build(test))
		return;
	quietly_begin();
	ubsan_test_shift(1, 70); /* the site may have reported already: once more */
	before = ubsan_report_count();
	ubsan_test_shift(1, 71);
	ubsan_test_shift(1, 72);
	quietly_end();
	KUNIT_EXPECT_EQ(test, ubsan_report_count(), before);
}

static void ubsan_reports_a_signed_overflow(struct kunit *test)
{
	char header[NEEDLE_MAX];
	unsigned long mark;

	if (!sanitize_build(test))
		return;
	mark = log_mark();
	quietly_begin();
	ubsan_test_add(__INT_MAX__, 1);
	quietly_end();
	snprintf(header, sizeof(header),
		 "UBSAN: signed-integer-overflow in " THIS_FILE ":%d:", trigger_line);
	KUNIT_EXPECT_TRUE(test, report_has(mark, header,
					   "2147483647 + 1 cannot be represented in type 'int'"));
}

static void ubsan_reports_an_index_out_of_bounds(struct kunit *test)
{
	char header[NEEDLE_MAX];
	unsigned long mark;

	if (!sanitize_build(test))
		return;
	mark = log_mark();
	quietly_begin();
	ubsan_test_index(4);
	quietly_end();
	snprintf(header, sizeof(header),
		 "UBSAN: array-index-out-of-bounds in " THIS_FILE ":%d:", trigger_line);
	KUNIT_EXPECT_TRUE(test,
			  report_has(mark, header, "index 4 is out of range for type 'int [4]'"));
}

/* Linux's CANARY_MASK: the low byte is zero so string reads stop there. */
static void stack_protector_guard_is_set_with_a_zero_low_byte(struct kunit *test)
{
	if (!sanitize_build(test))
		return;
	KUNIT_EXPECT_NE(test, __stack_chk_guard, 0);
	KUNIT_EXPECT_EQ(test, __stack_chk_guard & CANARY_LOW_BYTE, 0);
}

static struct kunit_case sanitizers_cases[] = {
	KUNIT_CASE(ubsan_reports_an_out_of_bounds_shift),
	KUNIT_CASE(ubsan_reports_each_location_once),
	KUNIT_CASE(ubsan_reports_a_signed_overflow),
	KUNIT_CASE(ubsan_reports_an_index_out_of_bounds),
	KUNIT_CASE(stack_protector_guard_is_set_with_a_zero_low_byte),
	{},
};
static struct kunit_suite sanitizers = {.name = "sanitizers", .test_cases = sanitizers_cases};
kunit_test_suite(sanitizers);

/* A report on the console with every case passing: the host runner must
 * still fail the run, since UBSan goes on after undefined behaviour. */
static void harness_ubsan_reports_and_carries_on(struct kunit *test)
{
	if (!sanitize_build(test))
		return;
	ubsan_test_add(__INT_MAX__, 2);
	KUNIT_EXPECT_TRUE(test, true);
}
static struct kunit_case harness_ubsan_cases[] = {KUNIT_CASE(harness_ubsan_reports_and_carries_on),
						  {}};
static struct kunit_suite harness_ubsan = {
	.name = "harness_ubsan", .test_cases = harness_ubsan_cases, .harness_only = true};
kunit_test_suite(harness_ubsan);

/* Writes one word past buf: onto the canary, short of the saved rbp and
 * the return address, so the protector's check is what notices. */
__attribute__((noipa)) void stack_protector_smash_canary(void);
__attribute__((noipa)) void stack_protector_smash_canary(void)
{
	char buf[16];
	char *volatile p = buf; /* hides the bound from the compiler */

	memset(p, 'A', sizeof(buf) + SMASH_PAST_BUFFER);
}

static void stack_protector_panics_on_a_smashed_canary(struct kunit *test)
{
#ifdef CONFIG_STACKPROTECTOR
	stack_protector_smash_canary();
	KUNIT_EXPECT_TRUE(test, !"the smashed canary went unnoticed");
#else
	kunit_skip(test, "needs the sanitize build (make kernel-sanitize)");
#endif
}

static struct kunit_case stack_protector_smash_cases[] = {
	KUNIT_CASE(stack_protector_panics_on_a_smashed_canary), {}};
/* Harness-only: its pass is a panic, which the host runner checks
 * (tests/runner/test_sanitize.py). */
static struct kunit_suite stack_protector_smash = {.name = "stack_protector_smash",
						   .test_cases = stack_protector_smash_cases,
						   .harness_only = true};
kunit_test_suite(stack_protector_smash);
