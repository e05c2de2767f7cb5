/* Parsing ext2 metadata from raw bytes: superblock, group descriptors,
 * inodes, the block map's shape, directory entries (the checks of Linux's
 * ext2_fill_super, ext2_check_descriptors, ext2_iget, ext2_block_to_path
 * and ext2_check_page). Read first: nothing here trusts a field; numbers
 * are read little-endian byte by byte, so any buffer alignment works, and
 * every division and every index is guarded by a check made before it. */
#include "kernel/errno.h"
#include "kernel/fs/ext2/ext2_fs.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"

/* Superblock field offsets. */
#define SB_INODES_COUNT 0
#define SB_BLOCKS_COUNT 4
#define SB_FIRST_DATA_BLOCK 20
#define SB_LOG_BLOCK_SIZE 24
#define SB_BLOCKS_PER_GROUP 32
#define SB_INODES_PER_GROUP 40
#define SB_MAGIC 56
#define SB_REV_LEVEL 76
#define SB_FIRST_INO 84
#define SB_INODE_SIZE 88
#define SB_FEATURE_COMPAT 92
#define SB_FEATURE_INCOMPAT 96
#define SB_FEATURE_RO_COMPAT 100
#define SB_VOLUME_NAME 120
#define SB_VOLUME_NAME_LEN 16
/* Group descriptor field offsets. */
#define BG_BLOCK_BITMAP 0
#define BG_INODE_BITMAP 4
#define BG_INODE_TABLE 8
/* Inode field offsets. */
#define I_MODE 0
#define I_SIZE 4
#define I_MTIME 16
#define I_LINKS_COUNT 26
#define I_BLOCKS 28
#define I_FLAGS 32
#define I_BLOCK 40
#define I_FILE_ACL 104
#define I_SIZE_HIGH 108
/* Directory entry field offsets. */
#define DE_INODE 0
#define DE_REC_LEN 4
#define DE_NAME_LEN 6
#define DE_FILE_TYPE 7
#define S_IFMT_ 0170000
#define S_IFREG_ 0100000
#define S_IFDIR_ 0040000
#define S_IFLNK_ 0120000
#define BITS_PER_BYTE 8
#define SECTOR_BITS 9

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int fail(struct ext2_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct ext2_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

static void read_fields(const uint8_t *raw, struct ext2_sb_info *sbi)
{
	memset(sbi, 0, sizeof(*sbi));
	sbi->s_inodes_count = le32(raw + SB_INODES_COUNT);
	sbi->s_blocks_count = le32(raw + SB_BLOCKS_COUNT);
	sbi->s_first_data_block = le32(raw + SB_FIRST_DATA_BLOCK);
	sbi->s_blocks_per_group = le32(raw + SB_BLOCKS_PER_GROUP);
	sbi->s_inodes_per_group = le32(raw + SB_INODES_PER_GROUP);
	sbi->s_rev_level = le32(raw + SB_REV_LEVEL);
	sbi->s_feature_compat = le32(raw + SB_FEATURE_COMPAT);
	sbi->s_feature_incompat = le32(raw + SB_FEATURE_INCOMPAT);
	sbi->s_feature_ro_compat = le32(raw + SB_FEATURE_RO_COMPAT);
	memcpy(sbi->s_volume_name, raw + SB_VOLUME_NAME, SB_VOLUME_NAME_LEN);
	sbi->s_volume_name[SB_VOLUME_NAME_LEN] = '\0';
	if (sbi->s_rev_level == EXT2_GOOD_OLD_REV) {
		sbi->s_first_ino = EXT2_GOOD_OLD_FIRST_INO;
		sbi->s_inode_size = EXT2_GOOD_OLD_INODE_SIZE;
	} else {
		sbi->s_first_ino = le32(raw + SB_FIRST_INO);
		sbi->s_inode_size = le16(raw + SB_INODE_SIZE);
	}
}

/* Block size, revision, features, inode size. */
static int check_format(const uint8_t *raw, struct ext2_sb_info *sbi, struct ext2_err *err)
{
	uint32_t log = le32(raw + SB_LOG_BLOCK_SIZE);

	if (le16(raw + SB_MAGIC) != EXT2_SUPER_MAGIC)
		return fail(err, -EINVAL, "can't find an ext2 filesystem on dev");
	if (log > EXT2_MAX_BLOCK_LOG_SIZE - EXT2_MIN_BLOCK_LOG_SIZE)
		return fail(err, -EINVAL, "unsupported blocksize (log %u)", log);
	sbi->s_blocksize_bits = EXT2_MIN_BLOCK_LOG_SIZE + log;
	sbi->s_blocksize = 1u << sbi->s_blocksize_bits;
	sbi->s_addr_per_block = sbi->s_blocksize / 4;
	sbi->s_desc_per_block = sbi->s_blocksize / EXT2_DESC_SIZE;
	if (sbi->s_rev_level > EXT2_DYNAMIC_REV)
		return fail(err, -EINVAL, "revision level too high (%u)", sbi->s_rev_level);
	if (sbi->s_feature_incompat & ~(uint32_t)EXT2_FEATURE_INCOMPAT_SUPP)
		return fail(err, -EINVAL,
			    "couldn't mount because of unsupported optional features (%x)",
			    sbi->s_feature_incompat & ~(uint32_t)EXT2_FEATURE_INCOMPAT_SUPP);
	if (sbi->s_inode_size < EXT2_GOOD_OLD_INODE_SIZE || sbi->s_inode_size > sbi->s_blocksize ||
	    (sbi->s_inode_size & (sbi->s_inode_size - 1)))
		return fail(err, -EINVAL, "unsupported inode size: %u", sbi->s_inode_size);
	if (sbi->s_first_ino <= EXT2_ROOT_INO)
		return fail(err, -EINVAL, "unsupported first inode: %u", sbi->s_first_ino);
	return 0;
}

/* Groups, their sizes, and the device's size. */
static int check_geometry(struct ext2_sb_info *sbi, uint64_t dev_bytes, struct ext2_err *err)
{
	uint32_t bpg = sbi->s_blocks_per_group, ipg = sbi->s_inodes_per_group;
	uint32_t max_per_group = sbi->s_blocksize * BITS_PER_BYTE; /* one bitmap block */
	uint64_t groups, dev_blocks = dev_bytes >> sbi->s_blocksize_bits;

	if (bpg == 0 || bpg > max_per_group)
		return fail(err, -EINVAL, "#blocks per group too big: %u", bpg);
	if (ipg == 0 || ipg > max_per_group)
		return fail(err, -EINVAL, "#inodes per group too big: %u", ipg);
	if (sbi->s_blocks_count > dev_blocks)
		return fail(err, -EINVAL,
			    "bad geometry: block count %u exceeds size of device (%llu blocks)",
			    sbi->s_blocks_count, (unsigned long long)dev_blocks);
	if (sbi->s_first_data_block != (sbi->s_blocksize == 1024 ? 1u : 0u) ||
	    sbi->s_first_data_block >= sbi->s_blocks_count)
		return fail(err, -EINVAL, "bad geometry: first data block %u, block count %u",
			    sbi->s_first_data_block, sbi->s_blocks_count);
	groups = (sbi->s_blocks_count - sbi->s_first_data_block + (uint64_t)bpg - 1) / bpg;
	if ((uint64_t)ipg * groups != sbi->s_inodes_count)
		return fail(err, -EINVAL, "inodes count not valid: %u vs %llu", sbi->s_inodes_count,
			    (unsigned long long)((uint64_t)ipg * groups));
	sbi->s_groups_count = (uint32_t)groups;
	sbi->s_gdb_count = (uint32_t)((groups + sbi->s_desc_per_block - 1) / sbi->s_desc_per_block);
	sbi->s_itb_per_group =
		(uint32_t)(((uint64_t)ipg * sbi->s_inode_size + sbi->s_blocksize - 1) >>
			   sbi->s_blocksize_bits);
	/* The descriptor table follows the superblock's block. */
	if ((uint64_t)sbi->s_first_data_block + 1 + sbi->s_gdb_count > sbi->s_blocks_count)
		return fail(err, -EINVAL, "group descriptors corrupted");
	return 0;
}

int ext2_parse_super(const uint8_t *raw, uint64_t dev_bytes, struct ext2_sb_info *sbi,
		     struct ext2_err *err)
{
	int ret;

	read_fields(raw, sbi);
	ret = check_format(raw, sbi, err);
	return ret ? ret : check_geometry(sbi, dev_bytes, err);
}

int ext2_parse_group_desc(const uint8_t *raw, const struct ext2_sb_info *sbi, uint32_t group,
			  struct ext2_group_desc_info *gd, struct ext2_err *err)
{
	uint64_t first = sbi->s_first_data_block + (uint64_t)group * sbi->s_blocks_per_group;
	uint64_t last = group + 1 == sbi->s_groups_count ? sbi->s_blocks_count - 1ull
							 : first + sbi->s_blocks_per_group - 1;

	gd->bg_block_bitmap = le32(raw + BG_BLOCK_BITMAP);
	gd->bg_inode_bitmap = le32(raw + BG_INODE_BITMAP);
	gd->bg_inode_table = le32(raw + BG_INODE_TABLE);
	if (group >= sbi->s_groups_count)
		return fail(err, -EINVAL, "ext2_check_descriptors: no group %u", group);
	if (gd->bg_block_bitmap < first || gd->bg_block_bitmap > last)
		return fail(err, -EINVAL,
			    "ext2_check_descriptors: Block bitmap for group %u not in group "
			    "(block %u)!",
			    group, gd->bg_block_bitmap);
	if (gd->bg_inode_bitmap < first || gd->bg_inode_bitmap > last)
		return fail(err, -EINVAL,
			    "ext2_check_descriptors: Inode bitmap for group %u not in group "
			    "(block %u)!",
			    group, gd->bg_inode_bitmap);
	if (gd->bg_inode_table < first ||
	    (uint64_t)gd->bg_inode_table + sbi->s_itb_per_group - 1 > last)
		return fail(err, -EINVAL,
			    "ext2_check_descriptors: Inode table for group %u not in group "
			    "(block %u)!",
			    group, gd->bg_inode_table);
	return 0;
}

int ext2_inode_location(const struct ext2_sb_info *sbi, unsigned long ino, uint32_t *group,
			uint32_t *index)
{
	if (ino < 1 || ino > sbi->s_inodes_count ||
	    (ino != EXT2_ROOT_INO && ino < sbi->s_first_ino))
		return -EUCLEAN;
	*group = (uint32_t)((ino - 1) / sbi->s_inodes_per_group);
	*index = (uint32_t)((ino - 1) % sbi->s_inodes_per_group);
	return 0;
}

uint64_t ext2_max_size(const struct ext2_sb_info *sbi)
{
	uint64_t apb = sbi->s_addr_per_block;
	uint64_t blocks = EXT2_NDIR_BLOCKS + apb + apb * apb + apb * apb * apb;

	return blocks << sbi->s_blocksize_bits;
}

int ext2_parse_inode(const uint8_t *raw, const struct ext2_sb_info *sbi, unsigned long ino,
		     struct ext2_inode_info_raw *ei, struct ext2_err *err)
{
	uint32_t ea_blocks;
	uint16_t type;

	memset(ei, 0, sizeof(*ei));
	ei->i_mode = le16(raw + I_MODE);
	ei->i_links_count = le16(raw + I_LINKS_COUNT);
	ei->i_size = le32(raw + I_SIZE);
	ei->i_mtime = le32(raw + I_MTIME);
	ei->i_blocks = le32(raw + I_BLOCKS);
	ei->i_flags = le32(raw + I_FLAGS);
	for (int i = 0; i < EXT2_N_BLOCKS; i++)
		ei->i_block[i] = le32(raw + I_BLOCK + 4 * i);
	type = ei->i_mode & S_IFMT_;
	if (type == S_IFREG_)
		ei->i_size |= (uint64_t)le32(raw + I_SIZE_HIGH) << 32;
	if (ei->i_links_count == 0)
		return fail(err, -ESTALE, "ext2_iget: deleted inode referenced: %lu", ino);
	if (ei->i_size > ext2_max_size(sbi))
		return fail(err, -EUCLEAN, "ext2_iget: inode %lu: size %llu too big", ino,
			    (unsigned long long)ei->i_size);
	ea_blocks = le32(raw + I_FILE_ACL) ? sbi->s_blocksize >> SECTOR_BITS : 0;
	ei->fast_symlink = type == S_IFLNK_ && ei->i_blocks == ea_blocks;
	if (ei->fast_symlink && ei->i_size >= EXT2_FAST_SYMLINK_MAX)
		return fail(err, -EUCLEAN, "ext2_iget: inode %lu: fast symlink of %llu bytes", ino,
			    (unsigned long long)ei->i_size);
	if (ino == EXT2_ROOT_INO && type != S_IFDIR_)
		return fail(err, -EUCLEAN, "corrupt root inode, run e2fsck");
	return 0;
}

int ext2_block_to_path(const struct ext2_sb_info *sbi, uint64_t iblock, uint32_t offsets[4])
{
	uint64_t apb = sbi->s_addr_per_block;

	if (iblock < EXT2_NDIR_BLOCKS) {
		offsets[0] = (uint32_t)iblock;
		return 1;
	}
	iblock -= EXT2_NDIR_BLOCKS;
	if (iblock < apb) {
		offsets[0] = EXT2_IND_BLOCK;
		offsets[1] = (uint32_t)iblock;
		return 2;
	}
	iblock -= apb;
	if (iblock < apb * apb) {
		offsets[0] = EXT2_DIND_BLOCK;
		offsets[1] = (uint32_t)(iblock / apb);
		offsets[2] = (uint32_t)(iblock % apb);
		return 3;
	}
	iblock -= apb * apb;
	if (iblock < apb * apb * apb) {
		offsets[0] = EXT2_TIND_BLOCK;
		offsets[1] = (uint32_t)(iblock / (apb * apb));
		offsets[2] = (uint32_t)(iblock / apb % apb);
		offsets[3] = (uint32_t)(iblock % apb);
		return 4;
	}
	return 0;
}

bool ext2_data_block_valid(const struct ext2_sb_info *sbi, uint32_t block)
{
	return block > sbi->s_first_data_block && block < sbi->s_blocks_count;
}

static int bad_entry(struct ext2_err *err, unsigned long dir_ino, const char *why, uint32_t off,
		     uint32_t inode, uint32_t rec_len, uint32_t name_len)
{
	return fail(err, -EUCLEAN,
		    "bad entry in directory #%lu: %s - offset=%u, inode=%u, rec_len=%u, "
		    "name_len=%u",
		    dir_ino, why, off, inode, rec_len, name_len);
}

int ext2_parse_dirent(const uint8_t *block, uint32_t size, uint32_t off,
		      const struct ext2_sb_info *sbi, unsigned long dir_ino,
		      struct ext2_dirent_view *de, struct ext2_err *err)
{
	const uint8_t *p;

	if (off >= size || size - off < EXT2_DIR_REC_LEN(1))
		return bad_entry(err, dir_ino, "directory entry across blocks", off, 0, 0, 0);
	p = block + off;
	de->inode = le32(p + DE_INODE);
	de->rec_len = le16(p + DE_REC_LEN);
	de->name_len = p[DE_NAME_LEN];
	de->file_type = p[DE_FILE_TYPE];
	de->name = (const char *)p + EXT2_DIR_ENTRY_HEADER;
	if (de->rec_len < EXT2_DIR_REC_LEN(1))
		return bad_entry(err, dir_ino, "rec_len is smaller than minimal", off, de->inode,
				 de->rec_len, de->name_len);
	if (de->rec_len % EXT2_DIR_ROUND)
		return bad_entry(err, dir_ino, "unaligned directory entry", off, de->inode,
				 de->rec_len, de->name_len);
	if (de->rec_len < EXT2_DIR_REC_LEN(de->name_len))
		return bad_entry(err, dir_ino, "rec_len is too small for name_len", off, de->inode,
				 de->rec_len, de->name_len);
	if (de->rec_len > size - off)
		return bad_entry(err, dir_ino, "directory entry across blocks", off, de->inode,
				 de->rec_len, de->name_len);
	if (de->inode > sbi->s_inodes_count)
		return bad_entry(err, dir_ino, "inode out of bounds", off, de->inode, de->rec_len,
				 de->name_len);
	if (de->inode && de->name_len == 0)
		return bad_entry(err, dir_ino, "empty name", off, de->inode, de->rec_len, 0);
	return 0;
}
