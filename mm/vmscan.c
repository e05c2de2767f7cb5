/* Page reclaim: free page-cache pages the LRU lists say were not used
 * lately, for an allocation that is stuck (direct reclaim) or ahead of
 * need (kswapd) (Linux's mm/vmscan.c). Read first: without swap only file
 * pages can go, and a page goes only when nobody but the page cache and
 * us holds it: never one that is mapped (try_to_unmap first), locked, or
 * has any other reference; everything else goes back on a list. */
#include "kernel/cmdline.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/kthread.h"
#include "kernel/printk.h"
#include "kernel/psi.h"
#include "kernel/sched.h"
#include "kernel/timer.h"
#include "kernel/trace/events.h"
#include "kernel/wait.h"
#include "mm/internal.h"
#include "mm/mm_struct.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

/* Linux's scan balance between anon and file; without swap only file
 * pages are scanned whatever it says, but it is settable as in Linux.
 * A long: core_param_int stores a long. */
long vm_swappiness = 60;
core_param_int(swappiness, "vm.swappiness", vm_swappiness, 0, 200,
	       "anon vs file scan balance (no swap: file only)");

struct scan_control {
	unsigned long nr_to_reclaim;
	unsigned long nr_scanned;
	unsigned long nr_reclaimed;
	gfp_t gfp_mask;
	int order;
	int priority;		    /* scan lru_size >> priority per pass */
	enum zone_type reclaim_idx; /* the highest zone whose pages help */
	bool kswapd;		    /* which counters: pg*_kswapd or pg*_direct */
};

static bool trylock_page(struct page *page)
{
	return !test_and_set_page_flag(page, PG_locked);
}

static void unlock_page(struct page *page)
{
	clear_page_flag(page, PG_locked);
}

enum page_references { PAGEREF_RECLAIM, PAGEREF_KEEP, PAGEREF_ACTIVATE };

/* As Linux's folio_check_references: a page mapped and used twice (two
 * PTEs, or a PTE and a read), or executable, is activated; used once
 * through a PTE, it gets one more trip round the inactive list; a page
 * only read (PG_referenced, no PTE use) is reclaimed: used once. */
static enum page_references page_check_references(struct page *page, unsigned long *vm_flags)
{
	int referenced_ptes = page_referenced(page, vm_flags);
	bool referenced_page = test_and_clear_page_flag(page, PG_referenced);

	if (*vm_flags & VM_LOCKED)
		return PAGEREF_KEEP; /* putback sees PG_mlocked: unevictable */
	if (referenced_ptes == -1)
		return PAGEREF_KEEP; /* an mm was busy: ask again next time */
	if (!referenced_ptes)
		return PAGEREF_RECLAIM;
	if (referenced_page || referenced_ptes > 1 || (*vm_flags & VM_EXEC))
		return PAGEREF_ACTIVATE;
	set_page_flag(page, PG_referenced);
	return PAGEREF_KEEP;
}

/* Take an unmapped clean page out of its mapping if nobody but the cache
 * and us holds it (Linux's __remove_mapping: lookups take their
 * references under the same lock, so none can appear after the check). */
static bool remove_mapping(struct address_space *mapping, struct page *page)
{
	bool removed = false;
	uint64_t flags;

	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	if (page_ref_count(page) == 2 && page_mapcount(page) == 0 &&
	    !test_page_flag(page, PG_dirty) && mapping->i_pages &&
	    mapping->i_pages[page->index] == page) {
		/* As Linux: a shadow of the eviction, to see it refault. */
		__delete_from_page_cache(mapping, page, workingset_eviction(page));
		page_ref_dec(page); /* the cache's; ours is now the last */
		removed = true;
	}
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	return removed;
}

/* Decide each isolated page's fate; those kept go back to the lists. */
static unsigned long shrink_page_list(struct list_head *pages, struct scan_control *sc)
{
	struct page *page, *next;
	unsigned long nr_reclaimed = 0;
	LIST_HEAD(ret_pages);

	list_for_each_entry_safe(page, next, pages, lru) {
		struct address_space *mapping = page->mapping;
		unsigned long vm_flags = 0;

		list_del(&page->lru);
		if (!trylock_page(page))
			goto keep;
		if (!mapping || (mapping->flags & AS_UNEVICTABLE) ||
		    test_page_flag(page, PG_mlocked))
			goto keep_locked; /* putback culls it to unevictable */
		switch (page_check_references(page, &vm_flags)) {
		case PAGEREF_ACTIVATE:
			set_page_flag(page, PG_active);
			count_vm_event(PGACTIVATE);
			goto keep_locked;
		case PAGEREF_KEEP: goto keep_locked;
		case PAGEREF_RECLAIM: break;
		}
		if (page_mapcount(page) && !try_to_unmap(page))
			goto keep_locked;
		if (!remove_mapping(mapping, page))
			goto keep_locked;
		unlock_page(page);
		__free_page(page); /* our reference, the last */
		nr_reclaimed++;
		continue;
	keep_locked:
		unlock_page(page);
	keep:
		list_add(&page->lru, &ret_pages);
	}
	putback_lru_pages(node_lruvec(), &ret_pages);
	return nr_reclaimed;
}

