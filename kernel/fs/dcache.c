/* Dentries: the names of the tree, their lookup, and the cache of a disk
 * file system's names (Linux's fs/dcache.c). Read first: one lock,
 * dcache_lock, guards every d_subdirs list and the LRUs of unused cached
 * dentries; a cached dentry's count goes from 0 to 1 (lookup) and back
 * (dput) only under it, so the shrinker never frees one in use. */
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/sysctl.h"
#include "kernel/vsprintf.h"
#include "mm/slab.h"

#define DEFAULT_VFS_CACHE_PRESSURE 100
#define DENTRY_AGE_LIMIT 45 /* Linux's dentry_stat.age_limit, reported only */

struct dentry *root_dentry;
int sysctl_vfs_cache_pressure = DEFAULT_VFS_CACHE_PRESSURE;

static DEFINE_SPINLOCK(dcache_lock);
static long nr_dentry;		       /* atomic: every dentry allocated */
static unsigned long nr_dentry_unused; /* dcache_lock: on any LRU */

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
	INIT_LIST_HEAD(&d->d_lru);
	memcpy(d->d_name, name, len);
	d->d_name[len] = '\0';
	d->d_namelen = (unsigned int)len;
	__atomic_add_fetch(&nr_dentry, 1, __ATOMIC_RELAXED);
	return d;
}

void d_free(struct dentry *dentry)
{
	__atomic_sub_fetch(&nr_dentry, 1, __ATOMIC_RELAXED);
	kfree(dentry);
}

/* The tree keeps the reference the caller had: the dentry and its inode
 * stay for good. Children are kept in name order so listings are stable. */
void d_add_persistent(struct dentry *dentry, struct inode *inode)
{
	struct dentry *parent = dentry->d_parent, *sibling;
	struct list_head *before = &parent->d_subdirs;

	dentry->d_inode = inode;
	dentry->d_flags |= DCACHE_PERSISTENT;
	spin_lock(&dcache_lock);
	list_for_each_entry(sibling, &parent->d_subdirs, d_child) {
		if (strcmp(sibling->d_name, dentry->d_name) > 0) {
			before = &sibling->d_child;
			break;
		}
	}
	list_add_tail(&dentry->d_child, before);
	spin_unlock(&dcache_lock);
}

static bool name_is(const struct dentry *d, const char *name, size_t len)
{
	return d->d_namelen == len && memcmp(d->d_name, name, len) == 0;
}

/* The LRU of the super block the dentry's inode lives on. */
static void d_lru_add(struct dentry *d)
{
	struct super_block *sb = d->d_inode->i_sb;

	list_add_tail(&d->d_lru, &sb->s_dentry_lru);
	d->d_flags |= DCACHE_LRU_LIST;
	sb->s_nr_dentry_unused++;
	nr_dentry_unused++;
}

static void d_lru_del(struct dentry *d)
{
	struct super_block *sb = d->d_inode->i_sb;

	list_del_init(&d->d_lru);
	d->d_flags &= ~DCACHE_LRU_LIST;
	sb->s_nr_dentry_unused--;
	nr_dentry_unused--;
}

/* With dcache_lock: a reference, taking an unused dentry off its LRU. */
static struct dentry *dget_dlock(struct dentry *d)
{
	if (__atomic_fetch_add(&d->d_count, 1, __ATOMIC_ACQ_REL) == 0 &&
	    (d->d_flags & DCACHE_LRU_LIST))
		d_lru_del(d);
	return d;
}

static struct dentry *find_child(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *child;

	list_for_each_entry(child, &parent->d_subdirs, d_child)
		if (name_is(child, name, len))
			return child;
	return NULL;
}

/* A child held in the tree or the cache, with a reference, or NULL. */
struct dentry *d_lookup_child(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *child;

	spin_lock(&dcache_lock);
	child = find_child(parent, name, len);
	if (child)
		dget_dlock(child);
	spin_unlock(&dcache_lock);
	return child;
}

struct dentry *d_add_unique(struct dentry *dentry, struct inode *inode)
{
	struct dentry *parent = dentry->d_parent, *alias;

	dentry->d_inode = inode;
	spin_lock(&dcache_lock);
	alias = find_child(parent, dentry->d_name, dentry->d_namelen);
	if (alias) {
		dget_dlock(alias);
		spin_unlock(&dcache_lock);
		dput(dentry); /* not hashed: frees it, its inode and parent refs */
		return alias;
	}
	dentry->d_flags |= DCACHE_HASHED;
	list_add_tail(&dentry->d_child, &parent->d_subdirs);
	spin_unlock(&dcache_lock);
	return dentry;
}

struct dentry *dget(struct dentry *dentry)
{
	__atomic_add_fetch(&dentry->d_count, 1, __ATOMIC_RELAXED);
	return dentry;
}

/* Tree dentries never reach zero (the tree holds one reference); a
 * cached one waits on the LRU (as Linux's retain_dentry says); any other
 * takes its inode and its parent's reference with it. A holder of a
 * reference keeps DCACHE_HASHED as it is: only the pruning of an unused
 * dentry clears it. */
