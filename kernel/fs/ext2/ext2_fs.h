/* ext2's on-disk format and its parsers (Linux's fs/ext2/ext2.h). Read
 * first: the parsers are pure functions over bytes read from the disk,
 * built for the host too (unit test and fuzz target); every number they
 * hand back has been checked against the geometry, so the kernel side can
 * use it as an index without looking again. Errors come back as Linux's
 * message text in err->msg ("unsupported inode size: 100"), -EINVAL for a
 * bad superblock, -EUCLEAN (EFSCORRUPTED) for bad metadata found later. */
#ifndef OOMLAB_KERNEL_FS_EXT2_EXT2_FS_H
#define OOMLAB_KERNEL_FS_EXT2_EXT2_FS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EXT2_SUPER_MAGIC 0xef53
#define EXT2_SUPER_OFFSET 1024 /* bytes from the start of the device */
#define EXT2_SUPER_SIZE 1024
#define EXT2_MIN_BLOCK_LOG_SIZE 10
#define EXT2_MAX_BLOCK_LOG_SIZE 12 /* no block larger than a page */
#define EXT2_ROOT_INO 2
#define EXT2_GOOD_OLD_REV 0
#define EXT2_DYNAMIC_REV 1
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO 11
#define EXT2_DESC_SIZE 32
#define EXT2_NDIR_BLOCKS 12
#define EXT2_IND_BLOCK 12
#define EXT2_DIND_BLOCK 13
#define EXT2_TIND_BLOCK 14
#define EXT2_N_BLOCKS 15
#define EXT2_FEATURE_INCOMPAT_FILETYPE 0x0002
#define EXT2_FEATURE_INCOMPAT_SUPP EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_DIR_ENTRY_HEADER 8 /* inode, rec_len, name_len, file_type */
#define EXT2_DIR_ROUND 4
#define EXT2_DIR_REC_LEN(name_len) \
	(((name_len) + EXT2_DIR_ENTRY_HEADER + EXT2_DIR_ROUND - 1) & ~(EXT2_DIR_ROUND - 1))
#define EXT2_NAME_LEN 255
#define EXT2_FAST_SYMLINK_MAX (EXT2_N_BLOCKS * 4) /* target kept in i_block */
#define EXT2_ERR_MSG 160

struct ext2_err {
	char msg[EXT2_ERR_MSG];
};

/* The superblock's fields we use, and what follows from them. */
struct ext2_sb_info {
	uint32_t s_inodes_count, s_blocks_count, s_first_data_block;
	uint32_t s_blocks_per_group, s_inodes_per_group;
	uint32_t s_rev_level, s_first_ino, s_inode_size;
	uint32_t s_feature_compat, s_feature_incompat, s_feature_ro_compat;
	char s_volume_name[17];
	/* derived */
	uint32_t s_blocksize, s_blocksize_bits, s_addr_per_block;
	uint32_t s_groups_count, s_desc_per_block, s_gdb_count, s_itb_per_group;
};

struct ext2_group_desc_info {
	uint32_t bg_block_bitmap, bg_inode_bitmap, bg_inode_table;
};

struct ext2_inode_info_raw {
	uint16_t i_mode;
	uint16_t i_links_count;
	uint64_t i_size;
	uint32_t i_mtime;
	uint32_t i_blocks; /* 512-byte units, metadata included */
	uint32_t i_flags;
	uint32_t i_block[EXT2_N_BLOCKS];
	bool fast_symlink; /* target in i_block, not in a data block */
};

struct ext2_dirent_view {
	uint32_t inode; /* 0: an unused slot */
	uint16_t rec_len;
	uint8_t name_len, file_type;
	const char *name; /* inside the block, not NUL-terminated */
};

/* Superblock bytes (EXT2_SUPER_SIZE of them, read from byte 1024) of a
 * device of dev_bytes: 0, or -EINVAL with the reason in err. */
int ext2_parse_super(const uint8_t *raw, uint64_t dev_bytes, struct ext2_sb_info *sbi,
		     struct ext2_err *err);
/* Descriptor of group (raw: its EXT2_DESC_SIZE bytes), as Linux's
 * ext2_check_descriptors checks it: 0 or -EINVAL. */
int ext2_parse_group_desc(const uint8_t *raw, const struct ext2_sb_info *sbi, uint32_t group,
			  struct ext2_group_desc_info *gd, struct ext2_err *err);
/* Where inode ino lives: its group and index in the group's table; 0, or
 * -EUCLEAN for an inode number outside the file system. */
int ext2_inode_location(const struct ext2_sb_info *sbi, unsigned long ino, uint32_t *group,
			uint32_t *index);
/* The s_inode_size bytes of inode ino: 0, -ESTALE for a deleted inode,
 * -EUCLEAN when the inode cannot be right. */
int ext2_parse_inode(const uint8_t *raw, const struct ext2_sb_info *sbi, unsigned long ino,
		     struct ext2_inode_info_raw *ei, struct ext2_err *err);
/* The largest file the block map can address, in bytes. */
uint64_t ext2_max_size(const struct ext2_sb_info *sbi);
/* Logical block iblock of a file as a path through the block map:
 * offsets[0] indexes i_block, the rest indirect blocks. The depth (1-4),
 * or 0 when iblock lies beyond the triple-indirect tree. */
int ext2_block_to_path(const struct ext2_sb_info *sbi, uint64_t iblock, uint32_t offsets[4]);
/* A block number found in the map (i_block or an indirect block) that
 * can be read: inside the file system, past the superblock. */
bool ext2_data_block_valid(const struct ext2_sb_info *sbi, uint32_t block);
/* The directory entry at off of a directory block (size bytes, the
 * block size): 0, or -EUCLEAN with Linux's ext2_check_page reason. */
int ext2_parse_dirent(const uint8_t *block, uint32_t size, uint32_t off,
		      const struct ext2_sb_info *sbi, unsigned long dir_ino,
		      struct ext2_dirent_view *de, struct ext2_err *err);
#endif
