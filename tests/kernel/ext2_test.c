/* ext2 over virtio-blk as a specification: the disk (tools/mkdisk.py's
 * image) mounts at /mnt, its files read back exactly what mkdisk.py wrote
 * (direct, indirect, double- and triple-indirect blocks, holes as zeros),
 * directories list and look up, file pages come from the disk into the
 * page cache and can be dropped and read again, umount refuses while a
 * file is open; corrupted images (served by a RAM disk made of the real
 * image with one field broken) are refused with Linux's message, cleanly.
 * Read first: without a disk every case skips; each case mounts and
 * unmounts /mnt itself. */
#include "kernel/block/blkdev.h"
#include "kernel/completion.h"
#include "kernel/drivers/virtio_blk.h"
#include "kernel/fs/ext2/ext2.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/namespace.h"
#include "kernel/ktest.h"
#include "kernel/kthread.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/slab.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/report_test_helpers.h"

#define MNT "/mnt"
#define CHUNK 4096
#define BIG_SIZE (300 * 1024 + 77) /* tools/mkdisk.py DOUBLE_INDIRECT_SIZE */
#define SPARSE_SIZE (70 * 1024 * 1024 + 5)
#define RAMDISK_BYTES (512 * 1024) /* group 0's metadata up to the root inode */
#define SB_BLOCKS_COUNT 4
#define SB_MAGIC 56
#define SB_LOG_BLOCK_SIZE 24
#define SB_FEATURE_INCOMPAT 96
#define GD_INODE_TABLE 8
#define ROOT_INODE_OFFSET 256 /* inode 2 at 256 bytes each in the first table block */

static bool have_disk(struct kunit *test)
{
	if (virtblk_first_disk())
		return true;
	kunit_mark_skipped(test, "no virtio disk attached");
	return false;
}

static int ext2_case_init(struct kunit *test)
{
	long err = virtblk_first_disk() ? do_mount("/dev/vda", MNT, "ext2", MS_RDONLY) : 0;

	if (err)
		kunit_log(test, "mount /dev/vda on " MNT ": error %ld", err);
	return (int)err;
}

static void ext2_case_exit(struct kunit *test)
{
	if (virtblk_first_disk())
		do_umount(MNT);
}

/* tools/mkdisk.py's pattern(): a 32-bit xorshift, one byte per step. */
struct xorshift {
	uint32_t x;
};
static uint8_t xs_next(struct xorshift *s)
{
	s->x ^= s->x << 13;
	s->x ^= s->x >> 17;
	s->x ^= s->x << 5;
	return (uint8_t)s->x;
}

/* Read the whole file in CHUNK reads, comparing with the pattern: the
 * offset of the first difference, or the size when all matched. */
static long compare_with_pattern(const char *path, uint32_t seed, long *size)
{
	struct file *f = filp_open(path, O_RDONLY);
	struct xorshift s = {seed};
	char *buf = kmalloc(CHUNK, GFP_KERNEL);
	long off = 0, bad = -1;
	loff_t pos = 0;

	if (IS_ERR(f) || !buf) {
		kfree(buf);
		return IS_ERR(f) ? PTR_ERR(f) : -ENOMEM;
	}
	for (;;) {
		ssize_t n = kernel_read(f, buf, CHUNK, &pos);

		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++, off++)
			if ((uint8_t)buf[i] != xs_next(&s) && bad < 0)
				bad = off;
	}
	*size = off;
	kfree(buf);
	fput(f);
	return bad < 0 ? off : bad;
}

static void files_read_back_what_mkdisk_wrote(struct kunit *test)
{
	long size;
	char buf[32] = {0};
	struct file *f;
	loff_t pos = 0;

	if (!have_disk(test))
		return;
	KUNIT_EXPECT_EQ(test, compare_with_pattern(MNT "/data/small.bin", 7, &size), 5000);
	/* Past 268 KiB: direct, single- and double-indirect blocks. */
	KUNIT_EXPECT_EQ(test, compare_with_pattern(MNT "/data/big.bin", 11, &size), BIG_SIZE);
	KUNIT_EXPECT_EQ(test, size, BIG_SIZE);
	f = filp_open(MNT "/data/hello.txt", O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, sizeof(buf) - 1, &pos), 20);
	KUNIT_EXPECT_STREQ(test, buf, "hello from the disk\n");
	fput(f);
}

