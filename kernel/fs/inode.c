/* Inodes: allocation, reference counts, the page cache each may own.
 * Read first: an inode lives while anyone holds i_count: a dentry, an
 * open file, a pipe end; the last iput lets its file system clean up
 * (evict_inode) and frees it. */
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/string.h"
#include "mm/slab.h"

static struct kmem_cache *inode_cachep;

void inode_cache_init(void)
{
	inode_cachep = kmem_cache_create("inode_cache", sizeof(struct inode), 0,
					 SLAB_RECLAIM_ACCOUNT | SLAB_PANIC, NULL);
}

static struct inode *alloc_inode(struct super_block *sb)
{
	if (sb->s_op && sb->s_op->alloc_inode)
		return sb->s_op->alloc_inode(sb);
	return kmem_cache_zalloc(inode_cachep, GFP_KERNEL);
}

static void destroy_inode(struct inode *inode)
{
	if (inode->i_sb->s_op && inode->i_sb->s_op->destroy_inode)
		inode->i_sb->s_op->destroy_inode(inode);
	else
		kmem_cache_free(inode_cachep, inode);
}

/* A file system that allocates its own inodes embeds a struct inode and
 * calls this on it. */
void inode_init_once(struct inode *inode, struct super_block *sb, umode_t mode)
{
	inode->i_sb = sb;
	inode->i_mode = mode;
	inode->i_nlink = S_ISDIR(mode) ? 2 : 1;
	inode->i_count = 1;
	inode->i_ino = ++sb->s_next_ino;
}

/* NULL without memory. The one reference is the caller's. */
struct inode *new_inode(struct super_block *sb, umode_t mode)
{
	struct inode *inode = alloc_inode(sb);

	if (!inode)
		return NULL;
	inode_init_once(inode, sb, mode);
	return inode;
}

void ihold(struct inode *inode)
{
	__atomic_add_fetch(&inode->i_count, 1, __ATOMIC_RELAXED);
}

void iput(struct inode *inode)
{
	if (!inode || __atomic_sub_fetch(&inode->i_count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (inode->i_sb->s_op && inode->i_sb->s_op->evict_inode)
		inode->i_sb->s_op->evict_inode(inode);
	if (inode->i_mapping)
		truncate_inode_pages(inode->i_mapping);
	destroy_inode(inode);
}
