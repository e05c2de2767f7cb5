/* The allocator's side of the OOM path (mm/alloc_slowpath.c) as a
 * specification: which allocations may OOM-kill, what a kill buys them,
 * and the reserves an OOM victim may use. Read first: each case fills the
 * memory a GFP_KERNEL caller may use (with __GFP_RETRY_MAYFAIL, so the
 * filling itself never kills) while stand-in victims hold known pages. */
#include "kernel/ktest.h"
#include "kernel/kthread.h"
#include "kernel/notifier.h"
#include "kernel/sched.h"
#include "kernel/timer.h"
#include "mm/internal.h"
#include "mm/mm_struct.h"
#include "mm/oom.h"
#include "mm/vmstat.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/oom_test_helpers.h"
#include "tests/kernel/sched_test_helpers.h"

#define VICTIM_PAGES 512
#define COSTLY_ORDER (PAGE_ALLOC_COSTLY_ORDER + 1)

static struct oom_switches saved;
static struct page_stash fill[NR_PAGE_ORDERS];

static int oom_alloc_init(struct kunit *test)
{
	(void)test;
	oom_switches_save(&saved);
	oom_reaper_enabled = false;
	return 0;
}

static void oom_alloc_exit(struct kunit *test)
{
	(void)test;
	oom_switches_restore(&saved);
}

static void retry_mayfail_and_costly_orders_fail_without_a_kill(struct kunit *test)
{
	struct oom_victim v = {.name = "victim", .pages = VICTIM_PAGES};
	unsigned long kills = vm_event_states[OOM_KILL];
	struct page *mayfail, *costly;

	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	fill_memory(fill, GFP_KERNEL);
	mayfail = alloc_page(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
	costly = alloc_pages(GFP_KERNEL | __GFP_NOWARN, COSTLY_ORDER);
	unfill_memory(fill);
	KUNIT_EXPECT_NULL(test, mayfail);
	KUNIT_EXPECT_NULL(test, costly);
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills);
	KUNIT_EXPECT_FALSE(test, victim_killed(&v));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
}

/* A GFP_KERNEL allocation does not fail: it kills, and retries until the
 * victim's pages are back. */
static void gfp_kernel_kills_and_then_succeeds(struct kunit *test)
{
	struct oom_victim v = {.name = "victim", .pages = VICTIM_PAGES};
	unsigned long kills = vm_event_states[OOM_KILL];
	struct page *page;

	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	fill_memory(fill, GFP_KERNEL);
	quietly_begin();
	page = alloc_page(GFP_KERNEL);
	quietly_end();
	unfill_memory(fill);
	KUNIT_EXPECT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills + 1);
	KUNIT_EXPECT_TRUE(test, victim_killed(&v));
	if (page)
		__free_page(page);
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
}

/* __GFP_NOFAIL after a kill takes what it needs at once, even while the
 * victim (stuck, not reaped) still holds everything. */
static void nofail_succeeds_right_after_a_kill(struct kunit *test)
{
	struct oom_victim v = {.name = "stuck", .pages = VICTIM_PAGES, .wait = VICTIM_STUCK_D};
	unsigned long kills = vm_event_states[OOM_KILL];
	struct page *page;

	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	fill_memory(fill, GFP_KERNEL);
	quietly_begin();
	page = alloc_page(GFP_KERNEL | __GFP_NOFAIL);
	quietly_end();
	KUNIT_EXPECT_EQ(test, get_mm_counter(v.mm, MM_ANONPAGES), VICTIM_PAGES);
	unfill_memory(fill);
	KUNIT_EXPECT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills + 1);
	KUNIT_EXPECT_TRUE(test, victim_killed(&v));
	if (page)
		__free_page(page);
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
}

/* What an exiting victim frees must show up where the last watermark
 * check before a kill looks (the buddy lists), not sit on a pcp list. */
