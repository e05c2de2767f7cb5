/* Watermarks as Linux computes and checks them: min_free_kbytes by the
 * square-root rule, split across zones, low/high a step above, the
 * lowmem_reserve from lowmem_reserve_ratio, and __zone_watermark_ok's
 * decision for every kind of caller at the boundary page. The expected
 * values are computed here again, from the formulas, not by the code under
 * test. */
#include "kernel/ktest.h"
#include "mm/internal.h"
#include "mm/vmstat.h"
#include "tests/kernel/mm_test_helpers.h"

#define TABLE_MARK 1000

static unsigned long isqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

static unsigned long managed_sum(void)
{
	unsigned long sum = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		sum += contig_page_data.node_zones[z].managed_pages;
	return sum;
}

static void min_free_kbytes_follows_the_sqrt_rule(struct kunit *test)
{
	unsigned long kb = managed_sum() * (PAGE_SIZE / 1024);
	unsigned long expect = isqrt(kb * 16);

	if (expect < 128)
		expect = 128;
	if (expect > 262144)
		expect = 262144;
	/* vm.min_free_kbytes= on the command line overrides the rule. */
	if (user_min_free_kbytes >= 0) {
		expect = (unsigned long)user_min_free_kbytes;
		KUNIT_EXPECT_TRUE(test, log_find("min_free_kbytes: ", NULL, 0));
		KUNIT_EXPECT_TRUE(test,
				  log_find(" from the command line (the sqrt rule says ", NULL, 0));
	}
	KUNIT_EXPECT_EQ(test, min_free_kbytes, (long)expect);
	KUNIT_EXPECT_EQ(test, calculate_min_free_kbytes(0), 128);
	KUNIT_EXPECT_EQ(test, calculate_min_free_kbytes(1ul << 40), 262144);
	KUNIT_EXPECT_EQ(test, calculate_min_free_kbytes(1048576), 4096); /* 1 GiB */
}

static void zone_watermarks_follow_linux_formula(struct kunit *test)
{
	unsigned long pages_min = (unsigned long)min_free_kbytes / (PAGE_SIZE / 1024);
	unsigned long total = managed_sum();

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &contig_page_data.node_zones[z];
		unsigned long managed = zone->managed_pages;
		unsigned long min = pages_min * managed / total;
		unsigned long step = managed * (unsigned long)watermark_scale_factor / 10000;

		if (min / 4 > step)
			step = min / 4;
		KUNIT_EXPECT_EQ(test, min_wmark_pages(zone), min);
		KUNIT_EXPECT_EQ(test, low_wmark_pages(zone), min + step);
		KUNIT_EXPECT_EQ(test, high_wmark_pages(zone), min + 2 * step);
	}
}

static void lowmem_reserve_follows_the_ratio(struct kunit *test)
{
	static const unsigned long ratio[MAX_NR_ZONES] = {256, 256, 32};

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		const struct zone *zone = &contig_page_data.node_zones[i];
		unsigned long above = 0;

		KUNIT_EXPECT_EQ(test, zone->lowmem_reserve[i], 0);
		for (int j = i + 1; j < MAX_NR_ZONES; j++) {
			above += contig_page_data.node_zones[j].managed_pages;
			KUNIT_EXPECT_EQ(test, zone->lowmem_reserve[j],
					zone->managed_pages ? (long)(above / ratio[i]) : 0);
		}
	}
}

struct wmark_case {
	const char *who;
	unsigned int alloc_flags;
	long lowest_ok; /* fewest free pages that still pass, with mark 1000 */
};

/* By hand from Linux: plain needs free > 1000; __GFP_HIGH halves min
 * (500); atomic takes a quarter more (375); non-blocking alone changes
 * nothing; an OOM victim halves min (500); both halve twice (250). */
