/* Reclaim's stalls and kswapd's sleeps as a specification: an allocation
 * that must reclaim counts an allocstall; kswapd's balancing pass and the
 * read of a page evicted while still in the working set are memory stalls
 * for PSI (a cold read and an old refault are not); above low nothing
 * wakes kswapd; woken in its nap it counts low_wmark_hit_quickly, and when
 * it can free nothing it counts high_wmark_hit_quickly, then sleeps until
 * reclaim makes progress again, as Linux's. Read first: PSI's totals are
 * system-wide, so each case makes sure nothing else stalls (no direct
 * reclaim: allocstall unchanged). Needs the disk; skips without. */
#include "kernel/drivers/virtio_blk.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/fs/namespace.h"
#include "kernel/ktest.h"
#include "kernel/kthread.h"
#include "kernel/psi.h"
#include "kernel/sched.h"
#include "kernel/timer.h"
#include "kernel/trace/trace.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/reclaim_test_helpers.h"

#define WORKING_SET_PAGES 1024ul /* of cache40.bin, kept on the active list */
#define KSWAPD_WAIT_MS 10000
#define KSWAPD_NAP_MS 300 /* a window for a wakeup that should not happen */
#define NAP_ATTEMPTS 5
/* Far more evictions than any active list: every shadow is old. */
#define AGE_PAST_ANY_WORKING_SET (1ul << 30)

static unsigned long allocstalls(void)
{
	return vm_event(ALLOCSTALL_DMA) + vm_event(ALLOCSTALL_DMA32) + vm_event(ALLOCSTALL_NORMAL);
}

static struct zone *highest_managed_zone(void)
{
	struct zone *found = NULL, *zone;

	for_each_populated_zone(zone)
		if (managed_zone(zone))
			found = zone;
	return found;
}

static bool zone_above_high(const struct zone *zone)
{
	return zone_page_state(zone, NR_FREE_PAGES) >= (long)high_wmark_pages(zone);
}

static bool wait_for(bool (*cond)(const struct zone *), const struct zone *zone)
{
	for (int waited = 0; !cond(zone) && waited < KSWAPD_WAIT_MS; waited += 10)
		msleep(10);
	return cond(zone);
}

/* kswapd's pass is a memory stall, as Linux's balance_pgdat: with only
 * kswapd reclaiming (allocstall unchanged), memory "some" still moves. */
static void kswapd_reclaim_is_a_memory_stall(struct kunit *test)
{
	struct zone *zone = highest_managed_zone();
	unsigned long stalls, stolen;
	struct page_stash stash;
	uint64_t some;

	if (!have_disk(test))
		return;
	KUNIT_ASSERT_NOT_NULL(test, zone);
	KUNIT_ASSERT_NOT_NULL(test, NODE_DATA(0)->kswapd);
	drop_pagecache();
	KUNIT_ASSERT_EQ(test, read_pages(CACHE40_PATH, WORKING_SET_PAGES),
			(long)(WORKING_SET_PAGES * PAGE_SIZE));
	stash_init(&stash, 0);
	take_zone_below_high(zone, &stash);
	KUNIT_ASSERT_TRUE(test, !zone_above_high(zone));
	stalls = allocstalls();
	stolen = vm_event(PGSTEAL_KSWAPD);
	some = psi_total_ns(PSI_MEM_SOME);
	kswapd_sleep_watch();
	wakeup_kswapd(zone, GFP_KERNEL, 0, zone_idx(zone));
	KUNIT_EXPECT_TRUE(test, wait_for(zone_above_high, zone));
	KUNIT_EXPECT_TRUE(test, wait_for_kswapd_sleep()); /* its pass is over */
	KUNIT_EXPECT_GT(test, vm_event(PGSTEAL_KSWAPD), stolen);
	KUNIT_EXPECT_EQ(test, allocstalls(), stalls);
	KUNIT_EXPECT_UGE(test, psi_total_ns(PSI_MEM_SOME), some + 1);
	stash_free_all(&stash);
}

/* Evict the file's pages through reclaim: each leaves a shadow. */
static void evict(struct kunit *test, struct address_space *mapping)
{
	reclaim_until_empty(mapping, 1000);
	KUNIT_EXPECT_EQ(test, mapping->nrpages, 0);
}

