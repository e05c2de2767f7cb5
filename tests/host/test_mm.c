/* Host tests for the page allocator: the real mm/ sources (memblock, zones,
 * buddy, pcp, watermarks, debug checks, failure reports) booted on a
 * synthetic memory map under ASan and UBSan. Read first: every case builds
 * its own world (tests/host/mm_host.h), and expected values are computed
 * here from Linux's formulas, never read back from the code under test. */
#include "kernel/errno.h"
#include "tests/host/hosttest.h"
#include "tests/host/mm_host.h"
#include <stdlib.h>

#define KB_PER_PAGE (PAGE_SIZE >> 10)
#define SEC_NS 1000000000ull
#define RATELIMIT_WINDOW_NS (11 * SEC_NS) /* past warn_alloc's 10 s window */
#define LOG_LINE 512

#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)

/* Fail the case with the checker's words when the allocator is inconsistent. */
#define EXPECT_LISTS_SOUND(interiors)                              \
	do {                                                       \
		const char *err_ = mm_check_free_lists(interiors); \
		HT_EXPECT_STREQ(err_, NULL);                       \
	} while (0)
#define EXPECT_SNAPSHOT_EQ(now, then)                                \
	do {                                                         \
		const char *diff_ = mm_snapshot_diff((now), (then)); \
		HT_EXPECT_STREQ(diff_, NULL);                        \
	} while (0)

/* ---- a stash of allocated blocks, linked through page->lru ---- */

struct stash {
	struct list_head pages;
	unsigned long blocks;
	unsigned int order;
	unsigned long per_zone[MAX_NR_ZONES];
};

static void stash_init(struct stash *s, unsigned int order)
{
	memset(s, 0, sizeof(*s));
	INIT_LIST_HEAD(&s->pages);
	s->order = order;
}

static struct page *stash_alloc(struct stash *s, gfp_t gfp)
{
	struct page *page = alloc_pages(gfp, s->order);

	if (!page)
		return NULL;
	list_add_tail(&page->lru, &s->pages);
	s->blocks++;
	s->per_zone[page_zonenum(page)]++;
	return page;
}

static unsigned long stash_fill(struct stash *s, gfp_t gfp)
{
	unsigned long before = s->blocks;

	while (stash_alloc(s, gfp | __GFP_NOWARN))
		;
	return s->blocks - before;
}

static void stash_free(struct stash *s)
{
	while (!list_empty(&s->pages)) {
		struct page *page = list_first_entry(&s->pages, struct page, lru);

		list_del(&page->lru);
		__free_pages(page, s->order);
	}
	stash_init(s, s->order);
}

/* The boot state with the pcp lists empty: what "everything freed" must
 * give back. */
static void boot_snapshot(struct mm_snapshot *snap)
{
	drain_all_pages(NULL);
	mm_snapshot_take(snap);
}

static void expect_back_at(const struct mm_snapshot *boot)
{
	struct mm_snapshot now;

	drain_all_pages(NULL);
	mm_snapshot_take(&now);
	EXPECT_SNAPSHOT_EQ(&now, boot);
	EXPECT_LISTS_SOUND(true);
}

/* ---- memblock ---- */

static void memblock_add_merges_touching_and_overlapping_ranges(void)
{
	world_begin();
	memblock_add(0x100000, 0x100000);
	memblock_add(0x300000, 0x100000);
	HT_EXPECT_EQ(memblock.memory.cnt, 2);
	memblock_add(0x200000, 0x100000); /* touches both: one region */
	HT_ASSERT_EQ(memblock.memory.cnt, 1);
	HT_EXPECT_EQ_U(memblock.memory.regions[0].base, 0x100000);
	HT_EXPECT_EQ_U(memblock.memory.regions[0].size, 0x300000);
	memblock_add(0x80000, 0x100000); /* overlaps the front */
	HT_EXPECT_EQ(memblock.memory.cnt, 1);
	HT_EXPECT_EQ_U(memblock.memory.regions[0].base, 0x80000);
	HT_EXPECT_EQ_U(memblock_phys_mem_size(), 0x380000);
	memblock_add(0x100000, 0x10000); /* inside: nothing changes */
	HT_EXPECT_EQ_U(memblock_phys_mem_size(), 0x380000);
	HT_EXPECT_EQ_U(memblock_start_of_DRAM(), 0x80000);
	HT_EXPECT_EQ_U(memblock_end_of_DRAM(), 0x400000);
}

static void memblock_reserve_keeps_regions_sorted_and_totals_exact(void)
{
	static const uint64_t bases[] = {0x900000, 0x100000, 0x500000, 0x300000};

	world_begin();
	for (size_t i = 0; i < HT_ARRAY_SIZE(bases); i++)
		HT_EXPECT_EQ(memblock_reserve(bases[i], 0x1000), 0);
	HT_ASSERT_EQ(memblock.reserved.cnt, 4);
	for (unsigned long i = 1; i < memblock.reserved.cnt; i++)
		HT_EXPECT(memblock.reserved.regions[i - 1].base <
			  memblock.reserved.regions[i].base);
	HT_EXPECT_EQ_U(memblock_reserved_size(), 0x4000);
	HT_EXPECT(memblock_is_reserved(0x500fff));
	HT_EXPECT(!memblock_is_reserved(0x501000));
	HT_EXPECT(!memblock_is_reserved(0xfffff));
}

static void memblock_phys_free_splits_a_reserved_region_in_two(void)
{
	world_begin();
	memblock_reserve(0x100000, 0x400000);
	HT_EXPECT_EQ(memblock_phys_free(0x200000, 0x100000), 0);
	HT_ASSERT_EQ(memblock.reserved.cnt, 2);
	HT_EXPECT_EQ_U(memblock.reserved.regions[0].base, 0x100000);
	HT_EXPECT_EQ_U(memblock.reserved.regions[0].size, 0x100000);
	HT_EXPECT_EQ_U(memblock.reserved.regions[1].base, 0x300000);
	HT_EXPECT_EQ_U(memblock.reserved.regions[1].size, 0x200000);
	HT_EXPECT_EQ_U(memblock_reserved_size(), 0x300000);
	/* Freeing across both pieces trims the first and drops the second. */
	HT_EXPECT_EQ(memblock_phys_free(0x180000, 0x400000), 0);
	HT_ASSERT_EQ(memblock.reserved.cnt, 1);
	HT_EXPECT_EQ_U(memblock.reserved.regions[0].size, 0x80000);
}

static void memblock_alloc_takes_the_highest_aligned_fit_below_end(void)
{
	uint64_t a, b;

	world_begin();
	memblock_add(0x100000, 0x700000); /* 1 MiB .. 8 MiB */
	memblock_reserve(0x700000, 0x100000);
	a = memblock_phys_alloc_range(0x3000, 0x10000, 0, MEMBLOCK_ALLOC_ANYWHERE);
	HT_EXPECT_EQ_U(a, 0x6f0000); /* top of the free 1..7 MiB, 64 KiB aligned */
	HT_EXPECT(memblock_is_reserved(a) && memblock_is_reserved(a + 0x2fff));
	b = memblock_phys_alloc_range(0x1000, 0x1000, 0, 0x400000);
	HT_EXPECT_EQ_U(b, 0x3ff000); /* honours the end limit */
	b = memblock_phys_alloc_range(0x1000, 0x1000, 0x200000, 0x300000);
	HT_EXPECT_EQ_U(b, 0x2ff000);
}

