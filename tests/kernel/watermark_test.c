/* Watermarks as Linux computes and checks them: min_free_kbytes by the
 * square-root rule, split across zones, low/high a step above, the
 * lowmem_reserve from lowmem_reserve_ratio, and __zone_watermark_ok's
 * decision for every kind of caller at the boundary page. The expected
 * values are computed here again, from the formulas, not by the code under
 * test. */
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/preempt.h"
#include "kernel/setup.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/vmstat.h"
#include "tests/kernel/fs_test_helpers.h"
#include "tests/kernel/mm_test_helpers.h"

#define MIN_FREE_PATH "/proc/sys/vm/min_free_kbytes"
#define SCALE_PATH "/proc/sys/vm/watermark_scale_factor"
#define RUNTIME_SCALE_FACTOR 400

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

/* What Linux's square-root rule gives for this machine. */
static unsigned long sqrt_rule_kbytes(void)
{
	unsigned long kb = managed_sum() * (PAGE_SIZE / 1024);
	unsigned long expect = isqrt(kb * 16);

	if (expect < 128)
		expect = 128;
	if (expect > 262144)
		expect = 262144;
	return expect;
}

static void min_free_kbytes_follows_the_sqrt_rule(struct kunit *test)
{
	unsigned long expect = sqrt_rule_kbytes();

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

struct saved_marks {
	unsigned long mark[MAX_NR_ZONES][NR_WMARK];
	long reserve[MAX_NR_ZONES][MAX_NR_ZONES];
};

static void save_marks(struct saved_marks *s)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &contig_page_data.node_zones[z];

		memcpy(s->mark[z], zone->_watermark, sizeof(s->mark[z]));
		memcpy(s->reserve[z], zone->lowmem_reserve, sizeof(s->reserve[z]));
	}
}

static bool marks_equal(const struct saved_marks *a, const struct saved_marks *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* The text /proc/sys/vm/NAME holds, as a number (-1 when unreadable). */
static long sysctl_value(const char *path)
{
	long err, v = -1;
	char *text = read_whole(path, 64, &err);

	if (text && kstrtol(text, 10, &v))
		v = -1;
	kfree(text);
	return v;
}

/* Is "min <value>" in the populated zone's /proc/zoneinfo block? */
static bool zoneinfo_shows(const char *label, unsigned long value)
{
	char want[48];
	long err;
	char *text = read_whole("/proc/zoneinfo", 512, &err);
	bool found;

	snprintf(want, sizeof(want), "        %-8s %lu\n", label, value);
	found = text && strstr(text, want);
	kfree(text);
	return found;
}

/* As Linux's min_free_kbytes_sysctl_handler: a run-time write is the
 * user's value and every zone's min/low/high follow it at once, in the
 * file and in /proc/zoneinfo; the lowmem reserve does not move. */
static void min_free_kbytes_write_moves_every_zone_mark(struct kunit *test)
{
	long old = min_free_kbytes, old_user = user_min_free_kbytes, want = 2 * old;
	struct saved_marks before = {0}, after = {0};
	char text[24];

	save_marks(&before);
	KUNIT_EXPECT_EQ(test, sysctl_value(MIN_FREE_PATH), old); /* the real value, not -1 */
	snprintf(text, sizeof(text), "%ld\n", want);
	KUNIT_ASSERT_EQ(test, write_string(MIN_FREE_PATH, text), (long)strlen(text));
	KUNIT_EXPECT_EQ(test, min_free_kbytes, want);
	KUNIT_EXPECT_EQ(test, user_min_free_kbytes, want);
	KUNIT_EXPECT_EQ(test, sysctl_value(MIN_FREE_PATH), want);
	zone_watermarks_follow_linux_formula(test);
	save_marks(&after);
	KUNIT_EXPECT_FALSE(test, marks_equal(&before, &after));
	KUNIT_EXPECT_TRUE(test, !memcmp(before.reserve, after.reserve, sizeof(before.reserve)));
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &contig_page_data.node_zones[z];

		if (!managed_zone(zone))
			continue;
		KUNIT_EXPECT_GT(test, min_wmark_pages(zone), before.mark[z][WMARK_MIN]);
		KUNIT_EXPECT_TRUE(test, zoneinfo_shows("min", min_wmark_pages(zone)));
		KUNIT_EXPECT_TRUE(test, zoneinfo_shows("low", low_wmark_pages(zone)));
		KUNIT_EXPECT_TRUE(test, zoneinfo_shows("high", high_wmark_pages(zone)));
	}
	snprintf(text, sizeof(text), "%ld", old);
	KUNIT_EXPECT_EQ(test, write_string(MIN_FREE_PATH, text), (long)strlen(text));
	save_marks(&after);
	KUNIT_EXPECT_TRUE(test, marks_equal(&before, &after));
	user_min_free_kbytes = old_user;
}

/* As Linux's watermark_scale_factor_sysctl_handler: low and high move
 * away from min by factor/10000 of the zone. */
