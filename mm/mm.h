/* From a page frame to its struct page, its zone and its kernel address.
 * Read first: mem_map is one flat array indexed by pfn (FLATMEM), covering
 * every pfn up to max_pfn, holes included; only RAM pages are ever free. */
#ifndef OOMLAB_MM_MM_H
#define OOMLAB_MM_MM_H
#include "kernel/paging.h"
#include "mm/mmzone.h"
#include "mm/page_flags.h"
#include <stdbool.h>

extern struct page *mem_map;
extern unsigned long max_pfn; /* highest RAM pfn + 1 */
extern unsigned long min_low_pfn;
extern unsigned long totalram_pages;

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map);
}
static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + pfn;
}
static inline bool pfn_valid(unsigned long pfn)
{
	return mem_map && pfn < max_pfn;
}
static inline uint64_t page_to_phys(const struct page *page)
{
	return (uint64_t)page_to_pfn(page) << PAGE_SHIFT;
}
static inline void *page_address(const struct page *page)
{
	return __va(page_to_phys(page));
}
static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(__pa(addr) >> PAGE_SHIFT);
}
static inline enum zone_type page_zonenum(const struct page *page)
{
	return (enum zone_type)((page->flags >> ZONES_PGSHIFT) & ZONES_MASK);
}
static inline struct zone *page_zone(const struct page *page)
{
	return &contig_page_data.node_zones[page_zonenum(page)];
}
static inline void set_page_zone(struct page *page, enum zone_type zone)
{
	page->flags &= ~(ZONES_MASK << ZONES_PGSHIFT);
	page->flags |= (unsigned long)zone << ZONES_PGSHIFT;
}

/* Boot: from memblock to zones, mem_map and the free lists. */
void mm_core_init(void);
/* Set by the boot allocator: the kernel cannot run in less. */
#define OOMLAB_MIN_RAM_MIB 12
#endif
