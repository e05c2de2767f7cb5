/* The buddy allocator as a specification: blocks split and merge, come
 * aligned to their order, fall back across zones keeping the lowmem
 * reserve, and freeing everything restores the free lists exactly as they
 * were at boot. Runs at 16M, 64M, 512M and 4G. */
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "mm/internal.h"
#include "mm/vmstat.h"
#include "tests/kernel/mm_test_helpers.h"

static struct zone *zone_of(enum zone_type z)
{
	return &contig_page_data.node_zones[z];
}

/* The highest zone with memory: where GFP_KERNEL allocations come from. */
static enum zone_type top_zone(void)
{
	for (int z = MAX_NR_ZONES - 1; z > 0; z--)
		if (managed_zone(zone_of((enum zone_type)z)))
			return (enum zone_type)z;
	return ZONE_DMA;
}

static bool lists_as_at_boot(void)
{
	struct free_area_snapshot now;

	drain_all_pages(NULL);
	snapshot_free_areas(&now);
	return free_areas_equal(&now, &boot_free_areas);
}

static void buddy_splits_a_larger_block_for_a_small_request(struct kunit *test)
{
	struct zone *zone = zone_of(top_zone());
	unsigned int order = 2, from = order;
	unsigned long before[NR_PAGE_ORDERS];
	struct page *page;

	drain_all_pages(NULL);
	while (from < NR_PAGE_ORDERS && zone->free_area[from].nr_free == 0)
		from++;
	KUNIT_ASSERT_TRUE(test, from < NR_PAGE_ORDERS);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		before[o] = zone->free_area[o].nr_free;
	page = alloc_pages(GFP_KERNEL, order);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, zone->free_area[from].nr_free, before[from] - 1);
	/* Each split leaves one half behind, on every order from order to from-1. */
	for (unsigned int o = order; o < from; o++)
		KUNIT_EXPECT_EQ(test, zone->free_area[o].nr_free, before[o] + 1);
	__free_pages(page, order);
	KUNIT_EXPECT_TRUE(test, lists_as_at_boot());
}

/* split_page makes 16 order-0 pages of an order-4 block; freed one by
 * one (and drained from the pcp list) they merge back through orders 0..4
 * and beyond, leaving the lists exactly as before. */
static void buddy_merges_buddies_on_free(struct kunit *test)
{
	struct free_area_snapshot before, after;
	const unsigned int order = 4;
	struct page *page;

	drain_all_pages(NULL);
	snapshot_free_areas(&before);
	page = alloc_pages(GFP_KERNEL, order);
	KUNIT_ASSERT_NOT_NULL(test, page);
	split_page(page, order);
	for (unsigned long i = 0; i < (1ul << order); i++)
		__free_page(page + i);
	drain_all_pages(NULL);
	snapshot_free_areas(&after);
	KUNIT_EXPECT_TRUE(test, free_areas_equal(&before, &after));
}

static void blocks_are_aligned_to_their_order(struct kunit *test)
{
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

		if (!page)
			continue; /* 16M may have no free 4 MiB block left */
		KUNIT_EXPECT_EQ(test, page_to_pfn(page) & ((1ul << order) - 1), 0);
		KUNIT_EXPECT_FALSE(test, PageBuddy(page));
		KUNIT_EXPECT_EQ(test, page_ref_count(page), 1);
		__free_pages(page, order);
	}
	KUNIT_EXPECT_TRUE(test, lists_as_at_boot());
}

static void order_above_max_is_refused(struct kunit *test)
{
	unsigned long fails = vm_event_states[PGALLOC_FAIL];

	KUNIT_EXPECT_NULL(test, alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1));
	KUNIT_EXPECT_EQ(test, vm_event_states[PGALLOC_FAIL], fails + 1);
}

static void zone_modifiers_pick_the_zone(struct kunit *test)
{
	struct page *dma = alloc_page(GFP_KERNEL | __GFP_DMA);
	struct page *dma32 = alloc_page(GFP_KERNEL | __GFP_DMA32);

	KUNIT_ASSERT_NOT_NULL(test, dma);
	KUNIT_ASSERT_NOT_NULL(test, dma32);
	KUNIT_EXPECT_EQ(test, page_zonenum(dma), ZONE_DMA);
	KUNIT_EXPECT_LT(test, page_to_phys(dma), 16ul << 20);
	KUNIT_EXPECT_LE(test, page_zonenum(dma32), ZONE_DMA32);
	KUNIT_EXPECT_LT(test, page_to_phys(dma32), 4ul << 30);
	__free_page(dma);
	__free_page(dma32);
}