static void memblock_alloc_returns_zero_when_nothing_fits(void)
{
	world_begin();
	memblock_add(0x100000, 0x100000);
	HT_EXPECT_EQ_U(memblock_phys_alloc_range(0x200000, 0x1000, 0, MEMBLOCK_ALLOC_ANYWHERE), 0);
	HT_EXPECT_EQ_U(memblock_phys_alloc_range(0x1000, 0x3000, 0, MEMBLOCK_ALLOC_ANYWHERE), 0);
	HT_EXPECT_EQ_U(memblock_reserved_size(), 0);
}

struct range_log {
	uint64_t start[8], end[8];
	int n;
};

static void log_range(uint64_t start, uint64_t end, void *ctx)
{
	struct range_log *r = ctx;

	if (r->n < 8) {
		r->start[r->n] = start;
		r->end[r->n] = end;
	}
	r->n++;
}

static void memblock_free_ranges_are_memory_minus_reserved(void)
{
	struct range_log r = {0};

	world_begin();
	memblock_add(0x0, 0x400000);
	memblock_add(0x800000, 0x400000);
	memblock_reserve(0x0, 0x100000);
	memblock_reserve(0x300000, 0x600000); /* spans the hole */
	memblock_reserve(0xa00000, 0x1000);
	memblock_for_each_free_range(log_range, &r);
	HT_ASSERT_EQ(r.n, 3);
	HT_EXPECT_EQ_U(r.start[0], 0x100000);
	HT_EXPECT_EQ_U(r.end[0], 0x300000);
	HT_EXPECT_EQ_U(r.start[1], 0x900000);
	HT_EXPECT_EQ_U(r.end[1], 0xa00000);
	HT_EXPECT_EQ_U(r.start[2], 0xa01000);
	HT_EXPECT_EQ_U(r.end[2], 0xc00000);
}

static void memblock_full_table_refuses_and_reports_once(void)
{
	world_begin();
	for (uint64_t i = 0; i < INIT_MEMBLOCK_REGIONS; i++)
		HT_ASSERT_EQ(memblock_add(i * 0x2000, 0x1000), 0);
	HT_EXPECT_EQ(memblock_add(0x10000000, 0x1000), -ENOMEM);
	HT_EXPECT_EQ(memblock_add(0x20000000, 0x1000), -ENOMEM);
	HT_EXPECT_EQ(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS);
	HT_EXPECT_EQ(host_log_count("memblock: memory table full"), 1);
	HT_EXPECT(host_log_find("[mem 0x0000000010000000-0x0000000010000fff] ignored", NULL, 0));
}

/* ---- zones from a map with holes ---- */

/* Pages of [lo, hi) that memblock calls RAM (present) and that are RAM
 * and touch no reserved byte (managed), by sweeping the region lists. */
static void count_zone_pages(unsigned long lo, unsigned long hi, unsigned long *present,
			     unsigned long *managed)
{
	*present = *managed = 0;
	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *m = &memblock.memory.regions[i];
		unsigned long s = PFN_UP(m->base), e = PFN_DOWN(m->base + m->size), cursor;

		s = s < lo ? lo : s;
		e = e > hi ? hi : e;
		if (e <= s)
			continue;
		*present += e - s;
		*managed += e - s;
		cursor = s;
		for (unsigned long j = 0; j < memblock.reserved.cnt; j++) {
			const struct memblock_region *r = &memblock.reserved.regions[j];
			unsigned long rs = PFN_DOWN(r->base), re = PFN_UP(r->base + r->size);

			rs = rs < cursor ? cursor : rs;
			re = re > e ? e : re;
			if (re > rs) {
				*managed -= re - rs;
				cursor = re;
			}
		}
	}
}

/* Is every byte of [start, end) RAM and unreserved? */
static bool range_is_free_ram(uint64_t start, uint64_t end)
{
	bool in_ram = false;

	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *m = &memblock.memory.regions[i];

		in_ram |= start >= m->base && end <= m->base + m->size;
	}
	for (unsigned long j = 0; j < memblock.reserved.cnt; j++) {
		const struct memblock_region *r = &memblock.reserved.regions[j];

		if (start < r->base + r->size && r->base < end)
			return false;
	}
	return in_ram;
}

#define HOLEY_INITRD_BASE (30 * MIB)
#define HOLEY_INITRD_SIZE 123456ull /* not a page multiple */

/* Holes across the DMA/DMA32 boundary and below 4 GiB, an unaligned
 * initrd: the shape of a real e820 map. */
static void boot_holey_world(void)
{
	world_begin();
	memblock_add(0, HOST_LOW_RAM_END);
	memblock_add(MIB, 11 * MIB);		    /* 1..12 MiB */
	memblock_add(20 * MIB, 3 * GIB - 20 * MIB); /* hole 12..20 MiB */
	memblock_add(4 * GIB, 64 * MIB);	    /* hole 3..4 GiB */
	memblock_reserve(0, HOST_LOW_RESERVE);
	memblock_reserve(HOST_KERNEL_BASE, HOST_KERNEL_SIZE);
	memblock_reserve(HOLEY_INITRD_BASE, HOLEY_INITRD_SIZE);
	world_boot();
}

static void zones_split_the_map_at_16m_and_4g_with_holes(void)
{
	static const unsigned long start[] = {0, 4096, 1ul << 20};
	static const unsigned long end[] = {4096, 1ul << 20, (1ul << 20) + 16384};
	static const char *const lines[] = {
		"  DMA      [mem 0x0000000000000000-0x0000000000ffffff]",
		"  DMA32    [mem 0x0000000001000000-0x00000000ffffffff]",
		"  Normal   [mem 0x0000000100000000-0x0000000103ffffff]",
	};
	unsigned long total_managed = 0, total_present = 0;

	boot_holey_world();
	HT_EXPECT_EQ(max_pfn, end[ZONE_NORMAL]);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = zone_of((enum zone_type)z);
		unsigned long present, managed;
		char line[LOG_LINE];

		count_zone_pages(start[z], end[z], &present, &managed);
		HT_EXPECT_EQ(zone->zone_start_pfn, start[z]);
		HT_EXPECT_EQ(zone->spanned_pages, end[z] - start[z]);
		HT_EXPECT_EQ(zone->present_pages, present);
		HT_EXPECT_EQ(zone->managed_pages, managed);
		/* At boot every managed page is free, on the buddy lists. */
		HT_EXPECT_EQ(zone_page_state(zone, NR_FREE_PAGES), managed);
		HT_EXPECT(host_log_find(lines[z], line, sizeof(line)));
		HT_EXPECT_STREQ(line, lines[z]);
		total_managed += managed;
		total_present += present;
	}
	HT_EXPECT_EQ(zone_of(ZONE_DMA)->present_pages, 159 + 11 * 256); /* base + 1..12 MiB */
	HT_EXPECT_EQ(zone_of(ZONE_DMA)->managed_pages, 7 * 256);	/* 5..12 MiB */
	HT_EXPECT_EQ(totalram_pages, total_managed);
	HT_EXPECT_EQ(NODE_DATA(0)->node_present_pages, total_present);
	HT_EXPECT_EQ(nr_free_pages(), total_managed);
	EXPECT_LISTS_SOUND(true);
}

