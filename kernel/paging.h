/* Kernel virtual memory layout, as Linux's x86_64: the direct map of
 * physical memory at PAGE_OFFSET and the kernel image at __START_KERNEL_map.
 * Address 0 and the rest of the low half stay unmapped (NULL faults). */
#ifndef OOMLAB_KERNEL_PAGING_H
#define OOMLAB_KERNEL_PAGING_H
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ul << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PMD_SIZE (1ul << 21)
#define PUD_SIZE (1ul << 30)
#define PAGE_OFFSET 0xffff888000000000ul
#define __START_KERNEL_map 0xffffffff80000000ul
#define EARLY_DIRECT_MAP_LIMIT (4ul << 30) /* mapped before the memory map is known */

#define _PAGE_PRESENT (1ul << 0)
#define _PAGE_RW (1ul << 1)
#define _PAGE_USER (1ul << 2)
#define _PAGE_ACCESSED (1ul << 5) /* set by the CPU on use; reclaim clears it */
#define _PAGE_PSE (1ul << 7)
#define _PAGE_GLOBAL (1ul << 8)
#define _PAGE_NX (1ul << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ul

static inline void *__va(uint64_t phys)
{
	return (void *)(phys + PAGE_OFFSET);
}
uint64_t __pa(const void *virt);

void paging_init(void);
/* Leaf entry (PTE, or PDE/PDPTE of a large page) mapping va in the kernel
 * tables; 0 when va is not mapped. */
uint64_t kernel_lookup_pte(uint64_t va);
/* Extend the direct map to cover [0, end): RAM above the early 4 GiB. */
void init_mem_mapping(uint64_t end);
/* The kernel's top-level table: its upper half is copied into every
 * address space. */
uint64_t *kernel_pgd(void);
#define KERNEL_PGD_FIRST 256 /* entries 256..511 map the kernel half */
#define PTRS_PER_PGD 512
/* After mm_core_init: page tables come from the page allocator. */
void paging_use_page_allocator(void);
/* Map one 4 KiB kernel page (vmalloc area); 0 or -ENOMEM. */
int map_kernel_page(uint64_t va, uint64_t pa, uint64_t flags);
void unmap_kernel_page(uint64_t va);
/* One top-level slot (512 GiB), whose table exists from boot on, so every
 * address space made later shares all vmalloc mappings. */
#define VMALLOC_START 0xffffc90000000000ul
#define VMALLOC_END (VMALLOC_START + (512ul << 30))
/* Highest physical address + 1 that the direct map covers. */
uint64_t direct_map_end(void);

extern char boot_stack_guard[], boot_stack_bottom[], boot_stack_top[];
extern char _stext[], _etext[], _srodata[], _erodata[], _sdata[], _end[];
#endif
