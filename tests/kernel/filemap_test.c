/* The page cache as a specification: one struct page per file page, shared
 * by every reader with a reference each, filled with the file's bytes,
 * counted in NR_FILE_PAGES and meminfo's Cached:, and dropped only when
 * nobody but the cache holds it. Read first: the cases start from an empty
 * cache for the fixture file (invalidate_mapping_pages) so counts are exact. */
#include "kernel/fs/exec_file.h"
#include "kernel/fs/fs.h"
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"
#include "tests/kernel/fs_test_helpers.h"

#define MEMINFO_LINE 40

static struct file *open_pattern(struct kunit *test)
{
	struct file *f;

	if (!fixtures_present()) {
		kunit_mark_skipped(test, "no initrd fixtures");
		return NULL;
	}
	f = filp_open(PATTERN_PATH, O_RDONLY);
	if (IS_ERR(f))
		return NULL;
	invalidate_mapping_pages(f->f_mapping);
	return f;
}

static void two_lookups_share_one_page(struct kunit *test)
{
	struct file *f = open_pattern(test);
	long before = global_zone_page_state(NR_FILE_PAGES);
	struct page *a, *b;

	if (!f)
		return;
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 0);
	a = filemap_get_page(f->f_mapping, 1);
	KUNIT_ASSERT_NOT_NULL(test, a);
	/* The cache's reference and ours. */
	KUNIT_EXPECT_EQ(test, page_ref_count(a), 2);
	KUNIT_EXPECT_TRUE(test, a->mapping == f->f_mapping);
	KUNIT_EXPECT_EQ(test, a->index, 1);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_FILE_PAGES), before + 1);
	b = filemap_get_page(f->f_mapping, 1);
	KUNIT_EXPECT_TRUE(test, a == b);
	KUNIT_EXPECT_EQ(test, page_ref_count(a), 3);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_FILE_PAGES), before + 1);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 1);
	KUNIT_EXPECT_TRUE(test, find_get_page(f->f_mapping, 0) == NULL);
	__free_page(b);
	__free_page(a);
	KUNIT_EXPECT_EQ(test, page_ref_count(a), 1);
	KUNIT_EXPECT_EQ(test, invalidate_mapping_pages(f->f_mapping), 1);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_FILE_PAGES), before);
	fput(f);
}

static void pages_hold_the_file_and_zeros_after_it(struct kunit *test)
{
	struct file *f = open_pattern(test);
	const unsigned char *bytes;
	struct page *last;
	bool ok = true;

	if (!f)
		return;
	last = filemap_get_page(f->f_mapping, PATTERN_SIZE / PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, last);
	bytes = page_address(last);
	for (unsigned long i = 0; i < PAGE_SIZE; i++) {
		unsigned long pos = (PATTERN_SIZE / PAGE_SIZE) * PAGE_SIZE + i;

		ok &= bytes[i] == (pos < PATTERN_SIZE ? pattern_byte(pos) : 0);
	}
	KUNIT_EXPECT_TRUE(test, ok);
	__free_page(last);
	/* No page wholly past the end. */
	KUNIT_EXPECT_NULL(test, filemap_get_page(f->f_mapping, PATTERN_SIZE / PAGE_SIZE + 1));
	invalidate_mapping_pages(f->f_mapping);
	fput(f);
}

static void pages_in_use_survive_invalidation(struct kunit *test)
{
	struct file *f = open_pattern(test);
	struct page *held, *again;
	char c;

	if (!f)
		return;
	KUNIT_EXPECT_EQ(test, kernel_read(f, &c, 1, &f->f_pos), 1); /* caches page 0 */
	held = filemap_get_page(f->f_mapping, 2);
	KUNIT_ASSERT_NOT_NULL(test, held);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 2);
	KUNIT_EXPECT_EQ(test, invalidate_mapping_pages(f->f_mapping), 1);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 1);
	again = find_get_page(f->f_mapping, 2);
	KUNIT_EXPECT_TRUE(test, again == held);
	__free_page(again);
	__free_page(held);
	KUNIT_EXPECT_EQ(test, drop_pagecache() >= 1, 1);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 0);
	fput(f);
}

/* meminfo's Cached: line follows NR_FILE_PAGES. */
static void meminfo_cached_counts_the_page_cache(struct kunit *test)
{
	struct file *f = open_pattern(test);
	struct page *pages[3];
	char want[MEMINFO_LINE], *text;
	long err;

	if (!f)
		return;
	for (int i = 0; i < 3; i++)
		pages[i] = filemap_get_page(f->f_mapping, (unsigned long)i);
	KUNIT_ASSERT_TRUE(test, pages[0] && pages[1] && pages[2]);
	snprintf(want, sizeof(want), "\nCached:         %8lu kB\n",
		 (unsigned long)global_zone_page_state(NR_FILE_PAGES) * (PAGE_SIZE >> 10));
	text = read_whole("/proc/meminfo", 4096, &err);
	KUNIT_EXPECT_TRUE(test, text && strstr(text, want));
	kfree(text);
	KUNIT_EXPECT_GE(test, global_zone_page_state(NR_FILE_PAGES), 3);
	for (int i = 0; i < 3; i++)
		__free_page(pages[i]);
	invalidate_mapping_pages(f->f_mapping);
	fput(f);
}

static void read_exec_file_reads_whole_files(struct kunit *test)
{
	void *image = NULL;
	size_t size = 0;

	if (!fixtures_present())
		kunit_skip(test, "no initrd fixtures");
	KUNIT_ASSERT_EQ(test, read_exec_file(PATTERN_PATH, 1 << 20, &image, &size), 0);
	KUNIT_EXPECT_EQ(test, size, PATTERN_SIZE);
	KUNIT_EXPECT_EQ(test, ((unsigned char *)image)[PATTERN_SIZE - 1],
			pattern_byte(PATTERN_SIZE - 1));
	vfree(image);
	KUNIT_EXPECT_EQ(test, read_exec_file(PATTERN_PATH, 100, &image, &size), -E2BIG);
	KUNIT_EXPECT_EQ(test, read_exec_file("/test/vfs", 1 << 20, &image, &size), -EACCES);
	KUNIT_EXPECT_EQ(test, read_exec_file("/dev/null", 1 << 20, &image, &size), -EACCES);
	KUNIT_EXPECT_EQ(test, read_exec_file("/nope", 1 << 20, &image, &size), -ENOENT);
}

static struct kunit_case filemap_cases[] = {
	KUNIT_CASE(two_lookups_share_one_page),
	KUNIT_CASE(pages_hold_the_file_and_zeros_after_it),
	KUNIT_CASE(pages_in_use_survive_invalidation),
	KUNIT_CASE(meminfo_cached_counts_the_page_cache),
	KUNIT_CASE(read_exec_file_reads_whole_files),
	{},
};

static struct kunit_suite filemap_suite = {
	.name = "filemap",
	.preempt_stress = true,
	.test_cases = filemap_cases,
};
kunit_test_suite(filemap_suite);
