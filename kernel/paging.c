/* The kernel's own page tables, replacing the boot loader-era identity map:
 * the first 4 GiB direct-mapped with 2 MiB pages, and the kernel image with
 * 4 KiB pages so that text is read-only, data is non-executable and the page
 * below the boot stack is a guard that faults. */
#include "kernel/paging.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/gfp.h"
#include "mm/memblock.h"
#include <stdbool.h>

#define PTRS_PER_TABLE 512
#define PT_POOL_PAGES 24
#define CPUID_7_EBX_SMEP (1u << 7)
#define CPUID_7_EBX_SMAP (1u << 20)

typedef uint64_t pgtable_t[PTRS_PER_TABLE];

static pgtable_t pt_pool[PT_POOL_PAGES] __attribute__((aligned(PAGE_SIZE)));
static int pt_pool_used;
static pgtable_t *init_top_pgt; /* Linux's name for the kernel PML4 */
static uint64_t direct_mapped_end;

uint64_t __pa(const void *virt)
{
	uint64_t v = (uint64_t)virt;

	if (v >= __START_KERNEL_map)
		return v - __START_KERNEL_map;
	return v - PAGE_OFFSET;
}

/* Once the page allocator runs, new tables come from it (and mapping can
 * fail with -ENOMEM); before, from the pool and then memblock. */
static bool tables_from_page_allocator;

void paging_use_page_allocator(void)
{
	tables_from_page_allocator = true;
}

static pgtable_t *alloc_table(void)
{
	uint64_t phys;

	if (tables_from_page_allocator) {
		unsigned long addr = get_zeroed_page(GFP_KERNEL);

		return addr ? (pgtable_t *)addr : NULL;
	}
	if (pt_pool_used < PT_POOL_PAGES)
		return &pt_pool[pt_pool_used++];
	/* After boot's own tables: from memblock, below what is mapped. */
	phys = memblock_phys_alloc_range(PAGE_SIZE, PAGE_SIZE, 0, direct_mapped_end);
	if (!phys)
		panic("paging: no memory for a page table");
	memset(__va(phys), 0, PAGE_SIZE);
	return (pgtable_t *)__va(phys);
}

static uint64_t index_at(uint64_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & 511;
}

/* The first tables live in pt_pool, inside the kernel image, reached
 * through the kernel mapping (valid before and after the CR3 switch); the
 * ones made later for RAM above 4 GiB come from memblock, through the
 * direct map. */
static pgtable_t *table_at(uint64_t phys)
{
	if (phys >= __pa(_stext) && phys < __pa(_end))
		return (pgtable_t *)(phys + __START_KERNEL_map);
	return (pgtable_t *)__va(phys);
}

/* The next-level table under entry, created when absent; NULL only when
 * the page allocator has no page for it. */
static pgtable_t *next_table(uint64_t *entry)
{
	if (!(*entry & _PAGE_PRESENT)) {
		pgtable_t *t = alloc_table();

		if (!t)
			return NULL;
		*entry = __pa(t) | _PAGE_PRESENT | _PAGE_RW;
	}
	return table_at(*entry & PTE_ADDR_MASK);
}

/* The leaf entry for va at level (0: PTE, 1: PMD), creating tables. */
static uint64_t *walk_create(uint64_t va, int level)
{
	pgtable_t *t = init_top_pgt;

	for (int l = 3; l > level; l--) {
		t = next_table(&(*t)[index_at(va, l)]);
		if (!t)
			return NULL;
	}
	return &(*t)[index_at(va, level)];
}

static void map_2m(uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *pmd = walk_create(va, 1);

	if (!pmd)
		panic("paging: no memory for the direct map");
	*pmd = pa | flags | _PAGE_PSE | _PAGE_PRESENT;
}

static void map_4k(uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *pte = walk_create(va, 0);

	if (!pte)
		panic("paging: no memory for the kernel map");
	*pte = pa | flags | _PAGE_PRESENT;
}

int map_kernel_page(uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t *pte = walk_create(va, 0);

	if (!pte)
		return -ENOMEM;
	*pte = pa | flags | _PAGE_PRESENT;
	invlpg(va);
	return 0;
}

