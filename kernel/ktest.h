/* ktest: in-kernel test suites with KUnit's vocabulary (struct kunit,
 * KUNIT_CASE, KUNIT_EXPECT_*, KUNIT_ASSERT_*), printing KTAP version 1.
 * An ASSERT ends the case by returning from the case function, so use
 * ASSERTs only in the case function itself; EXPECTs work anywhere. */
#ifndef OOMLAB_KERNEL_KTEST_H
#define OOMLAB_KERNEL_KTEST_H
#include <stdbool.h>
#include <stdint.h>

enum kunit_status { KUNIT_SUCCESS, KUNIT_FAILURE, KUNIT_SKIPPED };

#define KUNIT_STATUS_COMMENT_MAX 128

struct kunit {
	const char *name; /* the case */
	enum kunit_status status;
	char status_comment[KUNIT_STATUS_COMMENT_MAX];
	void *priv; /* for the suite's init/exit */
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

struct kunit_suite {
	const char *name;
	struct kunit_case *test_cases; /* ends with an empty entry */
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	/* Deliberately failing suites that prove the harness: run only when
	 * named exactly, never by a wildcard. */
	bool harness_only;
	/* Memory-management behaviour (zone layout, watermarks, the OOM path)
	 * changes with the amount of RAM, and one boot sees only one amount:
	 * these QEMU -m values, comma-separated without spaces ("16M,64M,4G"),
	 * make the host runner boot the suite once per size (NAME@SIZE).
	 * NULL: once, at the runner's --mem. An explicit --mem overrides. */
	const char *ram_sizes;
	/* Races between tasks: the runner boots the suite once more with
	 * preempt_stress=1 (random ticks of a few tens of microseconds,
	 * each a preemption), as NAME+preempt_stress. */
	bool preempt_stress;
};

#define KUNIT_CASE(fn)                      \
	{                                   \
		.run_case = fn, .name = #fn \
	}
#define kunit_test_suite(suite)                              \
	static const struct kunit_suite *__ktest_ptr_##suite \
		__attribute__((used, section("ktest_suites"))) = &suite

enum kunit_op { KUNIT_OP_EQ, KUNIT_OP_NE, KUNIT_OP_LT, KUNIT_OP_LE, KUNIT_OP_GT, KUNIT_OP_GE };

bool kunit_check_int(struct kunit *test, const char *file, int line, bool is_assert,
		     enum kunit_op op, const char *ltext, long long left, const char *rtext,
		     long long right);
bool kunit_check_uint(struct kunit *test, const char *file, int line, bool is_assert,
		      enum kunit_op op, const char *ltext, unsigned long long left,
		      const char *rtext, unsigned long long right);
bool kunit_check_true(struct kunit *test, const char *file, int line, bool is_assert,
		      const char *text, bool value, bool expected);
bool kunit_check_str(struct kunit *test, const char *file, int line, bool is_assert,
		     bool want_equal, const char *ltext, const char *left, const char *rtext,
		     const char *right);
void kunit_mark_skipped(struct kunit *test, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void kunit_log(struct kunit *test, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define KUNIT_BINARY_INT(test, assert, op, l, r)                                      \
	kunit_check_int(test, __FILE__, __LINE__, assert, op, #l, (long long)(l), #r, \
			(long long)(r))
#define KUNIT_BINARY_UINT(test, assert, op, l, r)                                               \
	kunit_check_uint(test, __FILE__, __LINE__, assert, op, #l, (unsigned long long)(l), #r, \
			 (unsigned long long)(r))

#define KUNIT_EXPECT_EQ(t, l, r) KUNIT_BINARY_INT(t, false, KUNIT_OP_EQ, l, r)
#define KUNIT_EXPECT_NE(t, l, r) KUNIT_BINARY_INT(t, false, KUNIT_OP_NE, l, r)
#define KUNIT_EXPECT_LT(t, l, r) KUNIT_BINARY_INT(t, false, KUNIT_OP_LT, l, r)
#define KUNIT_EXPECT_LE(t, l, r) KUNIT_BINARY_INT(t, false, KUNIT_OP_LE, l, r)
#define KUNIT_EXPECT_GT(t, l, r) KUNIT_BINARY_INT(t, false, KUNIT_OP_GT, l, r)
#define KUNIT_EXPECT_GE(t, l, r) KUNIT_BINARY_INT(t, false, KUNIT_OP_GE, l, r)
/* Unsigned 64-bit comparisons: addresses, sizes, physical addresses. */
#define KUNIT_EXPECT_UEQ(t, l, r) KUNIT_BINARY_UINT(t, false, KUNIT_OP_EQ, l, r)
#define KUNIT_EXPECT_ULT(t, l, r) KUNIT_BINARY_UINT(t, false, KUNIT_OP_LT, l, r)
#define KUNIT_EXPECT_UGE(t, l, r) KUNIT_BINARY_UINT(t, false, KUNIT_OP_GE, l, r)
#define KUNIT_EXPECT_TRUE(t, c) kunit_check_true(t, __FILE__, __LINE__, false, #c, !!(c), true)
#define KUNIT_EXPECT_FALSE(t, c) kunit_check_true(t, __FILE__, __LINE__, false, #c, !!(c), false)
#define KUNIT_EXPECT_NULL(t, p) KUNIT_EXPECT_TRUE(t, (p) == NULL)
#define KUNIT_EXPECT_NOT_NULL(t, p) KUNIT_EXPECT_TRUE(t, (p) != NULL)
#define KUNIT_EXPECT_STREQ(t, l, r) \
	kunit_check_str(t, __FILE__, __LINE__, false, true, #l, l, #r, r)
#define KUNIT_EXPECT_STRNEQ(t, l, r) \
	kunit_check_str(t, __FILE__, __LINE__, false, false, #l, l, #r, r)

#define KUNIT_ASSERT_WRAP(check) \
	do {                     \
		if (!(check))    \
			return;  \
	} while (0)
#define KUNIT_ASSERT_EQ(t, l, r) KUNIT_ASSERT_WRAP(KUNIT_BINARY_INT(t, true, KUNIT_OP_EQ, l, r))
#define KUNIT_ASSERT_NE(t, l, r) KUNIT_ASSERT_WRAP(KUNIT_BINARY_INT(t, true, KUNIT_OP_NE, l, r))
#define KUNIT_ASSERT_GT(t, l, r) KUNIT_ASSERT_WRAP(KUNIT_BINARY_INT(t, true, KUNIT_OP_GT, l, r))
#define KUNIT_ASSERT_GE(t, l, r) KUNIT_ASSERT_WRAP(KUNIT_BINARY_INT(t, true, KUNIT_OP_GE, l, r))
#define KUNIT_ASSERT_TRUE(t, c) \
	KUNIT_ASSERT_WRAP(kunit_check_true(t, __FILE__, __LINE__, true, #c, !!(c), true))
#define KUNIT_ASSERT_NOT_NULL(t, p) KUNIT_ASSERT_TRUE(t, (p) != NULL)

/* Skip the rest of the case with a reason (reported as "# SKIP reason"). */
#define kunit_skip(test, ...)                          \
	do {                                           \
		kunit_mark_skipped(test, __VA_ARGS__); \
		return;                                \
	} while (0)

/* Run every suite matching the comma-separated globs; prints KTAP.
 * Returns true when nothing failed. */
bool ktest_run(const char *globs);
/* Print "ktest-suite: NAME[ harness][ ram=SIZES][ preempt_stress]" for
 * every suite. */
void ktest_list(void);
/* The ktest= and ktest.list switches, read after the command line. */
const char *ktest_boot_globs(void);
bool ktest_boot_list(void);
#endif