static void pages_freed_while_memory_is_short_reach_the_buddy_lists(struct kunit *test)
{
	struct zone *zone = &contig_page_data.node_zones[ZONE_DMA32];
	struct page_stash mine;
	int most;

	if (!managed_zone(zone))
		zone = &contig_page_data.node_zones[ZONE_DMA];
	most = zone->pcp.batch * 4;
	KUNIT_ASSERT_GT(test, zone->pcp.high, most * 2); /* or there is nothing to see */
	stash_init(&mine, 0);
	while (mine.blocks < (unsigned long)most * 2 &&
	       stash_alloc(&mine, GFP_KERNEL | (zone_idx(zone) == ZONE_DMA ? __GFP_DMA : 0)))
		;
	KUNIT_ASSERT_EQ(test, mine.blocks, (unsigned long)most * 2);
	KUNIT_ASSERT_TRUE(test, page_zone(list_first_entry(&mine.pages, struct page, lru)) == zone);
	fill_memory(fill, GFP_KERNEL);
	stash_free_all(&mine);
	KUNIT_EXPECT_LE(test, zone->pcp.count, most);
	unfill_memory(fill);
}

/* ---- the victim's reserves ---- */

static struct page_stash victim_stash;

static void fill_dma_as_a_victim(struct oom_victim *v)
{
	mark_oom_victim(current);
	stash_init(&victim_stash, 0);
	stash_fill(&victim_stash, GFP_DMA);
	v->result[0] = true;
}

/* Returns how far below min an OOM victim got in ZONE_DMA. */
static long victim_depth(struct kunit *test)
{
	struct oom_victim v = {.name = "victim", .pages = 1, .body = fill_dma_as_a_victim};
	struct zone *dma = &contig_page_data.node_zones[ZONE_DMA];
	struct page_stash plain;
	long depth;

	stash_init(&plain, 0);
	drain_all_pages(NULL);
	stash_fill(&plain, GFP_DMA);
	KUNIT_EXPECT_EQ(test, zone_page_state(dma, NR_FREE_PAGES), (long)min_wmark_pages(dma));
	KUNIT_EXPECT_TRUE(test, victim_start(&v));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
	KUNIT_EXPECT_TRUE(test, v.result[0]);
	depth = (long)min_wmark_pages(dma) - zone_page_state(dma, NR_FREE_PAGES);
	stash_free_all(&victim_stash);
	stash_free_all(&plain);
	return depth;
}

/* ALLOC_OOM: half of the min reserve, as Linux's __zone_watermark_ok. */
static void an_oom_victim_may_use_half_the_min_reserve(struct kunit *test)
{
	long min = (long)min_wmark_pages(&contig_page_data.node_zones[ZONE_DMA]);

	KUNIT_EXPECT_EQ(test, victim_depth(test), min / 2);
}

/* PF_MEMALLOC (a reclaimer, memalloc_noreclaim_save) may take the very
 * last page: it is freeing memory and must not wait for it. */
static void a_pf_memalloc_caller_may_take_every_page(struct kunit *test)
{
	struct zone *dma = &contig_page_data.node_zones[ZONE_DMA];
	struct page_stash plain, reclaimer;
	unsigned int noreclaim;

	stash_init(&plain, 0);
	stash_init(&reclaimer, 0);
	drain_all_pages(NULL);
	stash_fill(&plain, GFP_DMA);
	noreclaim = memalloc_noreclaim_save();
	stash_fill(&reclaimer, GFP_DMA);
	memalloc_noreclaim_restore(noreclaim);
	KUNIT_EXPECT_FALSE(test, current->flags & PF_MEMALLOC);
	KUNIT_EXPECT_EQ(test, zone_page_state(dma, NR_FREE_PAGES), 0);
	KUNIT_EXPECT_EQ(test, (long)reclaimer.blocks, (long)min_wmark_pages(dma));
	stash_free_all(&reclaimer);
	stash_free_all(&plain);
}

static void kill_reserves_none_gives_a_victim_no_reserves(struct kunit *test)
{
	oom_kill_reserves = OOM_RESERVES_NONE;
	KUNIT_EXPECT_EQ(test, victim_depth(test), 0);
}

/* Seed 1: the allocation that killed takes its page past the watermarks
 * at once, while the victim (stuck, not reaped) still holds its memory. */
