/* Host tests for kernel/fs/ext2/parse.c, the ext2 metadata parsers the
 * kernel mounts disks with. Read first: a disk image is outside input, so
 * every rule is shown refusing with Linux's message, and thousands of
 * corrupted superblocks, descriptors, inodes and directory blocks are
 * parsed from exact-size heap copies: ASan turns any stray read into a
 * failure, and whatever is accepted must keep the parser's promises. */
#include "kernel/errno.h"
#include "tests/host/ext2_image.h"
#include "tests/host/hosttest.h"
#include <stdlib.h>

#define CORRUPTIONS 20000
#define LCG_MUL 6364136223846793005ull
#define LCG_ADD 1442695040888963407ull

static uint8_t img[IMG_SIZE];
static struct ext2_sb_info sbi;
static struct ext2_err err;

static int parse_super(void)
{
	img_build(img);
	return ext2_parse_super(img + IMG_SB, IMG_SIZE, &sbi, &err);
}

/* Rebuild, patch one superblock field, parse again. */
static int super_with32(unsigned int off, uint32_t v)
{
	img_build(img);
	img_put32(img + IMG_SB + off, v);
	return ext2_parse_super(img + IMG_SB, IMG_SIZE, &sbi, &err);
}

static int super_with16(unsigned int off, uint16_t v)
{
	img_build(img);
	img_put16(img + IMG_SB + off, v);
	return ext2_parse_super(img + IMG_SB, IMG_SIZE, &sbi, &err);
}

static void the_template_superblock_parses_with_its_geometry(void)
{
	HT_ASSERT_EQ(parse_super(), 0);
	HT_EXPECT_EQ(sbi.s_blocksize, 1024);
	HT_EXPECT_EQ(sbi.s_groups_count, 1);
	HT_EXPECT_EQ(sbi.s_gdb_count, 1);
	HT_EXPECT_EQ(sbi.s_itb_per_group, 2);
	HT_EXPECT_EQ(sbi.s_addr_per_block, 256);
	HT_EXPECT_STREQ(sbi.s_volume_name, "template");
}

static void bad_superblocks_are_refused_with_linux_messages(void)
{
	HT_EXPECT_EQ(super_with16(56, 0x1234), -EINVAL);
	HT_EXPECT_STREQ(err.msg, "can't find an ext2 filesystem on dev");
	HT_EXPECT_EQ(super_with32(24, 3), -EINVAL);
	HT_EXPECT_STREQ(err.msg, "unsupported blocksize (log 3)");
	HT_EXPECT_EQ(super_with32(24, 0xffffffffu), -EINVAL);
	HT_EXPECT_EQ(super_with32(96, 0x42), -EINVAL); /* extents (0x40) are ext4's */
	HT_EXPECT_STREQ(err.msg, "couldn't mount because of unsupported optional features (40)");
	HT_EXPECT_EQ(super_with16(88, 100), -EINVAL);
	HT_EXPECT_STREQ(err.msg, "unsupported inode size: 100");
	HT_EXPECT_EQ(super_with16(88, 2048), -EINVAL); /* larger than a block */
	HT_EXPECT_EQ(super_with32(76, 7), -EINVAL);
	HT_EXPECT_STREQ(err.msg, "revision level too high (7)");
	HT_EXPECT_EQ(super_with32(32, 0), -EINVAL);
	HT_EXPECT_STREQ(err.msg, "#blocks per group too big: 0");
	HT_EXPECT_EQ(super_with32(32, 8193), -EINVAL);
	HT_EXPECT_EQ(super_with32(40, 0), -EINVAL);
	HT_EXPECT_STREQ(err.msg, "#inodes per group too big: 0");
	HT_EXPECT_EQ(super_with32(4, IMG_BLOCKS + 1), -EINVAL);
	HT_EXPECT_STREQ(err.msg, "bad geometry: block count 65 exceeds size of device (64 blocks)");
	HT_EXPECT_EQ(super_with32(0, IMG_INODES + 1), -EINVAL);
	HT_EXPECT_STREQ(err.msg, "inodes count not valid: 17 vs 16");
	HT_EXPECT_EQ(super_with32(20, 0), -EINVAL);
	HT_EXPECT_STREQ(err.msg, "bad geometry: first data block 0, block count 64");
	HT_EXPECT_EQ(super_with32(84, 2), -EINVAL);
}

static void a_truncated_device_is_refused(void)
{
	img_build(img);
	HT_EXPECT_EQ(ext2_parse_super(img + IMG_SB, IMG_SIZE / 2, &sbi, &err), -EINVAL);
	HT_EXPECT_STREQ(err.msg, "bad geometry: block count 64 exceeds size of device (32 blocks)");
}

