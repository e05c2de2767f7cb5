/* printk and the log ring: what is printed is kept, with its level and a
 * timestamp, one record per line, and dmesg reads it back in order. */
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/string.h"

#define LINE_MAX 320

/* Copy the newest record containing needle into out; returns its level,
 * or -1 when no record has it. */
static int find_record(const char *needle, char *out, size_t len)
{
	char line[LINE_MAX];
	unsigned long seq = 0;
	int level, found = -1;

	while (printk_get_record(&seq, line, sizeof(line), &level) == 0) {
		if (strstr(line, needle)) {
			found = level;
			strscpy(out, line, len);
		}
	}
	return found;
}

static void printk_record_keeps_text_and_level(struct kunit *test)
{
	char line[LINE_MAX];
	long saved = console_loglevel;

	console_loglevel = 0; /* keep the test's lines off the console */
	printk(KERN_ERR "ktest-printk marker %d", 42);
	console_loglevel = saved;
	KUNIT_EXPECT_EQ(test, find_record("ktest-printk marker 42", line, sizeof(line)), 3);
}

static void printk_without_level_uses_default(struct kunit *test)
{
	char line[LINE_MAX];
	long saved = console_loglevel;

	console_loglevel = 0;
	printk("ktest-printk default level");
	console_loglevel = saved;
	KUNIT_EXPECT_EQ(test, find_record("ktest-printk default level", line, sizeof(line)),
			LOGLEVEL_DEFAULT);
}

static void printk_splits_lines_into_records(struct kunit *test)
{
	char line[LINE_MAX];
	long saved = console_loglevel;

	console_loglevel = 0;
	pr_info("ktest-split first\nktest-split second");
	console_loglevel = saved;
	KUNIT_EXPECT_EQ(test, find_record("ktest-split first", line, sizeof(line)), 6);
	KUNIT_EXPECT_NULL(test, strstr(line, "second"));
	KUNIT_EXPECT_EQ(test, find_record("ktest-split second", line, sizeof(line)), 6);
}

static void printk_line_has_linux_timestamp(struct kunit *test)
{
	char line[LINE_MAX];
	long saved = console_loglevel;

	console_loglevel = 0;
	pr_info("ktest-timestamp");
	console_loglevel = saved;
	KUNIT_ASSERT_GE(test, find_record("ktest-timestamp", line, sizeof(line)), 0);
	/* "[    s.uuuuuu] text": '[', 5-wide seconds, '.', 6 digits, "] " */
	KUNIT_EXPECT_EQ(test, line[0], '[');
	KUNIT_EXPECT_EQ(test, line[6], '.');
	KUNIT_EXPECT_EQ(test, line[13], ']');
	KUNIT_EXPECT_EQ(test, line[14], ' ');
	KUNIT_EXPECT_STREQ(test, line + 15, "ktest-timestamp");
}

static void printk_timestamps_never_go_backwards(struct kunit *test)
{
	char line[LINE_MAX], prev[LINE_MAX] = "";
	unsigned long seq = 0;

	while (printk_get_record(&seq, line, sizeof(line), NULL) == 0) {
		/* Fixed-width "[sssss.uuuuuu]" prefixes compare as strings. */
		KUNIT_EXPECT_LE(test, strncmp(prev, line, 14), 0);
		memcpy(prev, line, sizeof(prev));
	}
}

static struct kunit_case printk_cases[] = {
	KUNIT_CASE(printk_record_keeps_text_and_level),
	KUNIT_CASE(printk_without_level_uses_default),
	KUNIT_CASE(printk_splits_lines_into_records),
	KUNIT_CASE(printk_line_has_linux_timestamp),
	KUNIT_CASE(printk_timestamps_never_go_backwards),
	{},
};
static struct kunit_suite printk_suite = {.name = "printk", .test_cases = printk_cases};
kunit_test_suite(printk_suite);
