/* Dentries: the names of the tree and their lookup. Read first: the tree
 * built at boot is only ever added to, before user space runs, so walking
 * it needs no lock; only reference counts change afterwards, atomically. */
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/string.h"
#include "mm/slab.h"

struct dentry *root_dentry;

/* A free-standing dentry for name under parent (which it references), no
 * inode yet; NULL without memory. */
struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *d = kzalloc(sizeof(*d) + len + 1, GFP_KERNEL);

	if (!d)
		return NULL;
	d->d_count = 1;
	d->d_parent = parent ? dget(parent) : d;
	INIT_LIST_HEAD(&d->d_child);
	INIT_LIST_HEAD(&d->d_subdirs);
	memcpy(d->d_name, name, len);
	d->d_name[len] = '\0';
	d->d_namelen = (unsigned int)len;
	return d;
}

/* The tree keeps the reference the caller had: the dentry and its inode
 * stay for good. Children are kept in name order so listings are stable. */
void d_add_persistent(struct dentry *dentry, struct inode *inode)
{
	struct dentry *parent = dentry->d_parent, *sibling;
	struct list_head *before = &parent->d_subdirs;

	dentry->d_inode = inode;
	dentry->d_flags |= DCACHE_PERSISTENT;
	list_for_each_entry(sibling, &parent->d_subdirs, d_child) {
		if (strcmp(sibling->d_name, dentry->d_name) > 0) {
			before = &sibling->d_child;
			break;
		}
	}
	list_add_tail(&dentry->d_child, before);
}

static bool name_is(const struct dentry *d, const char *name, size_t len)
{
	return d->d_namelen == len && memcmp(d->d_name, name, len) == 0;
}

/* A child held in the tree, with a reference, or NULL. */
struct dentry *d_lookup_child(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *child;

	list_for_each_entry(child, &parent->d_subdirs, d_child)
		if (name_is(child, name, len))
			return dget(child);
	return NULL;
}

struct dentry *dget(struct dentry *dentry)
{
	__atomic_add_fetch(&dentry->d_count, 1, __ATOMIC_RELAXED);
	return dentry;
}

/* Tree dentries never reach zero (the tree holds one reference); a
 * lookup-made one takes its inode and its parent's reference with it. */
void dput(struct dentry *dentry)
{
	while (dentry && __atomic_sub_fetch(&dentry->d_count, 1, __ATOMIC_ACQ_REL) == 0) {
		struct dentry *parent = dentry->d_parent;

		if (dentry->d_flags & DCACHE_PERSISTENT)
			return; /* unbalanced dput: keep the tree whole */
		iput(dentry->d_inode);
		kfree(dentry);
		dentry = parent == dentry ? NULL : parent;
	}
}

/* Build the path backwards from the end of buf: each name, then a '/'. */
int d_path(struct dentry *dentry, char *buf, size_t size)
{
	size_t pos = size;

	if (size < 2)
		return -ENAMETOOLONG;
	buf[--pos] = '\0';
	for (struct dentry *d = dentry; d != d->d_parent; d = d->d_parent) {
		if (pos < d->d_namelen + 1)
			return -ENAMETOOLONG;
		pos -= d->d_namelen;
		memcpy(buf + pos, d->d_name, d->d_namelen);
		buf[--pos] = '/';
	}
	if (pos == size - 1)
		buf[--pos] = '/'; /* the root itself */
	memmove(buf, buf + pos, size - pos);
	return 0;
}

bool dir_emit_dots(struct file *file, struct dir_context *ctx)
{
	struct dentry *d = file->f_dentry;

	if (ctx->pos == 0) {
		if (!dir_emit(ctx, ".", 1, file->f_inode->i_ino, DT_DIR))
			return false;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		struct inode *parent = d ? d->d_parent->d_inode : file->f_inode;

		if (!dir_emit(ctx, "..", 2, parent->i_ino, DT_DIR))
			return false;
		ctx->pos = 2;
	}
	return true;
}

/* Children in tree order: entry n (counting from 0) sits at position n + 2. */
int dcache_readdir(struct file *file, struct dir_context *ctx)
{
	struct dentry *child;
	loff_t n = 2;

	if (!dir_emit_dots(file, ctx))
		return 0;
	list_for_each_entry(child, &file->f_dentry->d_subdirs, d_child) {
		struct inode *inode = child->d_inode;

		if (n++ < ctx->pos)
			continue;
		if (!dir_emit(ctx, child->d_name, child->d_namelen, inode->i_ino, dt_type(inode)))
			return 0;
		ctx->pos = n;
	}
	return 0;
}

const struct file_operations simple_dir_operations = {
	.llseek = generic_file_llseek,
	.iterate_shared = dcache_readdir,
};
