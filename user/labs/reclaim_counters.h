/* reclaim_counters.h: the counters, watermarks and trace lines lab
 * reclaim reads (user/labs/reclaim_counters.c). Read first: meminfo
 * values are kB, vmstat values events or pages, PSI totals us. */
#ifndef RECLAIM_COUNTERS_H
#define RECLAIM_COUNTERS_H

#include <sys/types.h>

#define MAX_ZONES 8
#define TRACE_LINE 256

/* What each step reads before and after: meminfo in kB, vmstat events,
 * PSI totals in us. */
struct counters {
	long memtotal, memfree, cached, inactive_file, active_file;
	long pgscan_kswapd, pgsteal_kswapd, pgscan_direct, pgsteal_direct, allocstall;
	long low_wmark_quickly, high_wmark_quickly, refault, oom_kill;
	long psi_some_us, psi_full_us;
};

/* One zone of /proc/zoneinfo, in pages; prot is the lowmem reserve it
 * keeps from allocations that could use the highest zone (user memory). */
struct zone_wm {
	long free, min, low, high, managed, prot;
	long unreclaimable; /* the node's: kswapd gave up on it */
};

int read_counters(struct counters *c);
long vmstat_read(const char *name); /* one /proc/vmstat value, -1 if absent */
void show_meminfo(const struct counters *a, const struct counters *b);
void show_vmstat(const struct counters *a, const struct counters *b);
long reclaimed(const struct counters *a, const struct counters *b); /* pgsteal_* */

/* The zones that have memory, from /proc/zoneinfo: their number, or -1. */
int read_zones(struct zone_wm *zones, int max);
/* Would the next user allocation miss the low watermark everywhere (its
 * fast path fails: the slow path wakes kswapd)? */
int all_below_low(const struct zone_wm *z, int nr);
int some_above_high(const struct zone_wm *z, int nr);
/* Pages one may take without any zone going from low to min. */
long safe_chunk_pages(const struct zone_wm *z, int nr);

void trace_clear(void);
/* How many trace lines contain word; the first and the last of them. */
int trace_count(const char *word, char *first, char *last, size_t len);

#endif
