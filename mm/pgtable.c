/* User page tables (the table half of Linux's mm/memory.c and
 * mm/pagewalk.c): allocation with its accounting, lookup, range walks,
 * and freeing. Read first: a table's page is counted in the mm's
 * pgtables_bytes and in NR_PAGETABLE from the moment it is made until it
 * is freed, so a leak shows in /proc/meminfo's PageTables line. */
#include "mm/pgtable.h"
#include "kernel/paging.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/vmstat.h"

#define TABLE_FLAGS (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)
#define TABLE_INDEX_BITS 9

static uint64_t *entry_table(uint64_t entry)
{
	return __va(entry & PTE_ADDR_MASK);
}

static unsigned int index_at(unsigned long addr, int level)
{
	return (unsigned int)((addr >> (PAGE_SHIFT + TABLE_INDEX_BITS * level)) &
			      (PTRS_PER_TABLE - 1));
}

/* Where the next entry of a level-`level` table begins after addr, or
 * end if that is sooner. */
static unsigned long entry_end(unsigned long addr, int level, unsigned long end)
{
	unsigned long span = 1ul << (PAGE_SHIFT + TABLE_INDEX_BITS * level);
	unsigned long next = (addr & ~(span - 1)) + span;

	return next < end ? next : end;
}

static uint64_t *alloc_table(struct mm_struct *mm)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (!page)
		return NULL;
	/* Interrupts are on here, and faults of one mm's threads can run
	 * together (mmap_lock is only read-held): both counts are irq-safe
	 * and atomic (as Linux's mm_inc_nr_ptes and mod_lruvec_page_state). */
	__atomic_add_fetch(&mm->pgtables_bytes, PAGE_SIZE, __ATOMIC_RELAXED);
	mod_zone_page_state(page_zone(page), NR_PAGETABLE, 1);
	return page_address(page);
}

static void free_table(struct mm_struct *mm, uint64_t *table)
{
	struct page *page = virt_to_page(table);

	__atomic_sub_fetch(&mm->pgtables_bytes, PAGE_SIZE, __ATOMIC_RELAXED);
	mod_zone_page_state(page_zone(page), NR_PAGETABLE, -1);
	__free_page(page);
}

uint64_t *pgd_alloc(struct mm_struct *mm)
{
	uint64_t *pgd = alloc_table(mm);

	if (!pgd)
		return NULL;
	memcpy(pgd + KERNEL_PGD_FIRST, kernel_pgd() + KERNEL_PGD_FIRST,
	       (PTRS_PER_PGD - KERNEL_PGD_FIRST) * sizeof(uint64_t));
	mm->pgd = pgd;
	return pgd;
}

void pgd_free(struct mm_struct *mm)
{
	if (mm->pgd)
		free_table(mm, mm->pgd);
	mm->pgd = NULL;
}

static uint64_t *walk_to_pte(struct mm_struct *mm, unsigned long addr, bool create)
{
	uint64_t *table = mm->pgd;

	for (int level = LEVEL_PGD; level > LEVEL_PTE; level--) {
		uint64_t *entry = &table[index_at(addr, level)];

		if (!(*entry & _PAGE_PRESENT)) {
			uint64_t *next, none = 0;

			if (!create)
				return NULL;
			next = alloc_table(mm);
			if (!next)
				return NULL;
			/* The allocation may sleep and another thread's fault
			 * fill the slot meanwhile: the first table wins (as
			 * Linux's pmd_install). */
			if (!__atomic_compare_exchange_n(entry, &none, __pa(next) | TABLE_FLAGS,
							 false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
				free_table(mm, next);
		}
		table = entry_table(*entry);
	}
	return &table[index_at(addr, LEVEL_PTE)];
}

uint64_t *follow_pte(struct mm_struct *mm, unsigned long addr)
{
	return walk_to_pte(mm, addr, false);
}

uint64_t *pte_alloc_map(struct mm_struct *mm, unsigned long addr)
{
	return walk_to_pte(mm, addr, true);
}

static int walk_level(uint64_t *table, int level, unsigned long start, unsigned long end,
		      pte_fn_t fn, void *arg)
{
	for (unsigned long addr = start, next; addr < end; addr = next) {
		uint64_t *entry = &table[index_at(addr, level)];
		int ret = 0;

		next = entry_end(addr, level, end);
		if (!(*entry & _PAGE_PRESENT))
			continue;
		if (level == LEVEL_PTE)
			ret = fn(entry, addr, arg);
		else
			ret = walk_level(entry_table(*entry), level - 1, addr, next, fn, arg);
		if (ret)
			return ret;
	}
	return 0;
}

int walk_page_range(struct mm_struct *mm, unsigned long start, unsigned long end, pte_fn_t fn,
		    void *arg)
{
	return walk_level(mm->pgd, LEVEL_PGD, start, end, fn, arg);
}

static bool table_is_empty(const uint64_t *table)
{
	for (int i = 0; i < PTRS_PER_TABLE; i++) {
		if (table[i])
			return false;
	}
	return true;
}

/* Frees the empty tables below table in [start, end); returns how many. */
static int free_empty_level(struct mm_struct *mm, uint64_t *table, int level, unsigned long start,
			    unsigned long end)
{
	int freed = 0;

	for (unsigned long addr = start, next; addr < end; addr = next) {
		uint64_t *entry = &table[index_at(addr, level)];
		uint64_t *child;

		next = entry_end(addr, level, end);
		if (!(*entry & _PAGE_PRESENT))
			continue;
		child = entry_table(*entry);
		if (level - 1 > LEVEL_PTE)
			freed += free_empty_level(mm, child, level - 1, addr, next);
		if (table_is_empty(child)) {
			*entry = 0;
			free_table(mm, child);
			freed++;
		}
	}
	return freed;
}

void free_pgd_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	/* The CPU may cache upper-level entries: a table it could still
	 * walk must not be reused before the flush. */
	if (free_empty_level(mm, mm->pgd, LEVEL_PGD, start, end) && read_cr3() == __pa(mm->pgd))
		write_cr3(read_cr3());
}

/* Free a table and every table below it. */
static void free_level(struct mm_struct *mm, uint64_t *table, int level)
{
	for (int i = 0; i < PTRS_PER_TABLE; i++) {
		if (!(table[i] & _PAGE_PRESENT))
			continue;
		if (level - 1 > LEVEL_PTE)
			free_level(mm, entry_table(table[i]), level - 1);
		else
			free_table(mm, entry_table(table[i]));
		table[i] = 0;
	}
	free_table(mm, table);
}

void free_pgtables(struct mm_struct *mm)
{
	for (int i = 0; i < KERNEL_PGD_FIRST; i++) {
		if (!(mm->pgd[i] & _PAGE_PRESENT))
			continue;
		free_level(mm, entry_table(mm->pgd[i]), LEVEL_PGD - 1);
		mm->pgd[i] = 0;
	}
}