/* Reading back a page evicted sooner than the active list is long is
 * thrashing: a memory stall, as Linux's filemap_read_folio on a workingset
 * folio. A cold read (no shadow) and a refault from long ago are not. */
static void a_refault_of_a_recently_evicted_page_is_a_memory_stall(struct kunit *test)
{
	unsigned long refaults, activations, stalls;
	struct file *f;
	uint64_t some;

	if (!have_disk(test))
		return;
	drop_pagecache();
	/* A working set on the active list (read twice), so the big file's
	 * evictions are recent next to it. */
	for (int i = 0; i < 2; i++)
		KUNIT_ASSERT_EQ(test, read_pages(CACHE40_PATH, WORKING_SET_PAGES),
				(long)(WORKING_SET_PAGES * PAGE_SIZE));
	f = filp_open(BIG_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));

	stalls = allocstalls();
	some = psi_total_ns(PSI_MEM_SOME);
	KUNIT_EXPECT_GT(test, read_pages(BIG_PATH, BIG_PAGES), 0);
	KUNIT_EXPECT_UEQ(test, psi_total_ns(PSI_MEM_SOME), some); /* cold: no shadow */

	evict(test, f->f_mapping);
	refaults = vm_event(WORKINGSET_REFAULT_FILE);
	activations = vm_event(WORKINGSET_ACTIVATE_FILE);
	some = psi_total_ns(PSI_MEM_SOME);
	KUNIT_EXPECT_GT(test, read_pages(BIG_PATH, BIG_PAGES), 0);
	KUNIT_EXPECT_UGE(test, psi_total_ns(PSI_MEM_SOME), some + 1);
	KUNIT_EXPECT_GE(test, vm_event(WORKINGSET_REFAULT_FILE) - refaults, BIG_PAGES);
	KUNIT_EXPECT_GE(test, vm_event(WORKINGSET_ACTIVATE_FILE) - activations, BIG_PAGES);

	evict(test, f->f_mapping);
	workingset_age_nonresident(AGE_PAST_ANY_WORKING_SET);
	refaults = vm_event(WORKINGSET_REFAULT_FILE);
	activations = vm_event(WORKINGSET_ACTIVATE_FILE);
	stalls = allocstalls();
	some = psi_total_ns(PSI_MEM_SOME);
	KUNIT_EXPECT_GT(test, read_pages(BIG_PATH, BIG_PAGES), 0);
	KUNIT_EXPECT_UEQ(test, psi_total_ns(PSI_MEM_SOME), some);
	KUNIT_EXPECT_GE(test, vm_event(WORKINGSET_REFAULT_FILE) - refaults, BIG_PAGES);
	KUNIT_EXPECT_EQ(test, vm_event(WORKINGSET_ACTIVATE_FILE), activations);
	/* No direct reclaim ran during the reads: their stalls were their own. */
	KUNIT_EXPECT_EQ(test, allocstalls(), stalls);
	fput(f);
}

static bool all_zones_above_high(const struct zone *unused)
{
	struct zone *zone;

	(void)unused;
	for_each_populated_zone(zone)
		if (managed_zone(zone) && !zone_above_high(zone))
			return false;
	return true;
}

/* Above low nothing wakes kswapd: an allocation passes the fast path's
 * low watermark, and a wakeup finds the node balanced (Linux's
 * wakeup_kswapd returns before mm_vmscan_wakeup_kswapd). */
