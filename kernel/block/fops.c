/* Reading a disk through its device node, /dev/vda (Linux's block/fops.c,
 * read-only and without the block device's page cache). Read first: reads
 * go through a one-page bounce buffer, a page-aligned chunk at a time, so
 * any offset and length work although the disk moves whole sectors. */
#include "kernel/block/blkdev.h"
#include "kernel/fs/fs.h"
#include "kernel/paging.h"
#include "mm/slab.h"

static struct gendisk *file_disk(const struct file *file)
{
	return file->private_data;
}

static int blkdev_open(struct inode *inode, struct file *file)
{
	struct gendisk *disk = get_disk_by_dev(inode->i_rdev);

	if (!disk)
		return -ENXIO;
	file->private_data = disk;
	return 0;
}

static loff_t disk_bytes(const struct gendisk *disk)
{
	return (loff_t)(disk->capacity << SECTOR_SHIFT);
}

static ssize_t blkdev_read_iter(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct gendisk *disk = file_disk(file);
	loff_t size = disk_bytes(disk);
	char *bounce;
	ssize_t copied = 0;

	if (*pos < 0)
		return -EINVAL;
	if (*pos >= size || !iov_iter_count(to))
		return 0;
	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while (iov_iter_count(to) && *pos < size) {
		loff_t chunk = *pos & ~(loff_t)(PAGE_SIZE - 1);
		size_t len = size - chunk < (loff_t)PAGE_SIZE ? (size_t)(size - chunk) : PAGE_SIZE;
		size_t off = (size_t)(*pos - chunk), done;
		int err =
			bdev_read(disk, (sector_t)chunk >> SECTOR_SHIFT, bounce, (unsigned int)len);

		if (err) {
			copied = copied ? copied : err;
			break;
		}
		done = copy_to_iter(bounce + off, len - off, to);
		*pos += (loff_t)done;
		copied += (ssize_t)done;
		if (done < len - off) {
			copied = copied ? copied : -EFAULT;
			break;
		}
	}
	kfree(bounce);
	return copied;
}

static loff_t blkdev_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t base = whence == SEEK_SET   ? 0
		      : whence == SEEK_CUR ? file->f_pos
		      : whence == SEEK_END ? disk_bytes(file_disk(file))
					   : -1;

	if (base < 0 || base + offset < 0)
		return -EINVAL;
	return file->f_pos = base + offset;
}

const struct file_operations def_blk_fops = {
	.llseek = blkdev_llseek,
	.read_iter = blkdev_read_iter,
	.open = blkdev_open,
};
