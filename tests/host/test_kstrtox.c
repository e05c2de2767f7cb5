/* Host tests for kernel/kstrtox.c. Read first: these parsers guard every
 * numeric switch and /proc write, so the cases dwell on what must be
 * refused: partial numbers, empty strings and values that do not fit. */
#include "kernel/errno.h"
#include "kernel/string.h"
#include "tests/host/hosttest.h"

static void kstrtol_parses_decimal_with_optional_sign(void)
{
	long v = 0;

	HT_EXPECT_EQ(kstrtol("42", 10, &v), 0);
	HT_EXPECT_EQ(v, 42);
	HT_EXPECT_EQ(kstrtol("-17", 10, &v), 0);
	HT_EXPECT_EQ(v, -17);
	HT_EXPECT_EQ(kstrtol("+5", 0, &v), 0);
	HT_EXPECT_EQ(v, 5);
	HT_EXPECT_EQ(kstrtol("0", 0, &v), 0);
	HT_EXPECT_EQ(v, 0);
}

static void kstrtol_base0_detects_hex_and_octal_prefixes(void)
{
	long v = 0;

	HT_EXPECT_EQ(kstrtol("0x1F", 0, &v), 0);
	HT_EXPECT_EQ(v, 31);
	HT_EXPECT_EQ(kstrtol("-0x10", 0, &v), 0);
	HT_EXPECT_EQ(v, -16);
	HT_EXPECT_EQ(kstrtol("017", 0, &v), 0);
	HT_EXPECT_EQ(v, 15);
	HT_EXPECT_EQ(kstrtol("08", 0, &v), -EINVAL);
}

static void kstrtol_explicit_base_16_accepts_optional_0x(void)
{
	long v = 0;

	HT_EXPECT_EQ(kstrtol("ff", 16, &v), 0);
	HT_EXPECT_EQ(v, 255);
	HT_EXPECT_EQ(kstrtol("0xff", 16, &v), 0);
	HT_EXPECT_EQ(v, 255);
	HT_EXPECT_EQ(kstrtol("0x1f", 10, &v), -EINVAL);
	HT_EXPECT_EQ(kstrtol("101", 2, &v), 0);
	HT_EXPECT_EQ(v, 5);
}

static void kstrtol_rejects_partial_or_empty_numbers_and_leaves_result(void)
{
	static const char *const bad[] = {"",	"-",   "+",   "12abc", " 12", "12 ",
					  "0x", "--1", "+-1", "1\n\n", "abc"};
	long v = 1234;

	for (size_t i = 0; i < HT_ARRAY_SIZE(bad); i++) {
		if (!HT_EXPECT_EQ(kstrtol(bad[i], 0, &v), -EINVAL))
			printf("# ... for \"%s\"\n", bad[i]);
	}
	HT_EXPECT_EQ(v, 1234);
}

static void kstrtol_allows_one_trailing_newline_as_linux(void)
{
	long v = 0;

	HT_EXPECT_EQ(kstrtol("300\n", 10, &v), 0);
	HT_EXPECT_EQ(v, 300);
}

static void kstrtol_accepts_long_min_and_max_and_refuses_beyond(void)
{
	long v = 0;

	HT_EXPECT_EQ(kstrtol("9223372036854775807", 10, &v), 0);
	HT_EXPECT_EQ(v, __LONG_MAX__);
	HT_EXPECT_EQ(kstrtol("-9223372036854775808", 10, &v), 0);
	HT_EXPECT_EQ(v, -__LONG_MAX__ - 1);
	v = 7;
	HT_EXPECT_EQ(kstrtol("9223372036854775808", 10, &v), -ERANGE);
	HT_EXPECT_EQ(kstrtol("-9223372036854775809", 10, &v), -ERANGE);
	HT_EXPECT_EQ(kstrtol("18446744073709551616", 10, &v), -ERANGE);
	HT_EXPECT_EQ(kstrtol("0xffffffffffffffff", 0, &v), -ERANGE);
	HT_EXPECT_EQ(v, 7);
}

