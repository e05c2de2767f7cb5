/* Kernel command-line parsing against the table of registered switches.
 * Read first: the line is cut into words in a static scratch copy; an
 * accepted string value is then copied into an append-only pool, so it
 * stays valid for good, even when a later parse (a run-time setting, a
 * test) reuses the scratch. A bad word is reported and skipped, never fatal. */
#include "kernel/cmdline.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"

/* Limits on what one report line shows, so it always fits a printk record:
 * the longest possible line is 55 fixed characters plus these, 247 in all. */
#define REPORT_MAX 256
#define SHOWN_VALUE_MAX 64
#define SHOWN_NAME_MAX 32
#define SHOWN_UNKNOWN_MAX 64
#define SHOWN_DESCRIBE_MAX 64
#define SHOWN_DEFAULT_MAX 32
#define ELLIPSIS "..."
#define ELLIPSIS_LEN 3

static char cmdline_copy[CMDLINE_MAX];
static char string_pool[CMDLINE_STRING_POOL];
static size_t string_pool_used;

enum apply_result { APPLIED, BAD_VALUE, NO_ROOM };

struct word {
	char *name;
	char *value; /* NULL when the word has no '=' */
};

static bool is_separator(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Returns true when the line was longer than the copy can hold. */
static bool copy_line(const char *line)
{
	size_t i = 0;

	if (line) {
		for (; i < CMDLINE_MAX - 1 && line[i]; i++)
			cmdline_copy[i] = line[i];
	}
	cmdline_copy[i] = '\0';
	return line && line[i] != '\0';
}

/* "\"a b\"" -> "a b"; an unclosed quote runs to the end of the word. */
static char *unquote(char *value)
{
	size_t len;

	if (value[0] != '"')
		return value;
	value++;
	len = strlen(value);
	if (len > 0 && value[len - 1] == '"')
		value[len - 1] = '\0';
	return value;
}

/* Cut the next word out of the buffer at *pos. Separators inside double
 * quotes do not end a word; the first unquoted '=' splits name from value. */
static bool next_word(char **pos, struct word *w)
{
	char *p = *pos;
	bool quoted = false;

	while (is_separator(*p))
		p++;
	if (*p == '\0')
		return false;
	w->name = p;
	w->value = NULL;
	for (; *p && (quoted || !is_separator(*p)); p++) {
		if (*p == '"') {
			quoted = !quoted;
		} else if (*p == '=' && !quoted && !w->value) {
			*p = '\0';
			w->value = p + 1;
		}
	}
	if (*p)
		*p++ = '\0';
	*pos = p;
	if (w->value)
		w->value = unquote(w->value);
	return true;
}

/* As Linux, '-' and '_' are the same character in a switch name. */
static char name_char(char c)
{
	return c == '-' ? '_' : c;
}

static bool name_matches(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		if (name_char(*a) != name_char(*b))
			return false;
	}
	return *a == *b;
}

static const struct kernel_param *find_param(const char *name, const struct kernel_param *params,
					     size_t nparams)
{
	for (size_t i = 0; i < nparams; i++) {
		if (params[i].name && name_matches(name, params[i].name))
			return &params[i];
	}
	return NULL;
}

/* Copy at most max characters of src into dst (max + 1 bytes); a longer src
 * is cut and ends in "..." so the reader sees that it was cut. */
static void shorten(char *dst, const char *src, size_t max)
{
	size_t len = strnlen(src, max + 1);

	if (len <= max) {
		memcpy(dst, src, len + 1);
		return;
	}
	memcpy(dst, src, max - ELLIPSIS_LEN);
	memcpy(dst + max - ELLIPSIS_LEN, ELLIPSIS, ELLIPSIS_LEN + 1);
}

static void report_unknown(const char *name, cmdline_report_fn report)
{
	char shown[SHOWN_UNKNOWN_MAX + 1];
	char msg[REPORT_MAX];

	shorten(shown, name, SHOWN_UNKNOWN_MAX);
	snprintf(msg, sizeof(msg), "cmdline: unknown switch '%s' ignored", shown);
	report(msg);
}

static void report_truncated(cmdline_report_fn report)
{
	char msg[REPORT_MAX];

	snprintf(msg, sizeof(msg), "cmdline: longer than %d bytes; the rest is ignored",
		 CMDLINE_MAX - 1);
	report(msg);
}

static void report_no_room(const struct kernel_param *p, cmdline_report_fn report)
{
	char shown_name[SHOWN_NAME_MAX + 1];
	char msg[REPORT_MAX];

	shorten(shown_name, p->name, SHOWN_NAME_MAX);
	snprintf(msg, sizeof(msg), "cmdline: no room left to keep the value of '%s'; ignored",
		 shown_name);
	report(msg);
}

static void report_bad_value(const struct kernel_param *p, const char *value,
			     cmdline_report_fn report)
{
	/* One spare byte each, so that a full buffer means "was cut". */
	char describe[SHOWN_DESCRIBE_MAX + 2], current[SHOWN_DEFAULT_MAX + 2];
	char shown_value[SHOWN_VALUE_MAX + 1], shown_name[SHOWN_NAME_MAX + 1];
	char shown_describe[SHOWN_DESCRIBE_MAX + 1], shown_default[SHOWN_DEFAULT_MAX + 1];
	char msg[REPORT_MAX];

	kparam_describe(p, describe, sizeof(describe));
	kparam_format_value(p, current, sizeof(current));
	shorten(shown_value, value ? value : "", SHOWN_VALUE_MAX);
	shorten(shown_name, p->name, SHOWN_NAME_MAX);
	shorten(shown_describe, describe, SHOWN_DESCRIBE_MAX);
	shorten(shown_default, current, SHOWN_DEFAULT_MAX);
	snprintf(msg, sizeof(msg),
		 "cmdline: bad value '%s' for '%s': expected %s; default '%s' stands", shown_value,
		 shown_name, shown_describe, shown_default);
	report(msg);
}

