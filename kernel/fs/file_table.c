/* struct file: allocation and reference counts (Linux's fs/file_table.c).
 * Read first: a file holds its dentry and inode; the last fput calls the
 * file's release (a pipe end closing, say) and only then lets them go. */
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "mm/slab.h"

static struct kmem_cache *filp_cachep;

void files_cache_init(void)
{
	filp_cachep = kmem_cache_create("filp", sizeof(struct file), 0, SLAB_PANIC, NULL);
}

static unsigned int fmode_from_flags(int flags)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY: return FMODE_READ;
	case O_WRONLY: return FMODE_WRITE;
	default: return FMODE_READ | FMODE_WRITE;
	}
}

/* A file on inode (referenced for the file), not yet opened. O_TRUNC
 * stays in f_flags for the file's open (tracefs's trace clears on it);
 * dentry_open drops it afterwards, as Linux's do_dentry_open. */
struct file *alloc_empty_file(struct inode *inode, int flags, const struct file_operations *fops)
{
	struct file *f = kmem_cache_zalloc(filp_cachep, GFP_KERNEL);

	if (!f)
		return NULL;
	f->f_count = 1;
	f->f_flags = (unsigned int)flags & ~(unsigned int)(O_CREAT | O_EXCL | O_NOCTTY | O_CLOEXEC);
	f->f_mode = fmode_from_flags(flags);
	mutex_init(&f->f_pos_lock);
	ihold(inode);
	f->f_inode = inode;
	f->f_op = fops;
	f->f_mapping = inode->i_mapping;
	return f;
}

struct file *alloc_file_pseudo(struct inode *inode, int flags, const struct file_operations *fops)
{
	struct file *f = alloc_empty_file(inode, flags, fops);

	return f ? f : ERR_PTR(-ENOMEM);
}

struct file *get_file(struct file *f)
{
	__atomic_add_fetch(&f->f_count, 1, __ATOMIC_RELAXED);
	return f;
}

void fput(struct file *f)
{
	if (!f || __atomic_sub_fetch(&f->f_count, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (f->f_op && f->f_op->release)
		f->f_op->release(f->f_inode, f);
	dput(f->f_dentry);
	iput(f->f_inode);
	kmem_cache_free(filp_cachep, f);
}