/* Free blocks of one list that are not wholly unreserved RAM. */
static unsigned long blocks_outside_free_ram(const struct list_head *list, unsigned int order,
					     unsigned long *blocks)
{
	unsigned long bad = 0;

	for (const struct list_head *pos = list->next; pos != list; pos = pos->next) {
		uint64_t phys = page_to_phys(list_entry(pos, struct page, lru));

		bad += !range_is_free_ram(phys, phys + (PAGE_SIZE << order));
		(*blocks)++;
	}
	return bad;
}

static void free_blocks_lie_in_unreserved_ram_only(void)
{
	unsigned long bad = 0, blocks = 0;

	boot_holey_world();
	for (int z = 0; z < MAX_NR_ZONES; z++)
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
			bad += blocks_outside_free_ram(
				&zone_of((enum zone_type)z)->free_area[o].free_list, o, &blocks);
	HT_EXPECT(blocks > 0);
	HT_EXPECT_EQ(bad, 0);
	/* mem_map itself is reserved RAM. */
	HT_EXPECT(memblock_is_reserved(__pa(mem_map)));
}

static void zones_above_ram_are_empty(void)
{
	char line[LOG_LINE];
	struct page *page;

	world_boot_pc(64 * MIB, 0);
	HT_EXPECT_EQ(zone_of(ZONE_NORMAL)->spanned_pages, 0);
	HT_EXPECT_EQ(zone_of(ZONE_NORMAL)->managed_pages, 0);
	HT_EXPECT_EQ(zone_of(ZONE_DMA32)->spanned_pages, (64 - 16) * 256);
	HT_EXPECT(host_log_find("  Normal   empty", line, sizeof(line)));
	HT_EXPECT_STREQ(line, "  Normal   empty");
	/* GFP_KERNEL's highest zone is empty: it falls back to DMA32. */
	page = alloc_page(GFP_KERNEL);
	HT_ASSERT(page != NULL);
	HT_EXPECT_EQ(page_zonenum(page), ZONE_DMA32);
	__free_page(page);
	EXPECT_LISTS_SOUND(true);
}

/* ---- the buddy allocator ---- */

/* DMA is exactly one free order-10 block (12..16 MiB); DMA32 holds the
 * rest and mem_map. */
static void boot_one_block_dma_world(void)
{
	world_begin();
	memblock_add(0, 32 * MIB);
	memblock_reserve(0, 12 * MIB);
	world_boot();
}

static void buddy_splits_a_block_on_allocation(void)
{
	struct zone *dma;
	struct page *page;

	boot_one_block_dma_world();
	dma = zone_of(ZONE_DMA);
	HT_ASSERT_EQ(dma->free_area[MAX_PAGE_ORDER].nr_free, 1);
	HT_ASSERT_EQ(zone_page_state(dma, NR_FREE_PAGES), 1024);
	page = alloc_pages(GFP_DMA, 3);
	HT_ASSERT(page != NULL);
	HT_EXPECT_EQ(page_to_pfn(page), (12 * MIB) >> PAGE_SHIFT); /* the lower half is kept */
	/* 1024 = 8 + 8 + 16 + ... + 512: one free block per order 3..9. */
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		HT_EXPECT_EQ(dma->free_area[o].nr_free, (o >= 3 && o < MAX_PAGE_ORDER) ? 1 : 0);
	HT_EXPECT_EQ(zone_page_state(dma, NR_FREE_PAGES), 1024 - 8);
	EXPECT_LISTS_SOUND(true);
	__free_pages(page, 3);
	HT_EXPECT_EQ(dma->free_area[MAX_PAGE_ORDER].nr_free, 1);
	HT_EXPECT_EQ(zone_page_state(dma, NR_FREE_PAGES), 1024);
}

static void buddy_merges_buddies_on_free(void)
{
	struct zone *dma;
	struct page *a, *b;

	boot_one_block_dma_world();
	dma = zone_of(ZONE_DMA);
	a = alloc_pages(GFP_DMA, 2);
	b = alloc_pages(GFP_DMA, 2);
	HT_ASSERT(a && b);
	HT_EXPECT_EQ(page_to_pfn(a) ^ page_to_pfn(b), 4); /* buddies: differ in bit 2 */
	__free_pages(a, 2);
	HT_EXPECT_EQ(dma->free_area[2].nr_free, 1); /* its buddy is busy: no merge */
	HT_EXPECT_EQ(dma->free_area[MAX_PAGE_ORDER].nr_free, 0);
	__free_pages(b, 2);
	HT_EXPECT_EQ(dma->free_area[2].nr_free, 0);
	HT_EXPECT_EQ(dma->free_area[MAX_PAGE_ORDER].nr_free, 1); /* merged all the way up */
	EXPECT_LISTS_SOUND(true);
}

static void allocations_are_aligned_to_their_order(void)
{
	world_boot_pc(128 * MIB, 0);
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
		struct page *page = alloc_pages(GFP_KERNEL, o);
		void *addr;

		HT_ASSERT(page != NULL);
		addr = page_address(page);
		HT_EXPECT_EQ(page_to_pfn(page) & ((1ul << o) - 1), 0);
		HT_EXPECT_EQ(((uintptr_t)addr - (uintptr_t)host_phys_base) & ((PAGE_SIZE << o) - 1),
			     0);
		HT_EXPECT(virt_to_page(addr) == page);
		__free_pages(page, o);
	}
	EXPECT_LISTS_SOUND(true);
}