/* Read count bytes at off of the sparse file into buf. */
static ssize_t read_at(const char *path, loff_t off, char *buf, size_t count)
{
	struct file *f = filp_open(path, O_RDONLY);
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, count, &off);
	fput(f);
	return n;
}

static bool all_zero(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i])
			return false;
	return true;
}

static void sparse_files_read_holes_as_zeros_through_triple_indirect(struct kunit *test)
{
	static const struct {
		loff_t off;
		const char *text;
	} chunks[] = {{0, "sparse head\n"},
		      {200 * 1024, "in the single-indirect range\n"},
		      {5 * 1024 * 1024, "in the double-indirect range\n"},
		      {SPARSE_SIZE - 5, "tail\n"}};
	char *buf;

	if (!have_disk(test))
		return;
	buf = kmalloc(CHUNK, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		size_t len = strlen(chunks[i].text);

		KUNIT_EXPECT_EQ(test, read_at(MNT "/data/sparse.bin", chunks[i].off, buf, len),
				(long)len);
		KUNIT_EXPECT_TRUE(test, !memcmp(buf, chunks[i].text, len));
	}
	/* Holes: a whole page in each level of the map, and the gap after the head. */
	KUNIT_EXPECT_EQ(test, read_at(MNT "/data/sparse.bin", 100 * 1024, buf, CHUNK), CHUNK);
	KUNIT_EXPECT_TRUE(test, all_zero(buf, CHUNK));
	KUNIT_EXPECT_EQ(test, read_at(MNT "/data/sparse.bin", 3 * 1024 * 1024, buf, CHUNK), CHUNK);
	KUNIT_EXPECT_TRUE(test, all_zero(buf, CHUNK));
	KUNIT_EXPECT_EQ(test, read_at(MNT "/data/sparse.bin", 68 * 1024 * 1024, buf, CHUNK), CHUNK);
	KUNIT_EXPECT_TRUE(test, all_zero(buf, CHUNK));
	KUNIT_EXPECT_EQ(test, read_at(MNT "/data/sparse.bin", 12, buf, 100), 100);
	KUNIT_EXPECT_TRUE(test, all_zero(buf, 100));
	KUNIT_EXPECT_EQ(test, read_at(MNT "/data/sparse.bin", SPARSE_SIZE, buf, 10), 0);
	kfree(buf);
}

struct count_ctx {
	struct dir_context ctx;
	int entries, dots, dirs;
};

static bool count_actor(struct dir_context *ctx, const char *name, size_t len, loff_t pos,
			unsigned long ino, unsigned int type)
{
	struct count_ctx *c = (struct count_ctx *)ctx;

	c->entries++;
	if (name[0] == '.')
		c->dots++;
	if (type == DT_DIR)
		c->dirs++;
	return true;
}

