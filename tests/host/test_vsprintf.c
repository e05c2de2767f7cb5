/* Host tests for kernel/vsprintf.c. Read first: libc's snprintf is the
 * oracle for everything C defines (it is captured as libc_format() before
 * kernel/vsprintf.h renames snprintf to ksnprintf); the kernel-only rules
 * (%p layout, "(null)", unknown conversions) are checked against literals. */
#include "tests/host/hosttest.h"
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>

static int libc_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#include "kernel/vsprintf.h"

#define BUF 256

/* Calls the kernel formatter without gcc's format checking, for the
 * deliberately odd formats. */
static int kformat(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#define EXPECT_SAME(fmt, ...)                                               \
	do {                                                                \
		char want[BUF], got[BUF];                                   \
		int nw = libc_format(want, sizeof(want), fmt, __VA_ARGS__); \
		int ng = snprintf(got, sizeof(got), fmt, __VA_ARGS__);      \
		HT_EXPECT_STREQ(got, want);                                 \
		HT_EXPECT_EQ(ng, nw);                                       \
	} while (0)

static void vsprintf_signed_decimal_matches_c_with_all_flags(void)
{
	static const int values[] = {0, 1, -1, 42, -42, 123456, INT_MAX, INT_MIN};
	static const char *const fmts[] = {"%d",   "%5d",  "%-5d|", "%05d",    "%+d",
					   "% d",  "%.3d", "%8.3d", "%-8.3d|", "%+05d",
					   "%.0d", "%i",   "%012d"};

	for (size_t f = 0; f < HT_ARRAY_SIZE(fmts); f++) {
		for (size_t v = 0; v < HT_ARRAY_SIZE(values); v++) {
			char want[BUF], got[BUF];

			libc_format(want, sizeof(want), fmts[f], values[v]);
			kformat(got, sizeof(got), fmts[f], values[v]);
			HT_EXPECT_STREQ(got, want);
		}
	}
}

static void vsprintf_unsigned_hex_octal_match_c_with_alt_forms(void)
{
	static const unsigned values[] = {0, 1, 7, 8, 255, 0xdeadbeef, UINT_MAX};
	static const char *const fmts[] = {"%u",   "%x",    "%X",   "%o",     "%#x",
					   "%#X",  "%#o",   "%08x", "%#010x", "%-#10x|",
					   "%.5x", "%#.0o", "%.0x", "%#5o",   "%#.3o"};

	for (size_t f = 0; f < HT_ARRAY_SIZE(fmts); f++) {
		for (size_t v = 0; v < HT_ARRAY_SIZE(values); v++) {
			char want[BUF], got[BUF];

			libc_format(want, sizeof(want), fmts[f], values[v]);
			kformat(got, sizeof(got), fmts[f], values[v]);
			HT_EXPECT_STREQ(got, want);
		}
	}
}

static void vsprintf_extreme_values_have_no_undefined_behaviour(void)
{
	EXPECT_SAME("%ld %ld", LONG_MIN, LONG_MAX);
	EXPECT_SAME("%lld %llu", LLONG_MIN, ULLONG_MAX);
	EXPECT_SAME("%d %+d", INT_MIN, INT_MIN);
	EXPECT_SAME("%lx %lo", ULONG_MAX, ULONG_MAX);
	EXPECT_SAME("%jd %ju", INTMAX_MIN, UINTMAX_MAX);
}

static void vsprintf_length_modifiers_pick_the_right_width(void)
{
	EXPECT_SAME("%hhd %hhu %hd %hu", 300, 300, 70000, 70000);
	EXPECT_SAME("%hhx %hx", -1, -1);
	EXPECT_SAME("%zu %zd %zx", (size_t)SIZE_MAX, (ssize_t)-5, (size_t)4096);
	EXPECT_SAME("%td %tu", (ptrdiff_t)-9, (ptrdiff_t)9);
	EXPECT_SAME("%lu %llx", 1UL << 40, 1ULL << 63);
}

static void vsprintf_strings_and_chars_honour_width_and_precision(void)
{
	EXPECT_SAME("[%s]", "hello");
	EXPECT_SAME("[%10s]", "hello");
	EXPECT_SAME("[%-10s]", "hello");
	EXPECT_SAME("[%.3s]", "hello");
	EXPECT_SAME("[%8.2s]", "hello");
	EXPECT_SAME("[%c%c]", 'o', 'k');
	EXPECT_SAME("[%3c|%-3c]", 'x', 'y');
	EXPECT_SAME("100%% [%s]", "");
}

static void vsprintf_star_takes_width_and_precision_from_arguments(void)
{
	EXPECT_SAME("[%*d]", 6, 42);
	EXPECT_SAME("[%*d]", -6, 42);
	EXPECT_SAME("[%.*d]", 4, 42);
	EXPECT_SAME("[%.*s]", -1, "abc");
	EXPECT_SAME("[%*.*s]", 7, 2, "abcdef");
}

static void vsprintf_null_string_prints_null(void)
{
	char buf[BUF];
	const char *nothing = NULL;

	HT_EXPECT_EQ(kformat(buf, sizeof(buf), "<%s>", nothing), 8);
	HT_EXPECT_STREQ(buf, "<(null)>");
}

static void vsprintf_precision_never_reads_past_an_unterminated_string(void)
{
	/* ASan flags any read beyond these four bytes. */
	char raw[4] = {'a', 'b', 'c', 'd'};
	char buf[BUF];

	HT_EXPECT_EQ(snprintf(buf, sizeof(buf), "%.4s|", raw), 5);
	HT_EXPECT_STREQ(buf, "abcd|");
}

static void vsprintf_pointer_is_0x_and_16_hex_digits(void)
{
	char buf[BUF];

	snprintf(buf, sizeof(buf), "%p", (void *)0xffffffff80001234ul);
	HT_EXPECT_STREQ(buf, "0xffffffff80001234");
	snprintf(buf, sizeof(buf), "%p", (void *)NULL);
	HT_EXPECT_STREQ(buf, "0x0000000000000000");
	snprintf(buf, sizeof(buf), "[%20p]", (void *)0x10);
	HT_EXPECT_STREQ(buf, "[  0x0000000000000010]");
	snprintf(buf, sizeof(buf), "[%-20p]", (void *)0x10);
	HT_EXPECT_STREQ(buf, "[0x0000000000000010  ]");
}

static void vsprintf_truncates_but_returns_the_full_length(void)
{
	char buf[8];

	memset(buf, '#', sizeof(buf));
	HT_EXPECT_EQ(snprintf(buf, 5, "%s-%d", "abcdef", 12), 9);
	HT_EXPECT_STREQ(buf, "abcd");
	HT_EXPECT_EQ(buf[5], '#');
	HT_EXPECT_EQ(snprintf(buf, 1, "xyz"), 3);
	HT_EXPECT_STREQ(buf, "");
}

static void vsprintf_size_zero_writes_nothing_and_counts(void)
{
	HT_EXPECT_EQ(snprintf(NULL, 0, "%d items in %s", 12345, "zone"), 19);
}

static void vsprintf_unknown_conversion_is_shown_verbatim(void)
{
	char buf[BUF];

	HT_EXPECT_EQ(kformat(buf, sizeof(buf), "a%qb"), 4);
	HT_EXPECT_STREQ(buf, "a%qb");
	HT_EXPECT_EQ(kformat(buf, sizeof(buf), "50%"), 3);
	HT_EXPECT_STREQ(buf, "50%");
	HT_EXPECT_EQ(kformat(buf, sizeof(buf), "x%-5"), 4);
	HT_EXPECT_STREQ(buf, "x%-5");
}

static void vsprintf_huge_width_is_clamped_not_overflowed(void)
{
	char buf[16];
	int n = kformat(buf, sizeof(buf), "%99999999999d", 1);

	HT_EXPECT(n > 1000);
	HT_EXPECT_EQ(strlen(buf), sizeof(buf) - 1);
	n = kformat(buf, sizeof(buf), "%*d", INT_MIN, 1);
	HT_EXPECT(n > 1000);
	HT_EXPECT_EQ(buf[0], '1');
}

static const struct ht_case cases[] = {
	HT_CASE(vsprintf_signed_decimal_matches_c_with_all_flags),
	HT_CASE(vsprintf_unsigned_hex_octal_match_c_with_alt_forms),
	HT_CASE(vsprintf_extreme_values_have_no_undefined_behaviour),
	HT_CASE(vsprintf_length_modifiers_pick_the_right_width),
	HT_CASE(vsprintf_strings_and_chars_honour_width_and_precision),
	HT_CASE(vsprintf_star_takes_width_and_precision_from_arguments),
	HT_CASE(vsprintf_null_string_prints_null),
	HT_CASE(vsprintf_precision_never_reads_past_an_unterminated_string),
	HT_CASE(vsprintf_pointer_is_0x_and_16_hex_digits),
	HT_CASE(vsprintf_truncates_but_returns_the_full_length),
	HT_CASE(vsprintf_size_zero_writes_nothing_and_counts),
	HT_CASE(vsprintf_unknown_conversion_is_shown_verbatim),
	HT_CASE(vsprintf_huge_width_is_clamped_not_overflowed),
};

int main(void)
{
	return ht_run(cases, HT_ARRAY_SIZE(cases));
}
