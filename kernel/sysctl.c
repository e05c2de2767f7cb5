/* The sysctl value handlers (Linux's kernel/sysctl.c): one number as text
 * each way. Read first: a write is parsed as Linux's __do_proc_dointvec
 * parses it (blanks, base 0, one value, bounds), so the same text is
 * accepted or refused with -EINVAL on both kernels. */
#include "kernel/sysctl.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"

/* Linux's proc_dointvec family: the text of one number. */
#define SYSCTL_NUM_MAX 22 /* Linux's TMPBUFLEN: the longest number text + 1 */

static bool sysctl_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static void skip_spaces(char **p, size_t *left)
{
	while (*left && sysctl_space(**p)) {
		(*p)++;
		(*left)--;
	}
}

/* As Linux's proc_get_long: blanks, an optional '-', a number in base 0
 * (0x hex, 0 octal) ending at a blank or the end of the text. */
static int sysctl_get_number(char **p, size_t *left, unsigned long *val, bool *neg)
{
	char num[SYSCTL_NUM_MAX];
	size_t len = 0;
	char *digits = num;

	skip_spaces(p, left);
	while (len < *left && !sysctl_space((*p)[len]) && len < sizeof(num) - 1) {
		num[len] = (*p)[len];
		len++;
	}
	if (len == 0 || (len == sizeof(num) - 1 && len < *left && !sysctl_space((*p)[len])))
		return -EINVAL;
	num[len] = '\0';
	if (strlen(num) != len)
		return -EINVAL; /* a NUL inside the number, as Linux refuses it */
	*neg = num[0] == '-';
	if (*neg)
		digits++;
	if (*digits < '0' || *digits > '9' || kstrtoul(digits, 0, val))
		return -EINVAL;
	*p += len;
	*left -= len;
	return 0;
}

enum sysctl_kind { SYSCTL_INT, SYSCTL_ULONG };

static int sysctl_read(const struct ctl_table *table, enum sysctl_kind kind, char *buffer,
		       size_t *lenp)
{
	int n = kind == SYSCTL_INT
			? snprintf(buffer, *lenp, "%d\n", *(int *)table->data)
			: snprintf(buffer, *lenp, "%lu\n", *(unsigned long *)table->data);

	*lenp = (size_t)n < *lenp ? (size_t)n : *lenp;
	return 0;
}

/* Parse one value; what follows it (after blanks) is left unused, so the
 * write reports fewer bytes, as Linux's __do_proc_dointvec does. */
static int sysctl_write(const struct ctl_table *table, enum sysctl_kind kind, char *buffer,
			size_t *lenp)
{
	size_t left = *lenp;
	unsigned long val;
	bool neg;
	char *p = buffer;

	if (sysctl_get_number(&p, &left, &val, &neg))
		return -EINVAL;
	if (kind == SYSCTL_INT) {
		long v;

		if (val > (unsigned long)__INT_MAX__ + (neg ? 1 : 0))
			return -EINVAL;
		v = neg ? -(long)val : (long)val;
		if ((table->extra1 && v < *(const int *)table->extra1) ||
		    (table->extra2 && v > *(const int *)table->extra2))
			return -EINVAL;
		*(int *)table->data = (int)v;
	} else {
		if (neg || (table->extra1 && val < *(const unsigned long *)table->extra1) ||
		    (table->extra2 && val > *(const unsigned long *)table->extra2))
			return -EINVAL;
		*(unsigned long *)table->data = val;
	}
	skip_spaces(&p, &left);
	*lenp -= left;
	return 0;
}

int proc_dointvec_minmax(const struct ctl_table *table, int write, char *buffer, size_t *lenp)
{
	return write ? sysctl_write(table, SYSCTL_INT, buffer, lenp)
		     : sysctl_read(table, SYSCTL_INT, buffer, lenp);
}

int proc_dointvec(const struct ctl_table *table, int write, char *buffer, size_t *lenp)
{
	struct ctl_table unbounded = *table;

	unbounded.extra1 = unbounded.extra2 = NULL;
	return proc_dointvec_minmax(&unbounded, write, buffer, lenp);
}

int proc_doulongvec_minmax(const struct ctl_table *table, int write, char *buffer, size_t *lenp)
{
	return write ? sysctl_write(table, SYSCTL_ULONG, buffer, lenp)
		     : sysctl_read(table, SYSCTL_ULONG, buffer, lenp);
}
