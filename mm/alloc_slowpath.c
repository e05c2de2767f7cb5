/* The allocator's slow path: what happens when the fast path found every
 * zone below its low watermark (Linux's __alloc_pages_slowpath). Read first:
 * the GFP mask decides how hard to try; this file keeps Linux's steps and
 * order, and the steps that need parts not built yet (kswapd, reclaim, the
 * OOM killer) are marked where they plug in and make no progress today. */
#include "kernel/printk.h"
#include "kernel/psi.h"
#include "kernel/x86.h"
#include "mm/internal.h"
#include "mm/vmstat.h"

#define MAX_RECLAIM_RETRIES 16

unsigned int gfp_to_alloc_flags(gfp_t gfp_mask, unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;

	/* __GFP_HIGH and __GFP_KSWAPD_RECLAIM share their bits with
	 * ALLOC_MIN_RESERVE and ALLOC_KSWAPD, as in Linux. */
	alloc_flags |= gfp_mask & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM);
	if (!(gfp_mask & __GFP_DIRECT_RECLAIM)) {
		/* Cannot sleep to wait for reclaim: may go a little deeper. */
		if (!(gfp_mask & __GFP_NOMEMALLOC))
			alloc_flags |= ALLOC_NON_BLOCK;
		if (order > 0)
			alloc_flags |= ALLOC_HIGHATOMIC;
		alloc_flags &= ~(unsigned int)ALLOC_CPUSET;
	}
	/* Linux also gives real-time tasks ALLOC_MIN_RESERVE; with tasks. */
	return alloc_flags;
}

/* Is the caller itself a reclaimer (PF_MEMALLOC) or an OOM victim? Both
 * questions need tasks; until they exist no caller is either. */
static bool current_is_memalloc(void)
{
	return false;
}
static bool oom_reserves_allowed(void)
{
	return false;
}

unsigned int __gfp_pfmemalloc_flags(gfp_t gfp_mask)
{
	if (gfp_mask & __GFP_NOMEMALLOC)
		return 0;
	if (gfp_mask & __GFP_MEMALLOC)
		return ALLOC_NO_WATERMARKS;
	if (current_is_memalloc())
		return ALLOC_NO_WATERMARKS;
	if (oom_reserves_allowed())
		return ALLOC_OOM;
	return 0;
}

/* Direct reclaim: shrinkers and the page-cache LRU will free pages here. Its
 * second half is real today: pages parked on the per-CPU lists do not count
 * as free, so drain them once and try again before giving up. */
static struct page *__alloc_pages_direct_reclaim(gfp_t gfp_mask, unsigned int order,
						 unsigned int alloc_flags,
						 const struct alloc_context *ac,
						 unsigned long *did_some_progress)
{
	struct page *page;
	bool drained = false;
	unsigned long pflags; /* reclaim is a memory stall (psi), as Linux's __perform_reclaim */

	*did_some_progress = 0; /* pages reclaimed: nothing is reclaimable yet */
	psi_memstall_enter(&pflags);
retry:
	page = get_page_from_freelist(gfp_mask, order, alloc_flags, ac);
	if (!page && !drained) {
		drain_all_pages(NULL);
		drained = true;
		goto retry;
	}
	psi_memstall_leave(&pflags);
	return page;
}

/* As Linux's should_reclaim_retry: keep retrying while some zone would pass
 * its min watermark with what it has free plus what reclaim could still
 * free, discounting that estimate more the longer we make no progress. */
static bool should_reclaim_retry(gfp_t gfp_mask, unsigned int order, const struct alloc_context *ac,
				 unsigned int alloc_flags, bool did_some_progress,
				 int *no_progress_loops)
{
	(void)gfp_mask;
	if (did_some_progress && order <= PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops > MAX_RECLAIM_RETRIES)
		return false;
	for (int z = (int)ac->highest_zoneidx; z >= 0; z--) {
		struct zone *zone = &contig_page_data.node_zones[z];
		long reclaimable = 0; /* the LRU lists, once reclaim exists */
		long available = reclaimable + zone_page_state(zone, NR_FREE_PAGES);

		if (!managed_zone(zone))
			continue;
		available -= (*no_progress_loops * available + MAX_RECLAIM_RETRIES - 1) /
			     MAX_RECLAIM_RETRIES;
		if (__zone_watermark_ok(zone, order, min_wmark_pages(zone), ac->highest_zoneidx,
					alloc_flags, available))
			return true;
	}
	return false;
}

