/* Mounting and unmounting file systems, and the table /proc/mounts shows
 * (Linux's fs/namespace.c, one name space, no bind mounts). Read first: a
 * mount point must be a directory of the boot-time tree (rootfs), whose
 * dentries never die; the mounted root hangs there by d_mounted, and
 * umount refuses (-EBUSY) while anything below still holds a reference. */
#include "kernel/fs/namespace.h"
#include "kernel/block/blkdev.h"
#include "kernel/fs/ext2/ext2.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/fs/proc_fs.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/vsprintf.h"
#include "mm/slab.h"

#define MOUNTS_LINE 256
#define FSTYPE_MAX 32
#define DEVNAME_MAX 64
/* References on a mounted root nobody uses: the mount's own and
 * d_mounted's (vfs_mount_root). */
#define MNT_ROOT_IDLE_REFS 2

struct file_system_type {
	const char *name;
	struct dentry *(*mount)(struct gendisk *disk, unsigned long flags, const char *name);
	void (*kill_sb)(struct dentry *root);
};

static const struct file_system_type filesystems[] = {
	{.name = "ext2", .mount = ext2_mount, .kill_sb = ext2_kill_sb},
};

struct mount {
	struct list_head mnt_list;
	char devname[DEVNAME_MAX];
	const char *fstype;
	const char *options;
	struct dentry *mountpoint; /* a rootfs directory: never freed */
	struct dentry *root;	   /* NULL for the boot-time records */
	const struct file_system_type *type;
};

static LIST_HEAD(mounts);
static DEFINE_MUTEX(namespace_lock);

static const struct file_system_type *get_fs_type(const char *name)
{
	for (size_t i = 0; i < sizeof(filesystems) / sizeof(filesystems[0]); i++)
		if (!strcmp(filesystems[i].name, name))
			return &filesystems[i];
	return NULL;
}

void add_mount_record(const char *devname, struct dentry *mountpoint, const char *fstype,
		      const char *options)
{
	struct mount *mnt = kzalloc(sizeof(*mnt), GFP_KERNEL);

	if (!mnt)
		return;
	snprintf(mnt->devname, sizeof(mnt->devname), "%s", devname);
	mnt->fstype = fstype;
	mnt->options = options;
	mnt->mountpoint = mountpoint;
	mutex_lock(&namespace_lock);
	list_add_tail(&mnt->mnt_list, &mounts);
	mutex_unlock(&namespace_lock);
}

/* The disk a source path names: a block device node. */
static struct gendisk *lookup_bdev(const char *source, int *err)
{
	struct dentry *d = vfs_path_lookup(root_dentry, source, true);
	struct gendisk *disk = NULL;

	if (IS_ERR(d)) {
		*err = (int)PTR_ERR(d);
		return NULL;
	}
	if ((d->d_inode->i_mode & S_IFMT) != S_IFBLK)
		*err = -ENOTBLK;
	else if (!(disk = get_disk_by_dev(d->d_inode->i_rdev)))
		*err = -ENXIO;
	dput(d);
	return disk;
}

long do_mount(const char *source, const char *target, const char *fstype, unsigned long flags)
{
	const struct file_system_type *type = get_fs_type(fstype);
	struct dentry *mp, *root;
	struct gendisk *disk;
	struct mount *mnt;
	int err = 0;

	if (!type)
		return -ENODEV;
	disk = lookup_bdev(source, &err);
	if (!disk)
		return err;
	mp = vfs_path_lookup(root_dentry, target, true);
	if (IS_ERR(mp))
		return PTR_ERR(mp);
	if (!S_ISDIR(mp->d_inode->i_mode))
		err = -ENOTDIR;
	else if (!(mp->d_flags & DCACHE_PERSISTENT) || mp == root_dentry)
		err = -EINVAL; /* only directories of the boot-time tree, not "/" */
	else if (list_empty(&mp->d_child))
		err = -EBUSY; /* the root of a mount (/proc): no stacking */
	if (err) {
		dput(mp);
		return err;
	}
	mnt = kzalloc(sizeof(*mnt), GFP_KERNEL);
	if (!mnt) {
		dput(mp);
		return -ENOMEM;
	}
	mutex_lock(&namespace_lock);
	root = mp->d_mounted ? ERR_PTR(-EBUSY) : type->mount(disk, flags, mp->d_name);
	if (IS_ERR(root)) {
		err = (int)PTR_ERR(root);
		goto out;
	}
	root->d_parent = dget(mp->d_parent); /* ".." from the root leaves the mount */
	snprintf(mnt->devname, sizeof(mnt->devname), "%s", source);
	mnt->fstype = type->name;
	mnt->options = "ro,relatime";
	mnt->mountpoint = mp;
	mnt->root = root;
	mnt->type = type;
	list_add_tail(&mnt->mnt_list, &mounts);
	__atomic_store_n(&mp->d_mounted, dget(root), __ATOMIC_RELEASE);
	mnt = NULL;
out:
	mutex_unlock(&namespace_lock);
	kfree(mnt);
	dput(mp); /* a persistent dentry: the tree keeps it */
	return err;
}