static void kswapd_is_not_woken_while_memory_is_above_low(struct kunit *test)
{
	struct zone *zone = highest_managed_zone();
	unsigned long scanned;
	struct page_stash stash;

	if (!have_disk(test))
		return;
	KUNIT_ASSERT_NOT_NULL(test, zone);
	/* kswapd balanced and asleep for good: only a wakeup runs it. */
	KUNIT_ASSERT_EQ(test, read_pages(CACHE40_PATH, WORKING_SET_PAGES),
			(long)(WORKING_SET_PAGES * PAGE_SIZE));
	KUNIT_ASSERT_TRUE(test, kswapd_settle(zone));
	KUNIT_ASSERT_TRUE(test, wait_for(all_zones_above_high, zone));
	scanned = vm_event(PGSCAN_KSWAPD);
	trace_event_enable(TRACE_MM_VMSCAN_WAKEUP_KSWAPD, true);
	trace_event_enable(TRACE_MM_VMSCAN_KSWAPD_WAKE, true);
	tracing_reset();
	wakeup_kswapd(zone, GFP_KERNEL, 0, zone_idx(zone));
	stash_init(&stash, 0);
	take_zone_below_high(zone, &stash); /* still above low */
	KUNIT_EXPECT_GE(test, zone_page_state(zone, NR_FREE_PAGES), (long)low_wmark_pages(zone));
	msleep(KSWAPD_NAP_MS);
	trace_event_enable(TRACE_MM_VMSCAN_WAKEUP_KSWAPD, false);
	trace_event_enable(TRACE_MM_VMSCAN_KSWAPD_WAKE, false);
	KUNIT_EXPECT_EQ(test, trace_entries_written(), 0);
	KUNIT_EXPECT_EQ(test, vm_event(PGSCAN_KSWAPD), scanned);
	stash_free_all(&stash);
}

static long zone_file_pages(const struct zone *zone)
{
	return zone_page_state(zone, NR_ZONE_INACTIVE_FILE) +
	       zone_page_state(zone, NR_ZONE_ACTIVE_FILE);
}

/* An allocation the free pages cannot serve reclaims for itself: one
 * allocstall of the zone it asked for, pages scanned directly. kswapd is
 * kept out (marked hopeless, so no wakeup reaches it), so the free pages
 * cannot come back behind the allocation's back; the progress direct
 * reclaim makes clears the mark, as Linux's. */
static void an_allocation_that_must_reclaim_counts_an_allocstall(struct kunit *test)
{
	struct zone *dma = &contig_page_data.node_zones[ZONE_DMA];
	unsigned long stalls, dma_stalls, scanned, stolen;
	struct page_stash stash;
	struct page *page;

	if (!have_disk(test))
		return;
	KUNIT_ASSERT_TRUE(test, managed_zone(dma));
	KUNIT_ASSERT_GT(test, read_pages(SPARSE_PATH, SPARSE_PAGES),
			(long)(totalram_pages * PAGE_SIZE));
	KUNIT_ASSERT_TRUE(test, wait_for(all_zones_above_high, dma));
	KUNIT_ASSERT_GT(test, zone_file_pages(dma), (long)SWAP_CLUSTER_MAX);
	NODE_DATA(0)->kswapd_failures = MAX_RECLAIM_RETRIES;
	/* The DMA zone down to its min watermark, without reclaim. */
	stash_init(&stash, 0);
	while (stash_alloc(&stash, __GFP_DMA | __GFP_NOWARN))
		;
	stalls = allocstalls();
	dma_stalls = vm_event(ALLOCSTALL_DMA);
	scanned = vm_event(PGSCAN_DIRECT);
	stolen = vm_event(PGSTEAL_DIRECT);
	page = alloc_page(GFP_KERNEL | __GFP_DMA | __GFP_NORETRY | __GFP_NOWARN);
	KUNIT_EXPECT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, vm_event(ALLOCSTALL_DMA), dma_stalls + 1);
	KUNIT_EXPECT_EQ(test, allocstalls(), stalls + 1);
	KUNIT_EXPECT_GT(test, vm_event(PGSCAN_DIRECT), scanned);
	KUNIT_EXPECT_GT(test, vm_event(PGSTEAL_DIRECT), stolen);
	KUNIT_EXPECT_EQ(test, NODE_DATA(0)->kswapd_failures, 0);
	if (page)
		__free_page(page);
	stash_free_all(&stash);
	NODE_DATA(0)->kswapd_failures = 0;
}

static bool kswapd_blocked(const struct zone *zone)
{
	return zone_above_high(zone) && task_state(NODE_DATA(0)->kswapd) == TASK_INTERRUPTIBLE;
}

/* Wake kswapd for zone and wait until it has balanced it again. */
static bool kswapd_rebalance(const struct zone *zone, struct page_stash *stash)
{
	take_zone_below_high((struct zone *)zone, stash);
	wakeup_kswapd((struct zone *)zone, GFP_KERNEL, 0, zone_idx(zone));
	return wait_for(kswapd_blocked, zone);
}