/* Linux's __alloc_pages_may_oom minus the kill. The last attempt at the
 * high watermark and the "may this allocation OOM-kill at all?" rules are
 * here already; out_of_memory() joins with the OOM killer. */
static struct page *__alloc_pages_may_oom(gfp_t gfp_mask, unsigned int order,
					  const struct alloc_context *ac,
					  unsigned long *did_some_progress)
{
	struct page *page;

	*did_some_progress = 0;
	/* A parallel kill may just have freed memory: one more look, at a
	 * watermark high enough that we do not start thrashing. */
	page = get_page_from_freelist(gfp_mask & ~__GFP_DIRECT_RECLAIM, order,
				      ALLOC_WMARK_HIGH | ALLOC_CPUSET, ac);
	if (page)
		return page;
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		return NULL; /* the OOM killer cannot make contiguous memory */
	if (gfp_mask & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE))
		return NULL;
	if (ac->highest_zoneidx < ZONE_NORMAL)
		return NULL; /* killing would not help a DMA/DMA32-only caller */
	return NULL;	     /* out_of_memory(): no OOM killer yet, so no progress */
}

struct page *__alloc_pages_slowpath(gfp_t gfp_mask, unsigned int order, struct alloc_context *ac)
{
	bool can_direct_reclaim = gfp_mask & __GFP_DIRECT_RECLAIM;
	bool costly_order = order > PAGE_ALLOC_COSTLY_ORDER;
	unsigned int alloc_flags = gfp_to_alloc_flags(gfp_mask, order);
	unsigned int reserve_flags;
	unsigned long did_some_progress;
	int no_progress_loops = 0;
	struct page *page;

	/* Here Linux wakes kswapd (ALLOC_KSWAPD); kswapd comes with reclaim. */
	page = get_page_from_freelist(gfp_mask, order, alloc_flags, ac);
	if (page)
		return page;
retry:
	reserve_flags = __gfp_pfmemalloc_flags(gfp_mask);
	if (reserve_flags)
		alloc_flags = reserve_flags | (alloc_flags & ALLOC_KSWAPD);
	page = get_page_from_freelist(gfp_mask, order, alloc_flags, ac);
	if (page)
		return page;
	if (!can_direct_reclaim)
		goto nopage;
	if (current_is_memalloc())
		goto nopage; /* a reclaimer must not recurse into reclaim */
	page = __alloc_pages_direct_reclaim(gfp_mask, order, alloc_flags, ac, &did_some_progress);
	if (page)
		return page;
	if (gfp_mask & __GFP_NORETRY)
		goto nopage;
	if (costly_order && !(gfp_mask & __GFP_RETRY_MAYFAIL))
		goto nopage;
	if (should_reclaim_retry(gfp_mask, order, ac, alloc_flags, did_some_progress > 0,
				 &no_progress_loops))
		goto retry;
	page = __alloc_pages_may_oom(gfp_mask, order, ac, &did_some_progress);
	if (page)
		return page;
	if (did_some_progress) {
		no_progress_loops = 0;
		goto retry;
	}
nopage:
	if (gfp_mask & __GFP_NOFAIL) {
		/* Linux refuses NOFAIL without direct reclaim: it could only
		 * spin. A blocking one loops, with a bit of the min reserve,
		 * until reclaim or the OOM killer frees something. */
		if (!can_direct_reclaim) {
			pr_warn("alloc_pages: __GFP_NOFAIL without __GFP_DIRECT_RECLAIM cannot "
				"be honoured");
		} else {
			page = get_page_from_freelist(gfp_mask, order,
						      ALLOC_MIN_RESERVE | ALLOC_WMARK_MIN, ac);
			if (page)
				return page;
			cpu_relax();
			goto retry;
		}
	}
	count_vm_event(PGALLOC_FAIL);
	warn_alloc(gfp_mask, "page allocation failure: order:%u", order);
	return NULL;
}
