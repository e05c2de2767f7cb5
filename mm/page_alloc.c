/* The buddy allocator: per-zone free lists of 2^order blocks, split on
 * allocation and merged with their buddy on free (Linux's mm/page_alloc.c).
 * Read first: a free block is described by its first page only (PageBuddy,
 * order in page->private); a block's buddy is at pfn ^ (1 << order). */
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/trace/events.h"
#include "mm/internal.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

/* The free-list kinds Linux's gfp_migratetype names (one list here; the
 * number is only reported, by the kmem:mm_page_alloc event). */
#define MIGRATE_UNMOVABLE 0
#define MIGRATE_MOVABLE 1

struct pglist_data contig_page_data;
struct page *mem_map;
unsigned long max_pfn;
unsigned long min_low_pfn;
unsigned long totalram_pages;

static void set_buddy_order(struct page *page, unsigned int order)
{
	page->private = order;
	page->page_type = PGTY_buddy;
}

static unsigned int buddy_order(const struct page *page)
{
	return (unsigned int)page->private;
}

static void add_to_free_list(struct page *page, struct zone *zone, unsigned int order)
{
	set_buddy_order(page, order);
	list_add(&page->lru, &zone->free_area[order].free_list);
	zone->free_area[order].nr_free++;
	__mod_zone_page_state(zone, NR_FREE_PAGES, 1l << order);
}

static void del_page_from_free_list(struct page *page, struct zone *zone, unsigned int order)
{
	list_del(&page->lru);
	page->page_type = PGTY_none;
	page->private = 0;
	zone->free_area[order].nr_free--;
	__mod_zone_page_state(zone, NR_FREE_PAGES, -(1l << order));
}

/* Only a free block of exactly this order, in the same zone, may merge. */
static bool page_is_buddy(const struct zone *zone, unsigned long buddy_pfn, unsigned int order)
{
	const struct page *buddy;

	if (!zone_spans_pfn(zone, buddy_pfn) || !pfn_valid(buddy_pfn))
		return false;
	buddy = pfn_to_page(buddy_pfn);
	return PageBuddy(buddy) && buddy_order(buddy) == order;
}

void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone, unsigned int order)
{
	while (order < MAX_PAGE_ORDER) {
		unsigned long buddy_pfn = pfn ^ (1ul << order);

		if (!page_is_buddy(zone, buddy_pfn, order))
			break;
		del_page_from_free_list(pfn_to_page(buddy_pfn), zone, order);
		pfn &= buddy_pfn; /* the merged block starts at the lower of the two */
		page = pfn_to_page(pfn);
		order++;
	}
	add_to_free_list(page, zone, order);
}

/* Split a block of order high down to order low, freeing the upper halves. */
static void expand(struct zone *zone, struct page *page, unsigned int low, unsigned int high)
{
	while (high > low) {
		high--;
		add_to_free_list(page + (1ul << high), zone, high);
	}
}

struct page *__rmqueue_smallest(struct zone *zone, unsigned int order)
{
	for (unsigned int cur = order; cur < NR_PAGE_ORDERS; cur++) {
		struct free_area *area = &zone->free_area[cur];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		del_page_from_free_list(page, zone, cur);
		expand(zone, page, order, cur);
		return page;
	}
	return NULL;
}

static struct page *rmqueue_buddy(struct zone *zone, unsigned int order)
{
	struct page *page;
	uint64_t flags;

	spin_lock_irqsave(&zone->lock, flags);
	page = __rmqueue_smallest(zone, order);
	spin_unlock_irqrestore(&zone->lock, flags);
	return page;
}

/* A page fresh off a free list must look free; one that does not was
 * corrupted while free. It is reported and left out (leaked), as Linux's
 * check_new_pages, rather than handed to a caller. */
static bool check_new_pages(struct page *page, unsigned int order)
{
	for (unsigned long i = 0; i < (1ul << order); i++) {
		struct page *p = page + i;
		const char *reason = NULL;

		if (page_ref_count(p) != 0)
			reason = "nonzero _refcount";
		else if (page_mapcount(p) != 0)
			reason = "nonzero mapcount";
		else if (p->mapping)
			reason = "non-NULL mapping";
		else if (p->flags & PAGE_FLAGS_CHECK_AT_FREE)
			reason = "PAGE_FLAGS_CHECK_AT_PREP flag(s) set";
		if (reason) {
			bad_page(p, reason);
			return false;
		}
	}
	return true;
}

static void prep_compound_page(struct page *page, unsigned int order)
{
	set_page_flag(page, PG_head);
	page->compound_order = (uint8_t)order;
	for (unsigned long i = 1; i < (1ul << order); i++) {
		set_page_flag(page + i, PG_tail);
		page[i].head = page;
	}
}

