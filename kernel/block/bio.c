/* Submitting and completing block I/O, and waiting for it (Linux's
 * block/blk-core.c submit_bio, block/bio.c bio_endio and submit_bio_wait,
 * block/blk-mq.c blk_print_req_error). Read first: completion runs in the
 * driver's interrupt handler, so everything bio_endio touches is guarded
 * with interrupts off, and the waiter sleeps on a completion (a wait queue). */
#include "kernel/block/blkdev.h"
#include "kernel/completion.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "mm/mm.h"

static const char *op_name(unsigned int op)
{
	return op == REQ_OP_READ ? "READ" : op == REQ_OP_WRITE ? "WRITE" : "UNKNOWN";
}

static void account_start(struct bio *bio)
{
	struct disk_stats *s = &bio->bi_disk->stats;
	uint64_t flags;

	bio->bi_start = jiffies;
	spin_lock_irqsave(&bio->bi_disk->stats_lock, flags);
	if (s->in_flight++ == 0)
		s->io_ticks_since = jiffies;
	spin_unlock_irqrestore(&bio->bi_disk->stats_lock, flags);
}

/* A request counts as completed whether it succeeded or not, as Linux's
 * blk_account_io_done; its sectors only when it moved data. */
static void account_done(struct bio *bio)
{
	struct disk_stats *s = &bio->bi_disk->stats;
	unsigned int dir = bio->bi_opf == REQ_OP_WRITE;
	uint64_t flags;

	spin_lock_irqsave(&bio->bi_disk->stats_lock, flags);
	s->ios[dir]++;
	if (!bio->bi_status)
		s->sectors[dir] += bio->bi_size >> SECTOR_SHIFT;
	s->ticks_ms[dir] += jiffies_to_msecs(jiffies - bio->bi_start);
	if (--s->in_flight == 0)
		s->io_ticks_ms += jiffies_to_msecs(jiffies - s->io_ticks_since);
	spin_unlock_irqrestore(&bio->bi_disk->stats_lock, flags);
}

/* As Linux's blk_print_req_error. */
static void print_req_error(const struct bio *bio)
{
	pr_err("I/O error, dev %s, sector %llu op 0x%x:(%s) flags 0x0 phys_seg 1 prio class 0",
	       bio->bi_disk->disk_name, (unsigned long long)bio->bi_sector, bio->bi_opf,
	       op_name(bio->bi_opf));
}

void bio_endio(struct bio *bio, int status)
{
	bio->bi_status = status;
	if (status)
		print_req_error(bio);
	account_done(bio);
	bio->bi_end_io(bio);
}

/* As Linux's bio_check_eod: refused before the driver sees it. */
static bool beyond_end(const struct bio *bio)
{
	sector_t nr = bio->bi_size >> SECTOR_SHIFT, cap = bio->bi_disk->capacity;

	if (bio->bi_sector < cap && nr <= cap - bio->bi_sector)
		return false;
	pr_info("attempt to access beyond end of device");
	pr_info("%s: rw=%u, sector=%llu, nr_sectors = %llu limit=%llu", bio->bi_disk->disk_name,
		bio->bi_opf, (unsigned long long)bio->bi_sector, (unsigned long long)nr,
		(unsigned long long)cap);
	return true;
}

void submit_bio(struct bio *bio)
{
	int err;

	if (!bio->bi_size || bio->bi_size % SECTOR_SIZE || beyond_end(bio) ||
	    (bio->bi_opf == REQ_OP_WRITE && bio->bi_disk->read_only)) {
		bio->bi_status = -EIO;
		bio->bi_end_io(bio);
		return;
	}
	account_start(bio);
	err = bio->bi_disk->fops->submit_bio(bio);
	if (err)
		bio_endio(bio, err);
}

static void submit_bio_wait_endio(struct bio *bio)
{
	complete(bio->bi_private);
}

int submit_bio_wait(struct bio *bio)
{
	struct completion done;

	init_completion(&done);
	/* We wait for the completion before returning: done outlives its use. */
	// cppcheck-suppress autoVariables
	bio->bi_private = &done;
	bio->bi_end_io = submit_bio_wait_endio;
	submit_bio(bio);
	wait_for_completion(&done);
	return bio->bi_status;
}

int bdev_read(struct gendisk *disk, sector_t sector, void *buf, unsigned int size)
{
	struct bio bio = {.bi_disk = disk,
			  .bi_opf = REQ_OP_READ,
			  .bi_sector = sector,
			  .bi_buf = buf,
			  .bi_size = size};

	return submit_bio_wait(&bio);
}

int bdev_read_page(struct gendisk *disk, sector_t sector, struct page *page)
{
	return bdev_read(disk, sector, page_address(page), PAGE_SIZE);
}
