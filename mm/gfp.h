/* The page allocator's interface (Linux's include/linux/gfp.h). Read first:
 * every allocation names a GFP mask saying what it may do to get memory, and
 * an order: 2^order contiguous pages. NULL means failure, already reported
 * by warn_alloc unless __GFP_NOWARN. */
#ifndef OOMLAB_MM_GFP_H
#define OOMLAB_MM_GFP_H
#include "mm/gfp_types.h"
#include "mm/mmzone.h"

struct page *alloc_pages(gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(gfp_t gfp);
void free_pages(unsigned long addr, unsigned int order);
void split_page(struct page *page, unsigned int order);

static inline struct page *alloc_page(gfp_t gfp)
{
	return alloc_pages(gfp, 0);
}
static inline void __free_page(struct page *page)
{
	__free_pages(page, 0);
}
static inline unsigned long __get_free_page(gfp_t gfp)
{
	return __get_free_pages(gfp, 0);
}
static inline void free_page(unsigned long addr)
{
	free_pages(addr, 0);
}

/* The highest zone a mask may allocate from. */
enum zone_type gfp_zone(gfp_t gfp);
/* "GFP_KERNEL|__GFP_NOWARN": Linux's %pGg. */
void format_gfp_flags(gfp_t gfp, char *buf, unsigned long len);

/* Give the per-CPU lists back to the buddy lists (one CPU: this one). */
void drain_all_pages(struct zone *zone);
unsigned long nr_free_pages(void);
#endif