static void directories_list_and_look_up(struct kunit *test)
{
	struct count_ctx c = {.ctx.actor = count_actor};
	struct dentry *d;
	struct file *f;

	if (!have_disk(test))
		return;
	f = filp_open(MNT "/data/many", O_RDONLY | O_DIRECTORY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_EXPECT_EQ(test, iterate_dir(f, &c.ctx), 0);
	KUNIT_EXPECT_EQ(test, c.entries, 122); /* 120 files, "." and ".." */
	KUNIT_EXPECT_EQ(test, c.dots, 2);
	KUNIT_EXPECT_EQ(test, c.dirs, 2);
	fput(f);
	d = vfs_path_lookup(NULL, MNT "/data/many/file-with-a-longish-name-119", true);
	KUNIT_EXPECT_TRUE(test, !IS_ERR(d));
	if (!IS_ERR(d)) {
		KUNIT_EXPECT_EQ(test, d->d_inode->i_size, 4); /* "119\n" */
		dput(d);
	}
	KUNIT_EXPECT_TRUE(test, PTR_ERR(vfs_path_lookup(NULL, MNT "/data/nope", true)) == -ENOENT);
	KUNIT_EXPECT_TRUE(test, PTR_ERR(vfs_path_lookup(NULL, MNT "/data/hello.txt/x", true)) ==
					-ENOTDIR);
	d = vfs_path_lookup(NULL, MNT "/data/a/b/c/../../b/c/deep.txt", true);
	KUNIT_EXPECT_TRUE(test, !IS_ERR(d));
	if (!IS_ERR(d))
		dput(d);
	d = vfs_path_lookup(NULL, MNT "/..", true); /* ".." from the mounted root */
	KUNIT_EXPECT_TRUE(test, d == root_dentry);
	if (!IS_ERR(d))
		dput(d);
	d = vfs_path_lookup(NULL, MNT "/data/link-to-hello", true);
	KUNIT_EXPECT_TRUE(test,
			  !IS_ERR(d) && S_ISREG(d->d_inode->i_mode) && d->d_inode->i_size == 20);
	if (!IS_ERR(d))
		dput(d);
}

static void file_pages_come_from_the_disk_and_can_be_dropped(struct kunit *test)
{
	struct gendisk *disk = virtblk_first_disk();
	unsigned long reads;
	long size;
	struct file *f;
	char path[64];

	if (!have_disk(test))
		return;
	f = filp_open(MNT "/data/big.bin", O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	invalidate_mapping_pages(f->f_mapping);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 0);
	reads = disk->stats.ios[0];
	KUNIT_EXPECT_EQ(test, compare_with_pattern(MNT "/data/big.bin", 11, &size), BIG_SIZE);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, (BIG_SIZE + 4095) / 4096);
	KUNIT_EXPECT_GT(test, disk->stats.ios[0], reads);
	/* Blocks next to each other on the disk are read together: fewer
	 * requests than the file has 1 KiB blocks, indirect ones included. */
	KUNIT_EXPECT_LT(test, disk->stats.ios[0] - reads, BIG_SIZE / 1024);
	/* Cached: a second read does not touch the disk. */
	reads = disk->stats.ios[0];
	KUNIT_EXPECT_EQ(test, compare_with_pattern(MNT "/data/big.bin", 11, &size), BIG_SIZE);
	KUNIT_EXPECT_EQ(test, disk->stats.ios[0], reads);
	/* Clean pages: dropped, then read again from the disk, the same bytes. */
	KUNIT_EXPECT_EQ(test, invalidate_mapping_pages(f->f_mapping), (BIG_SIZE + 4095) / 4096);
	KUNIT_EXPECT_EQ(test, compare_with_pattern(MNT "/data/big.bin", 11, &size), BIG_SIZE);
	KUNIT_EXPECT_GT(test, disk->stats.ios[0], reads);
	/* drop_caches 1 (drop_pagecache) sees ext2 files too. */
	KUNIT_EXPECT_GE(test, drop_pagecache(), (BIG_SIZE + 4095) / 4096);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 0);
	KUNIT_EXPECT_EQ(test, d_path(f->f_dentry, path, sizeof(path)), 0);
	KUNIT_EXPECT_STREQ(test, path, "/mnt/data/big.bin");
	fput(f);
}

/* A private read-only mapping of an ext2 file faults in the page-cache
 * pages themselves (no copy), and holds the file system busy. */
