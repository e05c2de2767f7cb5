/* PCI discovery and the virtio block driver as a specification: the disk
 * QEMU attaches (-drive if=virtio, build/disk.img, the ext2 image) is found
 * on the PCI bus, its sectors read through interrupts, every request
 * counted in /proc/diskstats, and a request the device fails reported as
 * Linux does. Read first: without a disk every case skips. */
#include "kernel/block/blkdev.h"
#include "kernel/completion.h"
#include "kernel/drivers/pci.h"
#include "kernel/drivers/virtio_blk.h"
#include "kernel/drivers/virtio_pci.h"
#include "kernel/ktest.h"
#include "kernel/paging.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "tests/kernel/fs_test_helpers.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/report_test_helpers.h"

#define EXT2_SUPER_OFFSET 1024 /* bytes: the superblock follows the boot block */
#define EXT2_MAGIC_OFFSET 56
#define EXT2_SUPER_MAGIC 0xef53
#define MANY_READS 200		     /* far more requests than the ring holds at once */
#define DISK_SECTORS (64 * 1024 * 2) /* tools/mkdisk.py IMAGE_KIB: 64 MiB */

static struct gendisk *disk_or_skip(struct kunit *test)
{
	struct gendisk *disk = virtblk_first_disk();

	if (!disk)
		kunit_mark_skipped(test, "no virtio disk attached");
	return disk;
}

static void pci_scan_finds_the_virtio_block_device(struct kunit *test)
{
	struct pci_dev *dev, *found = NULL;

	if (!disk_or_skip(test))
		return;
	list_for_each_entry(dev, &pci_devices, node)
		if (dev->vendor == PCI_VENDOR_ID_REDHAT_QUMRANET &&
		    dev->device == VIRTIO_PCI_LEGACY_BLK_DEVICE)
			found = dev;
	KUNIT_ASSERT_NOT_NULL(test, found);
	KUNIT_EXPECT_EQ(test, found->class >> 8, 0x0100); /* mass storage, SCSI */
	KUNIT_EXPECT_TRUE(test, found->bar_is_io[0]);
	KUNIT_EXPECT_NE(test, found->bar[0], 0);
	KUNIT_EXPECT_LT(test, found->irq, 16);
	KUNIT_EXPECT_TRUE(test, found->driver_data != NULL);
	/* The host bridge is always device 0 of bus 0. */
	dev = list_first_entry(&pci_devices, struct pci_dev, node);
	KUNIT_EXPECT_EQ(test, dev->bus, 0);
	KUNIT_EXPECT_EQ(test, dev->devfn, 0);
}

static void the_disk_is_vda_with_the_image_size(struct kunit *test)
{
	struct gendisk *disk = disk_or_skip(test);

	if (!disk)
		return;
	KUNIT_EXPECT_STREQ(test, disk->disk_name, "vda");
	KUNIT_EXPECT_EQ(test, disk->major, VIRTBLK_MAJOR);
	KUNIT_EXPECT_EQ(test, disk->capacity, DISK_SECTORS);
	KUNIT_EXPECT_TRUE(test, disk->read_only); /* readonly=on */
	KUNIT_EXPECT_TRUE(test, get_disk_by_name("/dev/vda") == disk);
	KUNIT_EXPECT_TRUE(test, get_disk_by_dev(MKDEV(VIRTBLK_MAJOR, 0)) == disk);
}