static void kstrtoint_accepts_int_min_and_max_and_refuses_beyond(void)
{
	int v = 0;

	HT_EXPECT_EQ(kstrtoint("2147483647", 10, &v), 0);
	HT_EXPECT_EQ(v, __INT_MAX__);
	HT_EXPECT_EQ(kstrtoint("-2147483648", 0, &v), 0);
	HT_EXPECT_EQ(v, -__INT_MAX__ - 1);
	v = 7;
	HT_EXPECT_EQ(kstrtoint("2147483648", 10, &v), -ERANGE);
	HT_EXPECT_EQ(kstrtoint("-2147483649", 10, &v), -ERANGE);
	HT_EXPECT_EQ(kstrtoint("99999999999999999999", 10, &v), -ERANGE);
	HT_EXPECT_EQ(kstrtoint("12abc", 10, &v), -EINVAL);
	HT_EXPECT_EQ(kstrtoint("", 0, &v), -EINVAL);
	HT_EXPECT_EQ(v, 7);
	HT_EXPECT_EQ(kstrtoint("0x10\n", 0, &v), 0);
	HT_EXPECT_EQ(v, 16);
}

static void kstrtoul_takes_the_whole_unsigned_range_and_no_minus(void)
{
	unsigned long v = 7;

	HT_EXPECT_EQ(kstrtoul("18446744073709551615", 10, &v), 0);
	HT_EXPECT_EQ(v == ~0UL, 1);
	HT_EXPECT_EQ(kstrtoul("18446744073709551616", 10, &v), -ERANGE);
	HT_EXPECT_EQ(kstrtoul("-1", 10, &v), -EINVAL);
	HT_EXPECT_EQ(kstrtoul("0x10\n", 0, &v), 0);
	HT_EXPECT_EQ(v == 16, 1);
}

static void kstrtol_rejects_unsupported_bases(void)
{
	long v = 0;

	HT_EXPECT_EQ(kstrtol("1", 1, &v), -EINVAL);
	HT_EXPECT_EQ(kstrtol("1", 17, &v), -EINVAL);
}

static void kstrtobool_accepts_the_documented_words_in_any_case(void)
{
	static const char *const yes[] = {"1", "y", "Y", "yes", "on", "ON", "true", "True", "y\n"};
	static const char *const no[] = {"0", "n", "N", "no", "off", "Off", "false", "FALSE"};
	bool b;

	for (size_t i = 0; i < HT_ARRAY_SIZE(yes); i++) {
		b = false;
		HT_EXPECT_EQ(kstrtobool(yes[i], &b), 0);
		HT_EXPECT_EQ(b, true);
	}
	for (size_t i = 0; i < HT_ARRAY_SIZE(no); i++) {
		b = true;
		HT_EXPECT_EQ(kstrtobool(no[i], &b), 0);
		HT_EXPECT_EQ(b, false);
	}
}

static void kstrtobool_refuses_everything_else_and_leaves_result(void)
{
	static const char *const bad[] = {"",	"2",   "10", "yellow", "o",    "onn",
					  "of", "tru", " 1", "enable", "1\n\n"};
	bool b = true;

	for (size_t i = 0; i < HT_ARRAY_SIZE(bad); i++) {
		if (!HT_EXPECT_EQ(kstrtobool(bad[i], &b), -EINVAL))
			printf("# ... for \"%s\"\n", bad[i]);
	}
	HT_EXPECT_EQ(b, true);
}

static const struct ht_case cases[] = {
	HT_CASE(kstrtol_parses_decimal_with_optional_sign),
	HT_CASE(kstrtol_base0_detects_hex_and_octal_prefixes),
	HT_CASE(kstrtol_explicit_base_16_accepts_optional_0x),
	HT_CASE(kstrtol_rejects_partial_or_empty_numbers_and_leaves_result),
	HT_CASE(kstrtol_allows_one_trailing_newline_as_linux),
	HT_CASE(kstrtol_accepts_long_min_and_max_and_refuses_beyond),
	HT_CASE(kstrtoint_accepts_int_min_and_max_and_refuses_beyond),
	HT_CASE(kstrtoul_takes_the_whole_unsigned_range_and_no_minus),
	HT_CASE(kstrtol_rejects_unsupported_bases),
	HT_CASE(kstrtobool_accepts_the_documented_words_in_any_case),
	HT_CASE(kstrtobool_refuses_everything_else_and_leaves_result),
};

int main(void)
{
	return ht_run(cases, HT_ARRAY_SIZE(cases));
}