static int parse_gd(void)
{
	struct ext2_group_desc_info gd;

	return ext2_parse_group_desc(img + IMG_GDT_BLOCK * IMG_BLOCK, &sbi, 0, &gd, &err);
}

static void group_descriptors_must_point_inside_their_group(void)
{
	struct ext2_group_desc_info gd;

	HT_ASSERT_EQ(parse_super(), 0);
	HT_EXPECT_EQ(ext2_parse_group_desc(img + IMG_GDT_BLOCK * IMG_BLOCK, &sbi, 0, &gd, &err), 0);
	HT_EXPECT_EQ(gd.bg_inode_table, IMG_INODE_TABLE);
	img_put32(img + IMG_GDT_BLOCK * IMG_BLOCK, 64);
	HT_EXPECT_EQ(parse_gd(), -EINVAL);
	HT_EXPECT_STREQ(err.msg, "ext2_check_descriptors: Block bitmap for group 0 not in group "
				 "(block 64)!");
	img_build(img);
	img_put32(img + IMG_GDT_BLOCK * IMG_BLOCK + 8, 63); /* the table's 2nd block past the end */
	HT_EXPECT_EQ(parse_gd(), -EINVAL);
	HT_EXPECT_STREQ(err.msg, "ext2_check_descriptors: Inode table for group 0 not in group "
				 "(block 63)!");
	img_build(img);
	img_put32(img + IMG_GDT_BLOCK * IMG_BLOCK + 4, 0);
	HT_EXPECT_EQ(parse_gd(), -EINVAL);
	HT_EXPECT_EQ(ext2_parse_group_desc(img + IMG_GDT_BLOCK * IMG_BLOCK, &sbi, 1, &gd, &err),
		     -EINVAL);
}

static void inode_numbers_outside_the_table_are_refused(void)
{
	uint32_t group, index;

	HT_ASSERT_EQ(parse_super(), 0);
	HT_EXPECT_EQ(ext2_inode_location(&sbi, EXT2_ROOT_INO, &group, &index), 0);
	HT_EXPECT_EQ(index, 1);
	HT_EXPECT_EQ(ext2_inode_location(&sbi, 16, &group, &index), 0);
	HT_EXPECT_EQ(index, 15);
	HT_EXPECT_EQ(ext2_inode_location(&sbi, 0, &group, &index), -EUCLEAN);
	HT_EXPECT_EQ(ext2_inode_location(&sbi, 17, &group, &index), -EUCLEAN);
	HT_EXPECT_EQ(ext2_inode_location(&sbi, 5, &group, &index), -EUCLEAN); /* reserved */
}

static void inodes_parse_and_bad_ones_are_refused(void)
{
	struct ext2_inode_info_raw ei;

	HT_ASSERT_EQ(parse_super(), 0);
	HT_EXPECT_EQ(ext2_parse_inode(img_inode(img, IMG_FILE_INO), &sbi, IMG_FILE_INO, &ei, &err),
		     0);
	HT_EXPECT_EQ(ei.i_size, IMG_FILE_SIZE);
	HT_EXPECT_EQ(ei.i_block[IMG_HOLE_INDEX], 0);
	HT_EXPECT_EQ(ei.i_block[EXT2_IND_BLOCK], IMG_IND_BLOCK);
	HT_EXPECT(!ei.fast_symlink);
	HT_EXPECT_EQ(ext2_parse_inode(img_inode(img, IMG_LINK_INO), &sbi, IMG_LINK_INO, &ei, &err),
		     0);
	HT_EXPECT(ei.fast_symlink);
	HT_EXPECT(!memcmp(ei.i_block, "hello", 5));
	/* A large_file size high half counts for regular files. */
	img_put32(img_inode(img, IMG_FILE_INO) + 108, 1);
	HT_EXPECT_EQ(ext2_parse_inode(img_inode(img, IMG_FILE_INO), &sbi, IMG_FILE_INO, &ei, &err),
		     0);
	HT_EXPECT_EQ(ei.i_size, (1ull << 32) + IMG_FILE_SIZE);
	img_put32(img_inode(img, IMG_FILE_INO) + 108, 0xffffffffu);
	HT_EXPECT_EQ(ext2_parse_inode(img_inode(img, IMG_FILE_INO), &sbi, IMG_FILE_INO, &ei, &err),
		     -EUCLEAN);
	HT_EXPECT_EQ(ext2_parse_inode(img_inode(img, 14), &sbi, 14, &ei, &err), -ESTALE);
	HT_EXPECT_STREQ(err.msg, "ext2_iget: deleted inode referenced: 14");
	img_put16(img_inode(img, EXT2_ROOT_INO), 0100644);
	HT_EXPECT_EQ(
		ext2_parse_inode(img_inode(img, EXT2_ROOT_INO), &sbi, EXT2_ROOT_INO, &ei, &err),
		-EUCLEAN);
	HT_EXPECT_STREQ(err.msg, "corrupt root inode, run e2fsck");
	img_build(img);
	img_put32(img_inode(img, IMG_LINK_INO) + 4, 60);
	HT_EXPECT_EQ(ext2_parse_inode(img_inode(img, IMG_LINK_INO), &sbi, IMG_LINK_INO, &ei, &err),
		     -EUCLEAN);
}

