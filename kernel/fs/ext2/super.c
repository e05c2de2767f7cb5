/* Mounting ext2: read and check the superblock and every group
 * descriptor, then the root inode (Linux's ext2_fill_super); and undoing
 * it at umount. Read first: whatever the disk holds, a bad image ends here
 * with one "EXT2-fs (vda): error: ..." line and -EINVAL, never later. */
#include "kernel/fs/ext2/ext2.h"
#include "kernel/fs/internal.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/slab.h"

static struct kmem_cache *ext2_inode_cachep;

void ext2_msg(struct ext2_sb *sbi, const char *text)
{
	pr_err("EXT2-fs (%s): %s", sbi->sb.s_id, text);
}

void ext2_error(struct ext2_sb *sbi, const char *function, const char *text)
{
	pr_err("EXT2-fs error (device %s): %s: %s", sbi->sb.s_id, function, text);
}

int ext2_bread(struct ext2_sb *sbi, uint32_t block, void *buf)
{
	unsigned int bits = sbi->info.s_blocksize_bits;

	return bdev_read(sbi->disk, (sector_t)block << (bits - SECTOR_SHIFT), buf,
			 sbi->info.s_blocksize);
}

static struct inode *ext2_alloc_inode(struct super_block *sb)
{
	struct ext2_inode *ei = kmem_cache_zalloc(ext2_inode_cachep, GFP_KERNEL);

	return ei ? &ei->vfs_inode : NULL;
}

static void ext2_free_inode(struct inode *inode)
{
	kmem_cache_free(ext2_inode_cachep, EXT2_I(inode));
}

static const struct super_operations ext2_sops = {
	.alloc_inode = ext2_alloc_inode,
	.destroy_inode = ext2_free_inode,
};

static int mount_error(struct ext2_sb *sbi, const char *reason, int err)
{
	char line[EXT2_ERR_MSG + 16];

	snprintf(line, sizeof(line), "error: %s", reason);
	ext2_msg(sbi, line);
	return err;
}

static int read_super(struct ext2_sb *sbi)
{
	struct ext2_err err = {0};
	uint8_t *raw = kmalloc(EXT2_SUPER_SIZE, GFP_KERNEL);
	int ret;

	if (!raw)
		return -ENOMEM;
	ret = bdev_read(sbi->disk, EXT2_SUPER_OFFSET >> SECTOR_SHIFT, raw, EXT2_SUPER_SIZE);
	if (ret) {
		kfree(raw);
		return mount_error(sbi, "unable to read superblock", ret);
	}
	ret = ext2_parse_super(raw, sbi->disk->capacity << SECTOR_SHIFT, &sbi->info, &err);
	kfree(raw);
	if (ret == -EINVAL && !strcmp(err.msg, "can't find an ext2 filesystem on dev")) {
		char line[EXT2_ERR_MSG];

		snprintf(line, sizeof(line), "%s %s.", err.msg, sbi->sb.s_id);
		return mount_error(sbi, line, ret);
	}
	return ret ? mount_error(sbi, err.msg, ret) : 0;
}

/* Every descriptor, block by block, as Linux's ext2_check_descriptors. */
static int read_group_descs(struct ext2_sb *sbi)
{
	struct ext2_sb_info *info = &sbi->info;
	struct ext2_err err = {0};
	uint8_t *blk = kmalloc(info->s_blocksize, GFP_KERNEL);
	int ret = 0;

	sbi->gds = kzalloc(sizeof(*sbi->gds) * info->s_groups_count, GFP_KERNEL);
	if (!blk || !sbi->gds) {
		kfree(blk);
		return -ENOMEM;
	}
	for (uint32_t g = 0; g < info->s_groups_count && !ret; g++) {
		uint32_t in_block = g % info->s_desc_per_block;

		if (in_block == 0) {
			ret = ext2_bread(sbi,
					 info->s_first_data_block + 1 + g / info->s_desc_per_block,
					 blk);
			if (ret) {
				ret = mount_error(sbi, "unable to read group descriptors", ret);
				break;
			}
		}
		ret = ext2_parse_group_desc(blk + in_block * EXT2_DESC_SIZE, info, g, &sbi->gds[g],
					    &err);
		if (ret) {
			mount_error(sbi, err.msg, ret);
			ret = mount_error(sbi, "group descriptors corrupted", ret);
		}
	}
	kfree(blk);
	return ret;
}