static void gfp_zero_returns_zeroed_memory(struct kunit *test)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	const unsigned char *mem;
	bool all_zero = true;

	KUNIT_ASSERT_NOT_NULL(test, page);
	memset(page_address(page), 0x5a, 2 * PAGE_SIZE);
	__free_pages(page, 1);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	KUNIT_ASSERT_NOT_NULL(test, page);
	mem = page_address(page);
	for (unsigned long i = 0; i < 2 * PAGE_SIZE; i++)
		all_zero &= mem[i] == 0;
	KUNIT_EXPECT_TRUE(test, all_zero);
	__free_pages(page, 1);
}

/* GFP_DMA has no direct reclaim: the slow path tries at the min watermark
 * with no reserve (ALLOC_NON_BLOCK alone lowers nothing), so the zone is
 * emptied to exactly min free pages, and freeing restores it. */
static void exhausting_a_zone_stops_at_min_and_restores(struct kunit *test)
{
	struct zone *dma = zone_of(ZONE_DMA);
	struct page_stash stash;
	unsigned long got;

	stash_init(&stash, 0);
	drain_all_pages(NULL);
	got = stash_fill(&stash, GFP_DMA);
	KUNIT_EXPECT_GT(test, got, 0);
	KUNIT_EXPECT_EQ(test, zone_page_state(dma, NR_FREE_PAGES), (long)min_wmark_pages(dma));
	KUNIT_EXPECT_EQ(test, dma->pcp.count, 0);
	stash_free_all(&stash);
	KUNIT_EXPECT_TRUE(test, lists_as_at_boot());
}

/* Each reserve level lets an allocation go exactly as deep as Linux's
 * __zone_watermark_ok allows: __GFP_HIGH to min/2, atomic (HIGH without
 * direct reclaim) a quarter further, __GFP_MEMALLOC to the last page. */
static void reserves_go_as_deep_as_linux_allows(struct kunit *test)
{
	struct zone *dma = zone_of(ZONE_DMA);
	long min = (long)min_wmark_pages(dma), high_floor = min - min / 2;
	long atomic_floor = high_floor - high_floor / 4;
	struct page_stash plain, high, atomic, memalloc;

	stash_init(&plain, 0);
	stash_init(&high, 0);
	stash_init(&atomic, 0);
	stash_init(&memalloc, 0);
	drain_all_pages(NULL);
	stash_fill(&plain, GFP_DMA);
	stash_fill(&high, GFP_DMA | __GFP_HIGH | __GFP_DIRECT_RECLAIM);
	KUNIT_EXPECT_EQ(test, zone_page_state(dma, NR_FREE_PAGES), high_floor);
	stash_fill(&atomic, GFP_ATOMIC | GFP_DMA);
	KUNIT_EXPECT_EQ(test, zone_page_state(dma, NR_FREE_PAGES), atomic_floor);
	stash_fill(&memalloc, GFP_DMA | __GFP_MEMALLOC);
	KUNIT_EXPECT_EQ(test, zone_page_state(dma, NR_FREE_PAGES), 0);
	KUNIT_EXPECT_EQ(test, (long)(plain.blocks + high.blocks + atomic.blocks + memalloc.blocks),
			boot_free_areas.free_pages[ZONE_DMA]);
	stash_free_all(&memalloc);
	stash_free_all(&atomic);
	stash_free_all(&high);
	stash_free_all(&plain);
	KUNIT_EXPECT_TRUE(test, lists_as_at_boot());
}

/* A GFP_KERNEL caller falls back from the top zone down, but leaves each
 * lower zone its lowmem_reserve on top of min: that memory stays for the
 * callers who can only use the lower zone. */