static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	check_poison_pages(page, order);
	init_page_count(page);
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
	if ((gfp & __GFP_COMP) && order > 0)
		prep_compound_page(page, order);
	count_zone_vm_events(PGALLOC_DMA, page_zonenum(page), 1ul << order);
}

struct page *rmqueue(struct zone *zone, unsigned int order, gfp_t gfp)
{
	struct page *page;

	do {
		page = order == 0 ? rmqueue_pcplist(zone) : rmqueue_buddy(zone, order);
	} while (page && !check_new_pages(page, order));
	if (page)
		prep_new_page(page, order, gfp);
	return page;
}

/* The order-0 path goes through the per-CPU list; bigger blocks straight to
 * the buddy lists. */
void free_unref_page(struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(page);
	uint64_t flags;

	count_vm_events(PGFREE, 1ul << order);
	if (order == 0 && free_pcp_page(zone, page))
		return;
	spin_lock_irqsave(&zone->lock, flags);
	__free_one_page(page, page_to_pfn(page), zone, order);
	spin_unlock_irqrestore(&zone->lock, flags);
}

static void free_compound_tails(struct page *page, unsigned int order)
{
	for (unsigned long i = 1; i < (1ul << order); i++) {
		clear_page_flag(page + i, PG_tail);
		page[i].head = NULL;
	}
	clear_page_flag(page, PG_head);
	page->compound_order = 0;
}

void __free_pages(struct page *page, unsigned int order)
{
	if (!page)
		return;
	if (PageTail(page)) {
		bad_page(page, "freeing a tail page of a compound page");
		return;
	}
	if (page_ref_count(page) <= 0 || PageBuddy(page)) {
		bad_page(page, "freeing a page that is already free (double free?)");
		return;
	}
	/* One atomic step: a fork may take a reference at the same moment. */
	if (!page_ref_dec_and_test(page))
		return; /* someone else still holds a reference */
	if (page->flags & PAGE_LRU_FLAGS)
		__page_cache_release(page); /* off the LRU before the free lists */
	if (free_page_is_bad(page, order))
		return;
	if (PageHead(page))
		free_compound_tails(page, order);
	trace_mm_page_free(page, order);
	kernel_poison_pages(page, order);
	free_unref_page(page, order);
}

/* As Linux's split_page: turn a non-compound order-N allocation into 2^N
 * order-0 pages, each with its own reference, freed one by one. */
void split_page(struct page *page, unsigned int order)
{
	for (unsigned long i = 1; i < (1ul << order); i++)
		init_page_count(page + i);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp & ~__GFP_HIGHMEM, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

unsigned long nr_free_pages(void)
{
	return (unsigned long)global_zone_page_state(NR_FREE_PAGES);
}

enum zone_type gfp_zone(gfp_t gfp)
{
	if (gfp & __GFP_DMA)
		return ZONE_DMA;
	if (gfp & __GFP_DMA32)
		return ZONE_DMA32;
	return ZONE_NORMAL;
}

/* As Linux's get_page_from_freelist: walk the zonelist from the highest
 * allowed zone down, and take from the first zone that passes its
 * watermark for this attempt's alloc_flags. */
struct page *get_page_from_freelist(gfp_t gfp_mask, unsigned int order, unsigned int alloc_flags,
				    const struct alloc_context *ac)
{
	for (int z = (int)ac->highest_zoneidx; z >= 0; z--) {
		struct zone *zone = &contig_page_data.node_zones[z];
		struct page *page;

		if (!managed_zone(zone))
			continue;
		if (!(alloc_flags & ALLOC_NO_WATERMARKS)) {
			unsigned long mark = zone->_watermark[alloc_flags & ALLOC_WMARK_MASK];

			if (!zone_watermark_ok(zone, order, mark, ac->highest_zoneidx, alloc_flags))
				continue;
		}
		page = rmqueue(zone, order, gfp_mask);
		if (page)
			return page;
	}
	return NULL;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	struct alloc_context ac = {.gfp_mask = gfp, .highest_zoneidx = gfp_zone(gfp)};
	struct page *page;

	if (order > MAX_PAGE_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("alloc_pages: order %u is above MAX_PAGE_ORDER (%d)", order,
				MAX_PAGE_ORDER);
		count_vm_event(PGALLOC_FAIL);
		return NULL;
	}
	/* The fast path keeps the low watermark's margin for kswapd. */
	page = get_page_from_freelist(gfp, order, ALLOC_WMARK_LOW, &ac);
	if (!page)
		page = __alloc_pages_slowpath(gfp, order, &ac);
	trace_mm_page_alloc(page, order, gfp,
			    (gfp & __GFP_MOVABLE) ? MIGRATE_MOVABLE : MIGRATE_UNMOVABLE);
	return page;
}