static unsigned long shrink_inactive_list(unsigned long nr_to_scan, enum lru_list lru,
					  struct scan_control *sc)
{
	unsigned long nr_scanned = 0, nr_reclaimed;
	LIST_HEAD(page_list);

	isolate_lru_pages(node_lruvec(), lru, nr_to_scan, sc->reclaim_idx, &page_list, &nr_scanned);
	sc->nr_scanned += nr_scanned;
	count_vm_events(sc->kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT, nr_scanned);
	nr_reclaimed = shrink_page_list(&page_list, sc);
	count_vm_events(sc->kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT, nr_reclaimed);
	return nr_reclaimed;
}

/* Move pages from the active tail to the inactive list, except mapped
 * executable pages in use (Linux's shrink_active_list protects those:
 * program text is what a thrashing machine needs most). */
static void shrink_active_list(unsigned long nr_to_scan, enum lru_list lru,
			       const struct scan_control *sc)
{
	struct page *page, *next;
	unsigned long nr_scanned = 0, nr_deactivate = 0;
	LIST_HEAD(page_list);

	isolate_lru_pages(node_lruvec(), lru, nr_to_scan, sc->reclaim_idx, &page_list, &nr_scanned);
	list_for_each_entry_safe(page, next, &page_list, lru) {
		unsigned long vm_flags = 0;

		if (page->mapping && page_referenced(page, &vm_flags) && (vm_flags & VM_EXEC))
			continue; /* stays active */
		clear_page_flag(page, PG_active);
		nr_deactivate++;
	}
	count_vm_events(PGDEACTIVATE, nr_deactivate);
	putback_lru_pages(node_lruvec(), &page_list);
}

/* As Linux's inactive_is_low: keep inactive:active at 1:sqrt(10 * GiB),
 * 1:1 below a GiB, so there is always a list of candidates to age. */
static bool inactive_is_low(enum lru_list inactive_lru)
{
	struct lruvec *lruvec = node_lruvec();
	unsigned long inactive = lruvec_lru_size(lruvec, inactive_lru);
	unsigned long active = lruvec_lru_size(lruvec, inactive_lru + 1);
	unsigned long gb = (inactive + active) >> (30 - PAGE_SHIFT), ratio = 1;

	while (gb && (ratio + 1) * (ratio + 1) <= 10 * gb)
		ratio++;
	return inactive * ratio < active;
}

static unsigned long min_ul(unsigned long a, unsigned long b)
{
	return a < b ? a : b;
}

/* As Linux's shrink_lruvec with get_scan_count's SCAN_FILE (no swap):
 * lru_size >> priority pages of each file list, in batches, until the
 * goal is met. */