static void fallback_keeps_the_lowmem_reserve(struct kunit *test)
{
	struct page_stash stashes[NR_PAGE_ORDERS];
	enum zone_type top = top_zone();
	struct page *dma_page;

	long start[MAX_NR_ZONES];

	drain_all_pages(NULL);
	for (int z = 0; z <= (int)top; z++)
		start[z] = zone_page_state(zone_of((enum zone_type)z), NR_FREE_PAGES);
	fill_memory(stashes, GFP_KERNEL);
	for (int z = 0; z <= (int)top; z++) {
		struct zone *zone = zone_of((enum zone_type)z);
		long floor = (long)min_wmark_pages(zone) + zone->lowmem_reserve[ZONE_NORMAL];

		/* Order 0 fails once free <= floor; a zone whose reserve is
		 * larger than what it has is not touched at all. */
		if (start[z] < floor)
			floor = start[z];
		KUNIT_EXPECT_EQ(test, zone_page_state(zone, NR_FREE_PAGES) + zone->pcp.count,
				floor);
	}
	/* The DMA caller still finds memory if the reserve kept any. */
	dma_page = alloc_page(GFP_KERNEL | __GFP_DMA | __GFP_NOWARN);
	if (zone_of(ZONE_DMA)->lowmem_reserve[ZONE_NORMAL] > 0)
		KUNIT_EXPECT_NOT_NULL(test, dma_page);
	if (dma_page)
		__free_page(dma_page);
	unfill_memory(stashes);
	KUNIT_EXPECT_TRUE(test, lists_as_at_boot());
}

static void counters_follow_allocations(struct kunit *test)
{
	unsigned long allocs = vm_event_states[PGALLOC_DMA + top_zone()];
	unsigned long frees = vm_event_states[PGFREE];
	long free_before;
	struct page *page;

	drain_all_pages(NULL);
	free_before = global_zone_page_state(NR_FREE_PAGES);
	page = alloc_pages(GFP_KERNEL, 4);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, vm_event_states[PGALLOC_DMA + top_zone()], allocs + 16);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_FREE_PAGES), free_before - 16);
	__free_pages(page, 4);
	KUNIT_EXPECT_EQ(test, vm_event_states[PGFREE], frees + 16);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_FREE_PAGES), free_before);
}

static void get_free_pages_gives_direct_map_addresses(struct kunit *test)
{
	unsigned long addr = __get_free_pages(GFP_KERNEL, 1);

	KUNIT_ASSERT_TRUE(test, addr != 0);
	KUNIT_EXPECT_TRUE(test, addr >= PAGE_OFFSET);
	KUNIT_EXPECT_TRUE(test, virt_to_page((void *)addr) != NULL);
	KUNIT_EXPECT_EQ(test, page_to_phys(virt_to_page((void *)addr)), __pa((void *)addr));
	free_pages(addr, 1);
	addr = get_zeroed_page(GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, addr != 0);
	KUNIT_EXPECT_EQ(test, *(const unsigned long *)addr, 0);
	free_page(addr);
	KUNIT_EXPECT_TRUE(test, lists_as_at_boot());
}

/* A mixed workload, then everything back: every buddy must have merged. */
static void freeing_everything_restores_the_boot_free_lists(struct kunit *test)
{
	struct page_stash mixed[4];
	static const unsigned int orders[4] = {0, 1, 3, 5};

	for (int i = 0; i < 4; i++) {
		stash_init(&mixed[i], orders[i]);
		for (int n = 0; n < 50; n++)
			stash_alloc(&mixed[i], GFP_KERNEL | __GFP_NOWARN);
	}
	/* Free every other block first, to leave holes that merge late. */
	for (int i = 3; i >= 0; i--)
		stash_free_all(&mixed[i]);
	KUNIT_EXPECT_TRUE(test, lists_as_at_boot());
}

static struct kunit_case page_alloc_cases[] = {
	KUNIT_CASE(buddy_splits_a_larger_block_for_a_small_request),
	KUNIT_CASE(buddy_merges_buddies_on_free),
	KUNIT_CASE(blocks_are_aligned_to_their_order),
	KUNIT_CASE(order_above_max_is_refused),
	KUNIT_CASE(zone_modifiers_pick_the_zone),
	KUNIT_CASE(gfp_zero_returns_zeroed_memory),
	KUNIT_CASE(exhausting_a_zone_stops_at_min_and_restores),
	KUNIT_CASE(reserves_go_as_deep_as_linux_allows),
	KUNIT_CASE(fallback_keeps_the_lowmem_reserve),
	KUNIT_CASE(counters_follow_allocations),
	KUNIT_CASE(get_free_pages_gives_direct_map_addresses),
	KUNIT_CASE(freeing_everything_restores_the_boot_free_lists),
	{0},
};

static struct kunit_suite page_alloc_suite = {
	.name = "page_alloc",
	.test_cases = page_alloc_cases,
	.ram_sizes = MM_TEST_RAM_SIZES,
};
kunit_test_suite(page_alloc_suite);
