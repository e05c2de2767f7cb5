/* Shell-style glob matching, used to pick test suites by name ("oom*,mm_?").
 * Read first: one '*' is remembered at a time; on a mismatch the match
 * restarts after the last '*', one character further into the string. That
 * is enough for globs (a later '*' can absorb anything an earlier one could)
 * and keeps the cost at O(pattern * string) with no recursion. */
#include "kernel/glob.h"
#include "kernel/string.h"
#include <stddef.h>

/* The class whose body starts at p (just after '['). Returns the position
 * after its closing ']' and sets *matched, or NULL when there is no ']' (then
 * the '[' is an ordinary character). A ']' first in the class is a member. */
static const char *match_class(const char *p, const char *end, unsigned char c, bool *matched)
{
	bool negate = p < end && (*p == '!' || *p == '^');
	const char *first;
	bool hit = false;

	if (negate)
		p++;
	first = p;
	while (p < end && (*p != ']' || p == first)) {
		unsigned char lo = (unsigned char)p[0], hi = lo;

		if (end - p >= 3 && p[1] == '-' && p[2] != ']') {
			hi = (unsigned char)p[2];
			p += 3;
		} else {
			p++;
		}
		if (lo <= c && c <= hi)
			hit = true;
	}
	if (p >= end)
		return NULL;
	*matched = hit != negate;
	return p + 1;
}

/* Does the pattern element at *pat (not '*') match the character c? *pat is
 * moved past the element. */
static bool match_element(const char **pat, const char *end, char c)
{
	const char *p = *pat;
	const char *after;
	bool matched;

	switch (*p) {
	case '?': *pat = p + 1; return true;
	case '[':
		after = match_class(p + 1, end, (unsigned char)c, &matched);
		if (after) {
			*pat = after;
			return matched;
		}
		break;
	case '\\':
		/* An escaped character is literal; a trailing '\' is itself. */
		if (end - p >= 2)
			p++;
		break;
	}
	*pat = p + 1;
	return *p == c;
}

/* Match str against the pattern [pat, end). */
static bool match_range(const char *pat, const char *end, const char *str)
{
	const char *star_pat = NULL, *star_str = NULL;

	for (;;) {
		if (pat < end && *pat == '*') {
			star_pat = ++pat;
			star_str = str;
			continue;
		}
		if (pat == end) {
			if (*str == '\0')
				return true;
		} else if (*str != '\0' && match_element(&pat, end, *str)) {
			str++;
			continue;
		}
		/* Mismatch: let the last '*' swallow one more character. */
		if (!star_pat || *star_str == '\0')
			return false;
		pat = star_pat;
		str = ++star_str;
	}
}

bool glob_match(const char *pattern, const char *str)
{
	return match_range(pattern, pattern + strlen(pattern), str);
}

/* A ',' always separates globs, even inside a [class]. */
bool glob_match_list(const char *list, const char *str)
{
	for (;;) {
		const char *comma = strchr(list, ',');
		const char *end = comma ? comma : list + strlen(list);

		if (match_range(list, end, str))
			return true;
		if (!comma)
			return false;
		list = comma + 1;
	}
}
