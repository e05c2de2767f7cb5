/* reclaim_counters.c: what lab reclaim reads to prove each step: meminfo,
 * vmstat and PSI totals, the zones' watermarks, tracefs lines. Read first:
 * each file is read whole, in one call, into a static buffer: steps read
 * while memory is short, so nothing here uses malloc. */
#include <fcntl.h>
#include <oomlab.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reclaim_counters.h"

#define PROC_BUF (16 * 1024)
#define TRACE_BUF (64 * 1024)
#define TRACEFS "/sys/kernel/tracing/"

static char proc_buf[PROC_BUF];

/* "name value" lines (/proc/vmstat); -1 when absent. */
static long vmstat_value(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, n) && p[n] == ' ')
			return strtol(p + n + 1, NULL, 10);
	return -1;
}

long vmstat_read(const char *name)
{
	if (read_file("/proc/vmstat", proc_buf, sizeof(proc_buf)) < 0)
		return -1;
	return vmstat_value(proc_buf, name);
}

/* The sum of every "prefix..." line (allocstall_dma, _dma32, _normal...). */
static long vmstat_sum(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	long sum = 0;

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *sp = strchr(p, ' ');

		if (!strncmp(p, prefix, n) && sp)
			sum += strtol(sp + 1, NULL, 10);
	}
	return sum;
}

/* "some avg10=... total=N" of /proc/pressure/memory. */
static long psi_total(const char *text, const char *which)
{
	const char *line = strstr(text, which), *t = line ? strstr(line, "total=") : NULL;

	return t ? strtol(t + 6, NULL, 10) : -1;
}

int read_counters(struct counters *c)
{
	if (read_file("/proc/meminfo", proc_buf, sizeof(proc_buf)) < 0)
		return -1;
	c->memtotal = field_value(proc_buf, "MemTotal");
	c->memfree = field_value(proc_buf, "MemFree");
	c->cached = field_value(proc_buf, "Cached");
	c->inactive_file = field_value(proc_buf, "Inactive(file)");
	c->active_file = field_value(proc_buf, "Active(file)");
	if (read_file("/proc/vmstat", proc_buf, sizeof(proc_buf)) < 0)
		return -1;
	c->pgscan_kswapd = vmstat_value(proc_buf, "pgscan_kswapd");
	c->pgsteal_kswapd = vmstat_value(proc_buf, "pgsteal_kswapd");
	c->pgscan_direct = vmstat_value(proc_buf, "pgscan_direct");
	c->pgsteal_direct = vmstat_value(proc_buf, "pgsteal_direct");
	c->allocstall = vmstat_sum(proc_buf, "allocstall_");
	c->low_wmark_quickly = vmstat_value(proc_buf, "kswapd_low_wmark_hit_quickly");
	c->high_wmark_quickly = vmstat_value(proc_buf, "kswapd_high_wmark_hit_quickly");
	c->refault = vmstat_value(proc_buf, "workingset_refault_file");
	c->oom_kill = vmstat_value(proc_buf, "oom_kill");
	if (read_file("/proc/pressure/memory", proc_buf, sizeof(proc_buf)) < 0)
		return -1;
	c->psi_some_us = psi_total(proc_buf, "some");
	c->psi_full_us = psi_total(proc_buf, "full");
	return 0;
}

void show_meminfo(const struct counters *a, const struct counters *b)
{
	printf("lab reclaim:   meminfo: MemFree %ld -> %ld kB, Cached %ld -> %ld kB, "
	       "Inactive(file) %ld -> %ld kB, Active(file) %ld -> %ld kB\n",
	       a->memfree, b->memfree, a->cached, b->cached, a->inactive_file, b->inactive_file,
	       a->active_file, b->active_file);
}

void show_vmstat(const struct counters *a, const struct counters *b)
{
	printf("lab reclaim:   vmstat: pgscan_kswapd +%ld pgsteal_kswapd +%ld pgscan_direct +%ld "
	       "pgsteal_direct +%ld allocstall_* +%ld workingset_refault_file +%ld oom_kill +%ld\n",
	       b->pgscan_kswapd - a->pgscan_kswapd, b->pgsteal_kswapd - a->pgsteal_kswapd,
	       b->pgscan_direct - a->pgscan_direct, b->pgsteal_direct - a->pgsteal_direct,
	       b->allocstall - a->allocstall, b->refault - a->refault, b->oom_kill - a->oom_kill);
	printf("lab reclaim:   pressure: memory some total +%ld us, full total +%ld us\n",
	       b->psi_some_us - a->psi_some_us, b->psi_full_us - a->psi_full_us);
}