static void mapped_file_pages_are_the_page_cache_pages(struct kunit *test)
{
	const unsigned long base = 0x10000000ul, flags = VM_READ | VM_MAYREAD;
	struct mm_struct *mm;
	struct file *f;
	bool same = true, match = true;
	struct xorshift s = {11};

	if (!have_disk(test))
		return;
	f = filp_open(MNT "/data/big.bin", O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	mmap_write_lock(mm);
	KUNIT_EXPECT_EQ(test, do_mmap_fixed(mm, base, 3 * PAGE_SIZE, flags, f, 0), (long)base);
	mmap_write_unlock(mm);
	mmap_read_lock(mm);
	for (unsigned long i = 0; i < 3; i++) {
		struct vm_area_struct *vma = vma_lookup(mm, base + i * PAGE_SIZE);
		const uint8_t *kaddr;
		struct page *cached;

		KUNIT_ASSERT_TRUE(
			test, vma && !handle_mm_fault(vma, base + i * PAGE_SIZE, FAULT_FLAG_USER));
		kaddr = user_page_kaddr(mm, base + i * PAGE_SIZE);
		cached = find_get_page(f->f_mapping, i);
		same &= cached && kaddr == page_address(cached);
		for (unsigned long b = 0; kaddr && b < PAGE_SIZE; b++)
			match &= kaddr[b] == xs_next(&s);
		if (cached)
			__free_page(cached);
	}
	mmap_read_unlock(mm);
	KUNIT_EXPECT_TRUE(test, same);
	KUNIT_EXPECT_TRUE(test, match);
	fput(f); /* the mapping still holds the file */
	KUNIT_EXPECT_EQ(test, do_umount(MNT), -EBUSY);
	mmput(mm);
	KUNIT_EXPECT_EQ(test, do_umount(MNT), 0);
	KUNIT_EXPECT_EQ(test, do_mount("/dev/vda", MNT, "ext2", MS_RDONLY), 0);
}

static void writes_are_refused_and_umount_waits_for_users(struct kunit *test)
{
	struct dentry *d;
	struct file *f;

	if (!have_disk(test))
		return;
	KUNIT_EXPECT_TRUE(test, PTR_ERR(filp_open(MNT "/data/hello.txt", O_RDWR)) == -EROFS);
	f = filp_open(MNT "/data/hello.txt", O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_EXPECT_EQ(test, do_umount(MNT), -EBUSY);
	d = vfs_path_lookup(NULL, MNT "/data", true);
	KUNIT_EXPECT_TRUE(test, !IS_ERR(d)); /* still mounted */
	if (!IS_ERR(d))
		dput(d);
	fput(f);
	KUNIT_EXPECT_EQ(test, do_umount(MNT), 0);
	KUNIT_EXPECT_TRUE(test, PTR_ERR(vfs_path_lookup(NULL, MNT "/data", true)) == -ENOENT);
	KUNIT_EXPECT_EQ(test, do_umount(MNT), -EINVAL); /* no longer a mount */
	KUNIT_EXPECT_EQ(test, do_mount("/dev/vda", MNT, "ext2", MS_RDONLY), 0);
}

static void bad_mount_requests_get_linux_errors(struct kunit *test)
{
	if (!have_disk(test))
		return;
	KUNIT_EXPECT_EQ(test, do_mount("/dev/vda", MNT, "ext2", MS_RDONLY), -EBUSY);
	KUNIT_EXPECT_EQ(test, do_mount("/dev/vda", "/proc", "ext2", MS_RDONLY), -EBUSY);
	KUNIT_EXPECT_EQ(test, do_mount("/dev/vda", "/dev", "xfs", MS_RDONLY), -ENODEV);
	KUNIT_EXPECT_EQ(test, do_mount("/dev/null", "/dev", "ext2", MS_RDONLY), -ENOTBLK);
	KUNIT_EXPECT_EQ(test, do_mount("/dev/nope", "/dev", "ext2", MS_RDONLY), -ENOENT);
	KUNIT_EXPECT_EQ(test, do_mount("/dev/vda", "/dev/null", "ext2", MS_RDONLY), -ENOTDIR);
	KUNIT_EXPECT_EQ(test, do_mount("/dev/vda", MNT "/data", "ext2", MS_RDONLY), -EINVAL);
	KUNIT_EXPECT_EQ(test, do_umount("/dev"), -EINVAL);
}

/* --- a RAM disk holding a copy of the image's first RAMDISK_BYTES (its
 * metadata; one field broken at a time), reading the rest from vda --- */

struct ramdisk {
	struct gendisk disk;
	char *bytes;
	bool failing; /* every request fails with -EIO, as a dying disk's */
};

static int ramdisk_submit(struct bio *bio)
{
	struct ramdisk *rd = bio->bi_disk->private_data;
	uint64_t start = bio->bi_sector << SECTOR_SHIFT;

	if (rd->failing) {
		bio_endio(bio, -EIO);
		return 0;
	}
	if (start >= RAMDISK_BYTES) { /* file data: read through from vda */
		bio_endio(bio, bdev_read(virtblk_first_disk(), bio->bi_sector, bio->bi_buf,
					 bio->bi_size));
		return 0;
	}
	for (unsigned int i = 0; i < bio->bi_size; i++)
		((char *)bio->bi_buf)[i] = start + i < RAMDISK_BYTES ? rd->bytes[start + i] : 0;
	bio_endio(bio, 0);
	return 0;
}

static const struct block_device_operations ramdisk_fops = {.submit_bio = ramdisk_submit};

static struct ramdisk *ramdisk_from_vda(struct kunit *test)
{
	struct ramdisk *rd = kzalloc(sizeof(*rd), GFP_KERNEL);

	if (!rd || !(rd->bytes = kmalloc(RAMDISK_BYTES, GFP_KERNEL)) ||
	    bdev_read(virtblk_first_disk(), 0, rd->bytes, RAMDISK_BYTES)) {
		if (rd)
			kfree(rd->bytes);
		kfree(rd);
		return NULL;
	}
	snprintf(rd->disk.disk_name, sizeof(rd->disk.disk_name), "ram0");
	rd->disk.capacity = virtblk_first_disk()->capacity;
	rd->disk.fops = &ramdisk_fops;
	rd->disk.private_data = rd;
	spin_lock_init(&rd->disk.stats_lock);
	return rd;
}

static void ramdisk_free(struct ramdisk *rd)
{
	kfree(rd->bytes);
	kfree(rd);
}

static void put32(char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* Mount rd as ext2: expect refusal with -EINVAL and this message. */
static void expect_refused(struct kunit *test, struct ramdisk *rd, const char *message)
{
	unsigned long mark = log_mark();
	struct dentry *root = ext2_mount(&rd->disk, MS_RDONLY, "bad");

	KUNIT_EXPECT_TRUE(test, PTR_ERR(root) == -EINVAL);
	if (!IS_ERR(root))
		ext2_kill_sb(root);
	KUNIT_EXPECT_EQ(test, log_count_since(mark, message), 1);
}

static void corrupted_images_are_refused_cleanly(struct kunit *test)
{
	struct ramdisk *rd;
	struct dentry *root;
	char *sb, message[120];
	uint32_t table, blocks;

	if (!have_disk(test))
		return;
	rd = ramdisk_from_vda(test);
	KUNIT_ASSERT_NOT_NULL(test, rd);
	sb = rd->bytes + EXT2_SUPER_OFFSET;
	/* The unbroken copy mounts: the refusals below are the fields'. */
	root = ext2_mount(&rd->disk, MS_RDONLY, "good");
	KUNIT_EXPECT_TRUE(test, !IS_ERR(root));
	if (!IS_ERR(root))
		ext2_kill_sb(root);

	sb[SB_MAGIC] ^= 1;
	expect_refused(test, rd,
		       "EXT2-fs (ram0): error: can't find an ext2 filesystem on dev ram0.");
	sb[SB_MAGIC] ^= 1;
	put32(sb + SB_FEATURE_INCOMPAT, 0x2 | 0x40);
	expect_refused(test, rd,
		       "EXT2-fs (ram0): error: couldn't mount because of unsupported optional "
		       "features (40)");
	put32(sb + SB_FEATURE_INCOMPAT, 0x2);
	put32(sb + SB_LOG_BLOCK_SIZE, 9);
	expect_refused(test, rd, "EXT2-fs (ram0): error: unsupported blocksize (log 9)");
	put32(sb + SB_LOG_BLOCK_SIZE, 0);
	/* A truncated device: the image claims more blocks than there are. */
	memcpy(&blocks, sb + SB_BLOCKS_COUNT, sizeof(blocks));
	snprintf(message, sizeof(message),
		 "EXT2-fs (ram0): error: bad geometry: block count %u exceeds size of "
		 "device (1024 blocks)",
		 blocks);
	rd->disk.capacity = 2048; /* 1 MiB */
	expect_refused(test, rd, message);
	rd->disk.capacity = virtblk_first_disk()->capacity;
	/* Group 0's inode table moved out of its group. */
	memcpy(&table, rd->bytes + 2 * 1024 + GD_INODE_TABLE, sizeof(table));
	put32(rd->bytes + 2 * 1024 + GD_INODE_TABLE, 16383);
	expect_refused(test, rd, "group descriptors corrupted");
	put32(rd->bytes + 2 * 1024 + GD_INODE_TABLE, table);
	/* The root inode made a regular file. */
	KUNIT_ASSERT_GT(test, RAMDISK_BYTES, table * 1024 + ROOT_INODE_OFFSET + 1);
	rd->bytes[table * 1024 + ROOT_INODE_OFFSET + 1] = (char)0x81;
	expect_refused(test, rd, "EXT2-fs error (device ram0): ext2_iget: corrupt root inode");
	ramdisk_free(rd);
}

/* Once the disk fails, a read of an uncached page is -EIO (not -ENOMEM,
 * nothing cached) and a fault on it SIGBUS, as Linux's filemap_fault. */
static void disk_errors_are_eio_for_read_and_sigbus_for_a_fault(struct kunit *test)
{
	const unsigned long base = 0x10000000ul;
	struct ramdisk *rd;
	struct dentry *root, *d;
	struct mm_struct *mm;
	struct file *f;
	char buf[16];
	loff_t pos = 0;

	if (!have_disk(test))
		return;
	rd = ramdisk_from_vda(test);
	KUNIT_ASSERT_NOT_NULL(test, rd);
	root = ext2_mount(&rd->disk, MS_RDONLY, "ram");
	KUNIT_ASSERT_TRUE(test, !IS_ERR(root));
	d = vfs_path_lookup(root, "data/hello.txt", true);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(d));
	f = dentry_open(d, O_RDONLY);
	dput(d);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	rd->failing = true;
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, sizeof(buf), &pos), -EIO);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 0);
	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	mmap_write_lock(mm);
	KUNIT_EXPECT_EQ(test, do_mmap_fixed(mm, base, PAGE_SIZE, VM_READ | VM_MAYREAD, f, 0),
			(long)base);
	mmap_write_unlock(mm);
	mmap_read_lock(mm);
	KUNIT_EXPECT_EQ(test, handle_mm_fault(vma_lookup(mm, base), base, FAULT_FLAG_USER),
			VM_FAULT_SIGBUS);
	mmap_read_unlock(mm);
	mmput(mm);
	/* The disk is back: the same read succeeds. */
	rd->failing = false;
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, sizeof(buf), &pos), (long)sizeof(buf));
	fput(f);
	ext2_kill_sb(root);
	ramdisk_free(rd);
}