static uint32_t lcg(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

struct block {
	struct page *page;
	unsigned int order;
};

static void free_everything_restores_the_boot_free_lists(void)
{
	static const gfp_t gfps[] = {GFP_KERNEL, GFP_DMA32, GFP_DMA, GFP_ATOMIC,
				     GFP_KERNEL | __GFP_COMP};
	enum { NBLOCKS = 3000 };
	struct block *blocks = calloc(NBLOCKS, sizeof(*blocks));
	struct mm_snapshot boot;
	uint32_t seed = 12345;
	int n = 0;

	HT_ASSERT(blocks != NULL);
	world_boot_pc(256 * MIB, 32 * MIB);
	boot_snapshot(&boot);
	for (int i = 0; i < NBLOCKS; i++) {
		unsigned int order = lcg(&seed) % 5 ? lcg(&seed) % 4 : lcg(&seed) % 11;
		gfp_t gfp = gfps[lcg(&seed) % HT_ARRAY_SIZE(gfps)] | __GFP_NOWARN;
		struct page *page = alloc_pages(gfp, order);

		if (page)
			blocks[n++] = (struct block){page, order};
	}
	HT_EXPECT(n > NBLOCKS / 2);
	EXPECT_LISTS_SOUND(false);
	for (int i = n - 1; i > 0; i--) { /* free in a shuffled order */
		int j = (int)(lcg(&seed) % (uint32_t)(i + 1));
		struct block t = blocks[i];

		blocks[i] = blocks[j];
		blocks[j] = t;
	}
	for (int i = 0; i < n; i++)
		__free_pages(blocks[i].page, blocks[i].order);
	expect_back_at(&boot);
	free(blocks);
}

static void exhausting_a_zone_then_freeing_restores_it(void)
{
	struct mm_snapshot boot;
	struct stash s;
	const struct zone *dma;

	world_boot_pc(32 * MIB, 0);
	boot_snapshot(&boot);
	dma = zone_of(ZONE_DMA);
	stash_init(&s, 0);
	HT_EXPECT(stash_fill(&s, GFP_DMA) > 0);
	HT_EXPECT_EQ(s.blocks, s.per_zone[ZONE_DMA]); /* never from a higher zone */
	/* GFP_DMA may not reclaim, but has no reserve either: it stops at min
	 * (pcp pages do not count as free). */
	drain_all_pages(NULL);
	HT_EXPECT(zone_page_state(dma, NR_FREE_PAGES) <= (long)min_wmark_pages(dma) + 1);
	EXPECT_LISTS_SOUND(false);
	stash_free(&s);
	expect_back_at(&boot);
}

static void gfp_zone_picks_the_highest_allowed_zone(void)
{
	HT_EXPECT_EQ(gfp_zone(GFP_KERNEL), ZONE_NORMAL);
	HT_EXPECT_EQ(gfp_zone(GFP_DMA32), ZONE_DMA32);
	HT_EXPECT_EQ(gfp_zone(GFP_KERNEL | __GFP_DMA32), ZONE_DMA32);
	HT_EXPECT_EQ(gfp_zone(GFP_DMA), ZONE_DMA);
	HT_EXPECT_EQ(gfp_zone(GFP_HIGHUSER_MOVABLE), ZONE_NORMAL);
}

/* Normal, then DMA32, then DMA: each lower zone is used only down to its
 * min watermark plus the reserve it keeps for Normal-capable callers,
 * which DMA32- and DMA-only callers may still have. Order 1 keeps the pcp
 * out of the arithmetic. */
static void fallback_goes_down_the_zones_and_keeps_lowmem_reserve(void)
{
	struct mm_snapshot boot;
	struct stash s, dma32_only, dma_only;

	world_boot_pc(128 * MIB, 32 * MIB);
	boot_snapshot(&boot);
	stash_init(&s, 1);
	stash_fill(&s, GFP_KERNEL);
	HT_EXPECT(s.per_zone[ZONE_NORMAL] > 0);
	HT_EXPECT(s.per_zone[ZONE_DMA32] > 0);
	HT_EXPECT(s.per_zone[ZONE_DMA] > 0);
	for (int z = ZONE_DMA; z <= ZONE_NORMAL; z++) {
		const struct zone *zone = zone_of((enum zone_type)z);
		long floor = (long)min_wmark_pages(zone) + zone->lowmem_reserve[ZONE_NORMAL];
		long free = zone_page_state(zone, NR_FREE_PAGES);

		HT_EXPECT(free >= floor);
		HT_EXPECT(free <= floor + 1 + (long)zone->free_area[0].nr_free);
	}
	HT_EXPECT(zone_of(ZONE_DMA32)->lowmem_reserve[ZONE_NORMAL] > 0);
	HT_EXPECT(zone_of(ZONE_DMA)->lowmem_reserve[ZONE_NORMAL] > 0);
	stash_init(&dma32_only, 1);
	HT_EXPECT(stash_fill(&dma32_only, GFP_DMA32) > 0);
	HT_EXPECT_EQ(dma32_only.per_zone[ZONE_NORMAL], 0);
	HT_EXPECT(dma32_only.per_zone[ZONE_DMA32] > 0);
	stash_init(&dma_only, 1);
	HT_EXPECT(stash_fill(&dma_only, GFP_DMA) > 0);
	HT_EXPECT_EQ(dma_only.blocks, dma_only.per_zone[ZONE_DMA]);
	EXPECT_LISTS_SOUND(false);
	stash_free(&s);
	stash_free(&dma32_only);
	stash_free(&dma_only);
	expect_back_at(&boot);
}

static void memalloc_allocations_ignore_the_watermarks(void)
{
	struct stash s;
	struct page *page;

	world_boot_pc(32 * MIB, 0);
	stash_init(&s, 0);
	stash_fill(&s, GFP_KERNEL);
	HT_EXPECT(alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);
	page = alloc_page(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN);
	HT_EXPECT(page != NULL);
	HT_EXPECT(alloc_page(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOMEMALLOC | __GFP_NOWARN) ==
		  NULL);
	if (page)
		__free_page(page);
	stash_free(&s);
	EXPECT_LISTS_SOUND(true);
}

static void gfp_zero_returns_zeroed_pages(void)
{
	struct page *page;
	uint8_t *mem;
	bool zero = true;

	world_boot_pc(32 * MIB, 0);
	page = alloc_pages(GFP_KERNEL, 2);
	HT_ASSERT(page != NULL);
	memset(page_address(page), 0x5a, PAGE_SIZE << 2);
	__free_pages(page, 2);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	HT_ASSERT(page != NULL);
	mem = page_address(page);
	for (unsigned long i = 0; i < (PAGE_SIZE << 2); i++)
		zero &= mem[i] == 0;
	HT_EXPECT(zero);
	__free_pages(page, 2);
}

static void order_above_max_page_order_fails_and_says_so(void)
{
	struct mm_snapshot before, after;

	world_boot_pc(32 * MIB, 0);
	mm_snapshot_take(&before);
	HT_EXPECT(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1) == NULL);
	HT_EXPECT(host_log_find("alloc_pages: order 11 is above MAX_PAGE_ORDER (10)", NULL, 0));
	mm_snapshot_take(&after);
	EXPECT_SNAPSHOT_EQ(&after, &before);
}

static void vmstat_counts_allocations_per_zone_and_frees(void)
{
	struct page *normal, *dma;

	world_boot_pc(128 * MIB, 16 * MIB);
	normal = alloc_pages(GFP_KERNEL, 2);
	dma = alloc_page(GFP_DMA);
	HT_ASSERT(normal && dma);
	HT_EXPECT_EQ(page_zonenum(normal), ZONE_NORMAL);
	HT_EXPECT_EQ(vm_event_states[PGALLOC_NORMAL], 4);
	HT_EXPECT_EQ(vm_event_states[PGALLOC_DMA], 1);
	HT_EXPECT_EQ(vm_event_states[PGALLOC_DMA32], 0);
	__free_pages(normal, 2);
	__free_page(dma);
	HT_EXPECT_EQ(vm_event_states[PGFREE], 5);
}

/* ---- watermarks, from Linux's formulas ---- */

