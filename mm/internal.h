/* The page allocator's inside, shared by its files and the tests (Linux's
 * mm/internal.h). Read first: alloc_flags are derived from the GFP mask and
 * say which watermark an attempt must respect and which reserves it may
 * dip into; the bit values are Linux 6.x's. */
#ifndef OOMLAB_MM_INTERNAL_H
#define OOMLAB_MM_INTERNAL_H
#include "mm/gfp.h"
#include "mm/mm.h"

#define ALLOC_WMARK_MIN WMARK_MIN
#define ALLOC_WMARK_LOW WMARK_LOW
#define ALLOC_WMARK_HIGH WMARK_HIGH
#define ALLOC_NO_WATERMARKS 0x04 /* skip the watermark check entirely */
#define ALLOC_WMARK_MASK (ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM 0x08 /* an OOM victim: part of the min reserve */
/* Cannot sleep (no direct reclaim); 6.2 split Linux's older ALLOC_HARDER
 * into this and ALLOC_HIGHATOMIC. */
#define ALLOC_NON_BLOCK 0x10
/* __GFP_HIGH: half the min reserve (Linux's ALLOC_HIGH before 6.2). */
#define ALLOC_MIN_RESERVE 0x20
#define ALLOC_CPUSET 0x40
#define ALLOC_HIGHATOMIC 0x200
#define ALLOC_KSWAPD 0x800 /* may wake kswapd; same bit as __GFP_KSWAPD_RECLAIM */
#define ALLOC_RESERVES (ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM)

/* What one allocation asked for, carried through the attempts. */
struct alloc_context {
	gfp_t gfp_mask;
	enum zone_type highest_zoneidx;
};

/* Linux's watermark decision with an explicit free count (tests feed it
 * boundary values). */
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			 enum zone_type highest_zoneidx, unsigned int alloc_flags, long free_pages);
unsigned int gfp_to_alloc_flags(gfp_t gfp_mask, unsigned int order);
/* Which reserves past the watermarks this allocation may have (0 for none):
 * NO_WATERMARKS for __GFP_MEMALLOC, ALLOC_OOM for an OOM victim. */
unsigned int __gfp_pfmemalloc_flags(gfp_t gfp_mask);
struct page *get_page_from_freelist(gfp_t gfp_mask, unsigned int order, unsigned int alloc_flags,
				    const struct alloc_context *ac);

/* Buddy internals (mm/page_alloc.c), called with zone->lock held. */
struct page *__rmqueue_smallest(struct zone *zone, unsigned int order);
void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone, unsigned int order);
/* Allocation from the pcp list or the buddy lists, no watermark check. */
struct page *rmqueue(struct zone *zone, unsigned int order, gfp_t gfp_mask);
/* Free pages after the checks, to pcp (order 0) or buddy. */
void free_unref_page(struct page *page, unsigned int order);
/* pcp (mm/page_pcp.c) */
struct page *rmqueue_pcplist(struct zone *zone);
bool free_pcp_page(struct zone *zone, struct page *page);
void pcp_setup(struct zone *zone);
/* Recompute pcp->high after the watermarks moved. */
void zone_pcp_update(struct zone *zone);
int zone_batchsize(const struct zone *zone);
int zone_highsize(const struct zone *zone, int batch);

/* Checks and poisoning (mm/page_debug.c). */
extern bool page_poisoning_enabled;
/* true (and reported through bad_page) when the page must not be freed. */
bool free_page_is_bad(struct page *page, unsigned int order);
void bad_page(struct page *page, const char *reason);
void kernel_poison_pages(struct page *page, unsigned int order);
void check_poison_pages(struct page *page, unsigned int order);
unsigned long bad_page_count(void);

/* Watermarks (mm/watermark.c), recomputed when managed pages change. */
extern long min_free_kbytes;
extern long user_min_free_kbytes; /* -1: not set */
extern long watermark_scale_factor;
extern int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES];
int calculate_min_free_kbytes(unsigned long lowmem_kbytes);
void setup_per_zone_wmarks(void);
/* Run-time writes (/proc/sys/vm): 0, or -EINVAL out of Linux's bounds
 * (min_free_kbytes 0..INT_MAX, watermark_scale_factor 1..3000) with
 * nothing changed; the marks are recomputed before they return. */
#define MIN_FREE_KBYTES_MAX 2147483647l
#define WATERMARK_SCALE_FACTOR_MIN 1
#define WATERMARK_SCALE_FACTOR_MAX 3000
int set_min_free_kbytes(long kbytes);
int set_watermark_scale_factor(long factor);
/* Their /proc/sys/vm files (mm/watermark_sysctl.c), at boot. */
void watermark_sysctl_init(void);
void setup_per_zone_lowmem_reserve(void);
void init_per_zone_wmark_min(void);

/* The free lists' shape: blocks per order per zone, and free pages. Taken
 * at the end of boot so tests can check that freeing everything restores
 * it exactly (every buddy merged back). */
struct free_area_snapshot {
	unsigned long nr_free[MAX_NR_ZONES][NR_PAGE_ORDERS];
	long free_pages[MAX_NR_ZONES];
};
void snapshot_free_areas(struct free_area_snapshot *snap);
bool free_areas_equal(const struct free_area_snapshot *a, const struct free_area_snapshot *b);
/* Recorded by record_boot_free_areas() once boot's allocations are done. */
extern struct free_area_snapshot boot_free_areas;
void record_boot_free_areas(void);

/* Reserve sums (mm/vmstat.c). */
unsigned long totalreserve_pages(void);
long free_pcp_pages(void);

struct page *__alloc_pages_slowpath(gfp_t gfp_mask, unsigned int order, struct alloc_context *ac);

/* Failure report (mm/show_mem.c). */
void warn_alloc(gfp_t gfp_mask, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void show_mem(void);
#endif
