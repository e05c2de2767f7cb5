/* procfs core: its inodes, its file operations (show on read, parse on
 * write) and the root directory, static entries first, then one directory
 * per process (Linux's fs/proc/root.c, inode.c, generic.c). Read first:
 * the root's fixed entries live in the dentry tree like rootfs nodes;
 * /proc/<pid> dentries exist only while a lookup result is held. */
#include "kernel/block/blkdev.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/fs/namespace.h"
#include "kernel/fs/proc_fs.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/psi.h"
#include "kernel/string.h"
#include "mm/slab.h"

#define PROC_DEV MKDEV(0, 3)
#define PROC_ROOT_INO 1
/* Root positions below this are fixed entries; above, pid + this. */
#define FIRST_PROCESS_ENTRY 256

static struct kmem_cache *proc_inode_cachep;

static struct inode *proc_alloc_inode(struct super_block *sb)
{
	struct proc_inode *pi = kmem_cache_zalloc(proc_inode_cachep, GFP_KERNEL);

	return pi ? &pi->vfs_inode : NULL;
}

static void proc_free_inode(struct inode *inode)
{
	kmem_cache_free(proc_inode_cachep, PROC_I(inode));
}

static const struct super_operations proc_sops = {
	.alloc_inode = proc_alloc_inode,
	.destroy_inode = proc_free_inode,
};

struct super_block proc_sb = {.s_id = "proc", .s_dev = PROC_DEV, .s_op = &proc_sops};

/* --- files: the text is made at a read from offset 0 --- */

static int proc_reg_open(struct inode *inode, struct file *file)
{
	struct seq_file *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	m->private = inode;
	file->private_data = m;
	return 0;
}

static void proc_reg_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	seq_release_buf(m);
	kfree(m);
}

static ssize_t proc_reg_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct seq_file *m = file->private_data;
	const struct proc_ops *ops = PROC_I(file->f_inode)->ops;
	size_t n;

	if (!ops->proc_show)
		return -EINVAL;
	if (*pos < 0)
		return -EINVAL;
	if (*pos == 0 || !m->buf) {
		int err = seq_generate(m, ops->proc_show);

		if (err)
			return err;
	}
	if ((size_t)*pos >= m->count)
		return 0;
	n = m->count - (size_t)*pos;
	n = copy_to_iter(m->buf + *pos, n, to);
	if (!n)
		return -EFAULT;
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static ssize_t proc_reg_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	const struct proc_ops *ops = PROC_I(file->f_inode)->ops;
	size_t count = iov_iter_count(from);
	ssize_t ret;
	char *buf;

	if (!ops->proc_write)
		return -EINVAL;
	if (count > PROC_WRITE_MAX)
		return -EINVAL;
	buf = kmalloc(count + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (copy_from_iter(buf, count, from) != count) {
		kfree(buf);
		return -EFAULT;
	}
	buf[count] = '\0';
	ret = ops->proc_write(file->f_inode, buf, count);
	kfree(buf);
	return ret;
}

const struct file_operations proc_reg_file_ops = {
	.llseek = generic_file_llseek,
	.read_iter = proc_reg_read,
	.write_iter = proc_reg_write,
	.open = proc_reg_open,
	.release = proc_reg_release,
};

/* --- building the tree --- */

static struct inode *proc_new_inode(umode_t mode, unsigned long ino)
{
	struct inode *inode = new_inode(&proc_sb, mode);

	if (inode && ino)
		inode->i_ino = ino;
	return inode;
}

struct dentry *proc_alloc_dentry(struct dentry *parent, const char *name, size_t len, umode_t mode,
				 unsigned long ino)
{
	struct inode *inode = proc_new_inode(mode, ino);
	struct dentry *d = inode ? d_alloc(parent, name, len) : NULL;

	if (!d) {
		iput(inode);
		return NULL;
	}
	d->d_inode = inode;
	return d;
}

static struct dentry *proc_register(struct dentry *parent, const char *name, umode_t mode)
{
	struct dentry *d = proc_alloc_dentry(parent, name, strlen(name), mode, 0);

	if (!d)
		panic("proc: no memory for /proc entry %s", name);
	d_add_persistent(d, d->d_inode);
	if (S_ISDIR(mode))
		parent->d_inode->i_nlink++;
	return d;
}

struct dentry *proc_mkdir(struct dentry *parent, const char *name)
{
	struct dentry *d = proc_register(parent, name, S_IFDIR | 0555);

	d->d_inode->i_fop = &simple_dir_operations;
	return d;
}

struct dentry *proc_create(struct dentry *parent, const char *name, umode_t mode,
			   const struct proc_ops *ops, const void *data)
{
	struct dentry *d = proc_register(parent, name, (umode_t)(S_IFREG | mode));

	d->d_inode->i_fop = &proc_reg_file_ops;
	PROC_I(d->d_inode)->ops = ops;
	PROC_I(d->d_inode)->data = data;
	return d;
}

struct dentry *proc_symlink(struct dentry *parent, const char *name,
			    const struct inode_operations *iops)
{
	struct dentry *d = proc_register(parent, name, S_IFLNK | 0777);

	d->d_inode->i_op = iops;
	return d;
}

/* --- the root: fixed entries, then the processes --- */

static struct dentry *proc_root_lookup(struct inode *dir, struct dentry *parent, const char *name,
				       size_t len)
{
	return proc_pid_lookup(parent, name, len);
}

static const struct inode_operations proc_root_inode_operations = {
	.lookup = proc_root_lookup,
};

static int proc_root_readdir(struct file *file, struct dir_context *ctx)
{
	if (ctx->pos < FIRST_PROCESS_ENTRY) {
		int err = dcache_readdir(file, ctx);
		/* dcache_readdir stops early only when the caller's buffer
		 * filled: then ctx->pos still points inside the fixed part. */
		struct dentry *child;
		loff_t n = 2;

		if (err)
			return err;
		list_for_each_entry(child, &file->f_dentry->d_subdirs, d_child)
			n++;
		if (ctx->pos < n)
			return 0;
		ctx->pos = FIRST_PROCESS_ENTRY;
	}
	return proc_pid_readdir(file, ctx, FIRST_PROCESS_ENTRY);
}

static const struct file_operations proc_root_operations = {
	.llseek = generic_file_llseek,
	.iterate_shared = proc_root_readdir,
};

void proc_root_init(void)
{
	struct inode *inode;
	struct dentry *root;
	int err;

	proc_inode_cachep = kmem_cache_create("proc_inode_cache", sizeof(struct proc_inode), 0,
					      SLAB_RECLAIM_ACCOUNT | SLAB_PANIC, NULL);
	inode = proc_new_inode(S_IFDIR | 0555, PROC_ROOT_INO);
	/* Named for d_path: its parent becomes "/" when it is mounted. */
	root = inode ? d_alloc(NULL, "proc", 4) : NULL;
	if (!root)
		panic("proc: no memory for the root");
	root->d_inode = inode;
	root->d_flags |= DCACHE_PERSISTENT;
	inode->i_op = &proc_root_inode_operations;
	inode->i_fop = &proc_root_operations;
	proc_symlink(root, "self", &proc_self_inode_operations);
	proc_misc_init(root);
	proc_sys_init(root);
	proc_diskstats_init(root);
	proc_mounts_init(root);
	psi_proc_init(root);
	err = vfs_mount_root("/proc", root);
	if (err)
		pr_err("proc: cannot mount on /proc (error %d)", err);
	else
		add_mount_record("proc", root, "proc", "rw,nosuid,nodev,noexec,relatime");
}
