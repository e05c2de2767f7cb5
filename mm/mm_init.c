/* From memblock to a running page allocator: mem_map, the zones, and every
 * free page handed to the buddy lists (Linux's free_area_init and
 * memblock_free_all). Read first: it runs once at boot, after the direct
 * map covers all RAM, and needs only memblock, so the host tests run it
 * on a synthetic memory map. */
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/internal.h"
#include "mm/memblock.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)

static const char *const zone_names[MAX_NR_ZONES] = {"DMA", "DMA32", "Normal"};
static const unsigned long zone_limit_pfn[MAX_NR_ZONES] = {ZONE_DMA_END_PFN, ZONE_DMA32_END_PFN,
							   ~0ul};

static unsigned long clamp_pfn(unsigned long pfn, unsigned long lo, unsigned long hi)
{
	return pfn < lo ? lo : pfn > hi ? hi : pfn;
}

static void zone_pfn_range(int z, unsigned long *start, unsigned long *end)
{
	unsigned long lo = z ? zone_limit_pfn[z - 1] : 0;

	*start = clamp_pfn(lo, min_low_pfn, max_pfn);
	*end = clamp_pfn(zone_limit_pfn[z], min_low_pfn, max_pfn);
}

struct present_count {
	unsigned long start, end, pages;
};

static void count_present(uint64_t start, uint64_t end, void *ctx)
{
	struct present_count *c = ctx;
	unsigned long s = clamp_pfn(PFN_UP(start), c->start, c->end);
	unsigned long e = clamp_pfn(PFN_DOWN(end), c->start, c->end);

	c->pages += e > s ? e - s : 0;
}

static void print_node_range(uint64_t start, uint64_t end, void *ctx)
{
	(void)ctx;
	pr_info("  node   0: [mem 0x%016llx-0x%016llx]", (unsigned long long)start,
		(unsigned long long)end - 1);
}

static void alloc_node_mem_map(void)
{
	uint64_t size = (uint64_t)max_pfn * sizeof(struct page);
	uint64_t phys = memblock_phys_alloc_range(size, PAGE_SIZE, 0, direct_map_end());

	if (!phys)
		panic("mem_map: no room for %lu struct pages (%llu KiB)", max_pfn,
		      (unsigned long long)(size >> 10));
	mem_map = __va(phys);
}

static void init_zone(struct zone *zone, int z)
{
	struct present_count c = {0};

	memset(zone, 0, sizeof(*zone));
	zone->name = zone_names[z];
	zone_pfn_range(z, &c.start, &c.end);
	zone->zone_start_pfn = c.start;
	zone->spanned_pages = c.end - c.start;
	memblock_for_each_memory_range(count_present, &c);
	zone->present_pages = c.pages;
	spin_lock_init(&zone->lock);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		INIT_LIST_HEAD(&zone->free_area[o].free_list);
	INIT_LIST_HEAD(&zone->pcp.list);
}

/* Every struct page starts reserved with one reference, as Linux's
 * init_single_page; memblock_free_all then releases the free ones. */
static void init_pages(void)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &contig_page_data.node_zones[z];

		for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++) {
			struct page *page = pfn_to_page(pfn);

			memset(page, 0, sizeof(*page));
			set_page_zone(page, (enum zone_type)z);
			set_page_flag(page, PG_reserved);
			init_page_count(page);
			page_mapcount_reset(page);
			INIT_LIST_HEAD(&page->lru);
		}
	}
	/* pfns below the first zone's start (the first page) too. */
	for (unsigned long pfn = 0; pfn < min_low_pfn; pfn++) {
		memset(pfn_to_page(pfn), 0, sizeof(struct page));
		set_page_flag(pfn_to_page(pfn), PG_reserved);
	}
}

static void print_zone_ranges(void)
{
	pr_info("Zone ranges:");
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &contig_page_data.node_zones[z];

		if (!zone->spanned_pages)
			pr_info("  %-8s empty", zone_names[z]);
		else
			pr_info("  %-8s [mem 0x%016llx-0x%016llx]", zone_names[z],
				(unsigned long long)zone->zone_start_pfn << PAGE_SHIFT,
				((unsigned long long)zone_end_pfn(zone) << PAGE_SHIFT) - 1);
	}
	pr_info("Early memory node ranges");
	memblock_for_each_memory_range(print_node_range, NULL);
	pr_info("Initmem setup node 0 [mem 0x%016llx-0x%016llx]",
		(unsigned long long)min_low_pfn << PAGE_SHIFT,
		((unsigned long long)max_pfn << PAGE_SHIFT) - 1);
}

