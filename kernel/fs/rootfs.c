/* rootfs: the in-memory tree at "/" that the initramfs fills, and mounts
 * on it (/proc). Read first: a regular file's bytes stay where the boot
 * loader put the initrd (memblock keeps that memory reserved); they reach
 * readers only through the page cache, one page copied on first use. */
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/paging.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/slab.h"

#define ROOTFS_DEV MKDEV(0, 1)

static struct super_block rootfs_sb = {.s_id = "rootfs", .s_dev = ROOTFS_DEV, .s_flags = SB_RDONLY};

/* Where a file's bytes lie in the initrd (i_private). */
struct rootfs_data {
	const char *bytes;
};

static int rootfs_readpage(struct address_space *mapping, struct page *page)
{
	const struct rootfs_data *rd = mapping->host->i_private;
	loff_t start = (loff_t)page->index << PAGE_SHIFT, size = mapping->host->i_size;
	size_t n = 0;
	char *dst = page_address(page);

	if (start < size)
		n = (size_t)(size - start) < PAGE_SIZE ? (size_t)(size - start) : PAGE_SIZE;
	memcpy(dst, rd->bytes + start, n);
	memset(dst + n, 0, PAGE_SIZE - n);
	return 0;
}

static const struct address_space_operations rootfs_aops = {
	.readpage = rootfs_readpage,
};

static ssize_t read_only_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	return -EROFS;
}

static const struct file_operations rootfs_file_operations = {
	.llseek = generic_file_llseek,
	.read_iter = filemap_read,
	.write_iter = read_only_write,
};

static int rootfs_get_link(struct inode *inode, char *buf, size_t size)
{
	const struct rootfs_data *rd = inode->i_private;

	if ((size_t)inode->i_size >= size)
		return -ENAMETOOLONG;
	memcpy(buf, rd->bytes, (size_t)inode->i_size);
	buf[inode->i_size] = '\0';
	return 0;
}

static const struct inode_operations rootfs_symlink_inode_operations = {
	.get_link = rootfs_get_link,
};

static struct dentry *new_child(struct dentry *dir, const char *name, size_t len, umode_t mode,
				struct inode **inodep)
{
	struct dentry *existing = d_lookup_child(dir, name, len), *d;
	struct inode *inode;

	if (existing) {
		dput(existing);
		return ERR_PTR(-EEXIST);
	}
	if (len == 0 || len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	inode = new_inode(&rootfs_sb, mode);
	d = inode ? d_alloc(dir, name, len) : NULL;
	if (!d) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	*inodep = inode;
	return d;
}

struct dentry *rootfs_mknod(struct dentry *dir, const char *name, size_t len, umode_t mode,
			    dev_t rdev)
{
	struct inode *inode;
	struct dentry *d = new_child(dir, name, len, mode, &inode);

	if (IS_ERR(d))
		return d;
	if (S_ISDIR(mode)) {
		inode->i_fop = &simple_dir_operations;
		dir->d_inode->i_nlink++;
	} else if (S_ISCHR(mode)) {
		inode->i_rdev = rdev;
		inode->i_fop = &def_chr_fops;
	}
	d_add_persistent(d, inode);
	return d;
}

/* A node whose bytes are data[0..size): a regular file or a symlink. */
static struct dentry *rootfs_node_with_data(struct dentry *dir, const char *name, size_t len,
					    umode_t mode, const void *data, size_t size)
{
	struct rootfs_data *rd = kmalloc(sizeof(*rd), GFP_KERNEL);
	struct inode *inode;
	struct dentry *d;

	if (!rd)
		return ERR_PTR(-ENOMEM);
	d = new_child(dir, name, len, mode, &inode);
	if (IS_ERR(d)) {
		kfree(rd);
		return d;
	}
	rd->bytes = data;
	inode->i_private = rd;
	inode->i_size = (loff_t)size;
	d_add_persistent(d, inode);
	return d;
}

struct dentry *rootfs_create_file(struct dentry *dir, const char *name, size_t len, umode_t mode,
				  const void *data, size_t size, int64_t mtime)
{
	struct dentry *d = rootfs_node_with_data(dir, name, len,
						 (umode_t)(S_IFREG | (mode & ~S_IFMT)), data, size);

	if (!IS_ERR(d)) {
		d->d_inode->i_fop = &rootfs_file_operations;
		d->d_inode->i_mtime = mtime;
		inode_init_mapping(d->d_inode, &rootfs_aops);
		/* ramfs-like: the only copy of the bytes, never reclaimed. */
		d->d_inode->i_mapping->flags |= AS_UNEVICTABLE;
	}
	return d;
}

struct dentry *rootfs_symlink(struct dentry *dir, const char *name, size_t len, const char *target,
			      size_t target_len)
{
	struct dentry *d =
		rootfs_node_with_data(dir, name, len, S_IFLNK | 0777, target, target_len);

	if (!IS_ERR(d))
		d->d_inode->i_op = &rootfs_symlink_inode_operations;
	return d;
}

/* One component at a time from "/"; an existing directory is reused. */
struct dentry *rootfs_mkdir_p(const char *path, umode_t mode)
{
	struct dentry *dir = dget(root_dentry);

	while (*path) {
		const char *end;
		struct dentry *next;

		while (*path == '/')
			path++;
		end = strchr(path, '/');
		if (!end)
			end = path + strlen(path);
		if (end == path)
			break;
		next = d_lookup_child(dir, path, (size_t)(end - path));
		if (!next) {
			next = rootfs_mknod(dir, path, (size_t)(end - path),
					    (umode_t)(S_IFDIR | mode), 0);
			if (!IS_ERR(next))
				dget(next);
		}
		dput(dir);
		if (IS_ERR(next))
			return next;
		if (!S_ISDIR(next->d_inode->i_mode)) {
			dput(next);
			return ERR_PTR(-ENOTDIR);
		}
		dir = next;
		path = end;
	}
	return dir;
}

void rootfs_init(void)
{
	struct inode *inode = new_inode(&rootfs_sb, S_IFDIR | 0755);

	root_dentry = inode ? d_alloc(NULL, "/", 1) : NULL;
	if (!root_dentry)
		panic("VFS: cannot allocate the root directory");
	inode->i_fop = &simple_dir_operations;
	root_dentry->d_inode = inode;
	root_dentry->d_flags |= DCACHE_PERSISTENT;
}

/* ".." from the mounted root leads to the mount point's parent. */
int vfs_mount_root(const char *path, struct dentry *fs_root)
{
	struct dentry *mp = vfs_path_lookup(root_dentry, path, true);

	if (IS_ERR(mp))
		return (int)PTR_ERR(mp);
	if (!S_ISDIR(mp->d_inode->i_mode) || mp->d_mounted) {
		int err = mp->d_mounted ? -EBUSY : -ENOTDIR;

		dput(mp);
		return err;
	}
	fs_root->d_parent = dget(mp->d_parent);
	mp->d_mounted = dget(fs_root);
	dput(mp);
	return 0;
}
