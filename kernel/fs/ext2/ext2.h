/* ext2 in the kernel: the mounted file system and its in-memory inodes
 * (Linux's fs/ext2/ext2.h, read-only). Read first: an inode, once read,
 * stays in the super block's inode cache until umount or its shrinker
 * (not while a cached dentry holds it), so its page cache outlives the
 * files that come and go; the pages themselves are clean copies of the
 * disk and may be dropped and read again. */
#ifndef OOMLAB_KERNEL_FS_EXT2_EXT2_H
#define OOMLAB_KERNEL_FS_EXT2_EXT2_H
#include "kernel/block/blkdev.h"
#include "kernel/fs/ext2/ext2_fs.h"
#include "kernel/fs/fs.h"
#include "kernel/list.h"
#include "kernel/locking/mutex.h"
#include "mm/swap.h"

struct ext2_sb {
	struct super_block sb; /* s_id is the disk's name */
	struct ext2_sb_info info;
	struct gendisk *disk;
	struct ext2_group_desc_info *gds; /* info.s_groups_count of them */
	struct mutex inode_lock;	  /* the inode cache */
	struct list_head inodes;	  /* every ext2_inode read, by i_hash */
	unsigned long nr_inodes;
	struct shrinker d_shrinker; /* unused dentries (shrinker.c), then... */
	struct shrinker i_shrinker; /* ...unused inodes: registered in this order */
};

struct ext2_inode {
	uint32_t i_data[EXT2_N_BLOCKS]; /* the block map, or a fast symlink's target */
	bool fast_symlink;
	struct list_head i_hash; /* on ext2_sb.inodes */
	struct inode vfs_inode;
};

static inline struct ext2_sb *EXT2_SB(struct super_block *sb)
{
	return container_of(sb, struct ext2_sb, sb);
}
static inline struct ext2_inode *EXT2_I(struct inode *inode)
{
	return container_of(inode, struct ext2_inode, vfs_inode);
}

/* "EXT2-fs (vda): error: ..." and "EXT2-fs error (device vda): f: ...",
 * as Linux's ext2_msg (at KERN_ERR) and ext2_error. */
void ext2_msg(struct ext2_sb *sbi, const char *text);
void ext2_error(struct ext2_sb *sbi, const char *function, const char *text);

/* Read block of the file system into buf (blocksize bytes, direct-map
 * memory): 0 or -errno. */
int ext2_bread(struct ext2_sb *sbi, uint32_t block, void *buf);
/* The inode numbered ino, with a reference for the caller; ERR_PTR(-errno). */
struct inode *ext2_iget(struct ext2_sb *sbi, unsigned long ino);
/* Drop the cache's reference on every inode (umount). */
void ext2_evict_inodes(struct ext2_sb *sbi);

extern const struct address_space_operations ext2_aops;
extern const struct file_operations ext2_file_operations;
extern const struct file_operations ext2_dir_operations;
extern const struct inode_operations ext2_dir_inode_operations;
extern const struct inode_operations ext2_symlink_inode_operations;

/* Mount the ext2 file system on disk: its root dentry (called name, the
 * mount point's, for d_path), ERR_PTR(-EINVAL) for an image that is not a
 * good ext2 (the reason logged). */
struct dentry *ext2_mount(struct gendisk *disk, unsigned long flags, const char *name);
/* Free everything of a file system nobody uses any more. */
void ext2_kill_sb(struct dentry *root);
/* The dentry and inode caches' shrinkers (shrinker.c): registered at
 * mount, unregistered at umount, after which no scan runs. */
void ext2_register_shrinkers(struct ext2_sb *sbi);
void ext2_unregister_shrinkers(struct ext2_sb *sbi);
#endif