static const struct wmark_case wmark_cases[] = {
	{"plain", ALLOC_WMARK_MIN, 1001},
	{"__GFP_HIGH", ALLOC_WMARK_MIN | ALLOC_MIN_RESERVE, 501},
	{"atomic", ALLOC_WMARK_MIN | ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK, 376},
	{"non-blocking only", ALLOC_WMARK_MIN | ALLOC_NON_BLOCK, 1001},
	{"ALLOC_OOM", ALLOC_WMARK_MIN | ALLOC_OOM, 501},
	{"ALLOC_OOM + __GFP_HIGH", ALLOC_WMARK_MIN | ALLOC_OOM | ALLOC_MIN_RESERVE, 251},
};

static void watermark_check_decides_as_linux_at_the_boundary(struct kunit *test)
{
	struct zone *zone = &contig_page_data.node_zones[ZONE_DMA];
	long reserve = zone->lowmem_reserve[ZONE_DMA]; /* 0: a DMA caller */

	for (size_t i = 0; i < sizeof(wmark_cases) / sizeof(wmark_cases[0]); i++) {
		const struct wmark_case *c = &wmark_cases[i];
		bool at = __zone_watermark_ok(zone, 0, TABLE_MARK, ZONE_DMA, c->alloc_flags,
					      c->lowest_ok + reserve);
		bool below = __zone_watermark_ok(zone, 0, TABLE_MARK, ZONE_DMA, c->alloc_flags,
						 c->lowest_ok + reserve - 1);

		if (!at || below)
			kunit_log(test, "case %s: at %ld -> %d, below -> %d", c->who, c->lowest_ok,
				  at, below);
		KUNIT_EXPECT_TRUE(test, at);
		KUNIT_EXPECT_FALSE(test, below);
	}
}

/* A caller whose highest zone is above must also leave the reserve. */
static void watermark_check_adds_the_lowmem_reserve(struct kunit *test)
{
	struct zone *dma = &contig_page_data.node_zones[ZONE_DMA];
	long reserve = 777;
	long saved = dma->lowmem_reserve[ZONE_NORMAL];

	dma->lowmem_reserve[ZONE_NORMAL] = reserve;
	KUNIT_EXPECT_TRUE(test, __zone_watermark_ok(dma, 0, TABLE_MARK, ZONE_NORMAL,
						    ALLOC_WMARK_MIN, TABLE_MARK + reserve + 1));
	KUNIT_EXPECT_FALSE(test, __zone_watermark_ok(dma, 0, TABLE_MARK, ZONE_NORMAL,
						     ALLOC_WMARK_MIN, TABLE_MARK + reserve));
	KUNIT_EXPECT_TRUE(test, __zone_watermark_ok(dma, 0, TABLE_MARK, ZONE_DMA, ALLOC_WMARK_MIN,
						    TABLE_MARK + 1));
	dma->lowmem_reserve[ZONE_NORMAL] = saved;
}

/* An order-N request counts 2^N - 1 pages it cannot use, and needs a free
 * block of at least order N. */
static void watermark_check_for_higher_orders_needs_a_block(struct kunit *test)
{
	struct zone *zone = &contig_page_data.node_zones[ZONE_DMA];
	unsigned int order = 2;
	long need = TABLE_MARK + (1l << order);
	bool have_block = false;

	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++)
		have_block |= zone->free_area[o].nr_free != 0;
	KUNIT_ASSERT_TRUE(test, have_block);
	KUNIT_EXPECT_TRUE(test, __zone_watermark_ok(zone, order, TABLE_MARK, ZONE_DMA,
						    ALLOC_WMARK_MIN, need));
	KUNIT_EXPECT_FALSE(test, __zone_watermark_ok(zone, order, TABLE_MARK, ZONE_DMA,
						     ALLOC_WMARK_MIN, need - 1));
	/* No block of order 11 exists anywhere: never ok beyond MAX_PAGE_ORDER. */
	KUNIT_EXPECT_FALSE(test, __zone_watermark_ok(zone, NR_PAGE_ORDERS, 0, ZONE_DMA,
						     ALLOC_WMARK_MIN, 1l << 40));
}

struct gfp_case {
	const char *name;
	gfp_t gfp;
	unsigned int order;
	unsigned int alloc_flags;
};

