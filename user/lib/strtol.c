/* strtol.c: number parsing and a small qsort. Read first: strtoul parses
 * the magnitude once for every variant; the signed ones clamp it to
 * LONG_MIN/LONG_MAX and set ERANGE, as C requires. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int digit_value(int c)
{
	if (isdigit(c))
		return c - '0';
	if (isalpha(c))
		return tolower(c) - 'a' + 10;
	return 99;
}

/* Base 0 picks 16 for "0x", 8 for a leading 0, else 10. */
static int pick_base(const char **sp, int base)
{
	const char *s = *sp;
	int hex = s[0] == '0' && (s[1] | 32) == 'x' && digit_value(s[2]) < 16;

	if ((base == 0 || base == 16) && hex) {
		*sp = s + 2;
		return 16;
	}
	if (base == 0)
		return s[0] == '0' ? 8 : 10;
	return base;
}

/* Parses the digits; *neg gets the sign, *overflow whether they passed
 * ULONG_MAX. Returns the magnitude and sets *end past the last digit. */
static unsigned long parse_magnitude(const char *s, char **end, int base, int *neg, int *overflow)
{
	const char *start = s;
	unsigned long v = 0;
	int any = 0, d;

	*neg = *overflow = 0;
	while (isspace(*s))
		s++;
	if (*s == '+' || *s == '-')
		*neg = *s++ == '-';
	base = pick_base(&s, base);
	if (base < 2 || base > 36) {
		errno = EINVAL;
		s = start;
	} else {
		for (; (d = digit_value(*s)) < base; s++, any = 1) {
			if (v > (ULONG_MAX - (unsigned long)d) / (unsigned long)base)
				*overflow = 1;
			v = v * (unsigned long)base + (unsigned long)d;
		}
	}
	if (end)
		*end = (char *)(any ? s : start);
	return v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	int neg, overflow;
	unsigned long v = parse_magnitude(s, end, base, &neg, &overflow);

	if (overflow) {
		errno = ERANGE;
		return ULONG_MAX;
	}
	return neg ? -v : v;
}

long strtol(const char *s, char **end, int base)
{
	int neg, overflow;
	unsigned long v = parse_magnitude(s, end, base, &neg, &overflow);
	unsigned long limit = neg ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;

	if (overflow || v > limit) {
		errno = ERANGE;
		return neg ? LONG_MIN : LONG_MAX;
	}
	return neg ? (long)-v : (long)v;
}

long long strtoll(const char *s, char **end, int base)
{
	return strtol(s, end, base);
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	return strtoul(s, end, base);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

int abs(int x)
{
	return x < 0 ? -x : x;
}

static void swap_bytes(char *a, char *b, size_t size)
{
	while (size--) {
		char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

/* Insertion sort: the lists here (processes, directory entries) are short,
 * and a stable, obviously correct sort is worth more than speed. */
void qsort(void *base, size_t nmemb, size_t size, int (*cmp)(const void *, const void *))
{
	char *a = base;

	for (size_t i = 1; i < nmemb; i++) {
		for (size_t j = i; j > 0 && cmp(a + (j - 1) * size, a + j * size) > 0; j--)
			swap_bytes(a + (j - 1) * size, a + j * size, size);
	}
}
