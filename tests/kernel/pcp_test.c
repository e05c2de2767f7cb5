/* The per-CPU page lists: order-0 pages are taken from the buddy lists and
 * given back in batches, the list never grows past high, and
 * drain_all_pages empties it. */
#include "kernel/ktest.h"
#include "mm/internal.h"
#include "mm/vmstat.h"
#include "tests/kernel/mm_test_helpers.h"

static struct zone *top_zone(void)
{
	for (int z = MAX_NR_ZONES - 1; z >= 0; z--)
		if (managed_zone(&contig_page_data.node_zones[z]))
			return &contig_page_data.node_zones[z];
	return &contig_page_data.node_zones[0];
}

static void pcp_batch_and_high_follow_linux(struct kunit *test)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &contig_page_data.node_zones[z];
		unsigned long batch = zone->managed_pages >> 10, p = 1;

		if (!managed_zone(zone))
			continue;
		if (batch > 256)
			batch = 256;
		batch /= 4;
		if (batch < 1)
			batch = 1;
		while (p * 2 <= batch + batch / 2)
			p *= 2;
		batch = p - 1 ? p - 1 : 1; /* a zero batch is raised to 1 */
		KUNIT_EXPECT_EQ(test, zone->pcp.batch, (int)batch);
		KUNIT_EXPECT_EQ(test, zone->pcp.high,
				(int)(low_wmark_pages(zone) > 4 * batch ? low_wmark_pages(zone)
									: 4 * batch));
	}
}

static void first_order0_alloc_refills_a_whole_batch(struct kunit *test)
{
	struct zone *zone = top_zone();
	long free_before;
	struct page *page;

	drain_all_pages(NULL);
	KUNIT_EXPECT_EQ(test, zone->pcp.count, 0);
	free_before = zone_page_state(zone, NR_FREE_PAGES);
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_TRUE(test, page_zone(page) == zone);
	KUNIT_EXPECT_EQ(test, zone->pcp.count, zone->pcp.batch - 1);
	KUNIT_EXPECT_EQ(test, zone_page_state(zone, NR_FREE_PAGES), free_before - zone->pcp.batch);
	__free_page(page);
	KUNIT_EXPECT_EQ(test, zone->pcp.count, zone->pcp.batch);
	drain_all_pages(NULL);
	KUNIT_EXPECT_EQ(test, zone_page_state(zone, NR_FREE_PAGES), free_before);
}

/* LIFO: the page freed last is the first handed out, still cache-hot. */
static void pcp_hands_back_the_last_freed_page_first(struct kunit *test)
{
	struct page *a = alloc_page(GFP_KERNEL), *b;

	KUNIT_ASSERT_NOT_NULL(test, a);
	__free_page(a);
	b = alloc_page(GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, a == b);
	if (b)
		__free_page(b);
}

static void freeing_past_high_gives_a_batch_back(struct kunit *test)
{
	struct zone *zone = top_zone();
	struct page_stash stash;
	int high = zone->pcp.high, batch = zone->pcp.batch, max_seen = 0;

	stash_init(&stash, 0);
	drain_all_pages(NULL);
	for (int i = 0; i < high + batch; i++)
		if (!stash_alloc(&stash, GFP_KERNEL | __GFP_NOWARN))
			break;
	KUNIT_ASSERT_EQ(test, stash.blocks, (unsigned long)(high + batch));
	drain_all_pages(NULL);
	while (!list_empty(&stash.pages)) {
		struct page *page = list_first_entry(&stash.pages, struct page, lru);

		list_del(&page->lru);
		stash.blocks--;
		__free_page(page);
		if (zone->pcp.count > max_seen)
			max_seen = zone->pcp.count;
		KUNIT_EXPECT_LT(test, zone->pcp.count, high);
	}
	KUNIT_EXPECT_EQ(test, max_seen, high - 1);
	drain_all_pages(NULL);
	KUNIT_EXPECT_EQ(test, zone->pcp.count, 0);
}

/* Pages parked on the pcp list do not count as free; the slow path drains
 * them before failing, so the last pages of a zone are still found. */
static void slow_path_drains_pcp_before_failing(struct kunit *test)
{
	struct zone *dma = &contig_page_data.node_zones[ZONE_DMA];
	struct page_stash stash;
	struct page *parked;

	stash_init(&stash, 0);
	drain_all_pages(NULL);
	stash_fill(&stash, GFP_KERNEL | __GFP_DMA);
	KUNIT_ASSERT_GT(test, stash.blocks, 1);
	/* Free one page: it sits on the pcp list, not on the free lists. */
	parked = list_first_entry(&stash.pages, struct page, lru);
	list_del(&parked->lru);
	stash.blocks--;
	__free_page(parked);
	KUNIT_EXPECT_EQ(test, dma->pcp.count, 1);
	KUNIT_EXPECT_TRUE(test, stash_alloc(&stash, GFP_KERNEL | __GFP_DMA | __GFP_NOWARN));
	stash_free_all(&stash);
	drain_all_pages(NULL);
}

static struct kunit_case pcp_cases[] = {
	KUNIT_CASE(pcp_batch_and_high_follow_linux),
	KUNIT_CASE(first_order0_alloc_refills_a_whole_batch),
	KUNIT_CASE(pcp_hands_back_the_last_freed_page_first),
	KUNIT_CASE(freeing_past_high_gives_a_batch_back),
	KUNIT_CASE(slow_path_drains_pcp_before_failing),
	{0},
};

static struct kunit_suite pcp_suite = {
	.name = "pcp",
	.test_cases = pcp_cases,
	.ram_sizes = MM_TEST_RAM_SIZES,
};
kunit_test_suite(pcp_suite);
