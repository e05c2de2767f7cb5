/* ext2 directories: listing and name lookup over the directory's page
 * cache, one block of entries at a time (Linux's fs/ext2/dir.c and
 * namei.c). Read first: a directory's position is a byte offset into it,
 * as Linux's; every entry is checked by ext2_parse_dirent before its
 * fields are used, and a bad one ends the walk with ext2_error. */
#include "kernel/fs/ext2/ext2.h"
#include "kernel/fs/internal.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/mm.h"

/* ext2's file_type values to getdents' d_type (Linux's fs_ftype_to_dtype). */
static const unsigned char ext2_dtype[] = {DT_UNKNOWN,	     DT_REG,	     DT_DIR,
					   2 /* DT_CHR */,   6 /* DT_BLK */, DT_FIFO,
					   12 /* DT_SOCK */, DT_LNK};

/* Called for each live entry of the directory from byte start on, with
 * its byte offset; returning false stops the walk (0 returned). */
typedef bool (*dirent_actor)(void *ctx, const struct ext2_dirent_view *de, loff_t off);

static int walk_dir(struct inode *dir, loff_t start, dirent_actor actor, void *ctx)
{
	struct ext2_sb *sbi = EXT2_SB(dir->i_sb);
	uint32_t bs = sbi->info.s_blocksize;
	loff_t block_start = start & ~(loff_t)(bs - 1);

	for (; block_start < dir->i_size; block_start += bs) {
		struct page *page =
			read_cache_page(dir->i_mapping, (unsigned long)(block_start >> PAGE_SHIFT));
		const uint8_t *blk;
		uint32_t off = 0;

		if (IS_ERR(page))
			return (int)PTR_ERR(page);
		blk = (const uint8_t *)page_address(page) + (block_start & ~PAGE_MASK);
		while (off < bs) {
			struct ext2_dirent_view de;
			struct ext2_err err;

			if (ext2_parse_dirent(blk, bs, off, &sbi->info, dir->i_ino, &de, &err)) {
				ext2_error(sbi, "ext2_check_page", err.msg);
				__free_page(page);
				return -EUCLEAN;
			}
			if (de.inode && block_start + off >= start &&
			    !actor(ctx, &de, block_start + off)) {
				__free_page(page);
				return 0;
			}
			off += de.rec_len;
		}
		__free_page(page);
	}
	return 0;
}

struct readdir_ctx {
	struct dir_context *ctx;
	bool done; /* walked to the end without the buffer filling */
};

static bool emit(void *p, const struct ext2_dirent_view *de, loff_t off)
{
	struct dir_context *ctx = ((struct readdir_ctx *)p)->ctx;
	unsigned int type =
		de->file_type < sizeof(ext2_dtype) ? ext2_dtype[de->file_type] : DT_UNKNOWN;

	ctx->pos = off;
	if (!dir_emit(ctx, de->name, de->name_len, de->inode, type)) {
		((struct readdir_ctx *)p)->done = false;
		return false;
	}
	ctx->pos = off + de->rec_len;
	return true;
}

static int ext2_readdir(struct file *file, struct dir_context *ctx)
{
	struct readdir_ctx rc = {.ctx = ctx, .done = true};
	struct inode *dir = file->f_inode;
	int err;

	if (ctx->pos >= dir->i_size)
		return 0;
	err = walk_dir(dir, ctx->pos, emit, &rc);
	if (!err && rc.done)
		ctx->pos = dir->i_size; /* the last entries were empty slots */
	return err;
}

const struct file_operations ext2_dir_operations = {
	.llseek = generic_file_llseek,
	.iterate_shared = ext2_readdir,
};

struct find_ctx {
	const char *name;
	size_t len;
	uint32_t ino;
};

static bool match(void *p, const struct ext2_dirent_view *de, loff_t off)
{
	struct find_ctx *fc = p;

	if (de->name_len != fc->len || memcmp(de->name, fc->name, fc->len))
		return true;
	fc->ino = de->inode;
	return false;
}

/* As Linux's ext2_lookup: a dentry for name (the caller's reference),
 * cached under parent so the next lookup needs neither the directory's
 * pages nor the disk. */
static struct dentry *ext2_lookup(struct inode *dir, struct dentry *parent, const char *name,
				  size_t len)
{
	struct find_ctx fc = {.name = name, .len = len};
	struct inode *inode;
	struct dentry *d;
	int err = walk_dir(dir, 0, match, &fc);

	if (err)
		return ERR_PTR(err);
	if (!fc.ino)
		return ERR_PTR(-ENOENT);
	inode = ext2_iget(EXT2_SB(dir->i_sb), fc.ino);
	if (IS_ERR(inode))
		return ERR_PTR(PTR_ERR(inode) == -ESTALE ? -EUCLEAN : PTR_ERR(inode));
	d = d_alloc(parent, name, len);
	if (!d) {
		iput(inode);
		return ERR_PTR(-ENOMEM);
	}
	return d_add_unique(d, inode);
}

const struct inode_operations ext2_dir_inode_operations = {
	.lookup = ext2_lookup,
};