static void free_area_init(void)
{
	struct pglist_data *pgdat = NODE_DATA(0);

	min_low_pfn = PFN_UP(memblock_start_of_DRAM());
	max_pfn = PFN_DOWN(memblock_end_of_DRAM());
	alloc_node_mem_map();
	pgdat->node_id = 0;
	pgdat->node_start_pfn = min_low_pfn;
	pgdat->node_spanned_pages = max_pfn - min_low_pfn;
	pgdat->node_present_pages = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		init_zone(&pgdat->node_zones[z], z);
		pgdat->node_present_pages += pgdat->node_zones[z].present_pages;
	}
	init_pages();
	print_zone_ranges();
}

/* Hand one boot-time block to the buddy lists (Linux's __free_pages_core). */
static void __free_pages_core(struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(page);
	unsigned long n = 1ul << order;
	uint64_t flags;

	for (unsigned long i = 0; i < n; i++) {
		clear_page_flag(page + i, PG_reserved);
		set_page_count(page + i, 0);
	}
	zone->managed_pages += n;
	totalram_pages += n;
	kernel_poison_pages(page, order);
	spin_lock_irqsave(&zone->lock, flags);
	__free_one_page(page, page_to_pfn(page), zone, order);
	spin_unlock_irqrestore(&zone->lock, flags);
}

/* Largest naturally aligned blocks first: a 4 MiB-aligned range goes in as
 * order-10 blocks, which never straddle a zone boundary (16 MiB, 4 GiB). */
static void free_range_to_buddy(uint64_t start, uint64_t end, void *ctx)
{
	unsigned long pfn = PFN_UP(start), end_pfn = PFN_DOWN(end);

	(void)ctx;
	if (end_pfn > max_pfn)
		end_pfn = max_pfn;
	while (pfn < end_pfn) {
		unsigned int order = MAX_PAGE_ORDER;

		while (order && ((pfn & ((1ul << order) - 1)) || pfn + (1ul << order) > end_pfn))
			order--;
		__free_pages_core(pfn_to_page(pfn), order);
		pfn += 1ul << order;
	}
}

static void print_zone_summary(const struct zone *zone)
{
	pr_info("On node 0, zone %s: %lu pages managed, watermarks min:%lu low:%lu high:%lu, "
		"lowmem_reserve[]: %ld %ld %ld, pcp batch:%d high:%d",
		zone->name, zone->managed_pages, min_wmark_pages(zone), low_wmark_pages(zone),
		high_wmark_pages(zone), zone->lowmem_reserve[0], zone->lowmem_reserve[1],
		zone->lowmem_reserve[2], zone->pcp.batch, zone->pcp.high);
}

void mm_core_init(void)
{
	struct zone *zone;

	totalram_pages = 0;
	memset(vm_zone_stat, 0, sizeof(vm_zone_stat));
	memset(vm_event_states, 0, sizeof(vm_event_states));
	free_area_init();
	lruvec_init(&contig_page_data.__lruvec);
	memblock_for_each_free_range(free_range_to_buddy, NULL);
	init_per_zone_wmark_min();
	pr_info("min_free_kbytes: %ld, watermark_scale_factor: %ld", min_free_kbytes,
		watermark_scale_factor);
	for_each_zone(zone) {
		pcp_setup(zone);
		if (populated_zone(zone))
			print_zone_summary(zone);
	}
}

struct free_area_snapshot boot_free_areas;

void snapshot_free_areas(struct free_area_snapshot *snap)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &contig_page_data.node_zones[z];

		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			snap->nr_free[z][o] = zone->free_area[o].nr_free;
		snap->free_pages[z] = zone_page_state(zone, NR_FREE_PAGES);
	}
}

bool free_areas_equal(const struct free_area_snapshot *a, const struct free_area_snapshot *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* The pcp lists are drained first: their pages are not on the free lists. */
void record_boot_free_areas(void)
{
	drain_all_pages(NULL);
	snapshot_free_areas(&boot_free_areas);
}
