/* Boot memory setup: RAM is split into DMA, DMA32 and Normal by physical
 * address, every page has a struct page and a direct-map address, what the
 * kernel and boot data occupy is reserved, and the boot log shows the zones
 * in Linux's format. */
#include "kernel/ktest.h"
#include "kernel/paging.h"
#include "kernel/string.h"
#include "mm/internal.h"
#include "mm/memblock.h"
#include "tests/kernel/mm_test_helpers.h"

#define DMA_LIMIT_PFN (16ul << 8)   /* 16 MiB in 4 KiB pages */
#define DMA32_LIMIT_PFN (1ul << 20) /* 4 GiB */

static void zones_split_ram_by_physical_address(struct kunit *test)
{
	const struct zone *z = contig_page_data.node_zones;

	KUNIT_EXPECT_LE(test, zone_end_pfn(&z[ZONE_DMA]), DMA_LIMIT_PFN);
	if (z[ZONE_DMA32].spanned_pages) {
		KUNIT_EXPECT_GE(test, z[ZONE_DMA32].zone_start_pfn, DMA_LIMIT_PFN);
		KUNIT_EXPECT_LE(test, zone_end_pfn(&z[ZONE_DMA32]), DMA32_LIMIT_PFN);
	}
	if (z[ZONE_NORMAL].spanned_pages)
		KUNIT_EXPECT_GE(test, z[ZONE_NORMAL].zone_start_pfn, DMA32_LIMIT_PFN);
	KUNIT_EXPECT_EQ(test,
			zone_end_pfn(&z[MAX_NR_ZONES - 1]) >= max_pfn ||
				!z[MAX_NR_ZONES - 1].spanned_pages,
			true);
	KUNIT_EXPECT_GT(test, z[ZONE_DMA].managed_pages, 0);
}

static void managed_pages_add_up(struct kunit *test)
{
	unsigned long managed = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		const struct zone *zone = &contig_page_data.node_zones[i];

		KUNIT_EXPECT_LE(test, zone->managed_pages, zone->present_pages);
		KUNIT_EXPECT_LE(test, zone->present_pages, zone->spanned_pages);
		managed += zone->managed_pages;
	}
	KUNIT_EXPECT_EQ(test, managed, totalram_pages);
	KUNIT_EXPECT_EQ(test, (unsigned long long)memblock_phys_mem_size() >> PAGE_SHIFT,
			(unsigned long long)NODE_DATA(0)->node_present_pages);
}

static bool free_block_is_sound(const struct zone *zone, const struct page *page,
				unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	uint64_t start = (uint64_t)pfn << PAGE_SHIFT, end = start + (PAGE_SIZE << order);

	return PageBuddy(page) && page->private == order && !(pfn & ((1ul << order) - 1)) &&
	       zone_spans_pfn(zone, pfn) && zone_spans_pfn(zone, pfn + (1ul << order) - 1) &&
	       memblock_is_memory(start) && memblock_is_memory(end - 1) &&
	       !memblock_is_reserved(start) && !memblock_is_reserved(end - 1);
}

static void every_free_block_is_unreserved_ram_in_its_zone(struct kunit *test)
{
	unsigned long bad = 0, blocks = 0;

	drain_all_pages(NULL);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &contig_page_data.node_zones[z];

		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
			struct page *page;

			list_for_each_entry(page, &zone->free_area[o].free_list, lru) {
				blocks++;
				bad += !free_block_is_sound(zone, page, o);
			}
		}
	}
	KUNIT_EXPECT_GT(test, blocks, 0);
	KUNIT_EXPECT_EQ(test, bad, 0);
}

static void kernel_image_and_low_memory_are_reserved(struct kunit *test)
{
	extern char _boot_start[];
	unsigned long first = (unsigned long)_boot_start >> PAGE_SHIFT;
	unsigned long last = (__pa(_end) - 1) >> PAGE_SHIFT, unreserved = 0;

	for (unsigned long pfn = first; pfn <= last; pfn++)
		unreserved += !PageReserved(pfn_to_page(pfn));
	for (unsigned long pfn = 0; pfn < (1ul << 20) >> PAGE_SHIFT; pfn++)
		unreserved += !PageReserved(pfn_to_page(pfn));
	KUNIT_EXPECT_EQ(test, unreserved, 0);
}