/* Once balanced, kswapd naps HZ/10 before it sleeps for good: woken in
 * the nap, memory fell below low again quickly (Linux's
 * kswapd_low_wmark_hit_quickly). The test runs as soon as kswapd blocks,
 * well inside the nap; should the host stall the guest past it, kswapd
 * sleeps for good first (the kswapd_sleep trace event) or finds the node
 * unbalanced (high_wmark_hit_quickly), and the attempt is repeated. */
static void kswapd_woken_in_its_nap_counts_low_wmark_hit_quickly(struct kunit *test)
{
	struct zone *zone = highest_managed_zone();
	unsigned long low, high;
	struct page_stash stash;
	int attempt;

	if (!have_disk(test))
		return;
	KUNIT_ASSERT_NOT_NULL(test, zone);
	drop_pagecache();
	KUNIT_ASSERT_EQ(test, read_pages(CACHE40_PATH, 2 * WORKING_SET_PAGES),
			(long)(2 * WORKING_SET_PAGES * PAGE_SIZE));
	trace_event_enable(TRACE_MM_VMSCAN_KSWAPD_SLEEP, true);
	stash_init(&stash, 0);
	for (attempt = 0; attempt < NAP_ATTEMPTS; attempt++) {
		tracing_reset();
		KUNIT_ASSERT_TRUE(test, kswapd_rebalance(zone, &stash));
		low = vm_event(KSWAPD_LOW_WMARK_HIT_QUICKLY);
		high = vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY);
		KUNIT_ASSERT_TRUE(test, kswapd_rebalance(zone, &stash));
		stash_free_all(&stash);
		if (vm_event(KSWAPD_LOW_WMARK_HIT_QUICKLY) > low)
			break;
		if (!trace_entries_written() && vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY) == high)
			break; /* woken in its nap, yet not counted */
		kunit_log(test, "attempt %d: kswapd was past its nap", attempt);
	}
	trace_event_enable(TRACE_MM_VMSCAN_KSWAPD_SLEEP, false);
	if (attempt == NAP_ATTEMPTS) {
		kunit_mark_skipped(test, "kswapd's nap never caught: the guest stalled");
		return;
	}
	KUNIT_EXPECT_EQ(test, vm_event(KSWAPD_LOW_WMARK_HIT_QUICKLY), low + 1);
}

/* KSWAPD_HIGH_WMARK_HIT_QUICKLY before kswapd was started again. */
static unsigned long restart_high_quickly;

static bool kswapd_hopeless(const struct zone *zone)
{
	(void)zone;
	return __atomic_load_n(&NODE_DATA(0)->kswapd_failures, __ATOMIC_RELAXED) >=
	       MAX_RECLAIM_RETRIES;
}

/* Below high with nothing to reclaim: each futile pass ends unbalanced
 * (kswapd_high_wmark_hit_quickly); after MAX_RECLAIM_RETRIES of them
 * kswapd sleeps, as Linux's prepare_kswapd_sleep, instead of spinning. Reclaim
 * that frees something (here direct) makes it useful again. */
static void a_hopeless_kswapd_counts_high_wmark_hit_quickly_then_sleeps(struct kunit *test)
{
	struct pglist_data *pgdat = NODE_DATA(0);
	struct zone *zone = highest_managed_zone();
	unsigned long high_quickly, passes;
	struct page_stash stash;
	struct file *f;

	if (!have_disk(test))
		return;
	KUNIT_ASSERT_NOT_NULL(test, zone);
	KUNIT_ASSERT_NOT_NULL(test, pgdat->kswapd);
	KUNIT_ASSERT_EQ(test, pgdat->kswapd_failures, 0);
	drop_pagecache();
	stash_init(&stash, 0);
	take_zone_below_high(zone, &stash);
	drop_pagecache(); /* what the allocations' lookups may have read */
	high_quickly = vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY);
	kswapd_sleep_watch();
	wakeup_kswapd(zone, GFP_KERNEL, 0, zone_idx(zone));
	KUNIT_EXPECT_TRUE(test, wait_for(kswapd_hopeless, zone));
	KUNIT_EXPECT_GE(test, vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY) - high_quickly, 1);
	/* Unbalanced, yet it sleeps for good instead of spinning. */
	KUNIT_EXPECT_TRUE(test, wait_for_kswapd_sleep());
	passes = vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, MAX_RECLAIM_RETRIES);
	/* A wakeup changes nothing while it is hopeless (a window for a
	 * wrong pass to show, not a wait for an outcome). */
	wakeup_kswapd(zone, GFP_KERNEL, 0, zone_idx(zone));
	msleep(KSWAPD_NAP_MS);
	KUNIT_EXPECT_EQ(test, vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY), passes);
	stash_free_all(&stash);

	f = filp_open(BIG_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_EXPECT_GT(test, read_pages(BIG_PATH, BIG_PAGES), 0);
	evict(test, f->f_mapping);
	KUNIT_EXPECT_EQ(test, pgdat->kswapd_failures, 0);
	fput(f);
}

