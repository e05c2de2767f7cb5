/* The OOM killer comes after reclaim, as Linux's: with plenty of page
 * cache, GFP_KERNEL allocations that need more than is free take it from
 * the cache, and only the one that finds nothing left to reclaim kills.
 * Read first: an OOM notifier (called by out_of_memory before it picks a
 * victim) records how much page cache was left at that moment; the
 * allocations wake no one else's reclaim but their own and kswapd's. */
#include "kernel/drivers/virtio_blk.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/namespace.h"
#include "kernel/ktest.h"
#include "kernel/notifier.h"
#include "mm/internal.h"
#include "mm/oom.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/oom_test_helpers.h"
#include "tests/kernel/reclaim_test_helpers.h"

#define CACHE_PAGES 4096ul /* 16 MiB of a 64 MiB machine */
#define VICTIM_PAGES 512
/* Left on the file LRU when the killer runs: pages reclaim held at that
 * moment (a batch isolated, a read in flight), never the cache itself. */
#define LEFT_AT_KILL SWAP_CLUSTER_MAX

static struct oom_switches saved;

static int reclaim_oom_init(struct kunit *test)
{
	oom_switches_save(&saved);
	return reclaim_mount_disk(test);
}

static void reclaim_oom_exit(struct kunit *test)
{
	oom_switches_restore(&saved);
	reclaim_umount_disk(test);
}

static long file_lru(void)
{
	return global_zone_page_state(NR_ZONE_INACTIVE_FILE) +
	       global_zone_page_state(NR_ZONE_ACTIVE_FILE);
}

static long file_lru_at_oom = -1;

static int record_file_lru(struct notifier_block *nb, unsigned long action, void *freed)
{
	(void)nb;
	(void)action;
	(void)freed;
	if (file_lru_at_oom < 0)
		file_lru_at_oom = file_lru();
	return NOTIFY_OK;
}

static struct notifier_block oom_recorder = {.notifier_call = record_file_lru};

/* Allocate page after page with GFP_KERNEL: the cache goes first; the
 * kill comes only once it is gone, and then the allocation succeeds. */
static void the_oom_killer_runs_only_once_reclaim_has_nothing_left(struct kunit *test)
{
	struct oom_victim v = {.name = "victim", .pages = VICTIM_PAGES};
	unsigned long kills = vm_event_states[OOM_KILL], pages_before_kill;
	unsigned long stolen = vm_event_states[PGSTEAL_DIRECT] + vm_event_states[PGSTEAL_KSWAPD];
	struct page_stash stash;
	long cached;

	if (!have_disk(test))
		return;
	oom_reaper_enabled = false;
	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	KUNIT_ASSERT_EQ(test, read_pages(CACHE40_PATH, CACHE_PAGES),
			(long)(CACHE_PAGES * PAGE_SIZE));
	cached = file_lru();
	KUNIT_ASSERT_GE(test, cached, (long)CACHE_PAGES);
	file_lru_at_oom = -1;
	register_oom_notifier(&oom_recorder);
	stash_init(&stash, 0);
	pages_before_kill = nr_free_pages() + (unsigned long)cached - LEFT_AT_KILL;
	quietly_begin();
	while (vm_event_states[OOM_KILL] == kills && stash.blocks <= totalram_pages &&
	       stash_alloc(&stash, GFP_KERNEL))
		;
	quietly_end();
	unregister_oom_notifier(&oom_recorder);
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills + 1);
	KUNIT_EXPECT_TRUE(test, victim_killed(&v));
	/* Every page of the cache was taken before the kill. */
	KUNIT_EXPECT_GE(test, file_lru_at_oom, 0);
	KUNIT_EXPECT_LE(test, file_lru_at_oom, LEFT_AT_KILL);
	KUNIT_EXPECT_GE(test, stash.blocks, pages_before_kill - VICTIM_PAGES);
	/* Through reclaim's LRU scans (the inode shrinker drops the rest). */
	KUNIT_EXPECT_GT(test, vm_event_states[PGSTEAL_DIRECT] + vm_event_states[PGSTEAL_KSWAPD],
			stolen);
	stash_free_all(&stash);
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
}

static struct kunit_case reclaim_oom_cases[] = {
	KUNIT_CASE(the_oom_killer_runs_only_once_reclaim_has_nothing_left), {}};

static struct kunit_suite reclaim_oom_suite = {
	.name = "reclaim_oom",
	.test_cases = reclaim_oom_cases,
	.init = reclaim_oom_init,
	.exit = reclaim_oom_exit,
	.ram_sizes = "64M",
};
kunit_test_suite(reclaim_oom_suite);
