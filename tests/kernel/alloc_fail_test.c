/* When an allocation fails it says so as Linux does: warn_alloc's line with
 * the GFP mask by name, a call trace and show_mem's zone picture; once per
 * 10 s, never for __GFP_NOWARN; and every failure is counted. */
#include "kernel/ktest.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/internal.h"
#include "mm/vmstat.h"
#include "tests/kernel/mm_test_helpers.h"

static struct page_stash dma_stash;

/* Empty ZONE_DMA down to its min watermark, quietly. */
static void exhaust_dma(void)
{
	stash_init(&dma_stash, 0);
	drain_all_pages(NULL);
	stash_fill(&dma_stash, GFP_DMA);
}

static void nowarn_failure_is_counted_but_silent(struct kunit *test)
{
	unsigned long fails, mark;

	exhaust_dma();
	fails = vm_event_states[PGALLOC_FAIL];
	mark = log_mark();
	KUNIT_EXPECT_NULL(test, alloc_page(GFP_DMA | __GFP_NOWARN));
	KUNIT_EXPECT_EQ(test, vm_event_states[PGALLOC_FAIL], fails + 1);
	KUNIT_EXPECT_FALSE(test, log_find_since(mark, "page allocation failure", NULL, 0));
	stash_free_all(&dma_stash);
}

static void failure_prints_warn_alloc_and_show_mem(struct kunit *test)
{
	char line[MM_TEST_LOG_LINE], want[MM_TEST_LOG_LINE];
	unsigned long mark;

	exhaust_dma();
	mark = log_mark();
	quietly_begin();
	KUNIT_EXPECT_NULL(test, alloc_page(GFP_DMA));
	quietly_end();
	KUNIT_EXPECT_TRUE(test,
			  log_find_since(mark, "page allocation failure", line, sizeof(line)));
	snprintf(want, sizeof(want),
		 "%s: page allocation failure: order:0, mode:0x1(GFP_DMA), nodemask=(null)",
		 current->comm);
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, want));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "Call Trace:", NULL, 0));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "Mem-Info:", NULL, 0));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "Node 0 DMA free:", line, sizeof(line)));
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, " min:"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, " managed:"));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "lowmem_reserve[]: 0", NULL, 0));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "Node 0 DMA: ", line, sizeof(line)));
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, "*4kB "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, "kB = "));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "pages RAM", NULL, 0));
	stash_free_all(&dma_stash);
}

static void second_report_within_10s_is_rate_limited(struct kunit *test)
{
	unsigned long fails, mark;

	exhaust_dma();
	fails = vm_event_states[PGALLOC_FAIL];
	mark = log_mark();
	quietly_begin();
	KUNIT_EXPECT_NULL(test, alloc_page(GFP_DMA));
	quietly_end();
	KUNIT_EXPECT_EQ(test, vm_event_states[PGALLOC_FAIL], fails + 1);
	KUNIT_EXPECT_FALSE(test, log_find_since(mark, "page allocation failure", NULL, 0));
	stash_free_all(&dma_stash);
}

static void failure_leaves_the_free_lists_intact(struct kunit *test)
{
	struct free_area_snapshot now;

	exhaust_dma();
	KUNIT_EXPECT_NULL(test, alloc_pages(GFP_DMA | __GFP_NOWARN, 3));
	stash_free_all(&dma_stash);
	drain_all_pages(NULL);
	snapshot_free_areas(&now);
	KUNIT_EXPECT_TRUE(test, free_areas_equal(&now, &boot_free_areas));
}

static struct kunit_case alloc_fail_cases[] = {
	KUNIT_CASE(nowarn_failure_is_counted_but_silent),
	KUNIT_CASE(failure_prints_warn_alloc_and_show_mem),
	KUNIT_CASE(second_report_within_10s_is_rate_limited),
	KUNIT_CASE(failure_leaves_the_free_lists_intact),
	{0},
};

static struct kunit_suite alloc_fail_suite = {
	.name = "alloc_fail",
	.test_cases = alloc_fail_cases,
	.ram_sizes = MM_TEST_RAM_SIZES,
};
kunit_test_suite(alloc_fail_suite);
