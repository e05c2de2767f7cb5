/* vmalloc: virtually contiguous kernel memory from scattered pages, mapped
 * with 4 KiB pages in their own address range. Read first: every area is
 * followed by an unmapped guard page, so running off the end of one (or,
 * for a stack, off its bottom into the previous area's guard) faults. */
#ifndef OOMLAB_MM_VMALLOC_H
#define OOMLAB_MM_VMALLOC_H
#include "kernel/list.h"
#include "mm/gfp_types.h"
#include <stdbool.h>
#include <stdint.h>

struct vm_struct {
	struct list_head list; /* sorted by address */
	uint64_t addr;
	unsigned long size; /* mapped bytes, the guard page not included */
	unsigned int nr_pages;
	struct page **pages;
};

void *vmalloc(unsigned long size);
void *__vmalloc(unsigned long size, gfp_t gfp);
void vfree(const void *addr);
bool is_vmalloc_addr(const void *addr);
/* The area containing addr, or whose guard page contains it. */
struct vm_struct *find_vm_area_or_guard(uint64_t addr, bool *in_guard);
#endif
