/* The VMA array of an mm, for the files that reshape it (mmap.c, and
 * mremap.c which moves and resizes VMAs). Read first: every function here
 * needs mmap_lock held for write, and the array stays sorted and
 * non-overlapping between calls. */
#ifndef OOMLAB_MM_VMA_H
#define OOMLAB_MM_VMA_H
#include "mm/mm_struct.h"

/* Index of the first VMA ending above addr (map_count if none). */
int vma_index(const struct mm_struct *mm, unsigned long addr);
/* Put vma in its place: -ENOMEM at vm.max_map_count or without memory. */
int insert_vma(struct mm_struct *mm, struct vm_area_struct *vma);
/* Take the VMA at index i out of the array (not freed). */
void remove_vma_at(struct mm_struct *mm, int i);
/* total_vm and locked_vm: sign 1 when vma starts to count, -1 when it stops. */
void account_vma(struct mm_struct *mm, const struct vm_area_struct *vma, long sign);
struct vm_area_struct *vma_alloc(struct mm_struct *mm, unsigned long start, unsigned long end,
				 unsigned long flags);
/* Free a VMA that is out of the array, with its file reference. */
void vma_free(struct vm_area_struct *vma);
/* Split the VMA at index i so that one starts at addr (nothing when addr
 * is at its ends); -ENOMEM. */
int split_vma(struct mm_struct *mm, int i, unsigned long addr);
#endif
