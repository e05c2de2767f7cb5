/* The LRU lists: which user and page-cache pages were used lately (Linux's
 * mm/swap.c and mm_inline.h). Read first: a page is on a list exactly
 * while PG_lru is set; a page is taken off either by reclaim, which holds
 * a reference of its own while it decides (isolate), or by the put that
 * drops its last reference (__page_cache_release), never both: isolation
 * only takes pages whose count is not already zero. */
#include "mm/swap.h"
#include "kernel/fs/fs.h"
#include "mm/mm.h"
#include "mm/vmstat.h"

/* Anonymous pages are PG_swapbacked (they could only go to swap), file
 * pages not: the flag, not page->mapping, which is gone by the time the
 * last put takes a dropped page off its list (Linux's
 * folio_is_file_lru). */
enum lru_list page_lru(struct page *page)
{
	bool file = !test_page_flag(page, PG_swapbacked);

	if (test_page_flag(page, PG_unevictable))
		return LRU_UNEVICTABLE;
	if (file)
		return test_page_flag(page, PG_active) ? LRU_ACTIVE_FILE : LRU_INACTIVE_FILE;
	return test_page_flag(page, PG_active) ? LRU_ACTIVE_ANON : LRU_INACTIVE_ANON;
}

/* The list's size is the zone counter in the same order (NR_ZONE_*). */
static void update_lru_size(struct page *page, enum lru_list lru, long nr)
{
	__mod_zone_page_state(page_zone(page), (enum zone_stat_item)(NR_ZONE_INACTIVE_ANON + lru),
			      nr);
}

/* With lru_lock held. */
static void add_page_to_lru_list(struct lruvec *lruvec, struct page *page)
{
	enum lru_list lru = page_lru(page);

	list_add(&page->lru, &lruvec->lists[lru]);
	update_lru_size(page, lru, 1);
	set_page_flag(page, PG_lru);
}

static void del_page_from_lru_list(struct page *page)
{
	list_del(&page->lru);
	update_lru_size(page, page_lru(page), -1);
	clear_page_flag(page, PG_lru);
}

/* Initramfs files are ramfs-like (no backing store: their mapping is
 * AS_UNEVICTABLE); mlocked pages stay. */
static bool page_evictable(struct page *page)
{
	const struct address_space *mapping = page->mapping;

	if (test_page_flag(page, PG_mlocked))
		return false;
	return !(mapping && (mapping->flags & AS_UNEVICTABLE));
}

void lru_cache_add(struct page *page)
{
	struct lruvec *lruvec = node_lruvec();
	uint64_t flags;

	if (!page->mapping)
		set_page_flag(page, PG_swapbacked);
	if (!page_evictable(page))
		set_page_flag(page, PG_unevictable);
	spin_lock_irqsave(&lruvec->lru_lock, flags);
	add_page_to_lru_list(lruvec, page);
	spin_unlock_irqrestore(&lruvec->lru_lock, flags);
}

/* Move a page that is on an inactive list to the head of the active one
 * (Linux's folio_activate). */
static void activate_page(struct page *page)
{
	struct lruvec *lruvec = node_lruvec();
	uint64_t flags;

	spin_lock_irqsave(&lruvec->lru_lock, flags);
	if (test_page_flag(page, PG_lru) && !test_page_flag(page, PG_active) &&
	    !test_page_flag(page, PG_unevictable)) {
		del_page_from_lru_list(page);
		set_page_flag(page, PG_active);
		add_page_to_lru_list(lruvec, page);
		count_vm_event(PGACTIVATE);
		if (!test_page_flag(page, PG_swapbacked))
			workingset_age_nonresident(1); /* Linux's workingset_activation */
	}
	spin_unlock_irqrestore(&lruvec->lru_lock, flags);
}

/* As Linux's folio_mark_accessed: the first use sets PG_referenced, the
 * second promotes an inactive page to the active list. */
void mark_page_accessed(struct page *page)
{
	if (!test_page_flag(page, PG_active) && test_page_flag(page, PG_referenced)) {
		activate_page(page);
		clear_page_flag(page, PG_referenced);
	} else if (!test_page_flag(page, PG_referenced)) {
		set_page_flag(page, PG_referenced);
	}
}