static void reading_a_page_brings_the_ext2_superblock(struct kunit *test)
{
	struct gendisk *disk = disk_or_skip(test);
	unsigned long reads, sectors;
	struct page *page;
	uint16_t magic;

	if (!disk)
		return;
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	memset(page_address(page), 0x5a, PAGE_SIZE);
	reads = disk->stats.ios[0];
	sectors = disk->stats.sectors[0];
	KUNIT_EXPECT_EQ(test, bdev_read_page(disk, 0, page), 0);
	memcpy(&magic, (char *)page_address(page) + EXT2_SUPER_OFFSET + EXT2_MAGIC_OFFSET,
	       sizeof(magic));
	KUNIT_EXPECT_EQ(test, magic, EXT2_SUPER_MAGIC);
	KUNIT_EXPECT_EQ(test, disk->stats.ios[0], reads + 1);
	KUNIT_EXPECT_EQ(test, disk->stats.sectors[0], sectors + PAGE_SIZE / SECTOR_SIZE);
	KUNIT_EXPECT_EQ(test, disk->stats.in_flight, 0);
	__free_page(page);
}

static void a_read_the_device_fails_is_an_io_error(struct kunit *test)
{
	struct gendisk *disk = disk_or_skip(test);
	unsigned long errors, reads, mark;
	char *buf, message[64];
	sector_t real;

	if (!disk)
		return;
	buf = kmalloc(SECTOR_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* Let the block layer believe the disk is longer than it is, so the
	 * request reaches the device, which answers VIRTIO_BLK_S_IOERR. */
	real = disk->capacity;
	disk->capacity = real + 8;
	errors = virtblk_errors;
	reads = disk->stats.ios[0];
	mark = log_mark();
	KUNIT_EXPECT_EQ(test, bdev_read(disk, real, buf, SECTOR_SIZE), -EIO);
	disk->capacity = real;
	KUNIT_EXPECT_EQ(test, virtblk_errors, errors + 1);
	KUNIT_EXPECT_EQ(test, disk->stats.ios[0], reads + 1); /* failed I/O still counts */
	snprintf(message, sizeof(message), "I/O error, dev vda, sector %d op 0x0:(READ)",
		 DISK_SECTORS);
	KUNIT_EXPECT_EQ(test, log_count_since(mark, message), 1);
	kfree(buf);
}

static void a_read_past_the_end_never_reaches_the_device(struct kunit *test)
{
	struct gendisk *disk = disk_or_skip(test);
	unsigned long errors, mark;
	char *buf;

	if (!disk)
		return;
	buf = kmalloc(SECTOR_SIZE * 2, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	errors = virtblk_errors;
	mark = log_mark();
	KUNIT_EXPECT_EQ(test, bdev_read(disk, disk->capacity - 1, buf, SECTOR_SIZE * 2), -EIO);
	KUNIT_EXPECT_EQ(test, bdev_read(disk, ~0ull, buf, SECTOR_SIZE), -EIO);
	KUNIT_EXPECT_EQ(test, virtblk_errors, errors);
	KUNIT_EXPECT_EQ(test, log_count_since(mark, "attempt to access beyond end of device"), 2);
	kfree(buf);
}

struct many {
	struct completion done;
	int left, failed;
};

static void many_end_io(struct bio *bio)
{
	struct many *m = bio->bi_private;

	if (bio->bi_status)
		m->failed++;
	if (__atomic_sub_fetch(&m->left, 1, __ATOMIC_ACQ_REL) == 0)
		complete(&m->done);
}

/* More requests in flight than the ring has descriptors: the submitter
 * sleeps for room, the interrupt handler frees it, all complete. */
static void more_requests_than_the_ring_holds_all_complete(struct kunit *test)
{
	struct gendisk *disk = disk_or_skip(test);
	struct bio *bios;
	char *bufs;
	struct many m = {.left = MANY_READS};
	bool same = true;

	if (!disk)
		return;
	bios = kzalloc(sizeof(*bios) * MANY_READS, GFP_KERNEL);
	bufs = kmalloc(SECTOR_SIZE * MANY_READS, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, bios && bufs);
	init_completion(&m.done);
	for (int i = 0; i < MANY_READS; i++) {
		bios[i] = (struct bio){.bi_disk = disk,
				       .bi_opf = REQ_OP_READ,
				       .bi_sector = 2,
				       .bi_buf = bufs + i * SECTOR_SIZE,
				       .bi_size = SECTOR_SIZE,
				       .bi_end_io = many_end_io,
				       .bi_private = &m};
		submit_bio(&bios[i]);
	}
	wait_for_completion(&m.done);
	KUNIT_EXPECT_EQ(test, m.failed, 0);
	for (int i = 1; i < MANY_READS; i++)
		same &= !memcmp(bufs, bufs + i * SECTOR_SIZE, SECTOR_SIZE);
	KUNIT_EXPECT_TRUE(test, same);
	KUNIT_EXPECT_EQ(test, disk->stats.in_flight, 0);
	kfree(bufs);
	kfree(bios);
}

static void diskstats_shows_vda_in_linux_format(struct kunit *test)
{
	struct gendisk *disk = disk_or_skip(test);
	char *text, want[64];
	long err;

	if (!disk)
		return;
	text = read_whole("/proc/diskstats", 4096, &err);
	KUNIT_ASSERT_NOT_NULL(test, text);
	/* "%4d %7d %s %lu ...": major, minor, name, reads completed, merged, sectors. */
	snprintf(want, sizeof(want), " 254       0 vda %lu 0 %lu ", disk->stats.ios[0],
		 disk->stats.sectors[0]);
	KUNIT_EXPECT_TRUE(test, strncmp(text, want, strlen(want)) == 0);
	if (strncmp(text, want, strlen(want)))
		kunit_log(test, "got: %s want prefix: %s", text, want);
	kfree(text);
}

/* /dev/vda reads the raw disk at any offset and length, read-only. */
static void the_device_node_reads_the_raw_disk(struct kunit *test)
{
	struct gendisk *disk = disk_or_skip(test);
	char *whole, buf[40];
	struct file *f;
	loff_t pos;

	if (!disk)
		return;
	whole = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, whole);
	KUNIT_ASSERT_EQ(test, bdev_read(disk, 0, whole, 2 * PAGE_SIZE), 0);
	f = filp_open("/dev/vda", O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	pos = EXT2_SUPER_OFFSET + EXT2_MAGIC_OFFSET;
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, 2, &pos), 2);
	KUNIT_EXPECT_EQ(test, (uint8_t)buf[0] | (uint8_t)buf[1] << 8, EXT2_SUPER_MAGIC);
	pos = PAGE_SIZE - 13; /* across a page, so two chunks */
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, sizeof(buf), &pos), (long)sizeof(buf));
	KUNIT_EXPECT_TRUE(test, !memcmp(buf, whole + PAGE_SIZE - 13, sizeof(buf)));
	KUNIT_EXPECT_EQ(test, pos, PAGE_SIZE - 13 + sizeof(buf));
	pos = (loff_t)(disk->capacity << SECTOR_SHIFT) - 3;
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, sizeof(buf), &pos), 3);
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, sizeof(buf), &pos), 0);
	fput(f);
	KUNIT_EXPECT_TRUE(test, PTR_ERR(filp_open("/dev/vda", O_RDWR)) == -EROFS);
	kfree(whole);
}

static struct kunit_case virtio_blk_cases[] = {
	KUNIT_CASE(pci_scan_finds_the_virtio_block_device),
	KUNIT_CASE(the_disk_is_vda_with_the_image_size),
	KUNIT_CASE(reading_a_page_brings_the_ext2_superblock),
	KUNIT_CASE(a_read_the_device_fails_is_an_io_error),
	KUNIT_CASE(a_read_past_the_end_never_reaches_the_device),
	KUNIT_CASE(more_requests_than_the_ring_holds_all_complete),
	KUNIT_CASE(diskstats_shows_vda_in_linux_format),
	KUNIT_CASE(the_device_node_reads_the_raw_disk),
	{}};

static struct kunit_suite virtio_blk_suite = {
	.name = "virtio_blk",
	.test_cases = virtio_blk_cases,
};
kunit_test_suite(virtio_blk_suite);
