/* The reverse map (mm/rmap.c): from a page-cache page to its PTEs. Read
 * first: both calls need a reference on the page and the page still in
 * its mapping's cache; anonymous pages have no reverse map (no swap). */
#ifndef OOMLAB_MM_RMAP_H
#define OOMLAB_MM_RMAP_H
#include "mm/mm_types.h"
#include <stdbool.h>

struct vm_area_struct;

/* PTEs that used page since the last look (their accessed bits cleared),
 * or -1 when an mm could not be locked; *vm_flags gets the flags of those
 * VMAs, and VM_LOCKED of any VMA that maps it (Linux's folio_referenced). */
int page_referenced(struct page *page, unsigned long *vm_flags);
/* Unmap page from every VMA that is not mlocked: true when no PTE maps it
 * any more (Linux's try_to_unmap). */
bool try_to_unmap(struct page *page);

/* mm/memory.c, for the walk: one VMA's PTE at addr. */
bool page_referenced_one(struct vm_area_struct *vma, unsigned long addr, struct page *page);
void try_to_unmap_one(struct vm_area_struct *vma, unsigned long addr, struct page *page);
#endif
