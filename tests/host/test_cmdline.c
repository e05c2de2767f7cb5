/* Host tests for kernel/cmdline.c: the switch parser students meet first
 * when a lab tells them to boot with "oom.reaper=0". Read first: every case
 * starts from fresh defaults (reset()) and inspects the exact report lines. */
#include "kernel/cmdline.h"
#include "tests/host/hosttest.h"
#include <stdlib.h>

static bool reaper;
static bool kill_reserves;
static long timeout_ms;
static long loglevel;
static int notifier;
static const char *ktest;

static const char *const notifier_names[] = {"inside", "outside", NULL};

static const struct kernel_param params[] = {
	{.name = "oom.reaper", .type = KPARAM_BOOL, .value = &reaper},
	{.name = "oom.kill_reserves", .type = KPARAM_BOOL, .value = &kill_reserves},
	{.name = "oom.reap_timeout_ms",
	 .type = KPARAM_INT,
	 .value = &timeout_ms,
	 .min = 0,
	 .max = 60000},
	{.name = "loglevel", .type = KPARAM_INT, .value = &loglevel, .min = -8, .max = 8},
	{.name = "oom.notifier",
	 .type = KPARAM_ENUM,
	 .value = &notifier,
	 .choices = notifier_names},
	{.name = "ktest", .type = KPARAM_STRING, .value = &ktest},
};

static int parse(const char *line)
{
	return parse_cmdline(line, params, HT_ARRAY_SIZE(params), ht_report);
}

static void reset(void)
{
	reaper = true;
	kill_reserves = false;
	timeout_ms = 0;
	loglevel = 7;
	notifier = 1;
	ktest = "";
	ht_reports_clear();
}

static void cmdline_bool_accepts_every_documented_spelling(void)
{
	static const struct {
		const char *word;
		bool value;
	} cases[] = {
		{"1", true},	{"0", false},	  {"y", true},	{"n", false},
		{"Y", true},	{"N", false},	  {"on", true}, {"off", false},
		{"true", true}, {"false", false}, {"ON", true}, {"False", false},
	};
	char line[64];

	for (size_t i = 0; i < HT_ARRAY_SIZE(cases); i++) {
		reset();
		kill_reserves = !cases[i].value;
		snprintf(line, sizeof(line), "oom.kill_reserves=%s", cases[i].word);
		HT_EXPECT_EQ(parse(line), 0);
		HT_EXPECT_EQ(kill_reserves, cases[i].value);
	}
	HT_EXPECT_EQ(ht_nr_reports, 0);
}

static void cmdline_bare_bool_switch_means_true(void)
{
	reset();
	HT_EXPECT_EQ(parse("oom.kill_reserves"), 0);
	HT_EXPECT_EQ(kill_reserves, true);
}

static void cmdline_bad_bool_keeps_default_and_reports(void)
{
	reset();
	HT_EXPECT_EQ(parse("oom.reaper=maybe"), 1);
	HT_EXPECT_EQ(reaper, true);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0], "cmdline: bad value 'maybe' for 'oom.reaper': expected "
				       "0/1, y/n, on/off or true/false; default '1' stands");
}

static void cmdline_bool_refuses_linux_lenient_prefixes(void)
{
	reset();
	HT_EXPECT_EQ(parse("oom.reaper=no_way oom.kill_reserves=10 oom.reaper=of"), 3);
	HT_EXPECT_EQ(reaper, true);
	HT_EXPECT_EQ(kill_reserves, false);
}

static void cmdline_int_accepts_decimal_hex_and_negative(void)
{
	reset();
	HT_EXPECT_EQ(parse("oom.reap_timeout_ms=250"), 0);
	HT_EXPECT_EQ(timeout_ms, 250);
	HT_EXPECT_EQ(parse("oom.reap_timeout_ms=0x100 loglevel=-3"), 0);
	HT_EXPECT_EQ(timeout_ms, 256);
	HT_EXPECT_EQ(loglevel, -3);
}

