/* The allocator's slow path: what happens when the fast path found every
 * zone below its low watermark (Linux's __alloc_pages_slowpath). Read first:
 * the GFP mask decides how hard to try; this file keeps Linux's steps and
 * order: wake kswapd, reclaim directly while that makes progress, and
 * only then the OOM killer. */
#include "kernel/cmdline.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/psi.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/trace/events.h"
#include "kernel/x86.h"
#include "mm/internal.h"
#include "mm/oom.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

#define DEFAULT_STALL_WARN_MS 10000
#define MAX_STALL_WARN_MS 600000

/* The allocation-stall watchdog of Linux 4.9-4.14 (removed in 4.15): an
 * allocation still in the slow path after this long says so through
 * warn_alloc, then again each time as much more has passed. Linux fixed
 * it at 10 s; labs lower it. 0: never. */
long oom_stall_warn_ms = DEFAULT_STALL_WARN_MS;
core_param_int(oom_stall_warn_ms, "oom.stall_warn_ms", oom_stall_warn_ms, 0, MAX_STALL_WARN_MS,
	       "report allocations stuck in the slow path this long (ms, 0: never)");

/* LAB reserves: begin */
/* Who may go below the min watermark around an OOM kill (seed 1):
 * victim (Linux since 4.14: ALLOC_OOM for victims), killer (the 2015
 * patch: the allocation that just killed gets ALLOC_NO_WATERMARKS), none
 * (Linux before 2015: nobody). */
int oom_kill_reserves = OOM_RESERVES_VICTIM;
static const char *const oom_kill_reserves_names[] = {"victim", "killer", "none", NULL};
core_param_enum(oom_kill_reserves, "oom.kill_reserves", oom_kill_reserves, oom_kill_reserves_names,
		"reserves around an OOM kill: victim, killer or none");
/* LAB reserves: end */
/* LAB oomlock: begin */
/* How an allocation takes oom_lock (seed 4): trylock and sleep a tick on
 * failure (Linux); trylock-sleep (Linux 2018: also the holder sleeps a
 * tick after a kill, under the lock); killable (the seed-4 patch: wait
 * for the lock, killable). */
int oom_lock_mode = OOM_LOCK_TRYLOCK;
static const char *const oom_lock_names[] = {"trylock", "trylock-sleep", "killable", NULL};
core_param_enum(oom_lock, "oom.lock", oom_lock_mode, oom_lock_names,
		"how allocations take oom_lock: trylock, trylock-sleep or killable");
/* LAB oomlock: end */

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

/* Is the caller itself a reclaimer (PF_MEMALLOC, set around reclaim by
 * memalloc_noreclaim_save)? Before tasks exist (early boot, the host
 * tests) nobody is. */
static bool current_is_memalloc(void)
{
	return current && (current->flags & PF_MEMALLOC);
}

/* As Linux's oom_reserves_allowed: an OOM victim may use part of the min
 * reserve to exit (ALLOC_OOM). */