static bool set_bool(const struct kernel_param *p, const char *value)
{
	bool v;

	if (!value) {
		*(bool *)p->value = true; /* a bare "name" switches it on */
		return true;
	}
	if (kstrtobool(value, &v))
		return false;
	*(bool *)p->value = v;
	return true;
}

static bool set_int(const struct kernel_param *p, const char *value)
{
	long v;

	if (!value || kstrtol(value, 0, &v) || v < p->min || v > p->max)
		return false;
	*(long *)p->value = v;
	return true;
}

static bool set_enum(const struct kernel_param *p, const char *value)
{
	if (!value || !p->choices)
		return false;
	for (int i = 0; p->choices[i]; i++) {
		if (strcmp(value, p->choices[i]) == 0) {
			*(int *)p->value = i;
			return true;
		}
	}
	return false;
}

/* A copy of s that is never overwritten, or NULL when the pool is full. */
static const char *keep_string(const char *s)
{
	size_t len = strlen(s) + 1;
	char *copy;

	if (len > sizeof(string_pool) - string_pool_used)
		return NULL;
	copy = string_pool + string_pool_used;
	memcpy(copy, s, len);
	string_pool_used += len;
	return copy;
}

static enum apply_result set_string(const struct kernel_param *p, const char *value)
{
	const char *kept;

	if (!value)
		return BAD_VALUE;
	kept = keep_string(value);
	if (!kept)
		return NO_ROOM;
	*(const char **)p->value = kept;
	return APPLIED;
}

static enum apply_result apply_word(const struct kernel_param *p, const char *value)
{
	bool ok = false;

	switch (p->type) {
	case KPARAM_BOOL: ok = set_bool(p, value); break;
	case KPARAM_INT: ok = set_int(p, value); break;
	case KPARAM_ENUM: ok = set_enum(p, value); break;
	case KPARAM_STRING: return set_string(p, value);
	}
	return ok ? APPLIED : BAD_VALUE;
}

int parse_cmdline(const char *line, const struct kernel_param *params, size_t nparams,
		  cmdline_report_fn report)
{
	char *pos = cmdline_copy;
	struct word w;
	int problems = 0;

	if (copy_line(line)) {
		report_truncated(report);
		problems++;
	}
	while (next_word(&pos, &w)) {
		const struct kernel_param *p = find_param(w.name, params, nparams);
		enum apply_result res;

		if (!p) {
			report_unknown(w.name, report);
			problems++;
			continue;
		}
		res = apply_word(p, w.value);
		if (res == BAD_VALUE)
			report_bad_value(p, w.value, report);
		else if (res == NO_ROOM)
			report_no_room(p, report);
		problems += res != APPLIED;
	}
	return problems;
}

/* snprintf at *pos without ever pointing past the buffer, for appending. */
static void append(char *buf, size_t len, size_t *pos, const char *s)
{
	if (*pos >= len)
		return;
	*pos += (size_t)snprintf(buf + *pos, len - *pos, "%s", s);
}

void kparam_describe(const struct kernel_param *p, char *buf, size_t len)
{
	size_t pos = 0;

	if (len == 0)
		return;
	switch (p->type) {
	case KPARAM_BOOL: snprintf(buf, len, "0/1, y/n, on/off or true/false"); break;
	case KPARAM_INT: snprintf(buf, len, "an integer in %ld..%ld", p->min, p->max); break;
	case KPARAM_ENUM:
		append(buf, len, &pos, "one of ");
		for (int i = 0; p->choices && p->choices[i]; i++) {
			if (i > 0)
				append(buf, len, &pos, "|");
			append(buf, len, &pos, p->choices[i]);
		}
		break;
	case KPARAM_STRING: snprintf(buf, len, "a string"); break;
	default: buf[0] = '\0'; break;
	}
}

static int nr_choices(const struct kernel_param *p)
{
	int n = 0;

	while (p->choices && p->choices[n])
		n++;
	return n;
}

void kparam_format_value(const struct kernel_param *p, char *buf, size_t len)
{
	const char *s;
	int idx;

	if (len == 0)
		return;
	switch (p->type) {
	case KPARAM_BOOL: snprintf(buf, len, "%d", *(const bool *)p->value ? 1 : 0); break;
	case KPARAM_INT: snprintf(buf, len, "%ld", *(const long *)p->value); break;
	case KPARAM_ENUM:
		/* An index outside the list is a kernel bug: show the number. */
		idx = *(const int *)p->value;
		if (idx >= 0 && idx < nr_choices(p))
			snprintf(buf, len, "%s", p->choices[idx]);
		else
			snprintf(buf, len, "%d", idx);
		break;
	case KPARAM_STRING:
		s = *(const char *const *)p->value;
		snprintf(buf, len, "%s", s ? s : "");
		break;
	default: buf[0] = '\0'; break;
	}
}