static void block_map_paths_change_level_where_ext2_does(void)
{
	uint32_t o[4];

	HT_ASSERT_EQ(parse_super(), 0);
	HT_EXPECT_EQ(ext2_block_to_path(&sbi, 11, o), 1);
	HT_EXPECT_EQ(o[0], 11);
	HT_EXPECT_EQ(ext2_block_to_path(&sbi, 12, o), 2);
	HT_EXPECT(o[0] == EXT2_IND_BLOCK && o[1] == 0);
	HT_EXPECT_EQ(ext2_block_to_path(&sbi, 12 + 255, o), 2);
	HT_EXPECT_EQ(ext2_block_to_path(&sbi, 12 + 256, o), 3);
	HT_EXPECT(o[0] == EXT2_DIND_BLOCK && o[1] == 0 && o[2] == 0);
	HT_EXPECT_EQ(ext2_block_to_path(&sbi, 12 + 256 + 65535, o), 3);
	HT_EXPECT(o[1] == 255 && o[2] == 255);
	HT_EXPECT_EQ(ext2_block_to_path(&sbi, 12 + 256 + 65536, o), 4);
	HT_EXPECT(o[0] == EXT2_TIND_BLOCK && o[1] == 0 && o[2] == 0 && o[3] == 0);
	HT_EXPECT_EQ(ext2_block_to_path(&sbi, 12 + 256 + 65536 + 16777215ull, o), 4);
	HT_EXPECT(o[1] == 255 && o[2] == 255 && o[3] == 255);
	HT_EXPECT_EQ(ext2_block_to_path(&sbi, 12 + 256 + 65536 + 16777216ull, o), 0);
	HT_EXPECT(!ext2_data_block_valid(&sbi, 0));
	HT_EXPECT(!ext2_data_block_valid(&sbi, 1)); /* the superblock's */
	HT_EXPECT(ext2_data_block_valid(&sbi, 63));
	HT_EXPECT(!ext2_data_block_valid(&sbi, 64));
}

static void the_root_directory_lists_its_entries(void)
{
	const uint8_t *blk = img + IMG_ROOT_DIR_BLOCK * IMG_BLOCK;
	const char *names[] = {".", "..", "hello", "link"};
	struct ext2_dirent_view de;
	uint32_t off = 0;
	int n = 0;

	HT_ASSERT_EQ(parse_super(), 0);
	while (off < IMG_BLOCK) {
		HT_ASSERT_EQ(ext2_parse_dirent(blk, IMG_BLOCK, off, &sbi, 2, &de, &err), 0);
		HT_ASSERT(n < 4);
		HT_EXPECT(de.name_len == strlen(names[n]) &&
			  !memcmp(de.name, names[n], de.name_len));
		off += de.rec_len;
		n++;
	}
	HT_EXPECT_EQ(n, 4);
}

static int dirent_with(unsigned int field, uint32_t v, int width)
{
	uint8_t *blk = img + IMG_ROOT_DIR_BLOCK * IMG_BLOCK;
	struct ext2_dirent_view de;

	img_build(img);
	if (width == 4)
		img_put32(blk + 24 + field, v); /* "hello" is the third entry, at 24 */
	else if (width == 2)
		img_put16(blk + 24 + field, (uint16_t)v);
	else
		blk[24 + field] = (uint8_t)v;
	return ext2_parse_dirent(blk, IMG_BLOCK, 24, &sbi, 2, &de, &err);
}

