/* The reverse map for page-cache pages: from a page to every PTE that maps
 * it, through its mapping's i_mmap list of VMAs (Linux's mm/rmap.c, with a
 * list where Linux has an interval tree). Read first: a VMA's fields and
 * page tables are only stable under its mm's mmap_lock, which the walk
 * only trylocks (reclaim must never wait on a task that is itself
 * allocating); an mm it cannot lock counts as a recent user. */
#include "mm/rmap.h"
#include "kernel/fs/fs.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"

/* Where vma maps the file page at index, or 0 when it does not cover it. */
static unsigned long vma_address(const struct vm_area_struct *vma, unsigned long index)
{
	unsigned long pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;

	if (index < vma->vm_pgoff || index - vma->vm_pgoff >= pages)
		return 0;
	return vma->vm_start + ((index - vma->vm_pgoff) << PAGE_SHIFT);
}

enum rmap_op { RMAP_REFERENCED, RMAP_UNMAP };

struct rmap_walk {
	enum rmap_op op;
	int referenced;		/* PTEs whose accessed bit was set */
	unsigned long vm_flags; /* the flags of the VMAs that map the page */
	bool busy;		/* an mm we could not lock */
};

static void rmap_one(struct vm_area_struct *vma, struct page *page, struct rmap_walk *w)
{
	unsigned long addr;

	if (!mmap_read_trylock(vma->vm_mm)) {
		w->busy = true;
		return;
	}
	addr = vma_address(vma, page->index);
	if (addr) {
		if (w->op == RMAP_REFERENCED) {
			if (page_referenced_one(vma, addr, page)) {
				w->referenced++;
				w->vm_flags |= vma->vm_flags;
			}
			/* mlock is a fact about the VMA, used or not. */
			w->vm_flags |= vma->vm_flags & VM_LOCKED;
		} else if (!(vma->vm_flags & VM_LOCKED)) {
			try_to_unmap_one(vma, addr, page);
		}
	}
	mmap_read_unlock(vma->vm_mm);
}

/* The caller holds a reference and the page is in mapping's cache, so
 * the mapping outlives the walk (truncate waits for such pages). */
static void rmap_walk_file(struct page *page, struct rmap_walk *w)
{
	struct address_space *mapping = page->mapping;
	struct vm_area_struct *vma;

	if (!mapping || page_mapcount(page) == 0)
		return;
	mutex_lock(&mapping->i_mmap_lock);
	list_for_each_entry(vma, &mapping->i_mmap, shared) {
		rmap_one(vma, page, w);
		if (w->op == RMAP_UNMAP && page_mapcount(page) == 0)
			break;
	}
	mutex_unlock(&mapping->i_mmap_lock);
}

int page_referenced(struct page *page, unsigned long *vm_flags)
{
	struct rmap_walk w = {.op = RMAP_REFERENCED};

	rmap_walk_file(page, &w);
	*vm_flags = w.vm_flags;
	/* As Linux: -1 when an mm could not be locked (we cannot know). */
	return w.busy ? -1 : w.referenced;
}

bool try_to_unmap(struct page *page)
{
	struct rmap_walk w = {.op = RMAP_UNMAP};

	rmap_walk_file(page, &w);
	return page_mapcount(page) == 0;
}