static bool oom_reserves_allowed(void)
{
	/* LAB reserves: begin */
	if (oom_kill_reserves != OOM_RESERVES_VICTIM)
		return false;
	/* LAB reserves: end */
	return current && tsk_is_oom_victim(current);
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

/* Extra CPU time each direct-reclaim pass that freed nothing burns, as
 * Linux's shrink_node does scanning large LRU lists that give nothing back
 * at the OOM point (our lists are small, so that cost is tiny). Lab 06
 * needs it to replay seed 4; 0 (the default) is none. */
#define MAX_RECLAIM_COST_US 100000
#define RECLAIM_COST_STEP_NS 100000ULL /* cond_resched as often as shrink_node's loops */
long oom_reclaim_cost_us;
core_param_int(oom_reclaim_cost_us, "oom.reclaim_cost_us", oom_reclaim_cost_us, 0,
	       MAX_RECLAIM_COST_US,
	       "CPU us each direct-reclaim pass burns (stand-in until LRU reclaim)");

static void burn_reclaim_cost(void)
{
	long cost_us = __atomic_load_n(&oom_reclaim_cost_us, __ATOMIC_RELAXED);
	uint64_t burned = 0, step_end;

	if (!cost_us || !current)
		return;
	/* CPU time of this task, not time on the clock: each step runs with
	 * preemption off, so time other tasks get meanwhile never counts
	 * (measured on the clock, 64 loopers would all finish "burning" at
	 * once and sleep together, leaving the CPU to anyone). */
	while (burned < (uint64_t)cost_us * 1000ULL) {
		preempt_disable();
		step_end = local_clock() + RECLAIM_COST_STEP_NS;
		while (local_clock() < step_end)
			cpu_relax();
		preempt_enable();
		burned += RECLAIM_COST_STEP_NS;
		cond_resched();
	}
}

/* As Linux's __alloc_pages_direct_reclaim: reclaim (the LRU lists and the
 * shrinkers) as PF_MEMALLOC, so its own allocations neither recurse nor
 * stop at the watermarks, then try again; pages parked on the per-CPU
 * lists do not count as free, so drain them once too. did_some_progress
 * is the number of pages reclaim freed. */
static struct page *__alloc_pages_direct_reclaim(gfp_t gfp_mask, unsigned int order,
						 unsigned int alloc_flags,
						 const struct alloc_context *ac,
						 unsigned long *did_some_progress)
{
	struct page *page;
	bool drained = false;
	unsigned long pflags; /* reclaim is a memory stall (psi), as Linux's __perform_reclaim */
	unsigned int noreclaim_flag;

	*did_some_progress = 0;
	psi_memstall_enter(&pflags);
	if (current) {
		noreclaim_flag = memalloc_noreclaim_save();
		*did_some_progress = try_to_free_pages(gfp_mask, order, ac->highest_zoneidx);
		memalloc_noreclaim_restore(noreclaim_flag);
	}
retry:
	page = get_page_from_freelist(gfp_mask, order, alloc_flags, ac);
	if (!page && !drained) {
		/* As Linux's __perform_reclaim: reclaim runs as PF_MEMALLOC. */
		noreclaim_flag = current ? memalloc_noreclaim_save() : 0;

		drain_all_pages(NULL);
		if (current)
			memalloc_noreclaim_restore(noreclaim_flag);
		drained = true;
		goto retry;
	}
	if (!page)
		burn_reclaim_cost();
	psi_memstall_leave(&pflags);
	return page;
}

/* As Linux's wake_all_kswapds: every zone this allocation may use. */
static void wake_all_kswapds(unsigned int order, gfp_t gfp_mask, const struct alloc_context *ac)
{
	for (int z = (int)ac->highest_zoneidx; z >= 0; z--)
		wakeup_kswapd(&contig_page_data.node_zones[z], gfp_mask, (int)order,
			      ac->highest_zoneidx);
}

/* As Linux's should_reclaim_retry: keep retrying while some zone would pass
 * its min watermark with what it has free plus what reclaim could still
 * free, discounting that estimate more the longer we make no progress. */
static bool should_reclaim_retry(gfp_t gfp_mask, unsigned int order, const struct alloc_context *ac,
				 unsigned int alloc_flags, bool did_some_progress,
				 int *no_progress_loops)
{
	bool ret = false;

	(void)gfp_mask;
	if (did_some_progress && order <= PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops > MAX_RECLAIM_RETRIES)
		return false;
	for (int z = (int)ac->highest_zoneidx; z >= 0; z--) {
		struct zone *zone = &contig_page_data.node_zones[z];
		long reclaimable = (long)zone_reclaimable_pages(zone);
		long available = reclaimable + zone_page_state(zone, NR_FREE_PAGES);
		bool wmark;

		if (!managed_zone(zone))
			continue;
		available -= (*no_progress_loops * available + MAX_RECLAIM_RETRIES - 1) /
			     MAX_RECLAIM_RETRIES;
		wmark = __zone_watermark_ok(zone, order, min_wmark_pages(zone), ac->highest_zoneidx,
					    alloc_flags, available);
		trace_reclaim_retry_zone(zone, (int)order, (unsigned long)reclaimable,
					 (unsigned long)available, min_wmark_pages(zone),
					 *no_progress_loops, wmark);
		if (wmark) {
			ret = true;
			break;
		}
	}
	/* As Linux: this loop may spin; let others (an exiting victim) run. */
	if (current)
		cond_resched();
	return ret;
}

/* LAB oomlock: student begin: write oom_lock_acquire() */
/* Take oom_lock as the oom.lock switch says; false: someone else is
 * OOM-killing (or we were killed waiting), report progress and retry. */
static bool oom_lock_acquire(void)
{
	/* LAB oomlock: begin */
	if (oom_lock_mode == OOM_LOCK_KILLABLE)
		return mutex_lock_killable(&oom_lock) == 0;
	/* LAB oomlock: end */
	if (mutex_trylock(&oom_lock))
		return true;
	/* As Linux: the holder is killing; give the victim a tick. */
	schedule_timeout_uninterruptible(1);
	return false;
}
#if 0  /* LAB oomlock: student stub */
/* TODO (lab oomlock): with oom.lock=killable, wait for oom_lock
 * (killably: a task killed while waiting returns false at once) instead
 * of trylocking it; the other settings keep the trylock and its tick. */
static bool oom_lock_acquire(void)
{
	if (mutex_trylock(&oom_lock))
		return true;
	schedule_timeout_uninterruptible(1);
	return false;
}
#endif /* LAB oomlock: student end */

/* LAB reserves: student begin: write oom_killer_page() */
/* Seed 1, as the patch: once its OOM pass made progress (a kill, or a
 * victim already on its way out), the allocation takes what it needs past
 * every watermark instead of waiting for the victim, which may be waiting
 * for a lock this caller holds. NULL: it waits like any other. */
static struct page *oom_killer_page(gfp_t gfp_mask, unsigned int order,
				    const struct alloc_context *ac)
{
	/* LAB reserves: begin */
	if (oom_kill_reserves == OOM_RESERVES_KILLER)
		return get_page_from_freelist(gfp_mask, order, ALLOC_NO_WATERMARKS, ac);
	/* LAB reserves: end */
	return NULL;
}
#if 0  /* LAB reserves: student stub */
/* TODO (lab reserves): with oom.kill_reserves=killer, give the allocation
 * its page with no watermark at all (ALLOC_NO_WATERMARKS). As given, the
 * killer waits for its victim like any allocation (Linux before 2015). */
static struct page *oom_killer_page(gfp_t gfp_mask, unsigned int order,
				    const struct alloc_context *ac)
{
	(void)gfp_mask;
	(void)order;
	(void)ac;
	return NULL;
}
#endif /* LAB reserves: student end */

/* May this allocation OOM-kill at all? (Linux's checks, in its order.) */
static bool oom_kill_allowed(gfp_t gfp_mask, unsigned int order, const struct alloc_context *ac)
{
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		return false; /* the OOM killer cannot make contiguous memory */
	if (gfp_mask & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE))
		return false;
	if (ac->highest_zoneidx < ZONE_NORMAL)
		return false; /* killing would not help a DMA/DMA32-only caller */
	return true;
}