void unmap_kernel_page(uint64_t va)
{
	pgtable_t *t = init_top_pgt;

	for (int l = 3; l > 0; l--) {
		uint64_t e = (*t)[index_at(va, l)];

		if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
			return;
		t = table_at(e & PTE_ADDR_MASK);
	}
	(*t)[index_at(va, 0)] = 0;
	invlpg(va);
}

static uint64_t kernel_flags_for(uint64_t va, bool nx)
{
	if (va >= (uint64_t)_stext && va < (uint64_t)_etext)
		return _PAGE_GLOBAL; /* text: read-only, executable */
	if (va >= (uint64_t)_srodata && va < (uint64_t)_erodata)
		return _PAGE_GLOBAL | (nx ? _PAGE_NX : 0);
	return _PAGE_GLOBAL | _PAGE_RW | (nx ? _PAGE_NX : 0);
}

static bool cpu_has_nx(void)
{
	return rdmsr(MSR_EFER) & EFER_NX; /* head.S enabled NXE if supported */
}

static void enable_cpu_protections(void)
{
	uint32_t a, b, c, d;
	uint64_t cr4 = read_cr4() | X86_CR4_PGE;

	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		if (b & CPUID_7_EBX_SMEP)
			cr4 |= X86_CR4_SMEP;
		if (b & CPUID_7_EBX_SMAP) {
			cr4 |= X86_CR4_SMAP;
			smap_enabled = true; /* copy_*_user must now open the door */
		}
	}
	write_cr4(cr4);
	write_cr0(read_cr0() | X86_CR0_WP);
}

void paging_init(void)
{
	bool nx = cpu_has_nx();
	uint64_t data_flags = _PAGE_GLOBAL | _PAGE_RW | (nx ? _PAGE_NX : 0);

	init_top_pgt = alloc_table();
	for (uint64_t pa = 0; pa < EARLY_DIRECT_MAP_LIMIT; pa += PMD_SIZE)
		map_2m(PAGE_OFFSET + pa, pa, data_flags);
	for (uint64_t va = (uint64_t)_stext; va < (uint64_t)_end; va += PAGE_SIZE) {
		if (va >= (uint64_t)boot_stack_guard && va < (uint64_t)boot_stack_bottom)
			continue;
		map_4k(va, va - __START_KERNEL_map, kernel_flags_for(va, nx));
	}
	direct_mapped_end = EARLY_DIRECT_MAP_LIMIT;
	/* The vmalloc slot's table now, before any address space copies the
	 * kernel half. */
	(void)next_table(&(*init_top_pgt)[index_at(VMALLOC_START, 3)]);
	enable_cpu_protections();
	write_cr3(__pa(init_top_pgt));
}

/* As Linux's init_mem_mapping: once memblock knows where RAM ends, map
 * the rest of it (2 MiB pages) so that every page has a kernel address. */
void init_mem_mapping(uint64_t end)
{
	uint64_t data_flags = _PAGE_GLOBAL | _PAGE_RW | (cpu_has_nx() ? _PAGE_NX : 0);
	uint64_t pa = direct_mapped_end;

	end = (end + PMD_SIZE - 1) & ~(PMD_SIZE - 1);
	for (; pa < end; pa += PMD_SIZE)
		map_2m(PAGE_OFFSET + pa, pa, data_flags);
	if (end > direct_mapped_end)
		direct_mapped_end = end;
	write_cr3(read_cr3()); /* new entries only; a flush keeps it simple */
}

uint64_t *kernel_pgd(void)
{
	return (uint64_t *)init_top_pgt;
}

uint64_t direct_map_end(void)
{
	return direct_mapped_end;
}

uint64_t kernel_lookup_pte(uint64_t va)
{
	pgtable_t *table = table_at(read_cr3() & PTE_ADDR_MASK);

	for (int level = 3; level >= 0; level--) {
		uint64_t e = (*table)[index_at(va, level)];
		if (!(e & _PAGE_PRESENT))
			return 0;
		if (level == 0 || (level <= 2 && (e & _PAGE_PSE)))
			return e;
		table = table_at(e & PTE_ADDR_MASK);
	}
	return 0;
}
