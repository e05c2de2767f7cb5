/* libFuzzer target for kernel/fs/ext2/parse.c: mount-and-walk an image the
 * way the kernel does (superblock, every group descriptor, the root inode,
 * its directory blocks, each entry's inode, each regular file's block map
 * through the indirect blocks), using only what the parsers accepted, and
 * check that every block number and offset they let through lies inside
 * the image. Read first: an input whose first byte is odd is a list of
 * (offset, value) byte patches to the template image of ext2_image.h, so
 * the fuzzer starts past the magic; an even one is a raw image. The image
 * is an exactly-sized heap copy, so ASan sees any read past its end. */
#include "kernel/errno.h"
#include "tests/host/ext2_image.h"
#include "tests/host/fuzz_main.h"
#include <stdlib.h>

#define PATCH_BYTES 3 /* offset (2 bytes, little-endian), value */
#define MAX_DIR_BLOCKS EXT2_NDIR_BLOCKS
#define MAX_FILE_BLOCKS 64 /* of each file's map walked */

static char *const short_pass_args[] = {
	"-runs=3000000",
	"-max_total_time=6",
	"-seed=1",
	"-max_len=4096",
	"-print_final_stats=1",
	"-artifact_prefix=" FUZZ_ARTIFACTS_DIR "ext2-",
	NULL,
};

struct image {
	const uint8_t *bytes;
	size_t size;
	struct ext2_sb_info sbi;
	struct ext2_group_desc_info *gds;
};

static void broken(const char *what, unsigned long long v)
{
	fprintf(stderr, "invariant broken: %s (%llu)\n", what, v);
	abort();
}

/* The block the parsers promised is readable. */
static const uint8_t *block_at(const struct image *im, uint64_t block)
{
	if (block >= im->sbi.s_blocks_count || (block + 1) << im->sbi.s_blocksize_bits > im->size)
		broken("a promised block lies outside the image", block);
	return im->bytes + (block << im->sbi.s_blocksize_bits);
}

static int read_inode(const struct image *im, unsigned long ino, struct ext2_inode_info_raw *ei)
{
	uint32_t group, index;
	uint64_t byte;
	struct ext2_err err;

	if (ext2_inode_location(&im->sbi, ino, &group, &index))
		return -EUCLEAN;
	if (group >= im->sbi.s_groups_count)
		broken("inode group past the groups", group);
	byte = (uint64_t)index * im->sbi.s_inode_size;
	return ext2_parse_inode(
		block_at(im, im->gds[group].bg_inode_table + (byte >> im->sbi.s_blocksize_bits)) +
			(byte & (im->sbi.s_blocksize - 1)),
		&im->sbi, ino, ei, &err);
}

/* As the kernel's ext2_get_block: 0 for a hole or a bad pointer. */
static uint32_t map_block(const struct image *im, const struct ext2_inode_info_raw *ei,
			  uint64_t iblock)
{
	uint32_t offsets[4], blk;
	int depth = ext2_block_to_path(&im->sbi, iblock, offsets);

	if (depth == 0)
		return 0;
	if (offsets[0] >= EXT2_N_BLOCKS)
		broken("path starts past i_block", offsets[0]);
	blk = ei->i_block[offsets[0]];
	for (int i = 1; i < depth; i++) {
		const uint8_t *ind;

		if (!ext2_data_block_valid(&im->sbi, blk))
			return 0;
		if (offsets[i] >= im->sbi.s_addr_per_block)
			broken("path offset past the indirect block", offsets[i]);
		ind = block_at(im, blk);
		memcpy(&blk, ind + 4 * offsets[i], sizeof(blk));
	}
	return ext2_data_block_valid(&im->sbi, blk) ? blk : 0;
}

static void walk_file(const struct image *im, const struct ext2_inode_info_raw *ei)
{
	uint64_t blocks = (ei->i_size + im->sbi.s_blocksize - 1) >> im->sbi.s_blocksize_bits;

	for (uint64_t b = 0; b < blocks && b < MAX_FILE_BLOCKS; b++) {
		uint32_t blk = map_block(im, ei, b);

		if (blk)
			(void)block_at(im, blk)[0];
	}
}

static void walk_root(const struct image *im)
{
	struct ext2_inode_info_raw root, ei;
	struct ext2_dirent_view de;
	struct ext2_err err;
	uint32_t bs = im->sbi.s_blocksize;

	if (read_inode(im, EXT2_ROOT_INO, &root))
		return;
	for (uint64_t b = 0; b < MAX_DIR_BLOCKS && (b << im->sbi.s_blocksize_bits) < root.i_size;
	     b++) {
		uint32_t blk = map_block(im, &root, b), off = 0;
		const uint8_t *data;

		if (!blk)
			continue;
		data = block_at(im, blk);
		while (off < bs && !ext2_parse_dirent(data, bs, off, &im->sbi, 2, &de, &err)) {
			if ((const uint8_t *)de.name + de.name_len > data + bs)
				broken("a name runs past its block", off);
			if (de.inode && de.inode != EXT2_ROOT_INO &&
			    !read_inode(im, de.inode, &ei) && (ei.i_mode & 0170000) == 0100000)
				walk_file(im, &ei);
			off += de.rec_len;
		}
	}
}

static void mount_and_walk(const uint8_t *bytes, size_t size)
{
	struct image im = {.bytes = bytes, .size = size};
	struct ext2_err err;
	uint64_t gdt;

	if (size < EXT2_SUPER_OFFSET + EXT2_SUPER_SIZE ||
	    ext2_parse_super(bytes + EXT2_SUPER_OFFSET, size, &im.sbi, &err))
		return;
	im.gds = calloc(im.sbi.s_groups_count, sizeof(*im.gds));
	if (!im.gds)
		return;
	gdt = im.sbi.s_first_data_block + 1ull;
	for (uint32_t g = 0; g < im.sbi.s_groups_count; g++) {
		const uint8_t *blk = block_at(&im, gdt + g / im.sbi.s_desc_per_block);

		if (ext2_parse_group_desc(blk + (g % im.sbi.s_desc_per_block) * EXT2_DESC_SIZE,
					  &im.sbi, g, &im.gds[g], &err))
			goto out;
	}
	walk_root(&im);
out:
	free(im.gds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *img;

	if (size && (data[0] & 1)) {
		img = malloc(IMG_SIZE);
		img_build(img);
		for (size_t i = 1; i + PATCH_BYTES <= size; i += PATCH_BYTES)
			img[(data[i] | data[i + 1] << 8) % IMG_SIZE] = data[i + 2];
		mount_and_walk(img, IMG_SIZE);
	} else {
		img = malloc(size ? size : 1);
		memcpy(img, data, size);
		mount_and_walk(img, size);
	}
	free(img);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct fuzz_target target = {
		.name = "fuzz_ext2",
		.short_pass = short_pass_args,
		.test_one = LLVMFuzzerTestOneInput,
		.held = "every image refused or walked inside its bounds",
	};

	return fuzz_main(&target, argc, argv);
}
