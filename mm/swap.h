/* The LRU lists and reclaim's interface (Linux's include/linux/swap.h and
 * mm_inline.h). Read first: every user page and page-cache page sits on
 * exactly one of the node's five lists while PG_lru is set; the lists and
 * their sizes change only under lruvec->lru_lock (interrupts off), and a
 * page is taken off for good by whoever drops its last reference. */
#ifndef OOMLAB_MM_SWAP_H
#define OOMLAB_MM_SWAP_H
#include "mm/gfp.h"
#include "mm/mmzone.h"
#include <stdbool.h>

/* Reclaim works in batches of this many pages (Linux's SWAP_CLUSTER_MAX). */
#define SWAP_CLUSTER_MAX 32ul
/* Scan lru_size >> priority pages per pass; 12 first, 0 last (everything). */
#define DEF_PRIORITY 12
#define MAX_RECLAIM_RETRIES 16

/* kswapd gave up on the node (MAX_RECLAIM_RETRIES passes in a row freed
 * nothing) and is not woken again until some reclaim frees a page:
 * zoneinfo's node_unreclaimable, show_mem's all_unreclaimable. */
static inline bool pgdat_unreclaimable(const struct pglist_data *pgdat)
{
	return __atomic_load_n(&pgdat->kswapd_failures, __ATOMIC_RELAXED) >= MAX_RECLAIM_RETRIES;
}

static inline void lruvec_init(struct lruvec *lruvec)
{
	for (int lru = 0; lru < NR_LRU_LISTS; lru++)
		INIT_LIST_HEAD(&lruvec->lists[lru]);
	spin_lock_init(&lruvec->lru_lock);
}
static inline struct lruvec *node_lruvec(void)
{
	return &contig_page_data.__lruvec;
}
static inline bool is_file_lru(enum lru_list lru)
{
	return lru == LRU_INACTIVE_FILE || lru == LRU_ACTIVE_FILE;
}
static inline bool is_active_lru(enum lru_list lru)
{
	return lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE;
}
/* The list a page belongs on, from its flags and mapping. */
enum lru_list page_lru(struct page *page);

/* A new user page or page-cache page joins its inactive list (Linux's
 * folio_add_lru; no per-CPU batching here). */
void lru_cache_add(struct page *page);
/* mlock state changed: move page to or from the unevictable list. */
void lru_update_evictable(struct page *page);
/* A read or lookup used the page: referenced once, then active. */
void mark_page_accessed(struct page *page);
/* The page's last reference is gone: off the LRU before it is freed
 * (Linux's __page_cache_release). */
void __page_cache_release(struct page *page);

/* For reclaim (mm/vmscan.c): take up to nr pages of zones up to
 * reclaim_idx from the tail of lru, each with a reference of ours and
 * PG_lru clear, onto dst. Returns the number taken; *scanned counts the
 * eligible pages looked at. */
unsigned long isolate_lru_pages(struct lruvec *lruvec, enum lru_list lru, unsigned long nr,
				enum zone_type reclaim_idx, struct list_head *dst,
				unsigned long *scanned);
/* Put isolated pages back on their lists and drop our references. */
void putback_lru_pages(struct lruvec *lruvec, struct list_head *pages);
unsigned long lruvec_lru_size(struct lruvec *lruvec, enum lru_list lru);

/* mm/workingset.c: shadow entries in page-cache slots. */
bool is_shadow_entry(const void *entry);
/* A file page is being evicted: the shadow to leave in its slot. */
void *workingset_eviction(struct page *page);
/* page (not yet on the LRU) replaces shadow: a refault; maybe active. */
void workingset_refault(struct page *page, void *shadow);
bool workingset_test_recent(const void *shadow);
void workingset_age_nonresident(unsigned long nr_pages);

/* mm/vmscan.c */
/* Direct reclaim for an allocation that failed its watermarks: the
 * number of pages freed. */
unsigned long try_to_free_pages(gfp_t gfp_mask, unsigned int order, enum zone_type highest_zoneidx);
/* What reclaim could free in zone (file LRU pages; anon only with swap). */
unsigned long zone_reclaimable_pages(struct zone *zone);
/* The slow path found zone below its low watermark: wake kswapd. */
void wakeup_kswapd(struct zone *zone, gfp_t gfp_flags, int order, enum zone_type highest_zoneidx);
void kswapd_run(void);
extern long vm_swappiness;
/* vmscan.kswapd_delay_ms (lab reclaim): kswapd waits this long once woken. */
extern long kswapd_delay_ms;

/* Shrinkers: caches that can give memory back when reclaim asks. */
#define SHRINK_STOP (~0ul)
#define SHRINK_EMPTY (~0ul - 1)
struct shrink_control {
	gfp_t gfp_mask;
	unsigned long nr_to_scan;
	unsigned long nr_scanned;
};
struct shrinker {
	/* Objects that could be freed now (0: nothing; SHRINK_EMPTY). */
	unsigned long (*count_objects)(struct shrinker *s, struct shrink_control *sc);
	/* Free up to sc->nr_to_scan objects: how many were freed, or
	 * SHRINK_STOP when it cannot make progress now. */
	unsigned long (*scan_objects)(struct shrinker *s, struct shrink_control *sc);
	int seeks; /* cost to recreate an object (DEFAULT_SEEKS) */
	const char *name;
	struct list_head list;
	long nr_deferred;
};
#define DEFAULT_SEEKS 2
void register_shrinker(struct shrinker *s);
void unregister_shrinker(struct shrinker *s);
/* Reclaim's pass: skipped when the registry lock is taken. */
unsigned long shrink_slab(gfp_t gfp_mask, int priority);
/* drop_caches 2, process context only: waits for the registry lock, then
 * passes until one frees almost nothing; how many objects were freed. */
unsigned long drop_slab(void);
#endif
