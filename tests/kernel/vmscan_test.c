/* Reclaim as a specification: pages sit on the LRU list their kind says,
 * reclaim frees clean unmapped page-cache pages (mapped ones: suite rmap),
 * an allocation that fits only once the cache is dropped
 * succeeds without the OOM killer, kswapd wakes below low and sleeps
 * above high, and many cycles leak nothing. Read first: the page cache
 * to reclaim is the disk's (tools/mkdisk.py); without a disk the cases
 * skip. The suite runs at 64M, where the sparse file (70 MiB) is larger
 * than RAM: reading it at all needs reclaim. */
#include "kernel/drivers/virtio_blk.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/fs/namespace.h"
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "mm/internal.h"
#include "mm/mm_struct.h"
#include "mm/pgtable.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "tests/kernel/fs_test_helpers.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/reclaim_test_helpers.h"

#define MNT RECLAIM_MNT
#define MAP_BASE 0x10000000ul
#define RECLAIM_CYCLES 1000
#define CYCLE_PAGES 8
#define KSWAPD_WAIT_MS 10000
#define KSWAPD_LAG_MS 60000   /* far longer than the case */
#define EMPTY_SLAB_OBJECTS 64 /* of 512 bytes: several slabs */
#define DMA_RECLAIM_PASSES 4
/* Directory pages of inodes the shrinker may free meanwhile. */
#define DMA_RECLAIM_SLACK 8

static void vmscan_case_exit(struct kunit *test)
{
	(void)test;
	if (virtblk_first_disk())
		do_umount(MNT);
}

static long stat(enum zone_stat_item item)
{
	return global_zone_page_state(item);
}

struct meminfo_find {
	const char *label;
	bool found;
};

static void find_label(void *ctx, const char *line)
{
	struct meminfo_find *m = ctx;

	m->found |= strncmp(line, m->label, strlen(m->label)) == 0;
}

static bool meminfo_has(const char *label)
{
	struct meminfo_find m = {.label = label};

	show_meminfo(find_label, &m);
	return m.found;
}

/* Read once: inactive and referenced; twice: active (mark_page_accessed).
 * Dropped: off the lists. Initramfs pages are unevictable, anonymous
 * pages on the anon lists; meminfo shows every list. */