static void watermark_scale_factor_write_widens_the_gaps(struct kunit *test)
{
	long old = watermark_scale_factor;
	struct saved_marks before = {0}, after = {0};
	char text[24];

	save_marks(&before);
	KUNIT_ASSERT_EQ(test, write_string(SCALE_PATH, "400\n"), 4);
	KUNIT_EXPECT_EQ(test, watermark_scale_factor, RUNTIME_SCALE_FACTOR);
	zone_watermarks_follow_linux_formula(test);
	save_marks(&after);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &contig_page_data.node_zones[z];

		if (!managed_zone(zone))
			continue;
		KUNIT_EXPECT_EQ(test, min_wmark_pages(zone), before.mark[z][WMARK_MIN]);
		KUNIT_EXPECT_GT(test, high_wmark_pages(zone), before.mark[z][WMARK_HIGH]);
	}
	snprintf(text, sizeof(text), "%ld", old);
	KUNIT_EXPECT_EQ(test, write_string(SCALE_PATH, text), (long)strlen(text));
	save_marks(&after);
	KUNIT_EXPECT_TRUE(test, marks_equal(&before, &after));
}

/* The command-line switches written at run time (/proc/sys/oomlab)
 * recompute the marks too; the switch's -1 goes back to the rule. */
static void command_line_switches_written_at_run_time_recompute_the_marks(struct kunit *test)
{
	long old = min_free_kbytes, old_user = user_min_free_kbytes;
	long old_scale = watermark_scale_factor;
	struct saved_marks before = {0}, after = {0};
	char text[24];

	save_marks(&before);
	snprintf(text, sizeof(text), "%ld", 3 * old);
	KUNIT_ASSERT_EQ(test, write_string("/proc/sys/oomlab/vm.min_free_kbytes", text),
			(long)strlen(text));
	KUNIT_EXPECT_EQ(test, min_free_kbytes, 3 * old);
	zone_watermarks_follow_linux_formula(test);
	KUNIT_ASSERT_EQ(test, write_string("/proc/sys/oomlab/vm.min_free_kbytes", "-1"), 2);
	KUNIT_EXPECT_EQ(test, min_free_kbytes, (long)sqrt_rule_kbytes());
	KUNIT_EXPECT_EQ(test, user_min_free_kbytes, -1);
	zone_watermarks_follow_linux_formula(test);
	KUNIT_ASSERT_EQ(test, write_string("/proc/sys/oomlab/vm.watermark_scale_factor", "500"), 3);
	zone_watermarks_follow_linux_formula(test);
	KUNIT_EXPECT_EQ(test, watermark_scale_factor, 500);
	KUNIT_EXPECT_EQ(test, set_watermark_scale_factor(old_scale), 0);
	KUNIT_EXPECT_EQ(test, set_min_free_kbytes(old), 0);
	user_min_free_kbytes = old_user;
	save_marks(&after);
	KUNIT_EXPECT_TRUE(test, marks_equal(&before, &after));
}

/* Did every set-up zone's pcp->high follow its low mark? How many moved
 * from saved[] goes to *moved. */
static bool pcp_high_follows_low(const int saved[MAX_NR_ZONES], int *moved)
{
	bool all = true;

	*moved = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &contig_page_data.node_zones[z];

		if (!managed_zone(zone) || !zone->pcp.batch)
			continue;
		all &= zone->pcp.high == zone_highsize(zone, zone->pcp.batch);
		*moved += zone->pcp.high != saved[z];
	}
	return all;
}

/* As Linux's setup_per_zone_wmarks ending in zone_pcp_update: the pcp
 * lists' high follows the low mark when either knob is written. */
static void watermark_writes_recompute_the_pcp_high(struct kunit *test)
{
	long old = min_free_kbytes, old_user = user_min_free_kbytes;
	long old_scale = watermark_scale_factor;
	int saved[MAX_NR_ZONES], moved;
	char text[24];

	for (int z = 0; z < MAX_NR_ZONES; z++)
		saved[z] = contig_page_data.node_zones[z].pcp.high;
	KUNIT_EXPECT_TRUE(test, pcp_high_follows_low(saved, &moved));
	snprintf(text, sizeof(text), "%ld", 4 * old);
	KUNIT_ASSERT_EQ(test, write_string(MIN_FREE_PATH, text), (long)strlen(text));
	KUNIT_EXPECT_TRUE(test, pcp_high_follows_low(saved, &moved));
	KUNIT_EXPECT_GT(test, moved, 0);
	KUNIT_ASSERT_EQ(test, set_min_free_kbytes(old), 0);
	user_min_free_kbytes = old_user;
	KUNIT_ASSERT_EQ(test, write_string(SCALE_PATH, "400"), 3);
	KUNIT_EXPECT_TRUE(test, pcp_high_follows_low(saved, &moved));
	KUNIT_EXPECT_GT(test, moved, 0);
	KUNIT_EXPECT_EQ(test, set_watermark_scale_factor(old_scale), 0);
	KUNIT_EXPECT_TRUE(test, pcp_high_follows_low(saved, &moved));
	KUNIT_EXPECT_EQ(test, moved, 0);
}