static void shrink_lruvec(struct scan_control *sc)
{
	struct lruvec *lruvec = node_lruvec();
	unsigned long nr_inactive = lruvec_lru_size(lruvec, LRU_INACTIVE_FILE) >> sc->priority;
	unsigned long nr_active = lruvec_lru_size(lruvec, LRU_ACTIVE_FILE) >> sc->priority;

	while (nr_inactive || nr_active) {
		unsigned long batch;

		if (nr_active) {
			batch = min_ul(nr_active, SWAP_CLUSTER_MAX);
			nr_active -= batch;
			if (inactive_is_low(LRU_INACTIVE_FILE))
				shrink_active_list(batch, LRU_ACTIVE_FILE, sc);
		}
		if (nr_inactive) {
			batch = min_ul(nr_inactive, SWAP_CLUSTER_MAX);
			nr_inactive -= batch;
			sc->nr_reclaimed += shrink_inactive_list(batch, LRU_INACTIVE_FILE, sc);
		}
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	/* Age the active list even when the inactive one met the goal. */
	if (inactive_is_low(LRU_INACTIVE_FILE))
		shrink_active_list(SWAP_CLUSTER_MAX, LRU_ACTIVE_FILE, sc);
}

static void shrink_node(struct scan_control *sc)
{
	unsigned long before = sc->nr_reclaimed;

	shrink_lruvec(sc);
	shrink_slab(sc->gfp_mask, sc->priority);
	/* As Linux: any page freed means kswapd is useful again. */
	if (sc->nr_reclaimed > before)
		NODE_DATA(0)->kswapd_failures = 0;
}

unsigned long zone_reclaimable_pages(struct zone *zone)
{
	/* Anonymous pages count only with swap, which does not exist. */
	return (unsigned long)(zone_page_state(zone, NR_ZONE_INACTIVE_FILE) +
			       zone_page_state(zone, NR_ZONE_ACTIVE_FILE));
}

/* As Linux's do_try_to_free_pages: ever harder passes, from DEF_PRIORITY
 * (1/4096 of each list) to 0 (all of it), until the goal is met. */
static unsigned long do_try_to_free_pages(struct scan_control *sc)
{
	for (sc->priority = DEF_PRIORITY; sc->priority >= 0; sc->priority--) {
		shrink_node(sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	return sc->nr_reclaimed;
}

unsigned long try_to_free_pages(gfp_t gfp_mask, unsigned int order, enum zone_type highest_zoneidx)
{
	struct scan_control sc = {
		.nr_to_reclaim = SWAP_CLUSTER_MAX,
		.gfp_mask = gfp_mask,
		.order = (int)order,
		.reclaim_idx = highest_zoneidx,
	};
	unsigned long nr_reclaimed;

	count_zone_vm_events(ALLOCSTALL_DMA, highest_zoneidx, 1);
	trace_mm_vmscan_direct_reclaim_begin((int)order, gfp_mask);
	nr_reclaimed = do_try_to_free_pages(&sc);
	trace_mm_vmscan_direct_reclaim_end(nr_reclaimed);
	return nr_reclaimed;
}

/* ---- kswapd ---- */

static DECLARE_WAIT_QUEUE_HEAD(kswapd_wait);

/* Every eligible zone at or above its high watermark (Linux's
 * pgdat_balanced asks for one; we ask for all, as this kernel's zones are
 * few and the DMA zone otherwise hides a starving DMA32). */
static bool pgdat_balanced(int order, enum zone_type highest_zoneidx)
{
	for (int z = 0; z <= (int)highest_zoneidx; z++) {
		struct zone *zone = &contig_page_data.node_zones[z];

		if (!managed_zone(zone))
			continue;
		if (!zone_watermark_ok(zone, (unsigned int)order, high_wmark_pages(zone),
				       (enum zone_type)z, 0))
			return false;
	}
	return true;
}

void wakeup_kswapd(struct zone *zone, gfp_t gfp_flags, int order, enum zone_type highest_zoneidx)
{
	struct pglist_data *pgdat = NODE_DATA(0);

	if (!pgdat->kswapd || !managed_zone(zone))
		return;
	if (order > pgdat->kswapd_order)
		pgdat->kswapd_order = order;
	if (pgdat->kswapd_highest_zoneidx == MAX_NR_ZONES ||
	    highest_zoneidx > pgdat->kswapd_highest_zoneidx)
		pgdat->kswapd_highest_zoneidx = highest_zoneidx;
	/* Hopeless (MAX_RECLAIM_RETRIES passes freed nothing): direct
	 * reclaim and the OOM killer take it from here. */
	if (pgdat->kswapd_failures >= MAX_RECLAIM_RETRIES)
		return;
	if (pgdat_balanced(order, highest_zoneidx))
		return;
	trace_mm_vmscan_wakeup_kswapd(pgdat->node_id, zone_idx(zone), order, gfp_flags);
	__atomic_store_n(&pgdat->kswapd_wakeup_pending, true, __ATOMIC_RELEASE);
	wake_up_interruptible(&kswapd_wait);
}

/* LAB reclaim: begin */
/* How long kswapd waits, once woken, before it reclaims (ms): a stand-in
 * for a kswapd that lags behind a fast allocator (on Linux it may be
 * starved of CPU or stuck behind slow I/O), so lab reclaim shows direct
 * reclaim whatever the host's speed. 0 (Linux): at once. Read again every
 * tick, so lowering it ends a wait under way. */
#define MAX_KSWAPD_DELAY_MS 600000
long kswapd_delay_ms;
core_param_int(kswapd_delay_ms, "vmscan.kswapd_delay_ms", kswapd_delay_ms, 0, MAX_KSWAPD_DELAY_MS,
	       "ms kswapd waits after a wakeup before reclaiming (lab reclaim)");

static void kswapd_lag(void)
{
	unsigned long start = jiffies;
	long ms;

	while ((ms = __atomic_load_n(&kswapd_delay_ms, __ATOMIC_RELAXED)) > 0 &&
	       jiffies - start < msecs_to_jiffies((unsigned int)ms) && !kthread_should_stop())
		schedule_timeout_interruptible(1);
}
/* LAB reclaim: end */

static bool kswapd_woken(void)
{
	return __atomic_load_n(&NODE_DATA(0)->kswapd_wakeup_pending, __ATOMIC_ACQUIRE) ||
	       kthread_should_stop();
}

/* As Linux's balance_pgdat: reclaim at rising pressure until every zone
 * is above high; a whole pass that frees nothing is a failure. The pass is
 * a memory stall for psi, as Linux's: kswapd's time counts in "some". */
static void balance_pgdat(int order, enum zone_type highest_zoneidx)
{
	struct pglist_data *pgdat = NODE_DATA(0);
	struct scan_control sc = {
		.gfp_mask = GFP_KERNEL,
		.order = order,
		.kswapd = true,
		.reclaim_idx = highest_zoneidx,
	};
	unsigned long pflags;

	psi_memstall_enter(&pflags);
	for (sc.priority = DEF_PRIORITY; sc.priority >= 0; sc.priority--) {
		unsigned long before = sc.nr_reclaimed;

		if (pgdat_balanced(order, highest_zoneidx))
			break;
		/* As Linux's kswapd_shrink_node: the gap up to high. */
		sc.nr_to_reclaim = SWAP_CLUSTER_MAX;
		for (int z = 0; z <= (int)highest_zoneidx; z++)
			sc.nr_to_reclaim += high_wmark_pages(&pgdat->node_zones[z]);
		sc.nr_to_reclaim += before;
		shrink_node(&sc);
		if (kthread_should_stop())
			break;
		cond_resched();
	}
	psi_memstall_leave(&pflags);
	if (!sc.nr_reclaimed)
		pgdat->kswapd_failures++;
}

/* As Linux's prepare_kswapd_sleep: balanced, or hopeless (passes in a row
 * freed nothing: spinning would only burn the CPU; direct reclaim and the
 * OOM killer take over, and reclaim that frees a page wakes it again). */
static bool prepare_kswapd_sleep(int order, enum zone_type highest_zoneidx)
{
	if (NODE_DATA(0)->kswapd_failures >= MAX_RECLAIM_RETRIES)
		return true;
	return pgdat_balanced(order, highest_zoneidx);
}

/* As Linux's kswapd_try_to_sleep: nap a tenth of a second once balanced;
 * woken during the nap, memory fell below low quickly; still unbalanced
 * after it, high was hit quickly; otherwise sleep until woken. */
static void kswapd_try_to_sleep(int order, enum zone_type highest_zoneidx)
{
	struct pglist_data *pgdat = NODE_DATA(0);
	long remaining = 0;

	if (kswapd_woken())
		return;
	if (prepare_kswapd_sleep(order, highest_zoneidx))
		remaining = wait_event_interruptible_timeout(kswapd_wait, kswapd_woken(), HZ / 10);
	if (!remaining && prepare_kswapd_sleep(order, highest_zoneidx)) {
		trace_mm_vmscan_kswapd_sleep(pgdat->node_id);
		wait_event_interruptible(kswapd_wait, kswapd_woken());
	} else if (remaining) {
		count_vm_event(KSWAPD_LOW_WMARK_HIT_QUICKLY);
	} else {
		count_vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY);
	}
}

/* The zones a pending wakeup asked for, else prev (MAX_NR_ZONES: none). */
static enum zone_type kswapd_highest_zoneidx(const struct pglist_data *pgdat, enum zone_type prev)
{
	enum zone_type curr = pgdat->kswapd_highest_zoneidx;

	return curr == MAX_NR_ZONES ? prev : curr;
}

static int kswapd(void *data)
{
	struct pglist_data *pgdat = data;
	/* As Linux: the first sleep checks every zone, not just the lowest. */
	enum zone_type idx = MAX_NR_ZONES - 1;
	int order;

	/* As Linux: kswapd's own allocations may use the reserves. */
	current->flags |= PF_MEMALLOC;
	while (!kthread_should_stop()) {
		/* Nothing new asked for: the last pass's zones must be balanced
		 * before it sleeps (Linux's kswapd_highest_zoneidx). */
		idx = kswapd_highest_zoneidx(pgdat, idx);
		kswapd_try_to_sleep(pgdat->kswapd_order, idx);
		if (kthread_should_stop())
			break;
		__atomic_store_n(&pgdat->kswapd_wakeup_pending, false, __ATOMIC_RELEASE);
		order = pgdat->kswapd_order;
		idx = kswapd_highest_zoneidx(pgdat, idx);
		pgdat->kswapd_order = 0;
		pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES;
		trace_mm_vmscan_kswapd_wake(pgdat->node_id, idx, order);
		kswapd_lag(); /* LAB reclaim */
		balance_pgdat(order, idx);
	}
	return 0;
}

void kswapd_run(void)
{
	struct pglist_data *pgdat = NODE_DATA(0);
	struct task_struct *t;

	pgdat->kswapd_highest_zoneidx = MAX_NR_ZONES; /* no wakeup pending */
	t = kthread_run(kswapd, pgdat, "kswapd%d", pgdat->node_id);
	if (IS_ERR_OR_NULL(t))
		pr_err("Failed to start kswapd on node %d", pgdat->node_id);
	else
		pgdat->kswapd = t;
}