static struct dentry *make_root(struct ext2_sb *sbi, const char *name)
{
	struct inode *inode = ext2_iget(sbi, EXT2_ROOT_INO);
	struct dentry *root;

	if (IS_ERR(inode)) {
		mount_error(sbi, "get root inode failed", (int)PTR_ERR(inode));
		return ERR_PTR(PTR_ERR(inode));
	}
	if (!S_ISDIR(inode->i_mode) || !inode->i_size) {
		iput(inode);
		mount_error(sbi, "corrupt root inode, run e2fsck", -EINVAL);
		return ERR_PTR(-EINVAL);
	}
	/* Named for d_path: its parent becomes the mount point's. */
	root = d_alloc(NULL, name, strlen(name));
	if (!root) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	root->d_inode = inode;
	root->d_flags |= DCACHE_PERSISTENT; /* freed by ext2_kill_sb, not dput */
	return root;
}

static void free_sb(struct ext2_sb *sbi)
{
	ext2_evict_inodes(sbi);
	kfree(sbi->gds);
	kfree(sbi);
}

struct dentry *ext2_mount(struct gendisk *disk, unsigned long flags, const char *name)
{
	struct ext2_sb *sbi;
	struct dentry *root;
	int err;

	if (!ext2_inode_cachep)
		ext2_inode_cachep = kmem_cache_create("ext2_inode_cache", sizeof(struct ext2_inode),
						      0, SLAB_RECLAIM_ACCOUNT, NULL);
	sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	if (!ext2_inode_cachep || !sbi) {
		kfree(sbi);
		return ERR_PTR(-ENOMEM);
	}
	sbi->disk = disk;
	sbi->sb.s_id = disk->disk_name;
	sbi->sb.s_dev = disk_devt(disk);
	sbi->sb.s_flags = SB_RDONLY; /* the only way we mount: no write path */
	sbi->sb.s_op = &ext2_sops;
	mutex_init(&sbi->inode_lock);
	INIT_LIST_HEAD(&sbi->inodes);
	INIT_LIST_HEAD(&sbi->sb.s_dentry_lru);
	init_rwsem(&sbi->sb.s_umount);
	err = read_super(sbi);
	if (!err)
		err = read_group_descs(sbi);
	if (err) {
		free_sb(sbi);
		return ERR_PTR(err == -ENOMEM ? err : -EINVAL);
	}
	root = make_root(sbi, name);
	if (IS_ERR(root)) {
		free_sb(sbi);
		return PTR_ERR(root) == -ENOMEM ? root : ERR_PTR(-EINVAL);
	}
	ext2_register_shrinkers(sbi);
	pr_info("EXT2-fs (%s): mounted filesystem \"%s\" read-only: %u blocks of %u bytes, "
		"%u inodes, %u groups",
		disk->disk_name, sbi->info.s_volume_name, sbi->info.s_blocks_count,
		sbi->info.s_blocksize, sbi->info.s_inodes_count, sbi->info.s_groups_count);
	return root;
}

void ext2_kill_sb(struct dentry *root)
{
	struct ext2_sb *sbi = EXT2_SB(root->d_inode->i_sb);

	ext2_unregister_shrinkers(sbi);
	/* do_umount pruned already; a dentry cached since goes now too. */
	shrink_dcache_sb(&sbi->sb);
	iput(root->d_inode);
	d_free(root);
	free_sb(sbi);
}