/* The real disk fails a request (a block past its end, the block layer
 * told otherwise, as in the virtio_blk suite): the file read is -EIO with
 * Linux's I/O error line, nothing is cached, and the next read of the
 * page asks the disk again. */
static void a_disk_error_reading_a_file_page_is_eio_and_caches_nothing(struct kunit *test)
{
	struct gendisk *disk;
	struct ext2_sb *sbi;
	struct inode *inode;
	unsigned long mark, errors;
	uint32_t saved_block, saved_count;
	struct file *f;
	char buf[16];
	loff_t pos = 0;

	if (!have_disk(test))
		return;
	disk = virtblk_first_disk();
	f = filp_open(MNT "/data/hello.txt", O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	invalidate_mapping_pages(f->f_mapping);
	inode = f->f_mapping->host;
	sbi = EXT2_SB(inode->i_sb);
	saved_block = EXT2_I(inode)->i_data[0];
	saved_count = sbi->info.s_blocks_count;
	/* Block s_blocks_count is the first past the disk's end. */
	EXT2_I(inode)->i_data[0] = saved_count;
	sbi->info.s_blocks_count = saved_count + 1;
	disk->capacity += 8;
	errors = virtblk_errors;
	mark = log_mark();
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, sizeof(buf), &pos), -EIO);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 0);
	KUNIT_EXPECT_EQ(test, virtblk_errors, errors + 1);
	KUNIT_EXPECT_EQ(test, log_count_since(mark, "I/O error, dev vda, sector"), 1);
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, sizeof(buf), &pos), -EIO);
	KUNIT_EXPECT_EQ(test, virtblk_errors, errors + 2); /* asked the disk again */
	disk->capacity -= 8;
	sbi->info.s_blocks_count = saved_count;
	EXT2_I(inode)->i_data[0] = saved_block;
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, sizeof(buf), &pos), (long)sizeof(buf));
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 1);
	fput(f);
}