/* floor(sqrt(x)) by Newton's iteration: a different road from the
 * kernel's bit-by-bit int_sqrt. */
static unsigned long isqrt(unsigned long x)
{
	unsigned long r = x, next;

	if (x < 2)
		return x;
	next = x / 2;
	while (next < r) {
		r = next;
		next = (r + x / r) / 2;
	}
	return r;
}

static long expected_min_free_kbytes(unsigned long lowmem_kbytes)
{
	unsigned long v = isqrt(lowmem_kbytes * 16);

	return v < 128 ? 128 : v > 262144 ? 262144 : (long)v;
}

static void min_free_kbytes_follows_the_sqrt_rule_with_clamps(void)
{
	static const unsigned long kbytes[] = {0,	  1000,	     1024,     4095,	16384,
					       65536,	  131072,    524288,   4194304, 16777216,
					       1ul << 30, 1ul << 32, 1ul << 34};

	for (size_t i = 0; i < HT_ARRAY_SIZE(kbytes); i++)
		HT_EXPECT_EQ(calculate_min_free_kbytes(kbytes[i]),
			     expected_min_free_kbytes(kbytes[i]));
	HT_EXPECT_EQ(calculate_min_free_kbytes(0), 128);	    /* the floor */
	HT_EXPECT_EQ(calculate_min_free_kbytes(4194304), 8192);	    /* 4 GiB */
	HT_EXPECT_EQ(calculate_min_free_kbytes(1ul << 34), 262144); /* the ceiling */
}

struct marks {
	unsigned long min, low, high;
	long reserve[MAX_NR_ZONES];
};

/* Linux's __setup_per_zone_wmarks and setup_per_zone_lowmem_reserve over
 * the zones' managed pages. */
static void expected_marks(long min_free_kb, long scale, struct marks m[MAX_NR_ZONES])
{
	static const int ratio[MAX_NR_ZONES] = {256, 256, 32};
	unsigned long total = 0, pages_min = (unsigned long)min_free_kb / KB_PER_PAGE;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		total += zone_of((enum zone_type)z)->managed_pages;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		unsigned long managed = zone_of((enum zone_type)z)->managed_pages;
		unsigned long step, above = 0;

		m[z].min = total ? pages_min * managed / total : 0;
		step = managed * (unsigned long)scale / 10000;
		if (m[z].min / 4 > step)
			step = m[z].min / 4;
		m[z].low = m[z].min + step;
		m[z].high = m[z].low + step;
		for (int j = 0; j < MAX_NR_ZONES; j++) {
			if (j > z)
				above += zone_of((enum zone_type)j)->managed_pages;
			m[z].reserve[j] =
				(j <= z || !managed) ? 0 : (long)(above / (unsigned long)ratio[z]);
		}
	}
}

static void expect_marks(long min_free_kb, long scale)
{
	struct marks m[MAX_NR_ZONES];

	expected_marks(min_free_kb, scale, m);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = zone_of((enum zone_type)z);

		HT_EXPECT_EQ(min_wmark_pages(zone), m[z].min);
		HT_EXPECT_EQ(low_wmark_pages(zone), m[z].low);
		HT_EXPECT_EQ(high_wmark_pages(zone), m[z].high);
		for (int j = 0; j < MAX_NR_ZONES; j++)
			HT_EXPECT_EQ(zone->lowmem_reserve[j], m[z].reserve[j]);
	}
}

static void zone_watermarks_match_linux_formulas_at_several_sizes(void)
{
	static const struct {
		uint64_t below, above;
	} sizes[] = {{16 * MIB, 0}, {64 * MIB, 0}, {512 * MIB, 0}, {3 * GIB, 128 * MIB}};

	for (size_t i = 0; i < HT_ARRAY_SIZE(sizes); i++) {
		unsigned long managed_kb;
		char want[LOG_LINE];

		world_boot_pc(sizes[i].below, sizes[i].above);
		/* At boot the watermarks are still 0: lowmem is all managed memory. */
		managed_kb = totalram_pages * KB_PER_PAGE;
		HT_EXPECT_EQ(min_free_kbytes, expected_min_free_kbytes(managed_kb));
		expect_marks(expected_min_free_kbytes(managed_kb), 10);
		snprintf(want, sizeof(want), "min_free_kbytes: %ld, watermark_scale_factor: 10",
			 expected_min_free_kbytes(managed_kb));
		HT_EXPECT(host_log_find(want, NULL, 0));
	}
}

static void min_free_kbytes_switch_and_scale_factor_move_the_marks(void)
{
	world_begin();
	user_min_free_kbytes = 16384; /* more than the sqrt rule's ~2800 */
	watermark_scale_factor = 200;
	memblock_add(0, 512 * MIB);
	memblock_reserve(0, MIB);
	world_boot();
	HT_EXPECT_EQ(min_free_kbytes, 16384);
	expect_marks(16384, 200);
	HT_EXPECT(host_log_find("min_free_kbytes: 16384 from the command line", NULL, 0));
	HT_EXPECT(low_wmark_pages(zone_of(ZONE_DMA32)) - min_wmark_pages(zone_of(ZONE_DMA32)) ==
		  zone_of(ZONE_DMA32)->managed_pages * 200 / 10000);
}

/* The effective min after the reserves each alloc flag grants. */
static long reserve_min(long mark, unsigned int flags)
{
	long min = mark;

	if (flags & ALLOC_MIN_RESERVE) {
		min -= min / 2;
		if (flags & ALLOC_NON_BLOCK)
			min -= min / 4;
	}
	if (flags & ALLOC_OOM)
		min -= min / 2;
	return min;
}

static void watermark_check_passes_strictly_above_the_reduced_min(void)
{
	static const unsigned int flag_sets[] = {
		0,	   ALLOC_MIN_RESERVE, ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK,
		ALLOC_OOM, ALLOC_NON_BLOCK, /* atomic without __GFP_HIGH: no reserve */
	};
	struct zone *dma32;

	world_boot_pc(512 * MIB, 0);
	dma32 = zone_of(ZONE_DMA32);
	for (size_t i = 0; i < HT_ARRAY_SIZE(flag_sets); i++) {
		long mark = (long)min_wmark_pages(dma32), min = reserve_min(mark, flag_sets[i]);

		HT_EXPECT(!__zone_watermark_ok(dma32, 0, (unsigned long)mark, ZONE_DMA32,
					       flag_sets[i], min));
		HT_EXPECT(__zone_watermark_ok(dma32, 0, (unsigned long)mark, ZONE_DMA32,
					      flag_sets[i], min + 1));
		/* Order 3: the block itself does not count, 2^3 - 1 pages. */
		HT_EXPECT(!__zone_watermark_ok(dma32, 3, (unsigned long)mark, ZONE_DMA32,
					       flag_sets[i], min + 7));
		HT_EXPECT(__zone_watermark_ok(dma32, 3, (unsigned long)mark, ZONE_DMA32,
					      flag_sets[i], min + 8));
	}
}

/* A DMA32-capable caller must leave DMA its lowmem_reserve; a DMA-only one
 * need not. */
