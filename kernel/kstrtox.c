/* kstrtol, kstrtoul, kstrtoint and kstrtobool: Linux's strict string-to-value
 * parsers. Read first: the whole string must be the value (a single
 * trailing newline aside); "12abc" or "" is -EINVAL, never a partial number. */
#include "kernel/errno.h"
#include "kernel/string.h"

#define KSTRTO_MAX_BASE 16
/* <limits.h> is not freestanding-clean with a libc installed; gcc's own
 * predefined macros give the same values. */
#define LONG_MAX_VALUE ((unsigned long)__LONG_MAX__)
#define ULONG_MAX_VALUE (~0UL)
#define INT_MAX_VALUE ((long)__INT_MAX__)
#define INT_MIN_VALUE (-INT_MAX_VALUE - 1)

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

static bool is_end(const char *s)
{
	return s[0] == '\0' || (s[0] == '\n' && s[1] == '\0');
}

/* Base 0 looks at the prefix; base 16 also accepts (and skips) "0x". */
static const char *skip_radix_prefix(const char *s, unsigned int *base)
{
	bool hex_prefix = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) >= 0 &&
			  digit_value(s[2]) < 16;

	if (*base == 0) {
		if (hex_prefix)
			*base = 16;
		else if (s[0] == '0')
			*base = 8;
		else
			*base = 10;
	}
	if (*base == 16 && hex_prefix)
		s += 2;
	return s;
}

/* The magnitude of an unsigned number that must fill the rest of s. */
static int parse_magnitude(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long val = 0;
	bool overflow = false;

	s = skip_radix_prefix(s, &base);
	if (base < 2 || base > KSTRTO_MAX_BASE || is_end(s))
		return -EINVAL;
	for (; !is_end(s); s++) {
		int d = digit_value(*s);

		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (val > (ULONG_MAX_VALUE - (unsigned long)d) / base)
			overflow = true;
		val = val * base + (unsigned long)d;
	}
	if (overflow)
		return -ERANGE;
	*res = val;
	return 0;
}

int kstrtol(const char *s, unsigned int base, long *res)
{
	unsigned long mag;
	bool negative = false;
	int err;

	if (*s == '-' || *s == '+')
		negative = *s++ == '-';
	err = parse_magnitude(s, base, &mag);
	if (err)
		return err;
	/* LONG_MIN's magnitude is one more than LONG_MAX's. */
	if (negative) {
		if (mag > LONG_MAX_VALUE + 1)
			return -ERANGE;
		*res = mag == LONG_MAX_VALUE + 1 ? -__LONG_MAX__ - 1 : -(long)mag;
	} else {
		if (mag > LONG_MAX_VALUE)
			return -ERANGE;
		*res = (long)mag;
	}
	return 0;
}

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	if (*s == '+')
		s++;
	return parse_magnitude(s, base, res);
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	long v;
	int err = kstrtol(s, base, &v);

	if (err)
		return err;
	if (v < INT_MIN_VALUE || v > INT_MAX_VALUE)
		return -ERANGE;
	*res = (int)v;
	return 0;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive whole-string comparison against a lowercase word. */
static bool word_is(const char *s, const char *word)
{
	while (*word && lower(*s) == *word) {
		s++;
		word++;
	}
	return *word == '\0' && is_end(s);
}

static const char *const true_words[] = {"1", "y", "yes", "on", "true", NULL};
static const char *const false_words[] = {"0", "n", "no", "off", "false", NULL};

int kstrtobool(const char *s, bool *res)
{
	for (int i = 0; true_words[i]; i++) {
		if (word_is(s, true_words[i])) {
			*res = true;
			return 0;
		}
	}
	for (int i = 0; false_words[i]; i++) {
		if (word_is(s, false_words[i])) {
			*res = false;
			return 0;
		}
	}
	return -EINVAL;
}