static void cmdline_bad_int_keeps_default_and_reports(void)
{
	reset();
	timeout_ms = 100;
	HT_EXPECT_EQ(parse("oom.reap_timeout_ms=12ms"), 1);
	HT_EXPECT_EQ(timeout_ms, 100);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0], "cmdline: bad value '12ms' for 'oom.reap_timeout_ms': "
				       "expected an integer in 0..60000; default '100' stands");
}

static void cmdline_int_out_of_range_keeps_default_and_reports(void)
{
	reset();
	HT_EXPECT_EQ(parse("loglevel=9 oom.reap_timeout_ms=-1 loglevel=99999999999999999999"), 3);
	HT_EXPECT_EQ(loglevel, 7);
	HT_EXPECT_EQ(timeout_ms, 0);
	HT_ASSERT_EQ(ht_nr_reports, 3);
	HT_EXPECT_STREQ(ht_reports[0], "cmdline: bad value '9' for 'loglevel': expected an "
				       "integer in -8..8; default '7' stands");
}

static void cmdline_enum_switch_takes_a_listed_name(void)
{
	reset();
	HT_EXPECT_EQ(parse("oom.notifier=inside"), 0);
	HT_EXPECT_EQ(notifier, 0);
}

static void cmdline_bad_enum_lists_choices_and_reports(void)
{
	reset();
	HT_EXPECT_EQ(parse("oom.notifier=Inside"), 1);
	HT_EXPECT_EQ(notifier, 1);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0], "cmdline: bad value 'Inside' for 'oom.notifier': expected "
				       "one of inside|outside; default 'outside' stands");
}

static void cmdline_valued_switch_without_equals_is_bad_empty_value(void)
{
	reset();
	HT_EXPECT_EQ(parse("loglevel oom.notifier ktest oom.reaper="), 4);
	HT_EXPECT_EQ(loglevel, 7);
	HT_EXPECT_STREQ(ktest, "");
	HT_ASSERT_EQ(ht_nr_reports, 4);
	HT_EXPECT_STREQ(ht_reports[0], "cmdline: bad value '' for 'loglevel': expected an "
				       "integer in -8..8; default '7' stands");
	HT_EXPECT_STREQ(ht_reports[2], "cmdline: bad value '' for 'ktest': expected a string; "
				       "default '' stands");
}

static void cmdline_unknown_switch_is_reported_and_ignored(void)
{
	reset();
	HT_EXPECT_EQ(parse("console=ttyS0 oom.reaper=0 quiet"), 2);
	HT_EXPECT_EQ(reaper, false);
	HT_ASSERT_EQ(ht_nr_reports, 2);
	HT_EXPECT_STREQ(ht_reports[0], "cmdline: unknown switch 'console' ignored");
	HT_EXPECT_STREQ(ht_reports[1], "cmdline: unknown switch 'quiet' ignored");
}

static void cmdline_quoted_value_keeps_its_spaces(void)
{
	reset();
	HT_EXPECT_EQ(parse("ktest=\"oom_* mm_?\" oom.reaper=0"), 0);
	HT_EXPECT_STREQ(ktest, "oom_* mm_?");
	HT_EXPECT_EQ(reaper, false);
}

static void cmdline_unclosed_quote_runs_to_end_of_line(void)
{
	reset();
	HT_EXPECT_EQ(parse("ktest=\"a b oom.reaper=0"), 0);
	HT_EXPECT_STREQ(ktest, "a b oom.reaper=0");
	HT_EXPECT_EQ(reaper, true);
}

static void cmdline_last_occurrence_wins(void)
{
	reset();
	HT_EXPECT_EQ(parse("oom.reaper=0 loglevel=3 oom.reaper=1 loglevel=5 oom.reaper=off"), 0);
	HT_EXPECT_EQ(reaper, false);
	HT_EXPECT_EQ(loglevel, 5);
}

static void cmdline_words_split_on_runs_of_spaces_and_tabs(void)
{
	reset();
	HT_EXPECT_EQ(parse("  \t oom.reaper=0 \t\t  loglevel=2\t"), 0);
	HT_EXPECT_EQ(reaper, false);
	HT_EXPECT_EQ(loglevel, 2);
	HT_EXPECT_EQ(ht_nr_reports, 0);
}