static void pages_join_the_lru_list_of_their_kind(struct kunit *test)
{
	long inactive, active, unevictable, anon;
	unsigned long activations;
	struct mm_struct *mm;
	struct page *page;
	struct file *f;

	if (!have_disk(test))
		return;
	f = filp_open(BIG_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	invalidate_mapping_pages(f->f_mapping);
	inactive = stat(NR_ZONE_INACTIVE_FILE);
	active = stat(NR_ZONE_ACTIVE_FILE);
	KUNIT_EXPECT_EQ(test, read_file_checked(BIG_PATH, BIG_SEED), BIG_SIZE);
	KUNIT_EXPECT_GE(test, stat(NR_ZONE_INACTIVE_FILE) - inactive, BIG_PAGES);
	page = find_get_page(f->f_mapping, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_TRUE(test,
			  test_page_flag(page, PG_lru) && test_page_flag(page, PG_referenced));
	KUNIT_EXPECT_FALSE(test, test_page_flag(page, PG_active));
	__free_page(page);
	activations = vm_event(PGACTIVATE);
	KUNIT_EXPECT_EQ(test, read_file_checked(BIG_PATH, BIG_SEED), BIG_SIZE);
	KUNIT_EXPECT_GE(test, stat(NR_ZONE_ACTIVE_FILE) - active, BIG_PAGES);
	KUNIT_EXPECT_GE(test, vm_event(PGACTIVATE) - activations, BIG_PAGES);
	KUNIT_EXPECT_EQ(test, invalidate_mapping_pages(f->f_mapping), BIG_PAGES);
	KUNIT_EXPECT_LE(test, stat(NR_ZONE_ACTIVE_FILE), active);
	KUNIT_EXPECT_LE(test, stat(NR_ZONE_INACTIVE_FILE), inactive);
	fput(f);

	if (fixtures_present()) {
		unevictable = stat(NR_ZONE_UNEVICTABLE);
		KUNIT_EXPECT_EQ(test, read_file_checked(PATTERN_PATH, 0), PATTERN_SIZE);
		f = filp_open(PATTERN_PATH, O_RDONLY);
		KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
		KUNIT_EXPECT_GE(test, stat(NR_ZONE_UNEVICTABLE) - unevictable,
				(long)f->f_mapping->nrpages);
		KUNIT_EXPECT_GT(test, f->f_mapping->nrpages, 0);
		fput(f);
	}

	anon = stat(NR_ZONE_INACTIVE_ANON);
	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	mmap_write_lock(mm);
	KUNIT_EXPECT_EQ(test,
			do_mmap_fixed(mm, MAP_BASE, PAGE_SIZE,
				      VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE, NULL, 0),
			(long)MAP_BASE);
	KUNIT_EXPECT_EQ(test,
			handle_mm_fault(vma_lookup(mm, MAP_BASE), MAP_BASE,
					FAULT_FLAG_USER | FAULT_FLAG_WRITE),
			0);
	mmap_write_unlock(mm);
	KUNIT_EXPECT_EQ(test, stat(NR_ZONE_INACTIVE_ANON) - anon, 1);
	mmput(mm);
	KUNIT_EXPECT_EQ(test, stat(NR_ZONE_INACTIVE_ANON), anon);

	KUNIT_EXPECT_TRUE(test, meminfo_has("Active(file):"));
	KUNIT_EXPECT_TRUE(test, meminfo_has("Inactive(file):"));
	KUNIT_EXPECT_TRUE(test, meminfo_has("Active(anon):"));
	KUNIT_EXPECT_TRUE(test, meminfo_has("Inactive(anon):"));
}

/* Direct reclaim takes a file's pages out of the cache and frees them,
 * counting the stall, the scan and the steal; the file reads the same. */
static void direct_reclaim_frees_clean_file_pages_and_counts_them(struct kunit *test)
{
	unsigned long stalls = vm_event(ALLOCSTALL_NORMAL), scanned = vm_event(PGSCAN_DIRECT);
	unsigned long stolen = vm_event(PGSTEAL_DIRECT);
	long cached;
	struct file *f;

	if (!have_disk(test))
		return;
	f = filp_open(BIG_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_EXPECT_EQ(test, read_file_checked(BIG_PATH, BIG_SEED), BIG_SIZE);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, BIG_PAGES);
	cached = stat(NR_FILE_PAGES);
	reclaim_until_empty(f->f_mapping, 1000);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 0);
	KUNIT_EXPECT_GE(test, cached - stat(NR_FILE_PAGES), BIG_PAGES);
	KUNIT_EXPECT_GT(test, vm_event(ALLOCSTALL_NORMAL), stalls);
	KUNIT_EXPECT_GE(test, vm_event(PGSTEAL_DIRECT) - stolen, BIG_PAGES);
	KUNIT_EXPECT_GE(test, vm_event(PGSCAN_DIRECT) - scanned, vm_event(PGSTEAL_DIRECT) - stolen);
	KUNIT_EXPECT_EQ(test, read_file_checked(BIG_PATH, BIG_SEED), BIG_SIZE);
	fput(f);
}

/* The core acceptance: with most of RAM in the page cache, a
 * GFP_KERNEL allocation of more than is free succeeds by reclaim alone:
 * no OOM kill, Cached falls, pgsteal rises. Reading a file larger than
 * RAM already needs reclaim. */
static void an_allocation_that_fits_after_reclaim_never_oom_kills(struct kunit *test)
{
	unsigned long kills = vm_event(OOM_KILL), want;
	unsigned long stolen = vm_event(PGSTEAL_DIRECT) + vm_event(PGSTEAL_KSWAPD);
	struct page_stash stash;
	long cached;

	if (!have_disk(test))
		return;
	KUNIT_EXPECT_GT(test, read_file_checked(SPARSE_PATH, 0),
			(long)(totalram_pages * PAGE_SIZE));
	cached = stat(NR_FILE_PAGES);
	KUNIT_EXPECT_GT(test, cached, (long)totalram_pages / 2);
	want = nr_free_pages() + (unsigned long)cached / 2;
	stash_init(&stash, 0);
	while (stash.blocks < want && stash_alloc(&stash, GFP_KERNEL | __GFP_NOWARN))
		;
	KUNIT_EXPECT_EQ(test, stash.blocks, want);
	KUNIT_EXPECT_EQ(test, vm_event(OOM_KILL), kills);
	KUNIT_EXPECT_LT(test, stat(NR_FILE_PAGES), cached);
	KUNIT_EXPECT_GT(test, vm_event(PGSTEAL_DIRECT) + vm_event(PGSTEAL_KSWAPD), stolen);
	stash_free_all(&stash);
	drop_pagecache();
}

static bool all_zones_above_high(void)
{
	struct zone *zone;

	for_each_populated_zone(zone)
		if (managed_zone(zone) &&
		    zone_page_state(zone, NR_FREE_PAGES) < (long)high_wmark_pages(zone))
			return false;
	return true;
}

/* Filling the cache past RAM takes every zone below low: kswapd wakes
 * and reclaims (pgsteal_kswapd); once the test is quiet it gets every
 * zone above high and goes to sleep, scanning no more. */
static void kswapd_wakes_below_low_and_sleeps_above_high(struct kunit *test)
{
	unsigned long stolen = vm_event(PGSTEAL_KSWAPD), scanned;
	int waited = 0;

	if (!have_disk(test))
		return;
	KUNIT_ASSERT_NOT_NULL(test, NODE_DATA(0)->kswapd);
	KUNIT_EXPECT_GT(test, read_file_checked(SPARSE_PATH, 0),
			(long)(totalram_pages * PAGE_SIZE));
	while (!all_zones_above_high() && waited < KSWAPD_WAIT_MS) {
		msleep(10);
		waited += 10;
	}
	KUNIT_EXPECT_TRUE(test, all_zones_above_high());
	KUNIT_EXPECT_GT(test, vm_event(PGSTEAL_KSWAPD), stolen);
	msleep(300); /* past its HZ/10 nap: asleep for good */
	scanned = vm_event(PGSCAN_KSWAPD);
	msleep(300);
	KUNIT_EXPECT_EQ(test, vm_event(PGSCAN_KSWAPD), scanned);
	drop_pagecache();
}

/* Polls until kswapd has every zone above high: false after the wait. */
static bool wait_all_zones_above_high(void)
{
	for (int waited = 0; !all_zones_above_high() && waited < KSWAPD_WAIT_MS; waited += 10)
		msleep(10);
	return all_zones_above_high();
}

/* vmscan.kswapd_delay_ms, lab reclaim's knob: a kswapd that lags once
 * woken steals nothing while a read larger than RAM goes on, so the
 * reader reclaims for itself; lowering the delay ends the wait under way
 * and kswapd catches up. */
static void a_lagging_kswapd_leaves_reclaim_to_the_allocator_until_it_catches_up(struct kunit *test)
{
	unsigned long by_kswapd, direct;

	if (!have_disk(test))
		return;
	KUNIT_ASSERT_TRUE(test, wait_all_zones_above_high());
	msleep(300); /* past kswapd's HZ/10 nap: asleep, no pass under way */
	by_kswapd = vm_event(PGSTEAL_KSWAPD);
	direct = vm_event(PGSTEAL_DIRECT);
	__atomic_store_n(&kswapd_delay_ms, KSWAPD_LAG_MS, __ATOMIC_RELAXED);
	KUNIT_EXPECT_GT(test, read_file_checked(SPARSE_PATH, 0),
			(long)(totalram_pages * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, vm_event(PGSTEAL_KSWAPD), by_kswapd);
	KUNIT_EXPECT_GT(test, vm_event(PGSTEAL_DIRECT), direct);
	__atomic_store_n(&kswapd_delay_ms, 0, __ATOMIC_RELAXED);
	KUNIT_EXPECT_TRUE(test, wait_all_zones_above_high());
	KUNIT_EXPECT_GT(test, vm_event(PGSTEAL_KSWAPD), by_kswapd);
	drop_pagecache();
}

static bool zoneinfo_has(const char *label)
{
	struct meminfo_find m = {.label = label};

	show_zoneinfo(find_label, &m);
	return m.found;
}

/* After MAX_RECLAIM_RETRIES fruitless passes kswapd gives up on the node
 * and zoneinfo says node_unreclaimable 1 (lab reclaim reads it); the
 * first reclaim that frees a page, direct here, revives kswapd. */
static void a_node_kswapd_gave_up_on_is_unreclaimable_until_reclaim_frees_a_page(struct kunit *test)
{
	struct pglist_data *pgdat = NODE_DATA(0);

	if (!have_disk(test))
		return;
	KUNIT_EXPECT_EQ(test, read_file_checked(BIG_PATH, BIG_SEED), BIG_SIZE);
	__atomic_store_n(&pgdat->kswapd_failures, MAX_RECLAIM_RETRIES, __ATOMIC_RELAXED);
	KUNIT_EXPECT_TRUE(test, zoneinfo_has("  node_unreclaimable:  1"));
	KUNIT_EXPECT_GT(test, try_to_free_pages(GFP_KERNEL, 0, ZONE_NORMAL), 0);
	KUNIT_EXPECT_TRUE(test, zoneinfo_has("  node_unreclaimable:  0"));
	__atomic_store_n(&pgdat->kswapd_failures, 0, __ATOMIC_RELAXED);
	drop_pagecache();
}

static long zone_file_pages(enum zone_type z)
{
	const struct zone *zone = &contig_page_data.node_zones[z];

	return zone_page_state(zone, NR_ZONE_INACTIVE_FILE) +
	       zone_page_state(zone, NR_ZONE_ACTIVE_FILE);
}

/* Reclaim for a caller that can only use ZONE_DMA frees DMA pages only:
 * pages of higher zones would not help it (Linux's reclaim_idx). The
 * file stays open so the inode shrinker leaves its pages alone. */
static void reclaim_for_a_dma_caller_frees_only_dma_zone_pages(struct kunit *test)
{
	unsigned long stolen = vm_event(PGSTEAL_DIRECT);
	long dma, dma32;
	struct file *f;
	int waited = 0;

	if (!have_disk(test))
		return;
	drop_pagecache();
	f = filp_open(SPARSE_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_EXPECT_GT(test, read_file_checked(SPARSE_PATH, 0),
			(long)(totalram_pages * PAGE_SIZE));
	while (!all_zones_above_high() && waited < KSWAPD_WAIT_MS) {
		msleep(10); /* kswapd quiet: only our reclaim runs */
		waited += 10;
	}
	dma = zone_file_pages(ZONE_DMA);
	dma32 = zone_file_pages(ZONE_DMA32);
	KUNIT_ASSERT_GT(test, dma, (long)(DMA_RECLAIM_PASSES * SWAP_CLUSTER_MAX));
	for (int i = 0; i < DMA_RECLAIM_PASSES; i++)
		try_to_free_pages(GFP_KERNEL | __GFP_DMA, 0, ZONE_DMA);
	KUNIT_EXPECT_GE(test, vm_event(PGSTEAL_DIRECT) - stolen, SWAP_CLUSTER_MAX);
	KUNIT_EXPECT_LE(test, zone_file_pages(ZONE_DMA),
			dma - (long)(vm_event(PGSTEAL_DIRECT) - stolen) + DMA_RECLAIM_SLACK);
	KUNIT_EXPECT_GE(test, zone_file_pages(ZONE_DMA32), dma32 - DMA_RECLAIM_SLACK);
	fput(f);
	drop_pagecache();
}

/* Everything a cycle may leave behind, handed back: the page cache, empty
 * slabs (drop_slab's way), the per-CPU lists. */
static void settle(void)
{
	drop_pagecache();
	while (shrink_slab(GFP_KERNEL, 0) > 0)
		;
	drain_all_pages(NULL);
}

struct mem_baseline {
	long free, file_lru, cached, slab;
};

static struct mem_baseline mem_baseline(void)
{
	return (struct mem_baseline){
		.free = (long)nr_free_pages(),
		.file_lru = stat(NR_ZONE_INACTIVE_FILE) + stat(NR_ZONE_ACTIVE_FILE),
		.cached = stat(NR_FILE_PAGES),
		.slab = stat(NR_SLAB_RECLAIMABLE) + stat(NR_SLAB_UNRECLAIMABLE),
	};
}

/* Read the first pages of an open file, reclaim them, a thousand times:
 * free pages, the file LRU, the page cache and slab come back exactly to
 * where they were. The file stays open: no lookup allocates meanwhile. */
static void reclaim_cycles_leak_nothing(struct kunit *test)
{
	char *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	struct mem_baseline before, after;
	struct file *f;

	if (!have_disk(test))
		return;
	KUNIT_ASSERT_NOT_NULL(test, buf);
	f = filp_open(BIG_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	for (int i = 0; i <= RECLAIM_CYCLES; i++) {
		loff_t pos = 0;

		for (int p = 0; p < CYCLE_PAGES; p++)
			KUNIT_ASSERT_EQ(test, kernel_read(f, buf, PAGE_SIZE, &pos), PAGE_SIZE);
		KUNIT_ASSERT_EQ(test, f->f_mapping->nrpages, CYCLE_PAGES);
		reclaim_until_empty(f->f_mapping, 1000);
		KUNIT_ASSERT_EQ(test, f->f_mapping->nrpages, 0);
		if (i == 0) { /* the first cycle sized the mapping's slots */
			settle();
			before = mem_baseline();
		}
	}
	settle();
	after = mem_baseline();
	KUNIT_EXPECT_EQ(test, after.file_lru, before.file_lru);
	KUNIT_EXPECT_EQ(test, after.cached, before.cached);
	KUNIT_EXPECT_EQ(test, after.slab, before.slab);
	KUNIT_EXPECT_EQ(test, after.free, before.free);
	fput(f);
	kfree(buf);
}

/* Pages reclaim evicted leave shadows: reading them again counts as
 * refaults (so do the directory pages the lookup reads again),
 * and one evicted moments ago (a shorter refault distance than
 * the active list is long) comes back active. Pages dropped by
 * invalidation leave no shadow and are not refaults. */
static void evicted_pages_refault_and_recent_ones_come_back_active(struct kunit *test)
{
	unsigned long refaults, activations;
	struct file *f;

	if (!have_disk(test))
		return;
	f = filp_open(BIG_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	invalidate_mapping_pages(f->f_mapping);
	KUNIT_EXPECT_EQ(test, read_file_checked(BIG_PATH, BIG_SEED), BIG_SIZE);
	reclaim_until_empty(f->f_mapping, 1000);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 0);
	refaults = vm_event(WORKINGSET_REFAULT_FILE);
	activations = vm_event(WORKINGSET_ACTIVATE_FILE);
	KUNIT_EXPECT_EQ(test, read_file_checked(BIG_PATH, BIG_SEED), BIG_SIZE);
	KUNIT_EXPECT_GE(test, vm_event(WORKINGSET_REFAULT_FILE) - refaults, BIG_PAGES);
	KUNIT_EXPECT_GE(test, vm_event(WORKINGSET_ACTIVATE_FILE) - activations, 1);
	KUNIT_EXPECT_EQ(test, invalidate_mapping_pages(f->f_mapping), BIG_PAGES);
	refaults = vm_event(WORKINGSET_REFAULT_FILE);
	KUNIT_EXPECT_EQ(test, read_file_checked(BIG_PATH, BIG_SEED), BIG_SIZE);
	KUNIT_EXPECT_EQ(test, vm_event(WORKINGSET_REFAULT_FILE), refaults);
	fput(f);
}

/* A cache of 1000 objects that frees what it is asked to. */
struct test_cache {
	struct shrinker shrinker;
	unsigned long objects, counts, scans;
};

static unsigned long test_cache_count(struct shrinker *s, struct shrink_control *sc)
{
	struct test_cache *c = container_of(s, struct test_cache, shrinker);

	(void)sc;
	c->counts++;
	return c->objects ? c->objects : SHRINK_EMPTY;
}

static unsigned long test_cache_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct test_cache *c = container_of(s, struct test_cache, shrinker);
	unsigned long n = sc->nr_to_scan < c->objects ? sc->nr_to_scan : c->objects;

	c->scans++;
	c->objects -= n;
	return n;
}

/* Reclaim asks shrinkers for a share that grows as priority falls: a
 * sliver at DEF_PRIORITY, everything at 0; direct reclaim calls them.
 * Every cache's empty slabs are one; the ext2 inode cache another: an
 * inode nobody uses is freed with its page cache, and read again on the
 * next open. */
static void shrinkers_are_called_and_free_objects(struct kunit *test)
{
	struct test_cache c = {.shrinker = {.count_objects = test_cache_count,
					    .scan_objects = test_cache_scan,
					    .seeks = DEFAULT_SEEKS,
					    .name = "test"},
			       .objects = 1000};
	void *objects[EMPTY_SLAB_OBJECTS];
	struct kmem_cache *empty;
	long cached;

	register_shrinker(&c.shrinker);
	shrink_slab(GFP_KERNEL, DEF_PRIORITY);
	KUNIT_EXPECT_GT(test, c.counts, 0);
	KUNIT_EXPECT_EQ(test, c.objects, 1000); /* 1000 >> 12 is nothing */
	shrink_slab(GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, c.objects, 0);
	c.counts = 0;
	try_to_free_pages(GFP_KERNEL, 0, ZONE_NORMAL);
	KUNIT_EXPECT_GT(test, c.counts, 0);
	unregister_shrinker(&c.shrinker);
	c.counts = 0;
	shrink_slab(GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, c.counts, 0);

	/* Every cache's empty slabs go back to the page allocator. */
	empty = kmem_cache_create("vmscan_test", 512, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, empty);
	for (int i = 0; i < EMPTY_SLAB_OBJECTS; i++)
		objects[i] = kmem_cache_alloc(empty, GFP_KERNEL);
	for (int i = 0; i < EMPTY_SLAB_OBJECTS; i++)
		kmem_cache_free(empty, objects[i]);
	KUNIT_EXPECT_GT(test, empty->nr_slabs[SLABS_FREE], 0);
	shrink_slab(GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, empty->nr_slabs[SLABS_FREE], 0);
	kmem_cache_destroy(empty);

	if (!have_disk(test))
		return;
	KUNIT_EXPECT_EQ(test, read_file_checked(BIG_PATH, BIG_SEED), BIG_SIZE);
	cached = stat(NR_FILE_PAGES);
	KUNIT_EXPECT_GE(test, shrink_slab(GFP_KERNEL, 0), 1);
	KUNIT_EXPECT_GE(test, cached - stat(NR_FILE_PAGES), BIG_PAGES);
	KUNIT_EXPECT_EQ(test, read_file_checked(BIG_PATH, BIG_SEED), BIG_SIZE);
}

static struct kunit_case vmscan_cases[] = {
	KUNIT_CASE(pages_join_the_lru_list_of_their_kind),
	KUNIT_CASE(direct_reclaim_frees_clean_file_pages_and_counts_them),
	KUNIT_CASE(an_allocation_that_fits_after_reclaim_never_oom_kills),
	KUNIT_CASE(kswapd_wakes_below_low_and_sleeps_above_high),
	KUNIT_CASE(a_lagging_kswapd_leaves_reclaim_to_the_allocator_until_it_catches_up),
	KUNIT_CASE(a_node_kswapd_gave_up_on_is_unreclaimable_until_reclaim_frees_a_page),
	KUNIT_CASE(reclaim_for_a_dma_caller_frees_only_dma_zone_pages),
	KUNIT_CASE(reclaim_cycles_leak_nothing),
	KUNIT_CASE(shrinkers_are_called_and_free_objects),
	KUNIT_CASE(evicted_pages_refault_and_recent_ones_come_back_active),
	{}};

static struct kunit_suite vmscan_suite = {
	.name = "vmscan",
	.test_cases = vmscan_cases,
	.init = reclaim_mount_disk,
	.exit = vmscan_case_exit,
	.ram_sizes = "64M",
	/* kswapd, direct reclaim and the rmap walk race with faults. */
	.preempt_stress = true,
};
kunit_test_suite(vmscan_suite);
