/* Zones and the node: where free pages live. Read first: one node, three
 * zones by physical address (DMA < 16 MiB <= DMA32 < 4 GiB <= Normal); an
 * allocation may use its highest allowed zone and, falling back, the ones
 * below it, keeping their lowmem_reserve. */
#ifndef OOMLAB_MM_MMZONE_H
#define OOMLAB_MM_MMZONE_H
#include "kernel/list.h"
#include "kernel/spinlock.h"
#include "mm/mm_types.h"
#include "mm/vmstat_items.h"
#include <stdbool.h>

enum zone_type { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, MAX_NR_ZONES };

#define ZONE_DMA_END_PFN (16ul << (20 - 12))  /* 16 MiB */
#define ZONE_DMA32_END_PFN (4ul << (30 - 12)) /* 4 GiB */

/* Linux 6.8+ names: MAX_PAGE_ORDER is the largest order (10, 4 MiB blocks),
 * NR_PAGE_ORDERS the number of free lists (before 6.4, MAX_ORDER was 11). */
#define MAX_PAGE_ORDER 10
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

struct free_area {
	struct list_head free_list;
	unsigned long nr_free; /* blocks, not pages */
};

/* The per-CPU order-0 cache (one CPU for now): frees and allocations go
 * here first and reach the buddy lists in batches. */
struct per_cpu_pages {
	int count; /* pages on the list */
	int high;  /* above this, give batch pages back to the buddy */
	int batch; /* pages moved per refill or drain */
	struct list_head list;
};

struct zone {
	unsigned long _watermark[NR_WMARK];
	/* Pages an allocation whose highest zone is [j] must leave here. */
	long lowmem_reserve[MAX_NR_ZONES];
	struct per_cpu_pages pcp;
	const char *name;
	unsigned long zone_start_pfn;
	unsigned long spanned_pages; /* the pfn range, holes included */
	unsigned long present_pages; /* RAM in the range */
	unsigned long managed_pages; /* given to the buddy allocator */
	spinlock_t lock;
	struct free_area free_area[NR_PAGE_ORDERS];
	long vm_stat[NR_VM_ZONE_STAT_ITEMS];
};

/* The LRU lists, in the order of the NR_ZONE_* counters that size them
 * (Linux's enum lru_list). */
enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};

/* The node's LRU lists (Linux's struct lruvec); mm/swap.c. */
struct lruvec {
	struct list_head lists[NR_LRU_LISTS];
	spinlock_t lru_lock; /* the lists, PG_lru/PG_active moves: irqsave */
};

struct task_struct;
struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct lruvec __lruvec;
	/* kswapd (mm/vmscan.c): woken below low, balances up to high. */
	struct task_struct *kswapd;
	int kswapd_order;
	enum zone_type kswapd_highest_zoneidx;
	int kswapd_failures; /* balance passes in a row that freed nothing */
	bool kswapd_wakeup_pending;
	int node_id;
	unsigned long node_start_pfn;
	unsigned long node_spanned_pages;
	unsigned long node_present_pages;
};

extern struct pglist_data contig_page_data;
#define NODE_DATA(nid) (&contig_page_data)

static inline enum zone_type zone_idx(const struct zone *zone)
{
	return (enum zone_type)(zone - contig_page_data.node_zones);
}
static inline bool populated_zone(const struct zone *zone)
{
	return zone->present_pages != 0;
}
static inline bool managed_zone(const struct zone *zone)
{
	return zone->managed_pages != 0;
}
static inline unsigned long zone_managed_pages(const struct zone *zone)
{
	return zone->managed_pages;
}
static inline unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}
static inline bool zone_spans_pfn(const struct zone *zone, unsigned long pfn)
{
	return pfn >= zone->zone_start_pfn && pfn < zone_end_pfn(zone);
}
/* Read without a lock while a sysctl write may move them (READ_ONCE). */
static inline unsigned long min_wmark_pages(const struct zone *z)
{
	return __atomic_load_n(&z->_watermark[WMARK_MIN], __ATOMIC_RELAXED);
}
static inline unsigned long low_wmark_pages(const struct zone *z)
{
	return __atomic_load_n(&z->_watermark[WMARK_LOW], __ATOMIC_RELAXED);
}
static inline unsigned long high_wmark_pages(const struct zone *z)
{
	return __atomic_load_n(&z->_watermark[WMARK_HIGH], __ATOMIC_RELAXED);
}

#define for_each_zone(zone)                      \
	for (zone = contig_page_data.node_zones; \
	     zone < contig_page_data.node_zones + MAX_NR_ZONES; zone++)
#define for_each_populated_zone(zone)        \
	for_each_zone(zone)                  \
		if (!populated_zone(zone)) { \
		} else

bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       enum zone_type highest_zoneidx, unsigned int alloc_flags);
#endif