static void cmdline_dash_and_underscore_are_the_same_in_names(void)
{
	reset();
	HT_EXPECT_EQ(parse("oom.reap-timeout-ms=5 oom.kill-reserves"), 0);
	HT_EXPECT_EQ(timeout_ms, 5);
	HT_EXPECT_EQ(kill_reserves, true);
}

static void cmdline_string_value_outlives_the_callers_buffer(void)
{
	char *line = strdup("ktest=oom_*");

	reset();
	HT_ASSERT(line != NULL);
	HT_EXPECT_EQ(parse(line), 0);
	memset(line, 'X', strlen(line));
	free(line);
	HT_EXPECT_STREQ(ktest, "oom_*");
}

static void cmdline_string_value_survives_later_parses(void)
{
	reset();
	HT_EXPECT_EQ(parse("ktest=cmdline,glob"), 0);
	/* A run-time parse (the in-kernel cmdline suite does this) reuses the
	 * scratch copy; the boot value must not change under ktest_run(). */
	HT_EXPECT_EQ(parse("loglevel=6 oom.notifier=inside ktest.level=banana"), 1);
	HT_EXPECT_STREQ(ktest, "cmdline,glob");
}

static void cmdline_overlong_line_is_cut_without_overrun(void)
{
	size_t len = 3 * CMDLINE_MAX;
	char *line = malloc(len + 1);

	reset();
	HT_ASSERT(line != NULL);
	/* A valid switch first, then one huge string value past the limit. */
	memset(line, 'a', len);
	memcpy(line, "loglevel=1 ktest=", 17);
	line[len] = '\0';
	HT_EXPECT_EQ(parse(line), 1);
	HT_EXPECT_EQ(loglevel, 1);
	HT_EXPECT_EQ(strlen(ktest), CMDLINE_MAX - 1 - 17);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0], "cmdline: longer than 2047 bytes; the rest is ignored");
	free(line);
}

static void cmdline_long_bad_value_is_shown_cut_with_ellipsis(void)
{
	char line[600];
	const char *shown;

	reset();
	snprintf(line, sizeof(line), "loglevel=%0500d", 1);
	line[9] = 'x'; /* make it a bad integer */
	HT_EXPECT_EQ(parse(line), 1);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT(!ht_report_too_long);
	HT_EXPECT(strlen(ht_reports[0]) < 200);
	shown = strstr(ht_reports[0], "...'");
	HT_EXPECT(shown != NULL);
	HT_EXPECT_EQ(strncmp(ht_reports[0], "cmdline: bad value 'x000", 24), 0);
}