static struct mount *find_mount_of_root(struct dentry *root)
{
	struct mount *mnt;

	list_for_each_entry(mnt, &mounts, mnt_list)
		if (mnt->root && mnt->root == root)
			return mnt;
	return NULL;
}

long do_umount(const char *target)
{
	struct dentry *d = vfs_path_lookup(root_dentry, target, true), *root;
	struct super_block *sb;
	struct mount *mnt;
	long err = 0;
	bool busy;

	if (IS_ERR(d))
		return PTR_ERR(d);
	mutex_lock(&namespace_lock);
	mnt = find_mount_of_root(d);
	dput(d);
	if (!mnt) {
		mutex_unlock(&namespace_lock);
		return -EINVAL; /* not a mount point */
	}
	root = mnt->root;
	sb = root->d_inode->i_sb;
	/* Unhook first so no new walk enters, then see whether any old one
	 * (an open file, a cwd, a mapping) still holds the tree. */
	__atomic_store_n(&mnt->mountpoint->d_mounted, NULL, __ATOMIC_RELEASE);
	/* A shrinker scan mid-prune holds dentries off the LRU that still
	 * pin the root: wait it out, and keep new scans off until decided. */
	down_write(&sb->s_umount);
	/* Cached dentries nobody uses reference the root too: prune them
	 * first (as Linux's shrink_dcache_for_umount); any left are in use. */
	shrink_dcache_sb(sb);
	busy = __atomic_load_n(&root->d_count, __ATOMIC_ACQUIRE) > MNT_ROOT_IDLE_REFS;
	up_write(&sb->s_umount);
	if (busy) {
		__atomic_store_n(&mnt->mountpoint->d_mounted, root, __ATOMIC_RELEASE);
		err = -EBUSY;
	} else {
		/* A scan starting now finds nothing pinned; kill_sb's
		 * unregister_shrinker waits for it. */
		list_del(&mnt->mnt_list);
		dput(root->d_parent);
		mnt->type->kill_sb(root);
		kfree(mnt);
	}
	mutex_unlock(&namespace_lock);
	return err;
}

/* mount(source, target, fstype, flags, data): data is ignored (no options). */
long sys_mount(const struct pt_regs *regs)
{
	char *source = getname((const char __user *)syscall_arg(regs, 0));
	char *target = IS_ERR(source) ? NULL : getname((const char __user *)syscall_arg(regs, 1));
	char *fstype =
		IS_ERR_OR_NULL(target) ? NULL : getname((const char __user *)syscall_arg(regs, 2));
	long err;

	if (IS_ERR(source))
		err = PTR_ERR(source);
	else if (IS_ERR(target))
		err = PTR_ERR(target);
	else if (IS_ERR(fstype))
		err = PTR_ERR(fstype) == -ENOENT ? -ENODEV : PTR_ERR(fstype);
	else
		err = do_mount(source, target, fstype, syscall_arg(regs, 3));
	if (!IS_ERR_OR_NULL(fstype))
		kfree(fstype);
	if (!IS_ERR_OR_NULL(target))
		kfree(target);
	if (!IS_ERR(source))
		kfree(source);
	return err;
}

/* umount2(target, flags): MNT_FORCE, MNT_DETACH and the rest are refused. */
long sys_umount2(const struct pt_regs *regs)
{
	char *target;
	long err;

	if (syscall_arg(regs, 1))
		return -EINVAL;
	target = getname((const char __user *)syscall_arg(regs, 0));
	if (IS_ERR(target))
		return PTR_ERR(target);
	err = do_umount(target);
	kfree(target);
	return err;
}

/* Linux's mounts format: device, mount point, type, options, 0 0. */
static int mounts_show(struct seq_file *m)
{
	struct mount *mnt;
	char path[MOUNTS_LINE / 2], line[MOUNTS_LINE];

	seq_emit_line(m, "rootfs / rootfs ro 0 0");
	mutex_lock(&namespace_lock);
	list_for_each_entry(mnt, &mounts, mnt_list) {
		if (d_path(mnt->mountpoint, path, sizeof(path)))
			continue;
		snprintf(line, sizeof(line), "%s %s %s %s 0 0", mnt->devname, path, mnt->fstype,
			 mnt->options);
		seq_emit_line(m, line);
	}
	mutex_unlock(&namespace_lock);
	return 0;
}

static const struct proc_ops mounts_ops = {.proc_show = mounts_show};

void proc_mounts_init(struct dentry *root)
{
	proc_create(root, "mounts", 0444, &mounts_ops, NULL);
}
