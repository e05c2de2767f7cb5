/* ext2 inodes: reading them from the inode table, the cache that keeps
 * them, and the block map that readpage walks to fill the page cache from
 * the disk (Linux's fs/ext2/inode.c: ext2_iget, ext2_get_block,
 * ext2_read_folio). Read first: a zero in the block map is a hole and
 * reads as zeros; a pointer outside the file system is corruption, logged
 * with ext2_error and returned as -EUCLEAN, never followed. */
#include "kernel/fs/ext2/ext2.h"
#include "kernel/fs/internal.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/swap.h"

#define EXT2_MAX_DEPTH 4 /* i_block, then up to three indirect blocks */

static struct inode *find_cached(struct ext2_sb *sbi, unsigned long ino)
{
	struct ext2_inode *ei;

	list_for_each_entry(ei, &sbi->inodes, i_hash) {
		if (ei->vfs_inode.i_ino == ino) {
			ihold(&ei->vfs_inode);
			return &ei->vfs_inode;
		}
	}
	return NULL;
}

/* The raw inode from its group's table. */
static int read_raw_inode(struct ext2_sb *sbi, unsigned long ino, struct ext2_inode_info_raw *raw)
{
	struct ext2_sb_info *info = &sbi->info;
	struct ext2_err err = {0};
	uint32_t group, index, block;
	uint64_t byte;
	uint8_t *buf;
	int ret;

	if (ext2_inode_location(info, ino, &group, &index)) {
		snprintf(err.msg, sizeof(err.msg), "bad inode number: %lu", ino);
		ext2_error(sbi, "ext2_get_inode", err.msg);
		return -EUCLEAN;
	}
	byte = (uint64_t)index * info->s_inode_size;
	block = sbi->gds[group].bg_inode_table + (uint32_t)(byte >> info->s_blocksize_bits);
	buf = kmalloc(info->s_blocksize, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = ext2_bread(sbi, block, buf);
	if (!ret) {
		ret = ext2_parse_inode(buf + (byte & (info->s_blocksize - 1)), info, ino, raw,
				       &err);
		if (ret)
			ext2_error(sbi, "ext2_iget", err.msg);
	}
	kfree(buf);
	return ret;
}

static void init_ops(struct inode *inode, const struct ext2_inode_info_raw *raw)
{
	if (S_ISREG(inode->i_mode)) {
		inode->i_fop = &ext2_file_operations;
		inode_init_mapping(inode, &ext2_aops);
	} else if (S_ISDIR(inode->i_mode)) {
		inode->i_op = &ext2_dir_inode_operations;
		inode->i_fop = &ext2_dir_operations;
		inode_init_mapping(inode, &ext2_aops);
	} else if (S_ISLNK(inode->i_mode)) {
		inode->i_op = &ext2_symlink_inode_operations;
		if (!raw->fast_symlink)
			inode_init_mapping(inode, &ext2_aops);
	}
	/* Device nodes, fifos and sockets: stat works, open finds no driver. */
}

struct inode *ext2_iget(struct ext2_sb *sbi, unsigned long ino)
{
	struct ext2_inode_info_raw raw;
	struct inode *inode;
	int err;

	mutex_lock(&sbi->inode_lock);
	inode = find_cached(sbi, ino);
	if (inode)
		goto out;
	err = read_raw_inode(sbi, ino, &raw);
	if (err) {
		inode = ERR_PTR(err);
		goto out;
	}
	inode = new_inode(&sbi->sb, raw.i_mode);
	if (!inode) {
		inode = ERR_PTR(-ENOMEM);
		goto out;
	}
	inode->i_ino = ino;
	inode->i_nlink = raw.i_links_count;
	inode->i_size = (loff_t)raw.i_size;
	inode->i_mtime = raw.i_mtime;
	memcpy(EXT2_I(inode)->i_data, raw.i_block, sizeof(raw.i_block));
	EXT2_I(inode)->fast_symlink = raw.fast_symlink;
	init_ops(inode, &raw);
	ihold(inode); /* the cache's reference, dropped at umount */
	list_add_tail(&EXT2_I(inode)->i_hash, &sbi->inodes);
	sbi->nr_inodes++;
out:
	mutex_unlock(&sbi->inode_lock);
	return inode;
}

void ext2_evict_inodes(struct ext2_sb *sbi)
{
	struct ext2_inode *ei, *next;

	mutex_lock(&sbi->inode_lock);
	list_for_each_entry_safe(ei, next, &sbi->inodes, i_hash) {
		list_del(&ei->i_hash);
		sbi->nr_inodes--;
		iput(&ei->vfs_inode);
	}
	mutex_unlock(&sbi->inode_lock);
}

/* Indirect blocks read during one readpage, one per level: consecutive
 * file blocks mostly share them. */
struct ext2_map_cache {
	uint32_t block[EXT2_MAX_DEPTH];
	uint32_t *data[EXT2_MAX_DEPTH];
};

static void map_cache_free(struct ext2_map_cache *mc)
{
	for (int i = 0; i < EXT2_MAX_DEPTH; i++)
		kfree(mc->data[i]);
}

static int bad_block(struct ext2_sb *sbi, struct inode *inode, uint32_t block)
{
	char msg[EXT2_ERR_MSG];

	snprintf(msg, sizeof(msg), "bad block %u in inode %lu", block, inode->i_ino);
	ext2_error(sbi, "ext2_get_block", msg);
	return -EUCLEAN;
}

/* As Linux's ext2_get_block for reading: the disk block of file block
 * iblock into *phys (0 for a hole). 0 or -errno. */
static int ext2_get_block(struct inode *inode, uint64_t iblock, uint32_t *phys,
			  struct ext2_map_cache *mc)
{
	struct ext2_sb *sbi = EXT2_SB(inode->i_sb);
	uint32_t offsets[EXT2_MAX_DEPTH], blk;
	int depth = ext2_block_to_path(&sbi->info, iblock, offsets);

	*phys = 0;
	if (depth == 0)
		return -EUCLEAN; /* beyond what i_size may claim: parse refused such sizes */
	blk = EXT2_I(inode)->i_data[offsets[0]];
	for (int level = 1; level < depth && blk; level++) {
		int err;

		if (!ext2_data_block_valid(&sbi->info, blk))
			return bad_block(sbi, inode, blk);
		if (!mc->data[level]) {
			mc->data[level] = kmalloc(sbi->info.s_blocksize, GFP_KERNEL);
			if (!mc->data[level])
				return -ENOMEM;
			mc->block[level] = 0;
		}
		if (mc->block[level] != blk) {
			mc->block[level] = 0;
			err = ext2_bread(sbi, blk, mc->data[level]);
			if (err)
				return err;
			mc->block[level] = blk;
		}
		blk = mc->data[level][offsets[level]];
	}
	if (blk && !ext2_data_block_valid(&sbi->info, blk))
		return bad_block(sbi, inode, blk);
	*phys = blk;
	return 0;
}

/* count consecutive disk blocks from block into buf: one request. */
static int read_run(struct ext2_sb *sbi, uint32_t block, unsigned int count, void *buf)
{
	unsigned int bits = sbi->info.s_blocksize_bits;

	return bdev_read(sbi->disk, (sector_t)block << (bits - SECTOR_SHIFT), buf, count << bits);
}

/* Fill a page-cache page from the disk: the blocks it covers, those that
 * lie next to each other on the disk in one request; holes and the bytes
 * past the end of the file are zeros (as Linux's mpage_read_folio). */
static int ext2_readpage(struct address_space *mapping, struct page *page)
{
	struct inode *inode = mapping->host;
	struct ext2_sb *sbi = EXT2_SB(inode->i_sb);
	unsigned int bits = sbi->info.s_blocksize_bits, bs = sbi->info.s_blocksize;
	unsigned int per_page = PAGE_SIZE / bs, run_first = 0, run_len = 0;
	uint64_t first = (uint64_t)page->index << (PAGE_SHIFT - bits);
	struct ext2_map_cache mc = {0};
	char *dst = page_address(page);
	uint32_t run_start = 0;
	int err = 0;

	for (unsigned int i = 0; i < per_page && !err; i++) {
		uint64_t iblock = first + i;
		uint32_t phys = 0;

		if ((loff_t)(iblock << bits) < inode->i_size)
			err = ext2_get_block(inode, iblock, &phys, &mc);
		if (err)
			break;
		if (run_len && phys && phys == run_start + run_len) {
			run_len++;
			continue;
		}
		if (run_len)
			err = read_run(sbi, run_start, run_len, dst + run_first * bs);
		run_len = phys ? 1 : 0;
		run_start = phys;
		run_first = i;
		if (!phys)
			memset(dst + i * bs, 0, bs);
	}
	if (!err && run_len)
		err = read_run(sbi, run_start, run_len, dst + run_first * bs);
	map_cache_free(&mc);
	if (!err && (loff_t)((uint64_t)(page->index + 1) << PAGE_SHIFT) > inode->i_size) {
		loff_t start = (loff_t)page->index << PAGE_SHIFT;
		size_t valid = inode->i_size > start ? (size_t)(inode->i_size - start) : 0;

		memset(dst + valid, 0, PAGE_SIZE - valid); /* the tail of the last block */
	}
	return err;
}

const struct address_space_operations ext2_aops = {
	.readpage = ext2_readpage,
};

static ssize_t ext2_write_iter(struct file *file, struct iov_iter *from, loff_t *pos)
{
	return -EROFS;
}

const struct file_operations ext2_file_operations = {
	.llseek = generic_file_llseek,
	.read_iter = filemap_read,
	.write_iter = ext2_write_iter,
};

/* Fast symlinks keep the target in i_data; others in their first block. */
static int ext2_get_link(struct inode *inode, char *buf, size_t size)
{
	struct page *page;

	if ((size_t)inode->i_size >= size)
		return -ENAMETOOLONG;
	if (EXT2_I(inode)->fast_symlink) {
		memcpy(buf, EXT2_I(inode)->i_data, (size_t)inode->i_size);
	} else {
		page = read_cache_page(inode->i_mapping, 0);
		if (IS_ERR(page))
			return (int)PTR_ERR(page);
		memcpy(buf, page_address(page), (size_t)inode->i_size);
		__free_page(page);
	}
	buf[inode->i_size] = '\0';
	return 0;
}

const struct inode_operations ext2_symlink_inode_operations = {
	.get_link = ext2_get_link,
};
