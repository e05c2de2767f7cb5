/* Disks: the list of them, their lookup by number or name, and the
 * counters of /proc/diskstats (Linux's block/genhd.c). Read first: disks
 * are added at boot by their drivers and never removed, so the list is
 * walked without a lock once boot is over. */
#include "kernel/block/blkdev.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/fs/proc_fs.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/vsprintf.h"

#define DISKSTATS_LINE 200

static LIST_HEAD(disks);
static DEFINE_SPINLOCK(disks_lock);

/* /dev/NAME as a block device node, as udev would make it. */
static void make_dev_node(struct gendisk *disk)
{
	struct dentry *dev = rootfs_mkdir_p("/dev", 0755), *d;

	if (IS_ERR(dev))
		return;
	d = rootfs_mknod(dev, disk->disk_name, strlen(disk->disk_name), S_IFBLK | 0660,
			 disk_devt(disk));
	if (!IS_ERR(d)) {
		/* rootfs_mknod keeps the number of char nodes only. */
		d->d_inode->i_rdev = disk_devt(disk);
		d->d_inode->i_fop = &def_blk_fops;
	} else if (PTR_ERR(d) != -EEXIST)
		pr_warn("%s: no /dev node (error %ld)", disk->disk_name, PTR_ERR(d));
	dput(dev);
}

int add_disk(struct gendisk *disk)
{
	uint64_t flags;

	spin_lock_init(&disk->stats_lock);
	spin_lock_irqsave(&disks_lock, flags);
	list_add_tail(&disk->node, &disks);
	spin_unlock_irqrestore(&disks_lock, flags);
	make_dev_node(disk);
	return 0;
}

struct gendisk *get_disk_by_dev(dev_t dev)
{
	struct gendisk *disk;

	list_for_each_entry(disk, &disks, node)
		if (disk_devt(disk) == dev)
			return disk;
	return NULL;
}

struct gendisk *get_disk_by_name(const char *name)
{
	struct gendisk *disk;

	if (!strncmp(name, "/dev/", 5))
		name += 5;
	list_for_each_entry(disk, &disks, node)
		if (!strcmp(disk->disk_name, name))
			return disk;
	return NULL;
}

/* One line per disk in Linux's 20-field format (diskstats_show). */
static int diskstats_show(struct seq_file *m)
{
	struct gendisk *disk;
	char line[DISKSTATS_LINE];

	list_for_each_entry(disk, &disks, node) {
		struct disk_stats s;
		uint64_t flags;

		spin_lock_irqsave(&disk->stats_lock, flags);
		s = disk->stats;
		if (s.in_flight) /* time busy so far counts, as Linux's update_io_ticks */
			s.io_ticks_ms += jiffies_to_msecs(jiffies - s.io_ticks_since);
		spin_unlock_irqrestore(&disk->stats_lock, flags);
		snprintf(line, sizeof(line),
			 "%4u %7u %s %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu "
			 "%lu %lu",
			 disk->major, disk->first_minor, disk->disk_name, s.ios[0], s.merges[0],
			 s.sectors[0], s.ticks_ms[0], s.ios[1], s.merges[1], s.sectors[1],
			 s.ticks_ms[1], s.in_flight, s.io_ticks_ms, s.ticks_ms[0] + s.ticks_ms[1],
			 0ul, 0ul, 0ul, 0ul, 0ul, 0ul);
		seq_emit_line(m, line);
	}
	return 0;
}

static const struct proc_ops diskstats_ops = {.proc_show = diskstats_show};

void proc_diskstats_init(struct dentry *root)
{
	proc_create(root, "diskstats", 0444, &diskstats_ops, NULL);
}