/* As Linux's __alloc_pages_may_oom. skips_seen: oom_skip_count() taken
 * before the slow path's last look at its own watermark. The look below
 * is at high, above what the allocation needs, so a victim that finished
 * after that earlier look may have freed enough while this one fails:
 * out_of_memory then asks for another try instead of choosing again. */
static struct page *__alloc_pages_may_oom(gfp_t gfp_mask, unsigned int order,
					  const struct alloc_context *ac, unsigned long skips_seen,
					  unsigned long *did_some_progress)
{
	struct oom_control oc = {.gfp_mask = gfp_mask,
				 .order = (int)order,
				 .skips_at_last_look = skips_seen,
				 .looked = true};
	struct page *page;

	*did_some_progress = 0;
	if (!oom_lock_acquire()) {
		*did_some_progress = 1;
		return NULL;
	}
	/* A parallel kill may just have freed memory: one more look, at a
	 * watermark high enough that we do not start thrashing. */
	page = get_page_from_freelist(gfp_mask & ~__GFP_DIRECT_RECLAIM, order,
				      ALLOC_WMARK_HIGH | ALLOC_CPUSET, ac);
	if (page || !oom_kill_allowed(gfp_mask, order, ac))
		goto out;
	if (out_of_memory(&oc) || (gfp_mask & __GFP_NOFAIL)) {
		*did_some_progress = 1;
		/* As Linux: a NOFAIL allocation may take the last pages. */
		if (gfp_mask & __GFP_NOFAIL)
			page = get_page_from_freelist(gfp_mask, order, ALLOC_NO_WATERMARKS, ac);
		else
			page = oom_killer_page(gfp_mask, order, ac);
	}
out:
	mutex_unlock(&oom_lock);
	return page;
}

