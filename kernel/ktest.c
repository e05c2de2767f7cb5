/* The ktest runner: finds suites in the "ktest_suites" section and prints
 * KTAP version 1 as Linux's KUnit does (a top-level plan of suites, each
 * suite a subtest indented by four spaces). Failure diagnostics are "# "
 * lines printed before the case's "not ok" line. */
#include "kernel/ktest.h"
#include "kernel/cmdline.h"
#include "kernel/glob.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include <stdarg.h>

#define KTAP_INDENT "    "
#define DIAG_LINE_MAX 256

extern const struct kunit_suite *const __start_ktest_suites[], *const __stop_ktest_suites[];

static const char *ktest_globs = "";
static bool ktest_list_requested;
core_param_string(ktest, "ktest", ktest_globs, "run the test suites matching these globs (a,b*)");
core_param_bool(ktest_list, "ktest.list", ktest_list_requested, "list the test suites and exit");

const char *ktest_boot_globs(void)
{
	return ktest_globs;
}
bool ktest_boot_list(void)
{
	return ktest_list_requested;
}

static const char *const op_text[] = {"==", "!=", "<", "<=", ">", ">="};

static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void diag(const char *fmt, ...)
{
	char line[DIAG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_printf(KTAP_INDENT "# %s\n", line);
}

static void report_failure(struct kunit *test, const char *file, int line, bool is_assert)
{
	test->status = KUNIT_FAILURE;
	diag("%s: %s FAILED at %s:%d", test->name, is_assert ? "ASSERTION" : "EXPECTATION", file,
	     line);
}

static bool compare_signed(enum kunit_op op, long long l, long long r)
{
	switch (op) {
	case KUNIT_OP_EQ: return l == r;
	case KUNIT_OP_NE: return l != r;
	case KUNIT_OP_LT: return l < r;
	case KUNIT_OP_LE: return l <= r;
	case KUNIT_OP_GT: return l > r;
	case KUNIT_OP_GE: return l >= r;
	}
	return false;
}

static bool compare_unsigned(enum kunit_op op, unsigned long long l, unsigned long long r)
{
	switch (op) {
	case KUNIT_OP_EQ: return l == r;
	case KUNIT_OP_NE: return l != r;
	case KUNIT_OP_LT: return l < r;
	case KUNIT_OP_LE: return l <= r;
	case KUNIT_OP_GT: return l > r;
	case KUNIT_OP_GE: return l >= r;
	}
	return false;
}

bool kunit_check_int(struct kunit *test, const char *file, int line, bool is_assert,
		     enum kunit_op op, const char *ltext, long long left, const char *rtext,
		     long long right)
{
	if (compare_signed(op, left, right))
		return true;
	report_failure(test, file, line, is_assert);
	diag("Expected %s %s %s, but", ltext, op_text[op], rtext);
	diag("    %s == %lld (0x%llx)", ltext, left, (unsigned long long)left);
	diag("    %s == %lld (0x%llx)", rtext, right, (unsigned long long)right);
	return false;
}

bool kunit_check_uint(struct kunit *test, const char *file, int line, bool is_assert,
		      enum kunit_op op, const char *ltext, unsigned long long left,
		      const char *rtext, unsigned long long right)
{
	if (compare_unsigned(op, left, right))
		return true;
	report_failure(test, file, line, is_assert);
	diag("Expected %s %s %s, but", ltext, op_text[op], rtext);
	diag("    %s == %llu (0x%llx)", ltext, left, left);
	diag("    %s == %llu (0x%llx)", rtext, right, right);
	return false;
}

bool kunit_check_true(struct kunit *test, const char *file, int line, bool is_assert,
		      const char *text, bool value, bool expected)
{
	if (value == expected)
		return true;
	report_failure(test, file, line, is_assert);
	diag("Expected %s to be %s, but is %s", text, expected ? "true" : "false",
	     value ? "true" : "false");
	return false;
}

bool kunit_check_str(struct kunit *test, const char *file, int line, bool is_assert,
		     bool want_equal, const char *ltext, const char *left, const char *rtext,
		     const char *right)
{
	bool equal = left && right && strcmp(left, right) == 0;

	if (equal == want_equal)
		return true;
	report_failure(test, file, line, is_assert);
	diag("Expected %s %s %s, but", ltext, want_equal ? "==" : "!=", rtext);
	diag("    %s == \"%s\"", ltext, left ? left : "(null)");
	diag("    %s == \"%s\"", rtext, right ? right : "(null)");
	return false;
}

void kunit_mark_skipped(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	test->status = KUNIT_SKIPPED;
	va_start(ap, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, ap);
	va_end(ap);
}

void kunit_log(struct kunit *test, const char *fmt, ...)
{
	char line[DIAG_LINE_MAX];
	va_list ap;

	(void)test;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	diag("%s", line);
}

static bool has_wildcard(const char *s)
{
	return strchr(s, '*') || strchr(s, '?') || strchr(s, '[');
}

/* Harness-only suites match only a glob that names them without wildcards. */
static bool suite_selected(const struct kunit_suite *suite, const char *globs)
{
	char item[64];
	const char *p = globs;

	if (!suite->harness_only)
		return glob_match_list(globs, suite->name);
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len < sizeof(item)) {
			memcpy(item, p, len);
			item[len] = '\0';
			if (!has_wildcard(item) && strcmp(item, suite->name) == 0)
				return true;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	return false;
}

static int count_cases(const struct kunit_suite *suite)
{
	int n = 0;
	while (suite->test_cases[n].run_case)
		n++;
	return n;
}

static void run_case(const struct kunit_suite *suite, struct kunit_case *c, int index, int *failed)
{
	struct kunit test = {.name = c->name, .status = KUNIT_SUCCESS};

	if (suite->init && suite->init(&test) != 0) {
		test.status = KUNIT_FAILURE;
		diag("%s: suite init failed", c->name);
	} else {
		c->run_case(&test);
		if (suite->exit)
			suite->exit(&test);
	}
	if (test.status == KUNIT_SKIPPED)
		console_printf(KTAP_INDENT "ok %d %s # SKIP %s\n", index, c->name,
			       test.status_comment);
	else if (test.status == KUNIT_SUCCESS)
		console_printf(KTAP_INDENT "ok %d %s\n", index, c->name);
	else {
		console_printf(KTAP_INDENT "not ok %d %s\n", index, c->name);
		(*failed)++;
	}
}

static bool run_suite(const struct kunit_suite *suite, int index)
{
	int n = count_cases(suite), failed = 0;

	console_printf(KTAP_INDENT "KTAP version 1\n");
	console_printf(KTAP_INDENT "# Subtest: %s\n", suite->name);
	console_printf(KTAP_INDENT "1..%d\n", n);
	for (int i = 0; i < n; i++)
		run_case(suite, &suite->test_cases[i], i + 1, &failed);
	console_printf("%s %d %s\n", failed ? "not ok" : "ok", index, suite->name);
	return failed == 0;
}

bool ktest_run(const char *globs)
{
	const struct kunit_suite *const *s;
	int nsuites = 0, index = 0;
	bool ok = true;

	for (s = __start_ktest_suites; s < __stop_ktest_suites; s++)
		nsuites += suite_selected(*s, globs);
	console_printf("KTAP version 1\n1..%d\n", nsuites);
	for (s = __start_ktest_suites; s < __stop_ktest_suites; s++)
		if (suite_selected(*s, globs))
			ok &= run_suite(*s, ++index);
	return ok;
}

void ktest_list(void)
{
	for (const struct kunit_suite *const *s = __start_ktest_suites; s < __stop_ktest_suites;
	     s++)
		console_printf("ktest-suite: %s%s%s%s%s\n", (*s)->name,
			       (*s)->harness_only ? " harness" : "", (*s)->ram_sizes ? " ram=" : "",
			       (*s)->ram_sizes ? (*s)->ram_sizes : "",
			       (*s)->preempt_stress ? " preempt_stress" : "");
}
