/* A tiny valid ext2 image built in memory, for the ext2 parser's host test
 * and fuzz target (the same bytes mke2fs would write for these choices).
 * Read first: 1 KiB blocks, one group, 16 inodes of 128 bytes; the root
 * directory holds "hello" (inode 12: 12 direct blocks, the fifth a hole,
 * then three through the indirect block) and "link" (inode 13, a fast
 * symlink to "hello"). */
#ifndef OOMLAB_TESTS_HOST_EXT2_IMAGE_H
#define OOMLAB_TESTS_HOST_EXT2_IMAGE_H
#include "kernel/fs/ext2/ext2_fs.h"
#include <stdint.h>
#include <string.h>

#define IMG_BLOCK 1024u
#define IMG_BLOCKS 64u
#define IMG_SIZE (IMG_BLOCK * IMG_BLOCKS)
#define IMG_INODES 16u
#define IMG_INODE_SIZE 128u
#define IMG_GDT_BLOCK 2u
#define IMG_INODE_TABLE 5u
#define IMG_ROOT_DIR_BLOCK 7u
#define IMG_IND_BLOCK 8u
#define IMG_FIRST_FILE_BLOCK 10u
#define IMG_HOLE_INDEX 4u
#define IMG_FILE_INO 12u
#define IMG_LINK_INO 13u
#define IMG_FILE_SIZE (14u * IMG_BLOCK + 100u)
#define IMG_SB (EXT2_SUPER_OFFSET) /* byte offset of the superblock */

static inline void img_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void img_put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint8_t *img_inode(uint8_t *img, unsigned int ino)
{
	return img + IMG_INODE_TABLE * IMG_BLOCK + (ino - 1) * IMG_INODE_SIZE;
}

/* One directory entry at *off; the last one's rec_len runs to the block end. */
static inline void img_dirent(uint8_t *blk, uint32_t *off, uint32_t ino, const char *name,
			      uint8_t type, int last)
{
	uint32_t len = (uint32_t)strlen(name), rec = EXT2_DIR_REC_LEN(len);

	if (last)
		rec = IMG_BLOCK - *off;
	img_put32(blk + *off, ino);
	img_put16(blk + *off + 4, (uint16_t)rec);
	blk[*off + 6] = (uint8_t)len;
	blk[*off + 7] = type;
	memcpy(blk + *off + 8, name, len);
	*off += rec;
}

static inline void img_build(uint8_t *img)
{
	uint8_t *sb = img + IMG_SB, *gd = img + IMG_GDT_BLOCK * IMG_BLOCK, *ino, *blk;
	uint32_t off = 0;

	memset(img, 0, IMG_SIZE);
	img_put32(sb + 0, IMG_INODES);
	img_put32(sb + 4, IMG_BLOCKS);
	img_put32(sb + 20, 1);	  /* first data block */
	img_put32(sb + 24, 0);	  /* log block size: 1024 */
	img_put32(sb + 32, 8192); /* blocks per group */
	img_put32(sb + 40, IMG_INODES);
	img_put16(sb + 56, EXT2_SUPER_MAGIC);
	img_put32(sb + 76, EXT2_DYNAMIC_REV);
	img_put32(sb + 84, 11);
	img_put16(sb + 88, IMG_INODE_SIZE);
	img_put32(sb + 96, EXT2_FEATURE_INCOMPAT_FILETYPE);
	memcpy(sb + 120, "template", 8);
	img_put32(gd + 0, 3);
	img_put32(gd + 4, 4);
	img_put32(gd + 8, IMG_INODE_TABLE);
	/* The root directory. */
	ino = img_inode(img, EXT2_ROOT_INO);
	img_put16(ino + 0, 040755);
	img_put32(ino + 4, IMG_BLOCK);
	img_put16(ino + 26, 2);
	img_put32(ino + 28, 2);
	img_put32(ino + 40, IMG_ROOT_DIR_BLOCK);
	blk = img + IMG_ROOT_DIR_BLOCK * IMG_BLOCK;
	img_dirent(blk, &off, EXT2_ROOT_INO, ".", 2, 0);
	img_dirent(blk, &off, EXT2_ROOT_INO, "..", 2, 0);
	img_dirent(blk, &off, IMG_FILE_INO, "hello", 1, 0);
	img_dirent(blk, &off, IMG_LINK_INO, "link", 7, 1);
	/* The file: direct blocks (one a hole), then the indirect block. */
	ino = img_inode(img, IMG_FILE_INO);
	img_put16(ino + 0, 0100644);
	img_put32(ino + 4, IMG_FILE_SIZE);
	img_put16(ino + 26, 1);
	img_put32(ino + 28, 2 * 15);
	for (uint32_t i = 0; i < EXT2_NDIR_BLOCKS; i++)
		img_put32(ino + 40 + 4 * i, i == IMG_HOLE_INDEX ? 0 : IMG_FIRST_FILE_BLOCK + i);
	img_put32(ino + 40 + 4 * EXT2_IND_BLOCK, IMG_IND_BLOCK);
	for (uint32_t i = 0; i < 3; i++)
		img_put32(img + IMG_IND_BLOCK * IMG_BLOCK + 4 * i,
			  IMG_FIRST_FILE_BLOCK + EXT2_NDIR_BLOCKS + i);
	for (uint32_t b = IMG_FIRST_FILE_BLOCK; b < IMG_FIRST_FILE_BLOCK + 15; b++)
		memset(img + b * IMG_BLOCK, (int)('a' + b % 26), IMG_BLOCK);
	/* The fast symlink. */
	ino = img_inode(img, IMG_LINK_INO);
	img_put16(ino + 0, 0120777);
	img_put32(ino + 4, 5);
	img_put16(ino + 26, 1);
	memcpy(ino + 40, "hello", 5);
}
#endif
