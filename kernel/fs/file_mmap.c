/* The file side of private file mappings: what mm/ asks of a mapped file
 * (Linux's generic_file_mmap and filemap_fault, reduced to hooks). Read
 * first: a VMA holds a reference on its struct file for as long as it
 * maps it, and a fault gets page-cache pages with a reference of their own. */
#include "kernel/err.h"
#include "kernel/errno.h"
#include "kernel/fs/fdtable.h"
#include "kernel/fs/fs.h"
#include "kernel/paging.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include <limits.h>

void vma_file_get(struct vm_area_struct *vma);
void vma_file_put(struct vm_area_struct *vma);
struct page *vma_file_page(struct vm_area_struct *vma, unsigned long index);
long do_file_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		  unsigned long vm_flags, int fd, unsigned long off);

/* A VMA mapping a page-cached file is on the mapping's i_mmap list from
 * the moment it holds the file until it lets go: the reverse map finds
 * every PTE of a page cache page through it (mm/rmap.c). */
void vma_file_get(struct vm_area_struct *vma)
{
	struct address_space *mapping;

	if (!vma->vm_file)
		return;
	get_file(vma->vm_file);
	mapping = vma->vm_file->f_mapping;
	if (mapping) {
		mutex_lock(&mapping->i_mmap_lock);
		list_add_tail(&vma->shared, &mapping->i_mmap);
		mutex_unlock(&mapping->i_mmap_lock);
	}
}

void vma_file_put(struct vm_area_struct *vma)
{
	struct address_space *mapping;

	if (!vma->vm_file)
		return;
	mapping = vma->vm_file->f_mapping;
	if (mapping) {
		mutex_lock(&mapping->i_mmap_lock);
		list_del(&vma->shared);
		mutex_unlock(&mapping->i_mmap_lock);
	}
	fput(vma->vm_file);
}

/* The page at file page index, with a reference for the caller; NULL
 * when out of memory; ERR_PTR(-ENXIO) for a page wholly past the end of
 * the file, or the read's error (-EIO), which the fault turns into
 * SIGBUS, as Linux's filemap_fault. */
struct page *vma_file_page(struct vm_area_struct *vma, unsigned long index)
{
	struct file *f = vma->vm_file;
	loff_t size = file_size(f);
	struct page *page;

	/* In pages, not bytes: a shifted index near 2^52 would wrap. */
	if (index >= (unsigned long)((size + (loff_t)PAGE_SIZE - 1) >> PAGE_SHIFT))
		return ERR_PTR(-ENXIO);
	page = read_cache_page(f->f_mapping, index);
	return PTR_ERR(page) == -ENOMEM ? NULL : page;
}

/* As Linux's do_mmap and file_mmap_ok: the mapping's last byte must be a
 * file offset a loff_t can hold (a regular file's MAX_LFS_FILESIZE), so
 * an offset such as -4096 is refused rather than wrapped. */
static bool file_mmap_ok(unsigned long off, unsigned long len)
{
	const unsigned long max_size = (unsigned long)LLONG_MAX;

	return len <= max_size && off <= max_size - len;
}

/* mmap of fd, called with mmap_lock held for writing. Only files with a
 * page cache (initramfs files) can be mapped; the VMA takes its own
 * reference on the file. */
long do_file_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		  unsigned long vm_flags, int fd, unsigned long off)
{
	struct file *f = fget((unsigned int)fd);
	long r;

	if (!f)
		return -EBADF;
	if (!(f->f_mode & FMODE_READ))
		r = -EACCES;
	else if (!f->f_mapping || !f->f_mapping->a_ops)
		r = -ENODEV;
	else if (off & ~PAGE_MASK)
		r = -EINVAL;
	else if (!file_mmap_ok(off, len))
		r = -EOVERFLOW;
	else
		r = do_mmap_fixed(mm, addr, len, vm_flags, f, off >> PAGE_SHIFT);
	fput(f);
	return r;
}
