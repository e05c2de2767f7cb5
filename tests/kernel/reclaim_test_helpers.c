/* Shared tools for the reclaim suites (see the header). */
#include "tests/kernel/reclaim_test_helpers.h"
#include "kernel/drivers/virtio_blk.h"
#include "kernel/fs/namespace.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/swap.h"

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
