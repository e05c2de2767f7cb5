/* Path lookup: from a starting directory, one component at a time, across
 * mount points and through symlinks (Linux's fs/namei.c, walked on the
 * dentry tree only). Read first: every dentry the walk stands on is
 * referenced, so a procfs dentry made by a lookup cannot vanish under it. */
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/string.h"
#include "mm/slab.h"

struct nameidata {
	struct dentry *cur; /* referenced */
	int depth;	    /* symlinks being followed */
};

static struct dentry *follow_mount(struct dentry *d)
{
	while (d->d_mounted) {
		struct dentry *root = dget(d->d_mounted);

		dput(d);
		d = root;
	}
	return d;
}

static struct dentry *lookup_one(struct dentry *dir, const char *name, size_t len)
{
	struct inode *inode = dir->d_inode;
	struct dentry *child = d_lookup_child(dir, name, len);

	if (child)
		return child;
	if (!inode->i_op || !inode->i_op->lookup)
		return ERR_PTR(-ENOENT);
	return inode->i_op->lookup(inode, dir, name, len);
}

static int walk(struct nameidata *nd, const char *path, bool follow_last);

/* Replace nd->cur (a symlink's directory) by the symlink's target. */
static int follow_link(struct nameidata *nd, struct dentry *link)
{
	char *target;
	int err;

	if (nd->depth >= MAX_NESTED_LINKS)
		return -ELOOP;
	target = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!target)
		return -ENOMEM;
	err = link->d_inode->i_op->get_link(link->d_inode, target, PATH_MAX);
	if (!err) {
		nd->depth++;
		err = walk(nd, target, true);
		nd->depth--;
	}
	kfree(target);
	return err;
}

static bool is_symlink(const struct dentry *d)
{
	return S_ISLNK(d->d_inode->i_mode) && d->d_inode->i_op && d->d_inode->i_op->get_link;
}

/* One step: "." stays, ".." climbs (never above "/"), a name descends. */
static int step(struct nameidata *nd, const char *name, size_t len, bool last, bool follow_last)
{
	struct dentry *next;

	if (!S_ISDIR(nd->cur->d_inode->i_mode))
		return -ENOTDIR;
	if (len == 1 && name[0] == '.')
		return 0;
	if (len == 2 && name[0] == '.' && name[1] == '.') {
		next = dget(nd->cur->d_parent);
		dput(nd->cur);
		nd->cur = next;
		return 0;
	}
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	next = lookup_one(nd->cur, name, len);
	if (IS_ERR(next))
		return (int)PTR_ERR(next);
	next = follow_mount(next);
	if (is_symlink(next) && (!last || follow_last)) {
		int err = follow_link(nd, next);

		dput(next);
		return err;
	}
	dput(nd->cur);
	nd->cur = next;
	return 0;
}

static int walk(struct nameidata *nd, const char *path, bool follow_last)
{
	if (*path == '/') {
		dput(nd->cur);
		nd->cur = dget(root_dentry);
	}
	while (*path) {
		const char *end;
		bool trailing_slash;
		int err;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		end = strchr(path, '/');
		if (!end)
			end = path + strlen(path);
		trailing_slash = *end == '/';
		err = step(nd, path, (size_t)(end - path), !trailing_slash && !end[0], follow_last);
		if (err)
			return err;
		if (trailing_slash && !S_ISDIR(nd->cur->d_inode->i_mode))
			return -ENOTDIR;
		path = end;
	}
	return 0;
}

struct dentry *vfs_path_lookup(struct dentry *start, const char *path, bool follow)
{
	struct nameidata nd = {.cur = dget(start ? start : root_dentry)};
	int err;

	if (!path[0]) {
		dput(nd.cur);
		return ERR_PTR(-ENOENT);
	}
	if (strnlen(path, PATH_MAX) >= PATH_MAX) {
		dput(nd.cur);
		return ERR_PTR(-ENAMETOOLONG);
	}
	nd.cur = follow_mount(nd.cur);
	err = walk(&nd, path, follow);
	if (err) {
		dput(nd.cur);
		return ERR_PTR(err);
	}
	return nd.cur;
}
