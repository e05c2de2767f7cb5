/* Page misuse is caught and reported, and never corrupts the free lists:
 * double free, freeing a tail page, freeing a page that is still mapped,
 * and (with page_poison) writes to a page after it was freed. */
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "mm/internal.h"
#include "tests/kernel/mm_test_helpers.h"

static bool lists_as_at_boot(void)
{
	struct free_area_snapshot now;

	drain_all_pages(NULL);
	snapshot_free_areas(&now);
	return free_areas_equal(&now, &boot_free_areas);
}

static void double_free_is_reported_and_ignored(struct kunit *test)
{
	unsigned long bad = bad_page_count(), mark = log_mark();
	struct page *page = alloc_pages(GFP_KERNEL, 1);

	KUNIT_ASSERT_NOT_NULL(test, page);
	__free_pages(page, 1);
	quietly_begin();
	__free_pages(page, 1);
	quietly_end();
	KUNIT_EXPECT_EQ(test, bad_page_count(), bad + 1);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "BUG: Bad page state", NULL, 0));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "double free", NULL, 0));
	KUNIT_EXPECT_TRUE(test, lists_as_at_boot());
}

static void double_free_of_a_pcp_page_is_caught(struct kunit *test)
{
	unsigned long bad = bad_page_count();
	struct page *page = alloc_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, page);
	__free_page(page); /* now on the pcp list */
	quietly_begin();
	__free_page(page);
	quietly_end();
	KUNIT_EXPECT_EQ(test, bad_page_count(), bad + 1);
	KUNIT_EXPECT_TRUE(test, lists_as_at_boot());
}

static void freeing_a_tail_page_is_reported(struct kunit *test)
{
	unsigned long bad = bad_page_count(), mark = log_mark();
	struct page *head = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);

	KUNIT_ASSERT_NOT_NULL(test, head);
	KUNIT_EXPECT_TRUE(test, PageHead(head));
	KUNIT_EXPECT_TRUE(test, compound_head(head + 3) == head);
	quietly_begin();
	__free_page(head + 1);
	quietly_end();
	KUNIT_EXPECT_EQ(test, bad_page_count(), bad + 1);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "freeing a tail page", NULL, 0));
	__free_pages(head, 2);
	KUNIT_EXPECT_FALSE(test, PageTail(head + 1));
	KUNIT_EXPECT_TRUE(test, lists_as_at_boot());
}

static void freeing_with_the_wrong_compound_order_is_reported(struct kunit *test)
{
	unsigned long bad = bad_page_count();
	struct page *head = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);

	KUNIT_ASSERT_NOT_NULL(test, head);
	quietly_begin();
	__free_pages(head, 1);
	quietly_end();
	KUNIT_EXPECT_EQ(test, bad_page_count(), bad + 1);
	/* The report leaks nothing it should not: put the reference back and
	 * free it properly. */
	set_page_count(head, 1);
	__free_pages(head, 2);
	KUNIT_EXPECT_TRUE(test, lists_as_at_boot());
}

static void freeing_a_mapped_page_is_reported_and_the_page_kept_out(struct kunit *test)
{
	unsigned long bad = bad_page_count(), mark = log_mark();
	struct page *page = alloc_page(GFP_KERNEL);
	char line[MM_TEST_LOG_LINE];

	KUNIT_ASSERT_NOT_NULL(test, page);
	page_mapcount_inc_and_test(page); /* pretend a page table still maps it */
	quietly_begin();
	__free_page(page);
	quietly_end();
	KUNIT_EXPECT_EQ(test, bad_page_count(), bad + 1);
	KUNIT_EXPECT_TRUE(test,
			  log_find_since(mark, "page dumped because: nonzero mapcount", NULL, 0));
	KUNIT_EXPECT_TRUE(
		test, log_find_since(mark, "BUG: Bad page state in process", line, sizeof(line)));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "Call Trace:", NULL, 0));
	/* Not freed: not on any list. Undo the damage, free it for real. */
	KUNIT_EXPECT_FALSE(test, PageBuddy(page));
	page_mapcount_reset(page);
	set_page_count(page, 1);
	__free_page(page);
	KUNIT_EXPECT_TRUE(test, lists_as_at_boot());
}

static void freeing_a_reserved_page_is_reported(struct kunit *test)
{
	unsigned long bad = bad_page_count();
	struct page *kernel_page = virt_to_page((void *)__va(0x100000)); /* the kernel image */

	KUNIT_ASSERT_TRUE(test, PageReserved(kernel_page));
	quietly_begin();
	__free_page(kernel_page);
	quietly_end();
	KUNIT_EXPECT_EQ(test, bad_page_count(), bad + 1);
	KUNIT_EXPECT_TRUE(test, PageReserved(kernel_page));
	set_page_count(kernel_page, 1);
	KUNIT_EXPECT_TRUE(test, lists_as_at_boot());
}

/* With page_poison on, a write into a freed page is found when the page is
 * handed out again. */
static void write_after_free_is_caught_by_poisoning(struct kunit *test)
{
	unsigned long bad = bad_page_count(), mark = log_mark();
	bool saved = page_poisoning_enabled;
	struct page *page, *again;

	page_poisoning_enabled = true;
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	__free_page(page);
	KUNIT_EXPECT_EQ(test, ((unsigned char *)page_address(page))[100], 0xaa);
	((unsigned char *)page_address(page))[100] = 0x42; /* the bug */
	quietly_begin();
	again = alloc_page(GFP_KERNEL); /* pcp LIFO: the same page */
	quietly_end();
	page_poisoning_enabled = saved;
	KUNIT_EXPECT_TRUE(test, again == page);
	KUNIT_EXPECT_EQ(test, bad_page_count(), bad + 1);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "pagealloc: memory corruption", NULL, 0));
	if (again)
		__free_page(again);
	KUNIT_EXPECT_TRUE(test, lists_as_at_boot());
}

static void intact_poison_passes_silently(struct kunit *test)
{
	unsigned long bad = bad_page_count();
	bool saved = page_poisoning_enabled;
	struct page *page;

	page_poisoning_enabled = true;
	page = alloc_pages(GFP_KERNEL, 3);
	KUNIT_ASSERT_NOT_NULL(test, page);
	__free_pages(page, 3);
	page = alloc_pages(GFP_KERNEL, 3);
	page_poisoning_enabled = saved;
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, bad_page_count(), bad);
	KUNIT_EXPECT_FALSE(test, test_page_flag(page, PG_poisoned));
	__free_pages(page, 3);
}

static struct kunit_case page_debug_cases[] = {
	KUNIT_CASE(double_free_is_reported_and_ignored),
	KUNIT_CASE(double_free_of_a_pcp_page_is_caught),
	KUNIT_CASE(freeing_a_tail_page_is_reported),
	KUNIT_CASE(freeing_with_the_wrong_compound_order_is_reported),
	KUNIT_CASE(freeing_a_mapped_page_is_reported_and_the_page_kept_out),
	KUNIT_CASE(freeing_a_reserved_page_is_reported),
	KUNIT_CASE(write_after_free_is_caught_by_poisoning),
	KUNIT_CASE(intact_poison_passes_silently),
	{0},
};

static struct kunit_suite page_debug_suite = {
	.name = "page_debug",
	.test_cases = page_debug_cases,
	.ram_sizes = MM_TEST_RAM_SIZES,
};
kunit_test_suite(page_debug_suite);