static void cmdline_long_unknown_name_is_shown_cut(void)
{
	char line[400];

	reset();
	memset(line, 'z', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	HT_EXPECT_EQ(parse(line), 1);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT(!ht_report_too_long);
	HT_EXPECT(strstr(ht_reports[0], "...' ignored") != NULL);
}

static void cmdline_empty_or_null_line_reports_nothing(void)
{
	reset();
	HT_EXPECT_EQ(parse(""), 0);
	HT_EXPECT_EQ(parse(" \t "), 0);
	HT_EXPECT_EQ(parse(NULL), 0);
	HT_EXPECT_EQ(ht_nr_reports, 0);
	HT_EXPECT_EQ(reaper, true);
}

static void cmdline_describe_names_what_each_type_accepts(void)
{
	char buf[128];

	kparam_describe(&params[0], buf, sizeof(buf));
	HT_EXPECT_STREQ(buf, "0/1, y/n, on/off or true/false");
	kparam_describe(&params[2], buf, sizeof(buf));
	HT_EXPECT_STREQ(buf, "an integer in 0..60000");
	kparam_describe(&params[4], buf, sizeof(buf));
	HT_EXPECT_STREQ(buf, "one of inside|outside");
	kparam_describe(&params[5], buf, sizeof(buf));
	HT_EXPECT_STREQ(buf, "a string");
}

static void cmdline_describe_and_format_stay_inside_small_buffers(void)
{
	char buf[8];

	memset(buf, '#', sizeof(buf));
	kparam_describe(&params[4], buf, 5);
	HT_EXPECT_STREQ(buf, "one ");
	HT_EXPECT_EQ(buf[5], '#');
	reset();
	ktest = "a-long-string-value";
	kparam_format_value(&params[5], buf, 4);
	HT_EXPECT_STREQ(buf, "a-l");
	kparam_describe(&params[0], buf, 0);
	HT_EXPECT_EQ(buf[0], 'a');
}

static void cmdline_format_value_shows_current_values(void)
{
	char buf[64];

	reset();
	kparam_format_value(&params[0], buf, sizeof(buf));
	HT_EXPECT_STREQ(buf, "1");
	kparam_format_value(&params[3], buf, sizeof(buf));
	HT_EXPECT_STREQ(buf, "7");
	kparam_format_value(&params[4], buf, sizeof(buf));
	HT_EXPECT_STREQ(buf, "outside");
	notifier = 9;
	kparam_format_value(&params[4], buf, sizeof(buf));
	HT_EXPECT_STREQ(buf, "9");
	ktest = NULL;
	kparam_format_value(&params[5], buf, sizeof(buf));
	HT_EXPECT_STREQ(buf, "");
}

/* Must run last: the string pool is never emptied within one process. */
static void cmdline_full_string_pool_refuses_and_reports(void)
{
	char line[1100];
	const char *before;
	int i;

	reset();
	memcpy(line, "ktest=", 6);
	memset(line + 6, 'g', sizeof(line) - 7);
	line[sizeof(line) - 1] = '\0';
	for (i = 0; i < 8 && ht_nr_reports == 0; i++)
		parse(line);
	HT_EXPECT(i < 8);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0],
			"cmdline: no room left to keep the value of 'ktest'; ignored");
	before = ktest;
	HT_EXPECT_EQ(parse(line), 1);
	HT_EXPECT(ktest == before);
	HT_EXPECT_EQ(strlen(ktest), sizeof(line) - 7);
}

static const struct ht_case cases[] = {
	HT_CASE(cmdline_bool_accepts_every_documented_spelling),
	HT_CASE(cmdline_bare_bool_switch_means_true),
	HT_CASE(cmdline_bad_bool_keeps_default_and_reports),
	HT_CASE(cmdline_bool_refuses_linux_lenient_prefixes),
	HT_CASE(cmdline_int_accepts_decimal_hex_and_negative),
	HT_CASE(cmdline_bad_int_keeps_default_and_reports),
	HT_CASE(cmdline_int_out_of_range_keeps_default_and_reports),
	HT_CASE(cmdline_enum_switch_takes_a_listed_name),
	HT_CASE(cmdline_bad_enum_lists_choices_and_reports),
	HT_CASE(cmdline_valued_switch_without_equals_is_bad_empty_value),
	HT_CASE(cmdline_unknown_switch_is_reported_and_ignored),
	HT_CASE(cmdline_quoted_value_keeps_its_spaces),
	HT_CASE(cmdline_unclosed_quote_runs_to_end_of_line),
	HT_CASE(cmdline_last_occurrence_wins),
	HT_CASE(cmdline_words_split_on_runs_of_spaces_and_tabs),
	HT_CASE(cmdline_dash_and_underscore_are_the_same_in_names),
	HT_CASE(cmdline_string_value_outlives_the_callers_buffer),
	HT_CASE(cmdline_string_value_survives_later_parses),
	HT_CASE(cmdline_overlong_line_is_cut_without_overrun),
	HT_CASE(cmdline_long_bad_value_is_shown_cut_with_ellipsis),
	HT_CASE(cmdline_long_unknown_name_is_shown_cut),
	HT_CASE(cmdline_empty_or_null_line_reports_nothing),
	HT_CASE(cmdline_describe_names_what_each_type_accepts),
	HT_CASE(cmdline_describe_and_format_stay_inside_small_buffers),
	HT_CASE(cmdline_format_value_shows_current_values),
	HT_CASE(cmdline_full_string_pool_refuses_and_reports),
};

int main(void)
{
	return ht_run(cases, HT_ARRAY_SIZE(cases));
}
