/* A page's reference and mapping counts (Linux's include/linux/page_ref.h
 * and the _mapcount helpers of mm.h). Read first: contexts that can
 * interleave (a fork copying PTEs, a COW fault or an exit dropping them,
 * the page cache, an interrupt) share these counts, so every change is one
 * atomic read-modify-write; never ++, -- or assign them directly. */
#ifndef OOMLAB_MM_PAGE_REF_H
#define OOMLAB_MM_PAGE_REF_H
#include "mm/mm_types.h"
#include <stdbool.h>

static inline int page_ref_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
}

/* Only for a page nobody else can see yet (fresh off a free list). */
static inline void set_page_count(struct page *page, int v)
{
	__atomic_store_n(&page->_refcount, v, __ATOMIC_RELAXED);
}

static inline void init_page_count(struct page *page)
{
	set_page_count(page, 1);
}

static inline void page_ref_add(struct page *page, int nr)
{
	__atomic_add_fetch(&page->_refcount, nr, __ATOMIC_RELAXED);
}

static inline void page_ref_inc(struct page *page)
{
	page_ref_add(page, 1);
}

/* The last reference's owner frees the page: what the others wrote to it
 * must be visible to it (hence acquire-release). */
static inline int page_ref_sub_return(struct page *page, int nr)
{
	return __atomic_sub_fetch(&page->_refcount, nr, __ATOMIC_ACQ_REL);
}

static inline bool page_ref_dec_and_test(struct page *page)
{
	return page_ref_sub_return(page, 1) == 0;
}

static inline void page_ref_dec(struct page *page)
{
	page_ref_sub_return(page, 1);
}

/* Page-table mappings: _mapcount is -1 when unmapped, as Linux. */
static inline int page_mapcount(const struct page *page)
{
	return __atomic_load_n(&page->_mapcount, __ATOMIC_RELAXED) + 1;
}

static inline void page_mapcount_reset(struct page *page)
{
	__atomic_store_n(&page->_mapcount, -1, __ATOMIC_RELAXED);
}

/* One more mapping; true when it is the page's first (-1 -> 0). */
static inline bool page_mapcount_inc_and_test(struct page *page)
{
	return __atomic_add_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED) == 0;
}

/* One mapping fewer; true when it was the last (0 -> -1). */
static inline bool page_mapcount_dec_and_test(struct page *page)
{
	return __atomic_sub_fetch(&page->_mapcount, 1, __ATOMIC_RELAXED) < 0;
}
#endif
