/* Character devices by number (Linux's fs/char_dev.c, as a small table):
 * a device node in the tree holds only its dev_t; opening it finds the
 * driver's file_operations here. Also the simplest driver, /dev/null. */
#include "kernel/devkmsg.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"

#define MAX_CHRDEVS 8

struct char_device {
	dev_t dev;
	const char *name;
	const struct file_operations *fops;
};

static struct char_device chrdevs[MAX_CHRDEVS];
static int nr_chrdevs;

/* Boot-time only (before anything can open a device): no lock. */
int register_chrdev(dev_t dev, const char *name, const struct file_operations *fops)
{
	if (nr_chrdevs == MAX_CHRDEVS)
		return -ENOSPC;
	chrdevs[nr_chrdevs++] = (struct char_device){.dev = dev, .name = name, .fops = fops};
	return 0;
}

static const struct file_operations *chrdev_fops(dev_t dev)
{
	for (int i = 0; i < nr_chrdevs; i++)
		if (chrdevs[i].dev == dev)
			return chrdevs[i].fops;
	return NULL;
}

/* A node nobody drives gives -ENXIO, as Linux's chrdev_open. */
static int chrdev_open(struct inode *inode, struct file *file)
{
	const struct file_operations *fops = chrdev_fops(inode->i_rdev);

	if (!fops)
		return -ENXIO;
	file->f_op = fops;
	return fops->open ? fops->open(inode, file) : 0;
}

const struct file_operations def_chr_fops = {
	.open = chrdev_open,
};

static ssize_t read_null(struct file *file, struct iov_iter *to, loff_t *pos)
{
	return 0;
}

static ssize_t write_null(struct file *file, struct iov_iter *from, loff_t *pos)
{
	size_t n = iov_iter_count(from);

	from->count = 0;
	return (ssize_t)n;
}

static loff_t null_lseek(struct file *file, loff_t offset, int whence)
{
	return file->f_pos = 0;
}

static const struct file_operations null_fops = {
	.llseek = null_lseek,
	.read_iter = read_null,
	.write_iter = write_null,
};

void chrdev_init(void)
{
	register_chrdev(MKDEV(MEM_MAJOR, NULL_MINOR), "null", &null_fops);
	devkmsg_init();
}
