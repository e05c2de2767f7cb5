/* memblock: the boot-time allocator, before struct page exists. It knows two
 * lists of physical ranges, memory (RAM from the boot map) and reserved
 * (kernel image, boot data, first MiB, its own allocations); what is in the
 * first and not the second is handed to the buddy allocator at the end of
 * boot. Read first: it is pure bookkeeping, shared with the host tests. */
#ifndef OOMLAB_MM_MEMBLOCK_H
#define OOMLAB_MM_MEMBLOCK_H
#include <stdbool.h>
#include <stdint.h>

#define INIT_MEMBLOCK_REGIONS 128
#define MEMBLOCK_ALLOC_ANYWHERE (~(uint64_t)0)

struct memblock_region {
	uint64_t base;
	uint64_t size;
};

struct memblock_type {
	unsigned long cnt;
	uint64_t total_size;
	struct memblock_region regions[INIT_MEMBLOCK_REGIONS];
	const char *name;
};

struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
	bool overflowed; /* a region was dropped: reported once */
};

extern struct memblock memblock;

void memblock_reset(void);
/* Both merge with neighbours and keep the lists sorted; 0 or -ENOMEM when
 * the table is full (the range is then lost, and reported). */
int memblock_add(uint64_t base, uint64_t size);
int memblock_reserve(uint64_t base, uint64_t size);
int memblock_phys_free(uint64_t base, uint64_t size);
/* Top-down, as Linux: the highest free range in [start, end) that fits.
 * Returns the physical address, reserved, or 0 when nothing fits. */
uint64_t memblock_phys_alloc_range(uint64_t size, uint64_t align, uint64_t start, uint64_t end);

uint64_t memblock_phys_mem_size(void);
uint64_t memblock_reserved_size(void);
uint64_t memblock_start_of_DRAM(void);
uint64_t memblock_end_of_DRAM(void);
bool memblock_is_memory(uint64_t addr);
bool memblock_is_reserved(uint64_t addr);

/* Calls fn for every range of memory not reserved, in ascending order. */
typedef void (*memblock_range_fn)(uint64_t start, uint64_t end, void *ctx);
void memblock_for_each_free_range(memblock_range_fn fn, void *ctx);
void memblock_for_each_memory_range(memblock_range_fn fn, void *ctx);
#endif