static void watermark_check_keeps_the_lowmem_reserve_for_higher_callers(void)
{
	struct zone *dma;
	long mark, res;

	world_boot_pc(512 * MIB, 0);
	dma = zone_of(ZONE_DMA);
	mark = (long)min_wmark_pages(dma);
	res = dma->lowmem_reserve[ZONE_DMA32];
	HT_EXPECT(res > 0);
	HT_EXPECT(!__zone_watermark_ok(dma, 0, (unsigned long)mark, ZONE_DMA32, 0, mark + res));
	HT_EXPECT(__zone_watermark_ok(dma, 0, (unsigned long)mark, ZONE_DMA32, 0, mark + res + 1));
	HT_EXPECT(__zone_watermark_ok(dma, 0, (unsigned long)mark, ZONE_DMA, 0, mark + 1));
}

static void gfp_to_alloc_flags_matches_linux(void)
{
	/* WMARK_MIN is 0; CPUSET 0x40, MIN_RESERVE 0x20, NON_BLOCK 0x10,
	 * HIGHATOMIC 0x200, KSWAPD 0x800, as in Linux 6.x. */
	HT_EXPECT_EQ_U(gfp_to_alloc_flags(GFP_KERNEL, 0), ALLOC_CPUSET | ALLOC_KSWAPD);
	HT_EXPECT_EQ_U(gfp_to_alloc_flags(GFP_ATOMIC, 0),
		       ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_KSWAPD);
	HT_EXPECT_EQ_U(gfp_to_alloc_flags(GFP_ATOMIC, 1),
		       ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_KSWAPD | ALLOC_HIGHATOMIC);
	HT_EXPECT_EQ_U(gfp_to_alloc_flags(GFP_NOWAIT, 0), ALLOC_NON_BLOCK | ALLOC_KSWAPD);
	HT_EXPECT_EQ_U(gfp_to_alloc_flags(GFP_ATOMIC | __GFP_NOMEMALLOC, 0),
		       ALLOC_MIN_RESERVE | ALLOC_KSWAPD);
	HT_EXPECT_EQ_U(gfp_to_alloc_flags(GFP_KERNEL | __GFP_HIGH, 0),
		       ALLOC_CPUSET | ALLOC_KSWAPD | ALLOC_MIN_RESERVE);
	HT_EXPECT_EQ_U(__gfp_pfmemalloc_flags(GFP_KERNEL), 0);
	HT_EXPECT_EQ_U(__gfp_pfmemalloc_flags(GFP_KERNEL | __GFP_MEMALLOC), ALLOC_NO_WATERMARKS);
	HT_EXPECT_EQ_U(__gfp_pfmemalloc_flags(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOMEMALLOC), 0);
}

/* ---- per-CPU lists ---- */

static int expected_batch(unsigned long managed)
{
	unsigned long b = managed >> 10, p = 1;

	if (b > (1ul << 20) / PAGE_SIZE)
		b = (1ul << 20) / PAGE_SIZE;
	b /= 4;
	if (b < 1)
		b = 1;
	while (p * 2 <= b + b / 2)
		p *= 2;
	return p - 1 < 1 ? 1 : (int)(p - 1);
}

static void pcp_batch_and_high_follow_linux_sizes(void)
{
	static const uint64_t sizes[] = {16 * MIB, 128 * MIB, 1 * GIB, 3 * GIB};

	for (size_t i = 0; i < HT_ARRAY_SIZE(sizes); i++) {
		world_boot_pc(sizes[i], sizes[i] == 3 * GIB ? 128 * MIB : 0);
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			const struct zone *zone = zone_of((enum zone_type)z);
			int batch = expected_batch(zone->managed_pages);
			int high = (int)low_wmark_pages(zone) > 4 * batch
					   ? (int)low_wmark_pages(zone)
					   : 4 * batch;

			if (!zone->managed_pages)
				continue;
			HT_EXPECT_EQ(zone->pcp.batch, batch);
			HT_EXPECT_EQ(zone->pcp.high, high);
		}
	}
	HT_EXPECT_EQ(expected_batch(786432), 63); /* 3 GiB: capped at 1 MiB / 4 */
}

static void pcp_refills_a_batch_and_gives_one_back_at_high(void)
{
	struct zone *zone;
	struct stash s;
	long free0;
	int batch, high, count = 0;

	world_boot_pc(512 * MIB, 0);
	zone = zone_of(ZONE_DMA32);
	batch = zone->pcp.batch;
	high = zone->pcp.high;
	HT_ASSERT(batch > 1 && high > batch);
	free0 = zone_page_state(zone, NR_FREE_PAGES);
	stash_init(&s, 0);
	HT_ASSERT(stash_alloc(&s, GFP_KERNEL) != NULL);
	HT_EXPECT_EQ(zone->pcp.count, batch - 1);
	HT_EXPECT_EQ(zone_page_state(zone, NR_FREE_PAGES), free0 - batch);
	for (int i = 1; i < high + batch; i++)
		HT_ASSERT(stash_alloc(&s, GFP_KERNEL) != NULL);
	drain_all_pages(zone);
	HT_EXPECT_EQ(zone->pcp.count, 0);
	/* Free one at a time: the list grows to high, then gives batch back. */
	while (!list_empty(&s.pages)) {
		struct page *page = list_first_entry(&s.pages, struct page, lru);
		long free_before = zone_page_state(zone, NR_FREE_PAGES);

		list_del(&page->lru);
		__free_page(page);
		if (++count >= high) {
			count -= batch;
			HT_EXPECT_EQ(zone_page_state(zone, NR_FREE_PAGES), free_before + batch);
		}
		HT_ASSERT_EQ(zone->pcp.count, count);
	}
	drain_all_pages(NULL);
	HT_EXPECT_EQ(zone->pcp.count, 0);
	HT_EXPECT_EQ(zone_page_state(zone, NR_FREE_PAGES), free0);
	EXPECT_LISTS_SOUND(true);
}

static void drain_all_pages_empties_every_pcp_list(void)
{
	struct page *pages[3];
	long pcp = 0;

	world_boot_pc(128 * MIB, 16 * MIB);
	pages[0] = alloc_page(GFP_KERNEL);
	pages[1] = alloc_page(GFP_DMA32);
	pages[2] = alloc_page(GFP_DMA);
	for (int i = 0; i < 3; i++) {
		HT_ASSERT(pages[i] != NULL);
		HT_EXPECT_EQ(page_zonenum(pages[i]), 2 - i);
		__free_page(pages[i]);
	}
	for (int z = 0; z < MAX_NR_ZONES; z++)
		pcp += zone_of((enum zone_type)z)->pcp.count;
	HT_EXPECT(pcp >= 3);
	HT_EXPECT_EQ(free_pcp_pages(), pcp);
	drain_all_pages(NULL);
	HT_EXPECT_EQ(free_pcp_pages(), 0);
	HT_EXPECT_EQ(nr_free_pages(), totalram_pages);
}

/* ---- bad pages and poison ---- */

