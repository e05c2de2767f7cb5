/* kswapd works toward the watermarks as they are now: a run-time write of
 * vm.watermark_scale_factor leaves the node below its new high mark, and
 * the kswapd woken for it reclaims page cache until it is balanced again.
 * Read first: the page cache is the disk's sparse file, larger than the
 * 64M guest; without a disk the case skips. */
#include "kernel/drivers/virtio_blk.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/namespace.h"
#include "kernel/ktest.h"
#include "kernel/timer.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "tests/kernel/reclaim_test_helpers.h"

#define MNT "/mnt"
#define RAISED_SCALE_FACTOR 1000 /* high = min + a fifth of each zone */
#define KSWAPD_WAIT_MS 10000

static int kswapd_wmark_init(struct kunit *test)
{
	long err = virtblk_first_disk() ? do_mount("/dev/vda", MNT, "ext2", MS_RDONLY) : 0;

	if (err)
		kunit_log(test, "mount /dev/vda on " MNT ": error %ld", err);
	return (int)err;
}

static void kswapd_wmark_exit(struct kunit *test)
{
	(void)test;
	if (virtblk_first_disk())
		do_umount(MNT);
}

static unsigned long kswapd_stolen(void)
{
	return __atomic_load_n(&vm_event_states[PGSTEAL_KSWAPD], __ATOMIC_RELAXED);
}

/* Read the whole file into the page cache: the bytes read or -errno. */
static long cache_file(const char *path)
{
	struct file *f = filp_open(path, O_RDONLY);
	char *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	long total = 0;
	loff_t pos = 0;
	ssize_t n;

	if (!IS_ERR(f) && buf)
		while ((n = kernel_read(f, buf, PAGE_SIZE, &pos)) > 0)
			total += n;
	kfree(buf);
	if (IS_ERR(f))
		return PTR_ERR(f);
	fput(f);
	return total;
}

static bool node_balanced(void)
{
	struct zone *zone;

	for_each_populated_zone(zone)
		if (managed_zone(zone) &&
		    !zone_watermark_ok(zone, 0, high_wmark_pages(zone), zone_idx(zone), 0))
			return false;
	return true;
}

static void wait_balanced(void)
{
	for (int waited = 0; !node_balanced() && waited < KSWAPD_WAIT_MS; waited += 10)
		msleep(10);
}

static void kswapd_reclaims_toward_marks_raised_at_run_time(struct kunit *test)
{
	struct zone *dma32 = &contig_page_data.node_zones[ZONE_DMA32];
	long old = watermark_scale_factor;
	unsigned long stolen;
	int waited = 0;

	if (!have_disk(test))
		return;
	KUNIT_ASSERT_GT(test, cache_file(SPARSE_PATH), (long)(totalram_pages * PAGE_SIZE));
	/* kswapd balanced and asleep for good: it steals nothing more. */
	KUNIT_ASSERT_TRUE(test, kswapd_settle(dma32));
	wait_balanced();
	KUNIT_ASSERT_TRUE(test, node_balanced());
	stolen = kswapd_stolen();
	KUNIT_ASSERT_EQ(test, set_watermark_scale_factor(RAISED_SCALE_FACTOR), 0);
	KUNIT_EXPECT_FALSE(test,
			   zone_watermark_ok(dma32, 0, high_wmark_pages(dma32), ZONE_DMA32, 0));
	wakeup_kswapd(dma32, GFP_KERNEL, 0, ZONE_DMA32); /* as the slow path does */
	while (kswapd_stolen() == stolen && waited < KSWAPD_WAIT_MS) {
		msleep(10);
		waited += 10;
	}
	KUNIT_EXPECT_GT(test, kswapd_stolen(), stolen);
	KUNIT_EXPECT_EQ(test, set_watermark_scale_factor(old), 0);
	wait_balanced();
	drop_pagecache();
}

static struct kunit_case kswapd_wmark_cases[] = {
	KUNIT_CASE(kswapd_reclaims_toward_marks_raised_at_run_time), {}};

static struct kunit_suite kswapd_wmark_suite = {
	.name = "kswapd_wmark",
	.test_cases = kswapd_wmark_cases,
	.init = kswapd_wmark_init,
	.exit = kswapd_wmark_exit,
	.ram_sizes = "64M",
};
kunit_test_suite(kswapd_wmark_suite);