long reclaimed(const struct counters *a, const struct counters *b)
{
	return b->pgsteal_kswapd - a->pgsteal_kswapd + b->pgsteal_direct - a->pgsteal_direct;
}

static long last_number(const char *s, const char *end)
{
	long v = -1;

	while (s < end) {
		char *next;
		long n = strtol(s, &next, 10);

		if (next == s) {
			s++;
			continue;
		}
		v = n;
		s = next;
	}
	return v;
}

/* The zones that have memory; their number, or -1. */
int read_zones(struct zone_wm *zones, int max)
{
	static char buf[PROC_BUF];
	int nr = -1, kept = 0;
	char *line, *next;

	if (read_file("/proc/zoneinfo", buf, sizeof(buf)) < 0)
		return -1;
	for (line = buf; line && *line; line = next) {
		const char *word = line, *value;
		size_t len;
		long v;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!strncmp(line, "Node ", 5)) {
			if (nr + 1 >= max)
				break;
			memset(&zones[++nr], 0, sizeof(zones[0]));
			continue;
		}
		while (*word == ' ')
			word++;
		len = strcspn(word, " ");
		value = word + len;
		if (nr < 0)
			continue;
		if (len == 5 && !strncmp(word, "pages", 5)) {
			const char *free = strstr(value, "free");

			if (free)
				zones[nr].free = strtol(free + 4, NULL, 10);
			continue;
		}
		v = strtol(value, NULL, 10);
		if (len == 3 && !strncmp(word, "min", 3))
			zones[nr].min = v;
		else if (len == 3 && !strncmp(word, "low", 3))
			zones[nr].low = v;
		else if (len == 4 && !strncmp(word, "high", 4))
			zones[nr].high = v;
		else if (len == 7 && !strncmp(word, "managed", 7))
			zones[nr].managed = v;
		else if (len == 19 && !strncmp(word, "node_unreclaimable:", 19))
			zones[nr].unreclaimable = v;
		else if (len == 11 && !strncmp(word, "protection:", 11))
			zones[nr].prot = last_number(word, word + strlen(word));
	}
	/* Keep the zones with memory. */
	for (int i = 0; i <= nr; i++)
		if (zones[i].managed > 0)
			zones[kept++] = zones[i];
	return kept;
}

/* Would the next user allocation miss the low watermark everywhere (its
 * fast path fails: the slow path wakes kswapd)? */
int all_below_low(const struct zone_wm *z, int nr)
{
	for (int i = 0; i < nr; i++)
		if (z[i].free >= z[i].low + z[i].prot)
			return 0;
	return 1;
}

int some_above_high(const struct zone_wm *z, int nr)
{
	for (int i = 0; i < nr; i++)
		if (z[i].free >= z[i].high + z[i].prot)
			return 1;
	return 0;
}

/* Pages a step may take without any zone crossing from low to min: half
 * the narrowest low-min gap. */
long safe_chunk_pages(const struct zone_wm *z, int nr)
{
	long gap = -1;

	for (int i = 0; i < nr; i++)
		if (gap < 0 || z[i].low - z[i].min < gap)
			gap = z[i].low - z[i].min;
	return gap / 2 > 0 ? gap / 2 : 1;
}

void trace_clear(void)
{
	int fd = open(TRACEFS "trace", O_WRONLY | O_TRUNC);

	if (fd >= 0)
		close(fd);
}

/* How many trace lines contain word; the first and the last of them,
 * without the blanks that pad the task name. */
int trace_count(const char *word, char *first, char *last, size_t len)
{
	static char buf[TRACE_BUF];
	int n = 0;

	first[0] = last[0] = '\0';
	if (read_file(TRACEFS "trace", buf, sizeof(buf)) < 0)
		return -1;
	for (char *line = buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] == '#' || !strstr(line, word))
			continue;
		line += strspn(line, " ");
		if (!n++)
			snprintf(first, len, "%s", line);
		snprintf(last, len, "%s", line);
	}
	return n;
}