static void kill_reserves_killer_serves_the_killing_allocation_at_once(struct kunit *test)
{
	struct oom_victim v = {.name = "stuck", .pages = VICTIM_PAGES, .wait = VICTIM_STUCK_D};
	unsigned long kills = vm_event_states[OOM_KILL];
	struct page *page;

	oom_kill_reserves = OOM_RESERVES_KILLER;
	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	fill_memory(fill, GFP_KERNEL);
	quietly_begin();
	page = alloc_page(GFP_KERNEL);
	quietly_end();
	KUNIT_EXPECT_EQ(test, get_mm_counter(v.mm, MM_ANONPAGES), VICTIM_PAGES);
	unfill_memory(fill);
	KUNIT_EXPECT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills + 1);
	if (page)
		__free_page(page);
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
}

/* The patch gives reserves to every OOM pass that made progress: also to
 * the next allocations, which find the (stuck) victim still in flight and
 * kill nobody. Without that, the second allocation loops for ever. */
static void
kill_reserves_killer_serves_allocations_while_the_victim_is_in_flight(struct kunit *test)
{
	struct oom_victim v = {.name = "stuck", .pages = VICTIM_PAGES, .wait = VICTIM_STUCK_D};
	unsigned long kills = vm_event_states[OOM_KILL];
	struct page *first, *second;

	oom_kill_reserves = OOM_RESERVES_KILLER;
	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	fill_memory(fill, GFP_KERNEL);
	quietly_begin();
	first = alloc_page(GFP_KERNEL);
	second = alloc_page(GFP_KERNEL);
	quietly_end();
	KUNIT_EXPECT_EQ(test, get_mm_counter(v.mm, MM_ANONPAGES), VICTIM_PAGES);
	unfill_memory(fill);
	KUNIT_EXPECT_NOT_NULL(test, first);
	KUNIT_EXPECT_NOT_NULL(test, second);
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills + 1);
	if (first)
		__free_page(first);
	if (second)
		__free_page(second);
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
}

/* ---- the OOM notifiers outside oom_lock (seed 3) ---- */

static int notifier_calls;

static int count_call(struct notifier_block *nb, unsigned long action, void *data)
{
	(void)nb;
	(void)action;
	(void)data;
	notifier_calls++;
	return NOTIFY_OK;
}

/* As the patch: the chain runs only for an allocation that could go on to
 * kill; one that may not (here __GFP_RETRY_MAYFAIL) fails without it. */
static void outside_notifiers_skip_an_allocation_that_may_not_oom_kill(struct kunit *test)
{
	struct notifier_block nb = {.notifier_call = count_call};
	int saved = sysctl_oom_notifier;
	struct page *page;

	sysctl_oom_notifier = OOM_NOTIFIER_OUTSIDE;
	notifier_calls = 0;
	KUNIT_ASSERT_EQ(test, register_oom_notifier(&nb), 0);
	fill_memory(fill, GFP_KERNEL);
	quietly_begin();
	page = alloc_page(GFP_KERNEL | __GFP_RETRY_MAYFAIL);
	quietly_end();
	unfill_memory(fill);
	unregister_oom_notifier(&nb);
	sysctl_oom_notifier = saved;
	KUNIT_EXPECT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, notifier_calls, 0);
	if (page)
		__free_page(page);
}

/* ---- oom_lock ---- */

/* Seed 4's patch: an allocator waits for oom_lock killably instead of
 * trylocking and sleeping a tick. */
static void oom_lock_killable_waits_for_the_lock_killably(struct kunit *test)
{
	struct oom_victim v = {.name = "victim", .pages = VICTIM_PAGES};
	struct task_struct *p;
	bool got = false, waited;

	oom_lock_mode = OOM_LOCK_KILLABLE;
	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	/* Created before memory runs out: holding oom_lock, we could not
	 * allocate its stack ourselves. */
	p = kthread_create(allocate_one_page, &got, "allocator");
	KUNIT_ASSERT_NOT_NULL(test, p);
	get_task_struct(p);
	fill_memory(fill, GFP_KERNEL);
	mutex_lock(&oom_lock);
	wake_up_process(p);
	waited = wait_for_task_state(p, TASK_KILLABLE, TEST_WAIT_TIMEOUT_MS);
	mutex_unlock(&oom_lock);
	KUNIT_EXPECT_TRUE(test, test_thread_join(p, TEST_WAIT_TIMEOUT_MS, NULL));
	unfill_memory(fill);
	KUNIT_EXPECT_TRUE(test, waited);
	KUNIT_EXPECT_TRUE(test, got);
	KUNIT_EXPECT_TRUE(test, victim_killed(&v));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
}