void __page_cache_release(struct page *page)
{
	if (test_page_flag(page, PG_lru)) {
		struct lruvec *lruvec = node_lruvec();
		uint64_t flags;

		spin_lock_irqsave(&lruvec->lru_lock, flags);
		del_page_from_lru_list(page);
		spin_unlock_irqrestore(&lruvec->lru_lock, flags);
	}
	clear_page_flag(page, PG_active);
	clear_page_flag(page, PG_unevictable);
	clear_page_flag(page, PG_referenced);
	clear_page_flag(page, PG_swapbacked);
}

/* A reference only if the page is not already on its way to the free
 * lists (Linux's folio_try_get). */
static bool get_page_unless_zero(struct page *page)
{
	int c = page_ref_count(page);

	while (c > 0)
		if (__atomic_compare_exchange_n(&page->_refcount, &c, c + 1, false,
						__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return true;
	return false;
}

/* As Linux's isolate_lru_folios: pages of zones the caller cannot use
 * are skipped (freeing them would not help it) and go to the list's head;
 * at most this many times nr are passed over before giving up. */
#define MAX_SKIP_FACTOR 4

unsigned long isolate_lru_pages(struct lruvec *lruvec, enum lru_list lru, unsigned long nr,
				enum zone_type reclaim_idx, struct list_head *dst,
				unsigned long *scanned)
{
	struct list_head *src = &lruvec->lists[lru];
	unsigned long taken = 0, looked = 0, skipped = 0;
	LIST_HEAD(pages_skipped);
	uint64_t flags;

	spin_lock_irqsave(&lruvec->lru_lock, flags);
	while (looked < nr && !list_empty(src)) {
		struct page *page = list_last_entry(src, struct page, lru);

		if (page_zonenum(page) > reclaim_idx) {
			list_move(&page->lru, &pages_skipped);
			if (++skipped >= nr * MAX_SKIP_FACTOR)
				break;
			continue;
		}
		looked++;
		if (!get_page_unless_zero(page)) {
			/* Its last put waits for our lock to take it off. */
			list_move(&page->lru, src);
			continue;
		}
		del_page_from_lru_list(page);
		list_add(&page->lru, dst);
		taken++;
	}
	while (!list_empty(&pages_skipped))
		list_move(pages_skipped.prev, src);
	spin_unlock_irqrestore(&lruvec->lru_lock, flags);
	*scanned += looked;
	return taken;
}

void putback_lru_pages(struct lruvec *lruvec, struct list_head *pages)
{
	struct page *page, *next;
	uint64_t flags;

	list_for_each_entry_safe(page, next, pages, lru) {
		spin_lock_irqsave(&lruvec->lru_lock, flags);
		list_del(&page->lru);
		/* Reclaim culls pages mlocked meanwhile; a munlock that found
		 * the page isolated left the move to us. */
		if (page_evictable(page))
			clear_page_flag(page, PG_unevictable);
		else
			set_page_flag(page, PG_unevictable);
		add_page_to_lru_list(lruvec, page);
		spin_unlock_irqrestore(&lruvec->lru_lock, flags);
		/* Our reference last: a page whose other users left meanwhile
		 * is freed here, and its release takes it off the list again. */
		__free_page(page);
	}
}

/* mlock or munlock changed whether page may be reclaimed: move it between
 * the unevictable list and its inactive one (Linux's mlock_folio and
 * munlock_folio do this through the LRU too). */
void lru_update_evictable(struct page *page)
{
	struct lruvec *lruvec = node_lruvec();
	uint64_t flags;

	spin_lock_irqsave(&lruvec->lru_lock, flags);
	if (test_page_flag(page, PG_lru) &&
	    page_evictable(page) == test_page_flag(page, PG_unevictable)) {
		del_page_from_lru_list(page);
		if (page_evictable(page)) {
			clear_page_flag(page, PG_unevictable);
		} else {
			clear_page_flag(page, PG_active);
			set_page_flag(page, PG_unevictable);
		}
		add_page_to_lru_list(lruvec, page);
	}
	spin_unlock_irqrestore(&lruvec->lru_lock, flags);
}

unsigned long lruvec_lru_size(struct lruvec *lruvec, enum lru_list lru)
{
	(void)lruvec;
	return (unsigned long)global_zone_page_state(
		(enum zone_stat_item)(NR_ZONE_INACTIVE_ANON + lru));
}