static void double_free_is_reported_and_free_lists_stay_intact(void)
{
	static const unsigned int orders[] = {0, 2}; /* through the pcp, and not */
	char line[LOG_LINE];

	world_boot_pc(64 * MIB, 0);
	for (size_t i = 0; i < HT_ARRAY_SIZE(orders); i++) {
		struct page *page = alloc_pages(GFP_KERNEL, orders[i]);
		unsigned long bad = bad_page_count();
		struct mm_snapshot before, after;
		char want[64];

		HT_ASSERT(page != NULL);
		__free_pages(page, orders[i]);
		mm_snapshot_take(&before);
		host_log_clear();
		__free_pages(page, orders[i]);
		mm_snapshot_take(&after);
		EXPECT_SNAPSHOT_EQ(&after, &before);
		EXPECT_LISTS_SOUND(true);
		HT_EXPECT_EQ(bad_page_count(), bad + 1);
		snprintf(want, sizeof(want), "BUG: Bad page state in process swapper/0  pfn:%05lx",
			 page_to_pfn(page));
		HT_EXPECT(host_log_find("BUG: Bad page state", line, sizeof(line)));
		HT_EXPECT_STREQ(line, want);
		HT_EXPECT(host_log_find(
			"page dumped because: freeing a page that is already free (double free?)",
			NULL, 0));
		HT_EXPECT(host_log_find("Call Trace:", NULL, 0));
	}
}

static void freeing_a_tail_page_is_reported_and_free_lists_stay_intact(void)
{
	struct mm_snapshot boot, before, after;
	struct page *page;
	unsigned long bad;

	world_boot_pc(64 * MIB, 0);
	boot_snapshot(&boot);
	page = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	HT_ASSERT(page != NULL);
	HT_EXPECT(PageHead(page) && PageTail(page + 1) && compound_head(page + 3) == page);
	bad = bad_page_count();
	mm_snapshot_take(&before);
	__free_pages(page + 1, 0);
	mm_snapshot_take(&after);
	EXPECT_SNAPSHOT_EQ(&after, &before);
	HT_EXPECT_EQ(bad_page_count(), bad + 1);
	HT_EXPECT(host_log_find("page dumped because: freeing a tail page of a compound page", NULL,
				0));
	HT_EXPECT(host_log_find("(zone=DMA32|tail)", NULL, 0));
	__free_pages(page, 2); /* the head frees the whole block */
	expect_back_at(&boot);
}

static void freeing_a_mapped_page_is_reported_and_the_page_leaked(void)
{
	struct page *page;
	long free_before;
	unsigned long bad;

	world_boot_pc(64 * MIB, 0);
	page = alloc_pages(GFP_KERNEL, 1);
	HT_ASSERT(page != NULL);
	page->_mapcount = 0; /* still mapped once */
	free_before = nr_free_pages();
	bad = bad_page_count();
	__free_pages(page, 1);
	HT_EXPECT_EQ(bad_page_count(), bad + 1);
	HT_EXPECT(host_log_find("page dumped because: nonzero mapcount", NULL, 0));
	HT_EXPECT(host_log_find("mapcount:1", NULL, 0));
	HT_EXPECT_EQ(nr_free_pages(), free_before); /* leaked, not freed */
	EXPECT_LISTS_SOUND(true);
}

static void bad_page_names_garbage_flags_without_reading_past_the_zone_names(void)
{
	struct page *page;
	unsigned long saved;
	char line[LOG_LINE];

	world_boot_pc(32 * MIB, 0);
	page = alloc_page(GFP_KERNEL);
	HT_ASSERT(page != NULL);
	saved = page->flags;
	page->flags = ~0ul; /* scribbled over: zone bits 3, no such zone */
	bad_page(page, "test: garbage flags");
	HT_EXPECT(host_log_find("flags: 0xffffffffffffffff", line, sizeof(line)));
	HT_EXPECT(strstr(line, "(zone=invalid|locked|") != NULL);
	page->flags = saved;
	__free_page(page);
}

static void boot_poisoned_world(void)
{
	world_begin();
	page_poisoning_enabled = true;
	memblock_add(0, 32 * MIB);
	memblock_reserve(0, HOST_LOW_RESERVE);
	world_boot();
}

static void poison_detects_a_write_after_free(void)
{
	struct page *page, *again;
	uint8_t *mem;
	unsigned long bad;
	char line[LOG_LINE];

	boot_poisoned_world();
	page = alloc_page(GFP_KERNEL);
	HT_ASSERT(page != NULL);
	mem = page_address(page);
	HT_EXPECT_EQ(host_log_count("pagealloc: memory corruption"), 0);
	__free_page(page);
	HT_EXPECT_EQ(mem[0], 0xaa);
	mem[100] = 0x5a; /* use after free */
	bad = bad_page_count();
	again = alloc_page(GFP_KERNEL); /* the pcp hands back the hot page */
	HT_ASSERT(again == page);
	HT_EXPECT_EQ(bad_page_count(), bad + 1);
	HT_EXPECT(host_log_find("pagealloc: memory corruption", line, sizeof(line)));
	HT_EXPECT(strstr(line, "offset 0x64): byte 0x5a, expected 0xaa") != NULL);
	__free_page(again);
	EXPECT_LISTS_SOUND(true);
}

static void poison_is_silent_for_pages_left_alone(void)
{
	struct stash s;

	boot_poisoned_world();
	stash_init(&s, 3);
	for (int i = 0; i < 64; i++)
		stash_alloc(&s, GFP_KERNEL);
	stash_free(&s);
	for (int i = 0; i < 64; i++)
		stash_alloc(&s, GFP_KERNEL);
	stash_free(&s);
	HT_EXPECT_EQ(host_log_count("pagealloc: memory corruption"), 0);
	HT_EXPECT_EQ(host_log_count("Bad page state"), 0);
}

/* ---- failure reports ---- */

/* A world where order-10 requests fail: every 4 MiB block is taken. */
static void boot_world_without_order10(struct stash *s)
{
	world_boot_pc(64 * MIB, 0);
	stash_init(s, MAX_PAGE_ORDER);
	stash_fill(s, GFP_KERNEL);
	host_clock_advance(RATELIMIT_WINDOW_NS); /* a fresh rate-limit window */
	host_log_clear();
}

static void warn_alloc_prints_linux_failure_line_and_show_mem(void)
{
	struct stash s;
	char line[LOG_LINE];
	unsigned long fails;

	boot_world_without_order10(&s);
	fails = vm_event_states[PGALLOC_FAIL];
	HT_EXPECT(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER) == NULL);
	HT_EXPECT_EQ(vm_event_states[PGALLOC_FAIL], fails + 1);
	HT_EXPECT(host_log_find("page allocation failure", line, sizeof(line)));
	HT_EXPECT_STREQ(line, "swapper/0: page allocation failure: order:10, "
			      "mode:0xcc0(GFP_KERNEL), nodemask=(null)");
	HT_EXPECT(host_log_find("Call Trace:", NULL, 0));
	HT_EXPECT(host_log_find("Mem-Info:", NULL, 0));
	HT_EXPECT(host_log_find("Node 0 DMA32 free:", line, sizeof(line)));
	HT_EXPECT(strstr(line, " min:") && strstr(line, " low:") && strstr(line, " high:") &&
		  strstr(line, " managed:"));
	HT_EXPECT(host_log_find("lowmem_reserve[]:", NULL, 0));
	HT_EXPECT(host_log_find("Node 0 DMA32: ", line, sizeof(line)));
	HT_EXPECT(strstr(line, "*4kB ") && strstr(line, "*4096kB = "));
	stash_free(&s);
}

