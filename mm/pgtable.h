/* User page tables as the rest of mm/ sees them: make, look up, walk and
 * free the four levels below an mm's pgd. Read first: every walk skips a
 * missing table whole, so the cost of a range is the tables present in
 * it, not its size (a 64 GiB mapping never touched costs nothing). */
#ifndef OOMLAB_MM_PGTABLE_H
#define OOMLAB_MM_PGTABLE_H
#include <stdint.h>

struct mm_struct;

#define PTRS_PER_TABLE 512
#define LEVEL_PTE 0 /* a table of PTEs, each one page */
#define LEVEL_PGD 3 /* the top: each entry 512 GiB */

/* The PTE for addr, or NULL when a table on the way is missing. */
uint64_t *follow_pte(struct mm_struct *mm, unsigned long addr);
/* The PTE for addr, making the missing tables (NULL: no memory). */
uint64_t *pte_alloc_map(struct mm_struct *mm, unsigned long addr);

/* Called for each present PTE; a non-zero return stops the walk and is
 * the walk's result. */
typedef int (*pte_fn_t)(uint64_t *pte, unsigned long addr, void *arg);
int walk_page_range(struct mm_struct *mm, unsigned long start, unsigned long end, pte_fn_t fn,
		    void *arg);

/* After an unmap: free the tables in [start, end) that are now empty. */
void free_pgd_range(struct mm_struct *mm, unsigned long start, unsigned long end);
/* Every user table below the pgd; the pages must be unmapped first. */
void free_pgtables(struct mm_struct *mm);
#endif