/* gfp_to_alloc_flags: the slow path's reserves for each kind of caller. */
static const struct gfp_case gfp_cases[] = {
	{"GFP_KERNEL", GFP_KERNEL, 0, ALLOC_WMARK_MIN | ALLOC_CPUSET | ALLOC_KSWAPD},
	{"GFP_ATOMIC", GFP_ATOMIC, 0,
	 ALLOC_WMARK_MIN | ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_KSWAPD},
	{"GFP_ATOMIC order 1", GFP_ATOMIC, 1,
	 ALLOC_WMARK_MIN | ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_KSWAPD | ALLOC_HIGHATOMIC},
	{"GFP_NOWAIT", GFP_NOWAIT, 0, ALLOC_WMARK_MIN | ALLOC_NON_BLOCK | ALLOC_KSWAPD},
	{"GFP_ATOMIC|__GFP_NOMEMALLOC", GFP_ATOMIC | __GFP_NOMEMALLOC, 0,
	 ALLOC_WMARK_MIN | ALLOC_MIN_RESERVE | ALLOC_KSWAPD},
	{"GFP_NOFS", GFP_NOFS, 0, ALLOC_WMARK_MIN | ALLOC_CPUSET | ALLOC_KSWAPD},
	{"GFP_KERNEL|__GFP_HIGH", GFP_KERNEL | __GFP_HIGH, 0,
	 ALLOC_WMARK_MIN | ALLOC_CPUSET | ALLOC_KSWAPD | ALLOC_MIN_RESERVE},
};

static void gfp_flags_map_to_alloc_flags_as_linux(struct kunit *test)
{
	for (size_t i = 0; i < sizeof(gfp_cases) / sizeof(gfp_cases[0]); i++) {
		const struct gfp_case *c = &gfp_cases[i];
		unsigned int got = gfp_to_alloc_flags(c->gfp, c->order);

		if (got != c->alloc_flags)
			kunit_log(test, "%s: got 0x%x, want 0x%x", c->name, got, c->alloc_flags);
		KUNIT_EXPECT_EQ(test, got, c->alloc_flags);
	}
	KUNIT_EXPECT_EQ(test, __gfp_pfmemalloc_flags(GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, __gfp_pfmemalloc_flags(GFP_KERNEL | __GFP_MEMALLOC),
			ALLOC_NO_WATERMARKS);
	KUNIT_EXPECT_EQ(test,
			__gfp_pfmemalloc_flags(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOMEMALLOC), 0);
}

static void gfp_names_print_as_linux(struct kunit *test)
{
	char buf[160];

	format_gfp_flags(GFP_KERNEL, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "GFP_KERNEL");
	format_gfp_flags(GFP_KERNEL | __GFP_NOWARN | __GFP_ZERO, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "GFP_KERNEL|__GFP_NOWARN|__GFP_ZERO");
	format_gfp_flags(GFP_ATOMIC, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "GFP_ATOMIC");
	format_gfp_flags(GFP_HIGHUSER_MOVABLE, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "GFP_HIGHUSER_MOVABLE");
	format_gfp_flags(GFP_DMA | __GFP_HIGH, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "GFP_DMA|__GFP_HIGH");
	KUNIT_EXPECT_EQ(test, GFP_KERNEL, 0xcc0);
	KUNIT_EXPECT_EQ(test, GFP_ATOMIC, 0x820);
}

static struct kunit_case watermark_cases[] = {
	KUNIT_CASE(min_free_kbytes_follows_the_sqrt_rule),
	KUNIT_CASE(zone_watermarks_follow_linux_formula),
	KUNIT_CASE(lowmem_reserve_follows_the_ratio),
	KUNIT_CASE(watermark_check_decides_as_linux_at_the_boundary),
	KUNIT_CASE(watermark_check_adds_the_lowmem_reserve),
	KUNIT_CASE(watermark_check_for_higher_orders_needs_a_block),
	KUNIT_CASE(gfp_flags_map_to_alloc_flags_as_linux),
	KUNIT_CASE(gfp_names_print_as_linux),
	{0},
};

static struct kunit_suite watermark_suite = {
	.name = "watermark",
	.test_cases = watermark_cases,
	.ram_sizes = MM_TEST_RAM_SIZES,
};
kunit_test_suite(watermark_suite);