static void warn_alloc_is_silent_with_gfp_nowarn(void)
{
	struct stash s;

	boot_world_without_order10(&s);
	HT_EXPECT(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER) == NULL);
	HT_EXPECT_EQ(host_log_count("page allocation failure"), 0);
	HT_EXPECT_EQ(host_log_count("Mem-Info:"), 0);
	/* ...and did not use up the window's one report. */
	HT_EXPECT(alloc_pages(GFP_ATOMIC, MAX_PAGE_ORDER) == NULL);
	HT_EXPECT(host_log_find("page allocation failure: order:10, mode:0x820(GFP_ATOMIC)", NULL,
				0));
	stash_free(&s);
}

static void warn_alloc_reports_once_per_ten_seconds(void)
{
	struct stash s;

	boot_world_without_order10(&s);
	for (int i = 0; i < 3; i++)
		HT_EXPECT(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER) == NULL);
	HT_EXPECT_EQ(host_log_count("page allocation failure"), 1);
	host_clock_advance(RATELIMIT_WINDOW_NS);
	HT_EXPECT(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER) == NULL);
	HT_EXPECT_EQ(host_log_count("page allocation failure"), 2);
	HT_EXPECT(host_log_find("warn_alloc: 2 callbacks suppressed", NULL, 0));
	stash_free(&s);
}

static void format_gfp_flags_names_linux_composites(void)
{
	static const struct {
		gfp_t gfp;
		const char *want;
	} cases[] = {
		{GFP_KERNEL, "GFP_KERNEL"},
		{GFP_ATOMIC, "GFP_ATOMIC"},
		{GFP_NOWAIT, "GFP_NOWAIT"},
		{GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE"},
		{GFP_KERNEL | __GFP_NOWARN | __GFP_ZERO, "GFP_KERNEL|__GFP_NOWARN|__GFP_ZERO"},
		{GFP_NOFS, "GFP_NOFS"},
		{GFP_NOIO, "GFP_NOIO"},
		{GFP_USER, "GFP_USER"},
		{GFP_DMA32 | __GFP_HIGH, "GFP_DMA32|__GFP_HIGH"},
		{GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_COMP,
		 "GFP_KERNEL|__GFP_RETRY_MAYFAIL|__GFP_COMP"},
		{__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM"},
		{__GFP_NOWARN | 0x80000000u, "__GFP_NOWARN|0x80000000"},
	};
	char buf[200];

	HT_EXPECT_EQ_U(GFP_KERNEL, 0xcc0);
	HT_EXPECT_EQ_U(GFP_ATOMIC, 0x820);
	HT_EXPECT_EQ_U(GFP_KERNEL | __GFP_NOWARN | __GFP_ZERO, 0x2dc0);
	for (size_t i = 0; i < HT_ARRAY_SIZE(cases); i++) {
		format_gfp_flags(cases[i].gfp, buf, sizeof(buf));
		HT_EXPECT_STREQ(buf, cases[i].want);
	}
}

static void format_gfp_flags_stays_inside_a_small_buffer(void)
{
	char *buf = malloc(12); /* heap: ASan sees a byte past the end */

	HT_ASSERT(buf != NULL);
	format_gfp_flags(GFP_KERNEL | __GFP_NOWARN | __GFP_ZERO, buf, 12);
	HT_EXPECT_STREQ(buf, "GFP_KERNEL|");
	free(buf);
}

static const struct ht_case cases[] = {
	HT_CASE(memblock_add_merges_touching_and_overlapping_ranges),
	HT_CASE(memblock_reserve_keeps_regions_sorted_and_totals_exact),
	HT_CASE(memblock_phys_free_splits_a_reserved_region_in_two),
	HT_CASE(memblock_alloc_takes_the_highest_aligned_fit_below_end),
	HT_CASE(memblock_alloc_returns_zero_when_nothing_fits),
	HT_CASE(memblock_free_ranges_are_memory_minus_reserved),
	HT_CASE(memblock_full_table_refuses_and_reports_once),
	HT_CASE(zones_split_the_map_at_16m_and_4g_with_holes),
	HT_CASE(free_blocks_lie_in_unreserved_ram_only),
	HT_CASE(zones_above_ram_are_empty),
	HT_CASE(buddy_splits_a_block_on_allocation),
	HT_CASE(buddy_merges_buddies_on_free),
	HT_CASE(allocations_are_aligned_to_their_order),
	HT_CASE(free_everything_restores_the_boot_free_lists),
	HT_CASE(exhausting_a_zone_then_freeing_restores_it),
	HT_CASE(gfp_zone_picks_the_highest_allowed_zone),
	HT_CASE(fallback_goes_down_the_zones_and_keeps_lowmem_reserve),
	HT_CASE(memalloc_allocations_ignore_the_watermarks),
	HT_CASE(gfp_zero_returns_zeroed_pages),
	HT_CASE(order_above_max_page_order_fails_and_says_so),
	HT_CASE(vmstat_counts_allocations_per_zone_and_frees),
	HT_CASE(min_free_kbytes_follows_the_sqrt_rule_with_clamps),
	HT_CASE(zone_watermarks_match_linux_formulas_at_several_sizes),
	HT_CASE(min_free_kbytes_switch_and_scale_factor_move_the_marks),
	HT_CASE(watermark_check_passes_strictly_above_the_reduced_min),
	HT_CASE(watermark_check_keeps_the_lowmem_reserve_for_higher_callers),
	HT_CASE(gfp_to_alloc_flags_matches_linux),
	HT_CASE(pcp_batch_and_high_follow_linux_sizes),
	HT_CASE(pcp_refills_a_batch_and_gives_one_back_at_high),
	HT_CASE(drain_all_pages_empties_every_pcp_list),
	HT_CASE(double_free_is_reported_and_free_lists_stay_intact),
	HT_CASE(freeing_a_tail_page_is_reported_and_free_lists_stay_intact),
	HT_CASE(freeing_a_mapped_page_is_reported_and_the_page_leaked),
	HT_CASE(bad_page_names_garbage_flags_without_reading_past_the_zone_names),
	HT_CASE(poison_detects_a_write_after_free),
	HT_CASE(poison_is_silent_for_pages_left_alone),
	HT_CASE(warn_alloc_prints_linux_failure_line_and_show_mem),
	HT_CASE(warn_alloc_is_silent_with_gfp_nowarn),
	HT_CASE(warn_alloc_reports_once_per_ten_seconds),
	HT_CASE(format_gfp_flags_names_linux_composites),
	HT_CASE(format_gfp_flags_stays_inside_a_small_buffer),
};

int main(void)
{
	return ht_run(cases, HT_ARRAY_SIZE(cases));
}