#define READERS 4

struct reader {
	struct completion done;
	long result, size;
};

static int reader_thread(void *data)
{
	struct reader *r = data;

	r->result = compare_with_pattern(MNT "/data/big.bin", 11, &r->size);
	complete(&r->done);
	return 0;
}

/* Readers racing to fill the same pages, through one virtqueue: each
 * sees the whole file, every page cached once. */
static void concurrent_readers_all_see_the_file(struct kunit *test)
{
	struct reader r[READERS];
	struct file *f;

	if (!have_disk(test))
		return;
	f = filp_open(MNT "/data/big.bin", O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	invalidate_mapping_pages(f->f_mapping);
	for (int i = 0; i < READERS; i++) {
		init_completion(&r[i].done);
		r[i].result = -1;
		KUNIT_ASSERT_NOT_NULL(test, kthread_run(reader_thread, &r[i], "ext2_reader%d", i));
	}
	for (int i = 0; i < READERS; i++) {
		wait_for_completion(&r[i].done);
		KUNIT_EXPECT_EQ(test, r[i].result, BIG_SIZE);
	}
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, (BIG_SIZE + 4095) / 4096);
	fput(f);
}

static struct kunit_case ext2_cases[] = {
	KUNIT_CASE(files_read_back_what_mkdisk_wrote),
	KUNIT_CASE(sparse_files_read_holes_as_zeros_through_triple_indirect),
	KUNIT_CASE(directories_list_and_look_up),
	KUNIT_CASE(file_pages_come_from_the_disk_and_can_be_dropped),
	KUNIT_CASE(concurrent_readers_all_see_the_file),
	KUNIT_CASE(mapped_file_pages_are_the_page_cache_pages),
	KUNIT_CASE(writes_are_refused_and_umount_waits_for_users),
	KUNIT_CASE(bad_mount_requests_get_linux_errors),
	KUNIT_CASE(corrupted_images_are_refused_cleanly),
	KUNIT_CASE(disk_errors_are_eio_for_read_and_sigbus_for_a_fault),
	KUNIT_CASE(a_disk_error_reading_a_file_page_is_eio_and_caches_nothing),
	{}};

static struct kunit_suite ext2_suite = {
	.name = "ext2",
	.test_cases = ext2_cases,
	.init = ext2_case_init,
	.exit = ext2_case_exit,
};
kunit_test_suite(ext2_suite);