/* As Linux 4.14's check in __alloc_pages_slowpath: "page allocation
 * stalls for Nms". Every stall counts in pgalloc_stall (ours); the report
 * shares warn_alloc's rate limit, so under a storm only the counter shows
 * them all. *next_warn: jiffies after alloc_start of the next report. */
static void check_alloc_stall(gfp_t gfp_mask, unsigned int order, unsigned long alloc_start,
			      unsigned long *next_warn)
{
	unsigned long waited = jiffies - alloc_start;

	if (!*next_warn || waited <= *next_warn)
		return;
	count_vm_event(PGALLOC_STALL);
	warn_alloc(gfp_mask & ~__GFP_NOWARN, "page allocation stalls for %ums, order:%u",
		   jiffies_to_msecs(waited), order);
	*next_warn += msecs_to_jiffies((unsigned int)oom_stall_warn_ms);
}

struct page *__alloc_pages_slowpath(gfp_t gfp_mask, unsigned int order, struct alloc_context *ac)
{
	bool can_direct_reclaim = gfp_mask & __GFP_DIRECT_RECLAIM;
	bool costly_order = order > PAGE_ALLOC_COSTLY_ORDER;
	unsigned int alloc_flags = gfp_to_alloc_flags(gfp_mask, order);
	unsigned int reserve_flags;
	unsigned long did_some_progress, oom_skips_seen;
	int no_progress_loops = 0;
	long stall_ms = __atomic_load_n(&oom_stall_warn_ms, __ATOMIC_RELAXED);
	unsigned long alloc_start = jiffies;
	unsigned long next_stall_warn = stall_ms ? msecs_to_jiffies((unsigned int)stall_ms) : 0;
	struct page *page;

	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp_mask, ac);
	page = get_page_from_freelist(gfp_mask, order, alloc_flags, ac);
	if (page)
		return page;
retry:
	/* As Linux: kswapd may have gone to sleep meanwhile. */
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp_mask, ac);
	reserve_flags = __gfp_pfmemalloc_flags(gfp_mask);
	if (reserve_flags)
		alloc_flags = reserve_flags | (alloc_flags & ALLOC_KSWAPD);
	oom_skips_seen = oom_skip_count();
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
	/* Where Linux 4.14 looked: after reclaim, before deciding to retry. */
	check_alloc_stall(gfp_mask, order, alloc_start, &next_stall_warn);
	if (gfp_mask & __GFP_NORETRY)
		goto nopage;
	if (costly_order && !(gfp_mask & __GFP_RETRY_MAYFAIL))
		goto nopage;
	if (should_reclaim_retry(gfp_mask, order, ac, alloc_flags, did_some_progress > 0,
				 &no_progress_loops))
		goto retry;
	/* LAB notifier: begin */
	/* oom.notifier=outside: the notifiers as the last reclaim, for an
	 * allocation that could OOM-kill (the patch's "if (oomkill)"). */
	if (oom_kill_allowed(gfp_mask, order, ac) && oom_notify_outside_lock())
		goto retry;
	/* LAB notifier: end */
	page = __alloc_pages_may_oom(gfp_mask, order, ac, oom_skips_seen, &did_some_progress);
	if (page)
		return page;
	/* A victim that already had ALLOC_OOM (or may have no reserves)
	 * fails rather than loop: it is dying, its caller can cope. */
	if (current && tsk_is_oom_victim(current) &&
	    ((alloc_flags & ALLOC_OOM) || (gfp_mask & __GFP_NOMEMALLOC)))
		goto nopage;
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
