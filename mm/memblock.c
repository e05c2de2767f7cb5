/* memblock: the boot-time allocator (Linux's mm/memblock.c, in miniature).
 * Read first: regions in each list are kept sorted and non-overlapping, and
 * neighbours are merged, so both lists stay small whatever the map said. */
#include "mm/memblock.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"

#define MEMBLOCK_TOP (~(uint64_t)0 - 4095) /* the last page's start */

struct memblock memblock = {
	.memory = {.name = "memory"},
	.reserved = {.name = "reserved"},
};

void memblock_reset(void)
{
	memset(&memblock, 0, sizeof(memblock));
	memblock.memory.name = "memory";
	memblock.reserved.name = "reserved";
}

static uint64_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

static void remove_region(struct memblock_type *type, unsigned long i)
{
	memmove(&type->regions[i], &type->regions[i + 1],
		(type->cnt - i - 1) * sizeof(type->regions[0]));
	type->cnt--;
}

/* Merge region i with the ones after it while they touch or overlap. */
static void merge_from(struct memblock_type *type, unsigned long i)
{
	struct memblock_region *r = &type->regions[i];

	while (i + 1 < type->cnt && type->regions[i + 1].base <= region_end(r)) {
		uint64_t end = region_end(&type->regions[i + 1]);

		if (end > region_end(r))
			r->size = end - r->base;
		remove_region(type, i + 1);
	}
}

static void recount(struct memblock_type *type)
{
	type->total_size = 0;
	for (unsigned long i = 0; i < type->cnt; i++)
		type->total_size += type->regions[i].size;
}

static int memblock_add_range(struct memblock_type *type, uint64_t base, uint64_t size)
{
	unsigned long i = 0;

	if (size == 0)
		return 0;
	/* Clip a range that reaches the top of the address space one page
	 * short of it, so that every region's end is representable. */
	if (base + size < base || base + size == 0) {
		if (base > MEMBLOCK_TOP)
			return -EINVAL;
		size = MEMBLOCK_TOP - base;
		if (size == 0)
			return 0;
	}
	while (i < type->cnt && region_end(&type->regions[i]) < base)
		i++;
	if (i < type->cnt && type->regions[i].base <= base + size) {
		/* Touches region i: grow it, then swallow what it now covers. */
		struct memblock_region *r = &type->regions[i];
		uint64_t end = region_end(r) > base + size ? region_end(r) : base + size;

		r->base = r->base < base ? r->base : base;
		r->size = end - r->base;
		merge_from(type, i);
		recount(type);
		return 0;
	}
	if (type->cnt == INIT_MEMBLOCK_REGIONS) {
		if (!memblock.overflowed)
			pr_err("memblock: %s table full; [mem 0x%016llx-0x%016llx] ignored",
			       type->name, (unsigned long long)base,
			       (unsigned long long)(base + size - 1));
		memblock.overflowed = true;
		return -ENOMEM;
	}
	memmove(&type->regions[i + 1], &type->regions[i],
		(type->cnt - i) * sizeof(type->regions[0]));
	type->regions[i].base = base;
	type->regions[i].size = size;
	type->cnt++;
	recount(type);
	return 0;
}

int memblock_add(uint64_t base, uint64_t size)
{
	return memblock_add_range(&memblock.memory, base, size);
}

int memblock_reserve(uint64_t base, uint64_t size)
{
	return memblock_add_range(&memblock.reserved, base, size);
}

/* Cut [base, base + size) out of the reserved list; may split one region. */
int memblock_phys_free(uint64_t base, uint64_t size)
{
	struct memblock_type *type = &memblock.reserved;
	uint64_t end = base + size;

	for (unsigned long i = 0; i < type->cnt; i++) {
		struct memblock_region *r = &type->regions[i];
		uint64_t rend = region_end(r);

		if (rend <= base || r->base >= end)
			continue;
		if (r->base < base && rend > end) {
			/* Shrink first, so that the tail is a separate insert
			 * rather than merging straight back into r. */
			int err;

			r->size = base - r->base;
			err = memblock_add_range(type, end, rend - end);
			if (err) {
				type->regions[i].size = rend - type->regions[i].base;
				return err;
			}
			break;
		} else if (r->base < base) {
			r->size = base - r->base;
		} else if (rend > end) {
			r->size = rend - end;
			r->base = end;
		} else {
			remove_region(type, i);
			i--;
		}
	}
	recount(type);
	return 0;
}

bool memblock_is_memory(uint64_t addr)
{
	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		const struct memblock_region *r = &memblock.memory.regions[i];

		if (addr >= r->base && addr < region_end(r))
			return true;
	}
	return false;
}

bool memblock_is_reserved(uint64_t addr)
{
	for (unsigned long i = 0; i < memblock.reserved.cnt; i++) {
		const struct memblock_region *r = &memblock.reserved.regions[i];

		if (addr >= r->base && addr < region_end(r))
			return true;
	}
	return false;
}

/* memory minus reserved, ascending: for each memory region, step over the
 * reserved regions that overlap it. */
void memblock_for_each_free_range(memblock_range_fn fn, void *ctx)
{
	const struct memblock_type *res = &memblock.reserved;
	unsigned long j = 0;

	for (unsigned long i = 0; i < memblock.memory.cnt; i++) {
		uint64_t start = memblock.memory.regions[i].base;
		uint64_t end = region_end(&memblock.memory.regions[i]);

		while (j < res->cnt && region_end(&res->regions[j]) <= start)
			j++;
		for (unsigned long k = j; k < res->cnt && res->regions[k].base < end; k++) {
			if (res->regions[k].base > start)
				fn(start, res->regions[k].base, ctx);
			if (region_end(&res->regions[k]) > start)
				start = region_end(&res->regions[k]);
		}
		if (start < end)
			fn(start, end, ctx);
	}
}

void memblock_for_each_memory_range(memblock_range_fn fn, void *ctx)
{
	for (unsigned long i = 0; i < memblock.memory.cnt; i++)
		fn(memblock.memory.regions[i].base, region_end(&memblock.memory.regions[i]), ctx);
}

struct alloc_walk {
	uint64_t size, align, lo, hi;
	uint64_t found;
};

/* Ranges arrive ascending, so the last fit seen is the highest: top-down. */
static void try_fit(uint64_t start, uint64_t end, void *ctx)
{
	struct alloc_walk *w = ctx;
	uint64_t top, cand;

	start = start > w->lo ? start : w->lo;
	end = end < w->hi ? end : w->hi;
	if (end <= start || end - start < w->size)
		return;
	top = end - w->size;
	cand = top & ~(w->align - 1);
	if (cand >= start && cand != 0)
		w->found = cand;
}

uint64_t memblock_phys_alloc_range(uint64_t size, uint64_t align, uint64_t start, uint64_t end)
{
	struct alloc_walk w = {.size = size, .align = align ? align : 1, .lo = start, .hi = end};

	if (size == 0 || (w.align & (w.align - 1)))
		return 0;
	memblock_for_each_free_range(try_fit, &w);
	if (!w.found || memblock_reserve(w.found, size))
		return 0;
	return w.found;
}

uint64_t memblock_phys_mem_size(void)
{
	return memblock.memory.total_size;
}

uint64_t memblock_reserved_size(void)
{
	return memblock.reserved.total_size;
}

uint64_t memblock_start_of_DRAM(void)
{
	return memblock.memory.cnt ? memblock.memory.regions[0].base : 0;
}

uint64_t memblock_end_of_DRAM(void)
{
	unsigned long n = memblock.memory.cnt;

	return n ? region_end(&memblock.memory.regions[n - 1]) : 0;
}
