/* Page flags (PG_*) and page types, with Linux's names. Read first: a page
 * type (buddy, slab) says who owns the page; flags describe its state. The
 * zone index lives in the top bits of page->flags, as in Linux. */
#ifndef OOMLAB_MM_PAGE_FLAGS_H
#define OOMLAB_MM_PAGE_FLAGS_H
#include "mm/mm_types.h"
#include "mm/page_ref.h"
#include <stdbool.h>

enum pageflags {
	PG_locked,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_head,
	PG_tail, /* ours: Linux marks tails in compound_head */
	PG_active,
	PG_reserved, /* never on a free list: holes, the kernel, mem_map */
	PG_swapbacked,
	PG_unevictable,
	PG_mlocked,
	PG_poisoned, /* ours: filled with PAGE_POISON when freed */
	NR_PAGEFLAGS
};

#define ZONES_PGSHIFT 56
#define ZONES_MASK 0x3ul
/* Flags a page must not carry when it is freed or handed out. */
#define PAGE_FLAGS_CHECK_AT_FREE                                                            \
	((1ul << PG_locked) | (1ul << PG_lru) | (1ul << PG_active) | (1ul << PG_reserved) | \
	 (1ul << PG_unevictable) | (1ul << PG_mlocked) | (1ul << PG_tail))

/* The flags a page on (or just off) an LRU list may carry. */
#define PAGE_LRU_FLAGS                                                                             \
	((1ul << PG_lru) | (1ul << PG_active) | (1ul << PG_unevictable) | (1ul << PG_referenced) | \
	 (1ul << PG_swapbacked))

enum page_type { PGTY_none, PGTY_buddy, PGTY_slab };

static inline bool test_page_flag(const struct page *page, enum pageflags f)
{
	return (page->flags >> f) & 1;
}
/* Atomic, as Linux's SetPageX/ClearPageX: different bits of one page's
 * flags are changed under different locks (the page cache's, the mlock
 * state's), so a plain read-modify-write could undo another's change. */
static inline void set_page_flag(struct page *page, enum pageflags f)
{
	__atomic_or_fetch(&page->flags, 1ul << f, __ATOMIC_RELAXED);
}
static inline void clear_page_flag(struct page *page, enum pageflags f)
{
	__atomic_and_fetch(&page->flags, ~(1ul << f), __ATOMIC_RELAXED);
}
/* The flag's old value (Linux's TestSetPageX, TestClearPageX). */
static inline bool test_and_set_page_flag(struct page *page, enum pageflags f)
{
	return (__atomic_fetch_or(&page->flags, 1ul << f, __ATOMIC_ACQ_REL) >> f) & 1;
}
static inline bool test_and_clear_page_flag(struct page *page, enum pageflags f)
{
	return (__atomic_fetch_and(&page->flags, ~(1ul << f), __ATOMIC_ACQ_REL) >> f) & 1;
}

static inline bool PageReserved(const struct page *page)
{
	return test_page_flag(page, PG_reserved);
}
static inline bool PageHead(const struct page *page)
{
	return test_page_flag(page, PG_head);
}
static inline bool PageTail(const struct page *page)
{
	return test_page_flag(page, PG_tail);
}
static inline bool PageBuddy(const struct page *page)
{
	return page->page_type == PGTY_buddy;
}
static inline bool PageSlab(const struct page *page)
{
	return page->page_type == PGTY_slab;
}
static inline struct page *compound_head(struct page *page)
{
	return PageTail(page) ? page->head : page;
}
static inline unsigned int compound_order(const struct page *page)
{
	return PageHead(page) ? page->compound_order : 0;
}

/* Names for dumps: "flags: 0x...(reserved|head)". */
void format_page_flags(unsigned long flags, char *buf, unsigned long len);
#endif