static bool high_hit_or_asleep(const struct zone *zone)
{
	(void)zone;
	return vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY) != restart_high_quickly ||
	       trace_entries_written() > 0;
}

/* A kswapd just started asks whether every zone is balanced before its
 * first sleep (Linux's kswapd starts at MAX_NR_ZONES - 1): with only the
 * highest zone below high it does not sleep (the kswapd_sleep trace
 * event) but finds the node unbalanced (high_wmark_hit_quickly) and
 * reclaims the zone back above high. */
static void a_new_kswapd_checks_every_zone_before_its_first_sleep(struct kunit *test)
{
	struct pglist_data *pgdat = NODE_DATA(0);
	struct zone *zone = highest_managed_zone();
	struct page_stash stash;

	if (!have_disk(test))
		return;
	KUNIT_ASSERT_NOT_NULL(test, zone);
	KUNIT_ASSERT_TRUE(test, zone_idx(zone) > ZONE_DMA);
	KUNIT_ASSERT_NOT_NULL(test, pgdat->kswapd);
	drop_pagecache();
	KUNIT_ASSERT_TRUE(test, wait_for(all_zones_above_high, zone));
	kthread_stop(pgdat->kswapd);
	pgdat->kswapd = NULL; /* no wakeup reaches it meanwhile */
	/* Something for the new kswapd to reclaim, then the zone below high. */
	KUNIT_ASSERT_EQ(test, read_pages(CACHE40_PATH, WORKING_SET_PAGES),
			(long)(WORKING_SET_PAGES * PAGE_SIZE));
	stash_init(&stash, 0);
	take_zone_below_high(zone, &stash);
	KUNIT_EXPECT_TRUE(test, !zone_above_high(zone));
	restart_high_quickly = vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY);
	trace_event_enable(TRACE_MM_VMSCAN_KSWAPD_SLEEP, true);
	tracing_reset();
	kswapd_run();
	KUNIT_EXPECT_TRUE(test, wait_for(high_hit_or_asleep, zone));
	trace_event_enable(TRACE_MM_VMSCAN_KSWAPD_SLEEP, false);
	KUNIT_EXPECT_GT(test, vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY), restart_high_quickly);
	KUNIT_EXPECT_TRUE(test, wait_for(zone_above_high, zone));
	stash_free_all(&stash);
	KUNIT_EXPECT_NOT_NULL(test, pgdat->kswapd);
}

static struct kunit_case reclaim_stall_cases[] = {
	KUNIT_CASE(kswapd_reclaim_is_a_memory_stall),
	KUNIT_CASE(a_refault_of_a_recently_evicted_page_is_a_memory_stall),
	KUNIT_CASE(kswapd_is_not_woken_while_memory_is_above_low),
	KUNIT_CASE(an_allocation_that_must_reclaim_counts_an_allocstall),
	KUNIT_CASE(kswapd_woken_in_its_nap_counts_low_wmark_hit_quickly),
	KUNIT_CASE(a_hopeless_kswapd_counts_high_wmark_hit_quickly_then_sleeps),
	KUNIT_CASE(a_new_kswapd_checks_every_zone_before_its_first_sleep),
	{}};

static struct kunit_suite reclaim_stall_suite = {
	.name = "reclaim_stall",
	.test_cases = reclaim_stall_cases,
	.init = reclaim_mount_disk,
	.exit = reclaim_umount_disk,
	.ram_sizes = "64M",
};
kunit_test_suite(reclaim_stall_suite);
