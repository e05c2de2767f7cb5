/* MemAvailable as Linux's si_mem_available: free pages above the reserves,
 * plus the page cache and reclaimable slab that reclaim could give back,
 * less what must stay of each (half, or the low watermarks if less). Read
 * first: only file pages on the LRU lists count as reclaimable, so the
 * initramfs page cache (ramfs-like: never reclaimable) is Cached but not
 * available; until the LRU lists exist that term is 0. */
#include "kernel/fs/fs.h"
#include "kernel/ktest.h"
#include "kernel/x86.h"
#include "mm/internal.h"
#include "mm/vmstat.h"
#include "tests/kernel/fs_test_helpers.h"

#define FREE 10000
#define RESERVE 1000
#define WMARK_LOW 100

static void file_lru_counts_but_half_or_the_low_watermarks_stay(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mem_available_estimate(FREE, RESERVE, 0, 0, WMARK_LOW),
			FREE - RESERVE);
	/* Plenty of cache: the low watermarks' worth stays. */
	KUNIT_EXPECT_EQ(test, mem_available_estimate(FREE, RESERVE, 1000, 0, WMARK_LOW),
			FREE - RESERVE + 900);
	/* Little cache: half of it stays. */
	KUNIT_EXPECT_EQ(test, mem_available_estimate(FREE, RESERVE, 100, 0, WMARK_LOW),
			FREE - RESERVE + 50);
}

static void reclaimable_slab_follows_the_same_rule(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mem_available_estimate(FREE, RESERVE, 0, 1000, WMARK_LOW),
			FREE - RESERVE + 900);
	KUNIT_EXPECT_EQ(test, mem_available_estimate(FREE, RESERVE, 100, 100, WMARK_LOW),
			FREE - RESERVE + 50 + 50);
}

static void reserves_above_free_memory_leave_nothing_available(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mem_available_estimate(RESERVE, FREE, 0, 0, WMARK_LOW), 0);
}

/* The system's MemAvailable is that arithmetic on its own counters. */
static void si_mem_available_reads_the_live_counters(struct kunit *test)
{
	long wmark_low = 0, want, got;
	struct zone *zone;
	uint64_t flags = local_irq_save(); /* nothing allocates meanwhile */

	for_each_zone(zone)
		wmark_low += (long)low_wmark_pages(zone);
	want = mem_available_estimate(global_zone_page_state(NR_FREE_PAGES),
				      (long)totalreserve_pages(),
				      global_zone_page_state(NR_ZONE_ACTIVE_FILE) +
					      global_zone_page_state(NR_ZONE_INACTIVE_FILE),
				      global_zone_page_state(NR_SLAB_RECLAIMABLE), wmark_low);
	got = si_mem_available();
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, got, want);
	KUNIT_EXPECT_LT(test, got, global_zone_page_state(NR_FREE_PAGES) + 1);
}

/* An initramfs file read into the cache is Cached, not reclaimable. */
static void initramfs_page_cache_is_not_reclaimable(struct kunit *test)
{
	long cached, reclaimable = global_reclaimable_file_pages();
	struct page *page;
	struct file *f;

	if (!fixtures_present()) {
		kunit_mark_skipped(test, "no initrd fixtures");
		return;
	}
	f = filp_open(PATTERN_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	invalidate_mapping_pages(f->f_mapping);
	cached = global_zone_page_state(NR_FILE_PAGES);
	page = filemap_get_page(f->f_mapping, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_FILE_PAGES), cached + 1);
	KUNIT_EXPECT_EQ(test, global_reclaimable_file_pages(), reclaimable);
	__free_page(page);
	invalidate_mapping_pages(f->f_mapping);
	fput(f);
}

static struct kunit_case mem_available_cases[] = {
	KUNIT_CASE(file_lru_counts_but_half_or_the_low_watermarks_stay),
	KUNIT_CASE(reclaimable_slab_follows_the_same_rule),
	KUNIT_CASE(reserves_above_free_memory_leave_nothing_available),
	KUNIT_CASE(si_mem_available_reads_the_live_counters),
	KUNIT_CASE(initramfs_page_cache_is_not_reclaimable),
	{0},
};

static struct kunit_suite mem_available_suite = {
	.name = "mem_available",
	.test_cases = mem_available_cases,
};
kunit_test_suite(mem_available_suite);