/* Linux of 2018: the killer sleeps a tick after a kill, holding oom_lock. */
static void oom_lock_trylock_sleep_sleeps_after_a_kill_under_the_lock(struct kunit *test)
{
	struct oom_victim a = {.name = "first", .pages = VICTIM_PAGES};
	struct oom_victim b = {.name = "second", .pages = VICTIM_PAGES};
	unsigned long switches;

	KUNIT_ASSERT_TRUE(test, victim_start(&a));
	KUNIT_ASSERT_TRUE(test, victim_start(&b));
	quietly_begin();
	switches = current->nvcsw;
	KUNIT_EXPECT_TRUE(test, run_out_of_memory(GFP_KERNEL, 0));
	KUNIT_EXPECT_EQ(test, current->nvcsw, switches);
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&b));
	oom_lock_mode = OOM_LOCK_TRYLOCK_SLEEP;
	switches = current->nvcsw;
	KUNIT_EXPECT_TRUE(test, run_out_of_memory(GFP_KERNEL, 0));
	KUNIT_EXPECT_GT(test, current->nvcsw, switches);
	quietly_end();
	KUNIT_EXPECT_TRUE(test, victim_killed(&a));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&a));
}

/* The seed-4 patch went on top of that sleep: killable keeps it, so the
 * lab compares only how the other allocators wait. */
static void oom_lock_killable_keeps_the_killers_sleep_under_the_lock(struct kunit *test)
{
	struct oom_victim v = {.name = "victim", .pages = VICTIM_PAGES};
	unsigned long switches;

	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	oom_lock_mode = OOM_LOCK_KILLABLE;
	quietly_begin();
	switches = current->nvcsw;
	KUNIT_EXPECT_TRUE(test, run_out_of_memory(GFP_KERNEL, 0));
	KUNIT_EXPECT_GT(test, current->nvcsw, switches);
	quietly_end();
	KUNIT_EXPECT_TRUE(test, victim_killed(&v));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
}

static struct kunit_case oom_alloc_cases[] = {
	KUNIT_CASE(retry_mayfail_and_costly_orders_fail_without_a_kill),
	KUNIT_CASE(gfp_kernel_kills_and_then_succeeds),
	KUNIT_CASE(nofail_succeeds_right_after_a_kill),
	KUNIT_CASE(pages_freed_while_memory_is_short_reach_the_buddy_lists),
	KUNIT_CASE(an_oom_victim_may_use_half_the_min_reserve),
	KUNIT_CASE(a_pf_memalloc_caller_may_take_every_page),
	KUNIT_CASE(kill_reserves_none_gives_a_victim_no_reserves),
	KUNIT_CASE(kill_reserves_killer_serves_the_killing_allocation_at_once),
	KUNIT_CASE(kill_reserves_killer_serves_allocations_while_the_victim_is_in_flight),
	KUNIT_CASE(outside_notifiers_skip_an_allocation_that_may_not_oom_kill),
	KUNIT_CASE(oom_lock_killable_waits_for_the_lock_killably),
	KUNIT_CASE(oom_lock_trylock_sleep_sleeps_after_a_kill_under_the_lock),
	KUNIT_CASE(oom_lock_killable_keeps_the_killers_sleep_under_the_lock),
	{}};

static struct kunit_suite oom_alloc_suite = {
	.name = "oom_alloc",
	.test_cases = oom_alloc_cases,
	.init = oom_alloc_init,
	.exit = oom_alloc_exit,
};
kunit_test_suite(oom_alloc_suite);
