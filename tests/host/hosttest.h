/* A tiny KTAP-printing harness for the host unit tests. Read first: each
 * test binary lists its cases in one table and calls ht_run(), which prints
 * "KTAP version 1", the plan, then "ok N name" or "not ok N name" per case,
 * with each failed check as a "# file:line: ..." diagnostic just before. The
 * exit status is 0 iff every case passed. */
#ifndef OOMLAB_TESTS_HOST_HOSTTEST_H
#define OOMLAB_TESTS_HOST_HOSTTEST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct ht_case {
	const char *name;
	void (*fn)(void);
};

/* One table entry; the test's function name is its KTAP name. */
#define HT_CASE(fn)     \
	{               \
#fn, fn \
	}
#define HT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool ht_current_failed;

static inline bool ht_fail_begin(const char *file, int line)
{
	ht_current_failed = true;
	printf("# %s:%d: ", file, line);
	return false;
}

static inline bool ht_check(const char *file, int line, bool ok, const char *expr)
{
	if (ok)
		return true;
	ht_fail_begin(file, line);
	printf("expected %s\n", expr);
	return false;
}

static inline bool ht_check_int(const char *file, int line, const char *a_expr, const char *b_expr,
				long long a, long long b)
{
	if (a == b)
		return true;
	ht_fail_begin(file, line);
	printf("expected %s == %s, got %lld != %lld\n", a_expr, b_expr, a, b);
	return false;
}

static inline bool ht_check_uint(const char *file, int line, const char *a_expr, const char *b_expr,
				 unsigned long long a, unsigned long long b)
{
	if (a == b)
		return true;
	ht_fail_begin(file, line);
	printf("expected %s == %s, got 0x%llx != 0x%llx\n", a_expr, b_expr, a, b);
	return false;
}

/* Strings are shown quoted so that trailing spaces and "" are visible. */
static inline bool ht_check_str(const char *file, int line, const char *a_expr, const char *b_expr,
				const char *a, const char *b)
{
	bool equal = (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);

	if (equal)
		return true;
	ht_fail_begin(file, line);
	printf("expected %s == %s, got ", a_expr, b_expr);
	printf(a ? "\"%s\"" : "%s", a ? a : "NULL");
	printf(" != ");
	printf(b ? "\"%s\"" : "%s", b ? b : "NULL");
	printf("\n");
	return false;
}

/* EXPECT checks record a failure and carry on; ASSERT ones also end the case. */
#define HT_EXPECT(cond) ht_check(__FILE__, __LINE__, (cond), #cond)
#define HT_EXPECT_EQ(a, b) ht_check_int(__FILE__, __LINE__, #a, #b, (long long)(a), (long long)(b))
#define HT_EXPECT_EQ_U(a, b) \
	ht_check_uint(__FILE__, __LINE__, #a, #b, (unsigned long long)(a), (unsigned long long)(b))
#define HT_EXPECT_STREQ(a, b) ht_check_str(__FILE__, __LINE__, #a, #b, (a), (b))
#define HT_ASSERT(cond)               \
	do {                          \
		if (!HT_EXPECT(cond)) \
			return;       \
	} while (0)
#define HT_ASSERT_EQ(a, b)               \
	do {                             \
		if (!HT_EXPECT_EQ(a, b)) \
			return;          \
	} while (0)

/* Capture for the one-line report callbacks (cmdline, bootinfo): keeps the
 * lines in order and notes any line longer than a printk record allows. */
#define HT_REPORTS_MAX 32
#define HT_REPORT_LEN 512
#define HT_REPORT_LONGEST_OK 255

static char ht_reports[HT_REPORTS_MAX][HT_REPORT_LEN];
static int ht_nr_reports;
static bool ht_report_too_long;

static inline void ht_reports_clear(void)
{
	ht_nr_reports = 0;
	ht_report_too_long = false;
}

static inline void ht_report(const char *msg)
{
	if (strlen(msg) > HT_REPORT_LONGEST_OK || strchr(msg, '\n'))
		ht_report_too_long = true;
	if (ht_nr_reports < HT_REPORTS_MAX)
		snprintf(ht_reports[ht_nr_reports], HT_REPORT_LEN, "%s", msg);
	ht_nr_reports++;
}

static inline int ht_run(const struct ht_case *cases, size_t n)
{
	size_t failed = 0;

	/* Unbuffered output keeps diagnostics in order even if a case crashes
	 * under the sanitizers. */
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("KTAP version 1\n");
	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		ht_current_failed = false;
		cases[i].fn();
		printf("%s %zu %s\n", ht_current_failed ? "not ok" : "ok", i + 1, cases[i].name);
		failed += ht_current_failed;
	}
	printf("# Totals: pass:%zu fail:%zu\n", n - failed, failed);
	return failed ? 1 : 0;
}
#endif
