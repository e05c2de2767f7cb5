/* Shared tools for the reclaim suites (see the header). */
#include "tests/kernel/reclaim_test_helpers.h"
#include "kernel/drivers/virtio_blk.h"
#include "kernel/fs/namespace.h"
#include "kernel/timer.h"
#include "kernel/trace/trace.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "tests/kernel/mm_test_helpers.h"

bool have_disk(struct kunit *test)
{
	if (virtblk_first_disk())
		return true;
	kunit_mark_skipped(test, "no virtio disk attached");
	return false;
}

int reclaim_mount_disk(struct kunit *test)
{
	long err = virtblk_first_disk() ? do_mount("/dev/vda", RECLAIM_MNT, "ext2", MS_RDONLY) : 0;

	if (err)
		kunit_log(test, "mount /dev/vda on " RECLAIM_MNT ": error %ld", err);
	return (int)err;
}

void reclaim_umount_disk(struct kunit *test)
{
	(void)test;
	if (virtblk_first_disk()) {
		drop_pagecache();
		do_umount(RECLAIM_MNT);
	}
}

unsigned long vm_event(enum vm_event_item item)
{
	return __atomic_load_n(&vm_event_states[item], __ATOMIC_RELAXED);
}

uint8_t pattern_next(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return (uint8_t)*x;
}

static long read_some(const char *path, unsigned long pages, uint32_t seed)
{
	struct file *f = filp_open(path, O_RDONLY);
	char *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	long total = 0;
	loff_t pos = 0;
	bool bad = false;

	if (IS_ERR(f) || !buf) {
		kfree(buf);
		return IS_ERR(f) ? PTR_ERR(f) : -ENOMEM;
	}
	for (unsigned long i = 0; i < pages; i++) {
		ssize_t n = kernel_read(f, buf, PAGE_SIZE, &pos);

		if (n <= 0) {
			total = n < 0 ? n : total;
			break;
		}
		for (ssize_t b = 0; seed && b < n; b++)
			bad |= (uint8_t)buf[b] != pattern_next(&seed);
		total += n;
	}
	kfree(buf);
	fput(f);
	return bad ? -EIO : total;
}

long read_pages(const char *path, unsigned long pages)
{
	return read_some(path, pages, 0);
}

long read_file_checked(const char *path, uint32_t seed)
{
	return read_some(path, ~0ul, seed);
}

void reclaim_until_empty(struct address_space *mapping, int tries)
{
	while (mapping->nrpages && tries-- > 0)
		try_to_free_pages(GFP_KERNEL, 0, ZONE_NORMAL);
}

void take_zone_below_high(struct zone *zone, struct page_stash *stash)
{
	long target = (long)(low_wmark_pages(zone) + high_wmark_pages(zone)) / 2;

	while (zone_page_state(zone, NR_FREE_PAGES) > target &&
	       stash_alloc(stash, GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY))
		;
}

void kswapd_sleep_watch(void)
{
	trace_event_enable(TRACE_MM_VMSCAN_KSWAPD_SLEEP, true);
	tracing_reset();
}

bool wait_for_kswapd_sleep(void)
{
	for (int waited = 0; !trace_entries_written() && waited < KSWAPD_SLEEP_WAIT_MS;
	     waited += 10)
		msleep(10);
	trace_event_enable(TRACE_MM_VMSCAN_KSWAPD_SLEEP, false);
	return trace_entries_written() > 0;
}

bool kswapd_settle(struct zone *zone)
{
	struct page_stash stash;
	bool asleep;

	stash_init(&stash, 0);
	kswapd_sleep_watch();
	take_zone_below_high(zone, &stash);
	wakeup_kswapd(zone, GFP_KERNEL, 0, zone_idx(zone));
	asleep = wait_for_kswapd_sleep();
	stash_free_all(&stash);
	return asleep;
}