static void bad_directory_entries_are_reported_as_linux_does(void)
{
	HT_ASSERT_EQ(parse_super(), 0);
	HT_EXPECT_EQ(dirent_with(4, 0, 2), -EUCLEAN);
	HT_EXPECT_STREQ(err.msg, "bad entry in directory #2: rec_len is smaller than minimal - "
				 "offset=24, inode=12, rec_len=0, name_len=5");
	HT_EXPECT_EQ(dirent_with(4, 18, 2), -EUCLEAN);
	HT_EXPECT_STREQ(err.msg, "bad entry in directory #2: unaligned directory entry - "
				 "offset=24, inode=12, rec_len=18, name_len=5");
	HT_EXPECT_EQ(dirent_with(6, 200, 1), -EUCLEAN);
	HT_EXPECT_STREQ(err.msg, "bad entry in directory #2: rec_len is too small for name_len - "
				 "offset=24, inode=12, rec_len=16, name_len=200");
	HT_EXPECT_EQ(dirent_with(4, 1024, 2), -EUCLEAN);
	HT_EXPECT_STREQ(err.msg, "bad entry in directory #2: directory entry across blocks - "
				 "offset=24, inode=12, rec_len=1024, name_len=5");
	HT_EXPECT_EQ(dirent_with(0, 17, 4), -EUCLEAN);
	HT_EXPECT_STREQ(err.msg, "bad entry in directory #2: inode out of bounds - "
				 "offset=24, inode=17, rec_len=16, name_len=5");
}

/* Whatever a corrupted superblock parses to, the geometry promised holds. */
static void corrupted_superblocks_never_break_the_promises(void)
{
	uint64_t x = 42;
	unsigned int accepted = 0;

	for (int n = 0; n < CORRUPTIONS; n++) {
		uint8_t *raw = malloc(EXT2_SUPER_SIZE);
		int flips = 1 + n % 4;

		img_build(img);
		memcpy(raw, img + IMG_SB, EXT2_SUPER_SIZE);
		for (int i = 0; i < flips; i++) {
			x = x * LCG_MUL + LCG_ADD;
			/* Mostly the fields that matter: the first 128 bytes. */
			raw[(x >> 33) % 128] = (uint8_t)(x >> 17);
		}
		if (ext2_parse_super(raw, IMG_SIZE, &sbi, &err) == 0) {
			accepted++;
			HT_EXPECT(sbi.s_blocks_count <= IMG_SIZE / sbi.s_blocksize);
			HT_EXPECT((uint64_t)sbi.s_groups_count * sbi.s_inodes_per_group ==
				  sbi.s_inodes_count);
			HT_EXPECT(sbi.s_inode_size >= 128 && sbi.s_inode_size <= sbi.s_blocksize);
			HT_EXPECT(sbi.s_first_data_block + 1 + sbi.s_gdb_count <=
				  sbi.s_blocks_count);
		} else {
			HT_EXPECT(err.msg[0] != '\0');
		}
		free(raw);
	}
	HT_EXPECT(accepted > 0); /* flips of unused bytes leave it valid */
}

/* Directory blocks: each accepted entry lies inside the block. */
static void corrupted_directory_blocks_stay_inside_the_block(void)
{
	uint64_t x = 7;

	HT_ASSERT_EQ(parse_super(), 0);
	for (int n = 0; n < CORRUPTIONS; n++) {
		uint8_t *blk = malloc(IMG_BLOCK);
		struct ext2_dirent_view de;
		uint32_t off = 0;

		memcpy(blk, img + IMG_ROOT_DIR_BLOCK * IMG_BLOCK, IMG_BLOCK);
		for (int i = 0; i < 3; i++) {
			x = x * LCG_MUL + LCG_ADD;
			blk[(x >> 33) % 64] = (uint8_t)(x >> 17);
		}
		while (off < IMG_BLOCK &&
		       ext2_parse_dirent(blk, IMG_BLOCK, off, &sbi, 2, &de, &err) == 0) {
			HT_EXPECT((const uint8_t *)de.name + de.name_len <= blk + IMG_BLOCK);
			HT_EXPECT(de.inode <= sbi.s_inodes_count);
			off += de.rec_len;
		}
		free(blk);
	}
}

int main(void)
{
	static const struct ht_case cases[] = {
		HT_CASE(the_template_superblock_parses_with_its_geometry),
		HT_CASE(bad_superblocks_are_refused_with_linux_messages),
		HT_CASE(a_truncated_device_is_refused),
		HT_CASE(group_descriptors_must_point_inside_their_group),
		HT_CASE(inode_numbers_outside_the_table_are_refused),
		HT_CASE(inodes_parse_and_bad_ones_are_refused),
		HT_CASE(block_map_paths_change_level_where_ext2_does),
		HT_CASE(the_root_directory_lists_its_entries),
		HT_CASE(bad_directory_entries_are_reported_as_linux_does),
		HT_CASE(corrupted_superblocks_never_break_the_promises),
		HT_CASE(corrupted_directory_blocks_stay_inside_the_block),
	};

	return ht_run(cases, HT_ARRAY_SIZE(cases));
}
