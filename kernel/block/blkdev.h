/* The block layer's minimum: disks (struct gendisk), requests (struct bio)
 * submitted to a driver and completed from its interrupt, and the
 * accounting /proc/diskstats shows (Linux's include/linux/blkdev.h,
 * block/bio.c, block/genhd.c, reduced to synchronous reads). Read first:
 * sectors are always 512 bytes, whatever the device's block size, and a
 * bio's buffer must be direct-map memory (the device DMAs into it). */
#ifndef OOMLAB_KERNEL_BLOCK_BLKDEV_H
#define OOMLAB_KERNEL_BLOCK_BLKDEV_H
#include "kernel/list.h"
#include "kernel/spinlock.h"
#include "kernel/types.h"
#include <stdbool.h>
#include <stdint.h>

#define SECTOR_SHIFT 9
#define SECTOR_SIZE (1u << SECTOR_SHIFT)
#define DISK_NAME_LEN 32
#define REQ_OP_READ 0u
#define REQ_OP_WRITE 1u
#define VIRTBLK_MAJOR 254 /* Linux allocates it dynamically; 254 is usual */

typedef uint64_t sector_t;

struct bio;
struct gendisk;

struct block_device_operations {
	/* Start the I/O; the driver calls bio_endio when it completes
	 * (from its interrupt handler). 0, or -errno if it never started. */
	int (*submit_bio)(struct bio *bio);
};

/* The I/O counters of Linux's struct disk_stats, by direction. */
struct disk_stats {
	unsigned long ios[2], merges[2], sectors[2], ticks_ms[2];
	unsigned long io_ticks_ms, in_flight;
	unsigned long io_ticks_since; /* jiffies when in_flight last left 0 */
};

struct gendisk {
	char disk_name[DISK_NAME_LEN];
	unsigned int major, first_minor;
	sector_t capacity; /* in 512-byte sectors */
	bool read_only;
	const struct block_device_operations *fops;
	void *private_data; /* the driver's */
	spinlock_t stats_lock;
	struct disk_stats stats;
	struct list_head node; /* on the disk list */
};

typedef void (*bio_end_io_t)(struct bio *bio);

struct bio {
	struct gendisk *bi_disk;
	unsigned int bi_opf; /* REQ_OP_READ */
	sector_t bi_sector;
	void *bi_buf;		/* direct-map memory */
	unsigned int bi_size;	/* bytes, a multiple of SECTOR_SIZE */
	int bi_status;		/* 0 or -errno, set by bio_endio */
	unsigned long bi_start; /* jiffies at submit, for the tick counters */
	bio_end_io_t bi_end_io;
	void *bi_private;
};

/* Make the disk visible (/proc/diskstats, /dev/NAME, lookups). */
int add_disk(struct gendisk *disk);
/* The disk whose first minor is dev, or the disk named name ("vda" or
 * "/dev/vda"); NULL if none. */
struct gendisk *get_disk_by_dev(dev_t dev);
struct gendisk *get_disk_by_name(const char *name);
static inline dev_t disk_devt(const struct gendisk *disk)
{
	return MKDEV(disk->major, disk->first_minor);
}

/* Hand bio to its disk's driver; bi_end_io runs on completion (maybe
 * before this returns). A request beyond the end of the disk fails here. */
void submit_bio(struct bio *bio);
/* Called by the driver when the device has answered: status 0 or -errno. */
void bio_endio(struct bio *bio, int status);
/* submit_bio and sleep until it completes: 0 or -errno (-EIO). */
int submit_bio_wait(struct bio *bio);
/* Read size bytes from sector on into buf (direct-map memory): 0 or -errno. */
int bdev_read(struct gendisk *disk, sector_t sector, void *buf, unsigned int size);
/* Read one page worth of sectors into page (Linux's bdev_read_page). */
struct page;
int bdev_read_page(struct gendisk *disk, sector_t sector, struct page *page);

/* Opening a disk's node: reads of the raw disk (block/fops.c). */
struct file_operations;
extern const struct file_operations def_blk_fops;

/* procfs: /proc/diskstats under root (proc_root_init calls it). */
struct dentry;
void proc_diskstats_init(struct dentry *root);
#endif