/* The command-line switch takes what the sysctl takes (Linux's 0..INT_MAX),
 * and -1 for the sqrt rule. */
static void min_free_kbytes_switch_and_sysctl_share_their_bounds(struct kunit *test)
{
	const struct kernel_param *found = NULL;

	for (const struct kernel_param *p = kparams_begin(); p < kparams_end(); p++)
		if (!strcmp(p->name, "vm.min_free_kbytes"))
			found = p;
	KUNIT_ASSERT_NOT_NULL(test, found);
	KUNIT_EXPECT_EQ(test, found->min, -1);
	KUNIT_EXPECT_EQ(test, found->max, MIN_FREE_KBYTES_MAX);
	KUNIT_EXPECT_EQ(test, write_string(MIN_FREE_PATH, "2147483648"), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_string("/proc/sys/oomlab/vm.min_free_kbytes", "2147483648"),
			-EINVAL);
}

/* Linux's bounds: min_free_kbytes >= 0, watermark_scale_factor 1..3000;
 * a refused write changes neither the value nor any mark. */
static void bad_watermark_writes_are_refused_and_change_nothing(struct kunit *test)
{
	static const char *const bad_min[] = {"-1", "-4096", "lots", "12k", "2147483648", ""};
	static const char *const bad_scale[] = {"0", "3001", "-5", "ten"};
	long old_min = min_free_kbytes, old_scale = watermark_scale_factor;
	struct saved_marks before = {0}, after = {0};

	save_marks(&before);
	for (size_t i = 0; i < sizeof(bad_min) / sizeof(bad_min[0]); i++)
		KUNIT_EXPECT_EQ(test, write_string(MIN_FREE_PATH, bad_min[i]), -EINVAL);
	for (size_t i = 0; i < sizeof(bad_scale) / sizeof(bad_scale[0]); i++)
		KUNIT_EXPECT_EQ(test, write_string(SCALE_PATH, bad_scale[i]), -EINVAL);
	KUNIT_EXPECT_EQ(test, set_min_free_kbytes(-1), -EINVAL);
	KUNIT_EXPECT_EQ(test, set_watermark_scale_factor(3001), -EINVAL);
	save_marks(&after);
	KUNIT_EXPECT_TRUE(test, marks_equal(&before, &after));
	KUNIT_EXPECT_EQ(test, min_free_kbytes, old_min);
	KUNIT_EXPECT_EQ(test, watermark_scale_factor, old_scale);
	/* The edges themselves are Linux's and are taken. */
	KUNIT_EXPECT_EQ(test, write_string(SCALE_PATH, "3000"), 4);
	KUNIT_EXPECT_EQ(test, write_string(SCALE_PATH, "1"), 1);
	KUNIT_EXPECT_EQ(test, set_watermark_scale_factor(old_scale), 0);
}

/* The allocator reads the new marks on its next attempt: with min above
 * every zone's free pages, an allocation that may not reclaim fails; put
 * back, the same allocation succeeds. Preemption stays off meanwhile so
 * no other task allocates under the impossible marks. */
static void allocator_obeys_a_run_time_min_free_kbytes(struct kunit *test)
{
	long old = min_free_kbytes, old_user = user_min_free_kbytes;
	unsigned long all_kb = 0;
	struct page *starved, *fed;
	struct zone *zone;

	for_each_zone(zone)
		all_kb += zone_managed_pages(zone) * (PAGE_SIZE / 1024);
	preempt_disable();
	KUNIT_EXPECT_EQ(test, set_min_free_kbytes((long)(2 * all_kb)), 0);
	for_each_zone(zone)
		if (managed_zone(zone))
			KUNIT_EXPECT_FALSE(test, zone_watermark_ok(zone, 0, min_wmark_pages(zone),
								   zone_idx(zone), 0));
	starved = alloc_page(GFP_NOWAIT | __GFP_NOWARN);
	KUNIT_EXPECT_EQ(test, set_min_free_kbytes(old), 0);
	fed = alloc_page(GFP_NOWAIT | __GFP_NOWARN);
	preempt_enable();
	user_min_free_kbytes = old_user;
	KUNIT_EXPECT_NULL(test, starved);
	KUNIT_EXPECT_NOT_NULL(test, fed);
	if (starved)
		__free_page(starved);
	if (fed)
		__free_page(fed);
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
	KUNIT_CASE(min_free_kbytes_write_moves_every_zone_mark),
	KUNIT_CASE(watermark_scale_factor_write_widens_the_gaps),
	KUNIT_CASE(bad_watermark_writes_are_refused_and_change_nothing),
	KUNIT_CASE(watermark_writes_recompute_the_pcp_high),
	KUNIT_CASE(min_free_kbytes_switch_and_sysctl_share_their_bounds),
	KUNIT_CASE(command_line_switches_written_at_run_time_recompute_the_marks),
	KUNIT_CASE(allocator_obeys_a_run_time_min_free_kbytes),
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