void dput(struct dentry *dentry)
{
	while (dentry) {
		struct dentry *parent = dentry->d_parent;

		if (dentry->d_flags & DCACHE_HASHED) {
			spin_lock(&dcache_lock);
			if (__atomic_sub_fetch(&dentry->d_count, 1, __ATOMIC_ACQ_REL) == 0)
				d_lru_add(dentry);
			spin_unlock(&dcache_lock);
			return;
		}
		if (__atomic_sub_fetch(&dentry->d_count, 1, __ATOMIC_ACQ_REL) != 0)
			return;
		if (dentry->d_flags & DCACHE_PERSISTENT)
			return; /* unbalanced dput: keep the tree whole */
		iput(dentry->d_inode);
		d_free(dentry);
		dentry = parent == dentry ? NULL : parent;
	}
}

/* A pruned child lets go of its parent: a cached parent it leaves
 * unused is unhashed to die with it (as Linux's shrink_kill), so one pass
 * frees a whole unused branch; any other parent is simply put. */
static struct dentry *release_parent(struct dentry *parent)
{
	if (!(parent->d_flags & DCACHE_HASHED)) {
		dput(parent);
		return NULL;
	}
	spin_lock(&dcache_lock);
	if (__atomic_sub_fetch(&parent->d_count, 1, __ATOMIC_ACQ_REL) != 0) {
		spin_unlock(&dcache_lock);
		return NULL;
	}
	list_del_init(&parent->d_child);
	parent->d_flags &= ~DCACHE_HASHED;
	spin_unlock(&dcache_lock);
	return parent;
}

/* Free an unhashed, unused dentry and the ancestors it leaves unused. */
static unsigned long d_kill(struct dentry *d)
{
	unsigned long freed = 0;

	while (d) {
		struct dentry *parent = d->d_parent;

		iput(d->d_inode);
		d_free(d);
		freed++;
		d = release_parent(parent);
	}
	return freed;
}

/* Unhash the oldest unused dentries under the lock, then free them
 * outside it: iput may take sleeping locks. */
unsigned long prune_dcache_sb(struct super_block *sb, unsigned long nr)
{
	LIST_HEAD(dispose);
	struct dentry *d, *next;
	unsigned long taken = 0, freed = 0;

	spin_lock(&dcache_lock);
	while (taken < nr && !list_empty(&sb->s_dentry_lru)) {
		d = list_first_entry(&sb->s_dentry_lru, struct dentry, d_lru);
		d_lru_del(d);
		list_del_init(&d->d_child);
		d->d_flags &= ~DCACHE_HASHED;
		list_add_tail(&d->d_lru, &dispose);
		taken++;
	}
	spin_unlock(&dcache_lock);
	list_for_each_entry_safe(d, next, &dispose, d_lru)
		freed += d_kill(d);
	return freed;
}

/* Each pass takes the whole LRU; another is needed only for names let go
 * meanwhile. Bounded by the count at the start, so names cached as fast as
 * they are pruned cannot keep a caller (umount, under namespace_lock)
 * spinning: every pass but the last frees at least one. */
void shrink_dcache_sb(struct super_block *sb)
{
	unsigned long passes = __atomic_load_n(&sb->s_nr_dentry_unused, __ATOMIC_RELAXED) + 1;

	while (passes-- && prune_dcache_sb(sb, ~0ul))
		;
}

long dentry_stat_nr_dentry(void)
{
	return __atomic_load_n(&nr_dentry, __ATOMIC_RELAXED);
}

unsigned long dentry_stat_nr_unused(void)
{
	return __atomic_load_n(&nr_dentry_unused, __ATOMIC_RELAXED);
}

/* Linux's six numbers, tab-separated: nr_dentry nr_unused age_limit
 * want_pages nr_negative dummy (no negative dentries are cached here). */
static int dentry_state_handler(const struct ctl_table *table, int write, char *buffer,
				size_t *lenp)
{
	int n;

	(void)table;
	if (write)
		return -EPERM;
	n = snprintf(buffer, *lenp, "%ld\t%lu\t%d\t0\t0\t0\n", dentry_stat_nr_dentry(),
		     dentry_stat_nr_unused(), DENTRY_AGE_LIMIT);
	*lenp = (size_t)n < *lenp ? (size_t)n : *lenp;
	return 0;
}

static const int zero;

static const struct ctl_table vm_dcache_sysctls[] = {
	{.procname = "vfs_cache_pressure",
	 .data = &sysctl_vfs_cache_pressure,
	 .mode = 0644,
	 .proc_handler = proc_dointvec_minmax,
	 .extra1 = &zero},
	{0},
};

static const struct ctl_table fs_dcache_sysctls[] = {
	{.procname = "dentry-state", .mode = 0444, .proc_handler = dentry_state_handler},
	{0},
};

void dcache_init(void)
{
	if (register_sysctl_init("vm", vm_dcache_sysctls) ||
	    register_sysctl_init("fs", fs_dcache_sysctls))
		pr_err("dcache: cannot register the sysctls");
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