static void direct_map_covers_all_ram(struct kunit *test)
{
	struct page *last = pfn_to_page(max_pfn - 1);
	uint64_t pte = kernel_lookup_pte((uint64_t)page_address(last));

	KUNIT_EXPECT_TRUE(test, pte != 0);
	KUNIT_EXPECT_UGE(test, direct_map_end(), (uint64_t)max_pfn << PAGE_SHIFT);
	KUNIT_EXPECT_TRUE(test, pte & _PAGE_NX);
}

/* page_poison=1 poisons every page freed at boot too; without it no free
 * page carries the mark. The first free block of each zone is checked. */
static void boot_poisons_free_pages_only_when_asked(struct kunit *test)
{
	unsigned long checked = 0, wrong = 0;

	drain_all_pages(NULL);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &contig_page_data.node_zones[z];

		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
			struct page *page;
			const unsigned char *mem;

			if (list_empty(&zone->free_area[o].free_list))
				continue;
			page = list_first_entry(&zone->free_area[o].free_list, struct page, lru);
			mem = page_address(page);
			checked++;
			if (test_page_flag(page, PG_poisoned) != page_poisoning_enabled)
				wrong++;
			else if (page_poisoning_enabled &&
				 (mem[0] != 0xaa || mem[PAGE_SIZE - 1] != 0xaa))
				wrong++;
		}
	}
	KUNIT_EXPECT_GT(test, checked, 0);
	KUNIT_EXPECT_EQ(test, wrong, 0);
}

static void boot_log_shows_zone_ranges_as_linux(struct kunit *test)
{
	char line[MM_TEST_LOG_LINE];
	bool above_4g = max_pfn > DMA32_LIMIT_PFN, above_16m = max_pfn > DMA_LIMIT_PFN;

	KUNIT_EXPECT_TRUE(test, log_find("Zone ranges:", NULL, 0));
	if (above_16m)
		KUNIT_EXPECT_TRUE(test,
				  log_find("  DMA      [mem 0x0000000000000000-0x0000000000ffffff]",
					   NULL, 0));
	if (above_4g) {
		KUNIT_EXPECT_TRUE(test,
				  log_find("  DMA32    [mem 0x0000000001000000-0x00000000ffffffff]",
					   NULL, 0));
		KUNIT_EXPECT_TRUE(test, log_find("  Normal   [mem 0x0000000100000000-", NULL, 0));
		KUNIT_EXPECT_TRUE(test, log_find("On node 0, zone Normal: ", NULL, 0));
	} else {
		KUNIT_EXPECT_TRUE(test, log_find("  Normal   empty", NULL, 0));
	}
	KUNIT_EXPECT_TRUE(test, log_find("On node 0, zone DMA: ", line, sizeof(line)));
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, "watermarks min:"));
	KUNIT_EXPECT_TRUE(test, log_find("Memory: ", line, sizeof(line)));
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, "K available ("));
}

static struct kunit_case mm_init_cases[] = {
	KUNIT_CASE(zones_split_ram_by_physical_address),
	KUNIT_CASE(managed_pages_add_up),
	KUNIT_CASE(every_free_block_is_unreserved_ram_in_its_zone),
	KUNIT_CASE(kernel_image_and_low_memory_are_reserved),
	KUNIT_CASE(direct_map_covers_all_ram),
	KUNIT_CASE(boot_poisons_free_pages_only_when_asked),
	KUNIT_CASE(boot_log_shows_zone_ranges_as_linux),
	{0},
};

static struct kunit_suite mm_init_suite = {
	.name = "mm_init",
	.test_cases = mm_init_cases,
	.ram_sizes = MM_TEST_RAM_SIZES,
};
kunit_test_suite(mm_init_suite);
