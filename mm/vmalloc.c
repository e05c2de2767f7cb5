/* vmalloc: pages from the buddy allocator mapped one by one into the
 * vmalloc range (Linux's mm/vmalloc.c, first fit over a sorted list of
 * areas instead of its rbtree). Read first: areas never share a guard page;
 * the address space is searched under a spinlock, the pages are allocated
 * and mapped outside it. */
#include "mm/vmalloc.h"
#include "kernel/paging.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/slab.h"

#define GUARD_SIZE PAGE_SIZE

static LIST_HEAD(vmap_area_list);
static DEFINE_SPINLOCK(vmap_area_lock);

/* First fit: the lowest gap that holds size + guard. */
static uint64_t find_gap(unsigned long need, struct list_head **after)
{
	uint64_t start = VMALLOC_START;
	struct vm_struct *area;

	*after = &vmap_area_list;
	list_for_each_entry(area, &vmap_area_list, list) {
		if (area->addr - start >= need)
			return start;
		start = area->addr + area->size + GUARD_SIZE;
		*after = &area->list;
	}
	return VMALLOC_END - start >= need ? start : 0;
}

static struct vm_struct *reserve_area(unsigned long size)
{
	struct vm_struct *area = kzalloc(sizeof(*area), GFP_KERNEL);
	struct list_head *after;
	uint64_t flags;

	if (!area)
		return NULL;
	spin_lock_irqsave(&vmap_area_lock, flags);
	area->addr = find_gap(size + GUARD_SIZE, &after);
	if (area->addr) {
		area->size = size;
		list_add(&area->list, after);
	}
	spin_unlock_irqrestore(&vmap_area_lock, flags);
	if (!area->addr) {
		kfree(area);
		return NULL;
	}
	return area;
}

static void release_area(struct vm_struct *area)
{
	uint64_t flags;

	for (unsigned int i = 0; i < area->nr_pages; i++) {
		unmap_kernel_page(area->addr + (uint64_t)i * PAGE_SIZE);
		__free_page(area->pages[i]);
	}
	spin_lock_irqsave(&vmap_area_lock, flags);
	list_del(&area->list);
	spin_unlock_irqrestore(&vmap_area_lock, flags);
	kfree(area->pages);
	kfree(area);
}

void *__vmalloc(unsigned long size, gfp_t gfp)
{
	unsigned long pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t flags = _PAGE_RW | _PAGE_GLOBAL | _PAGE_NX;
	struct vm_struct *area;

	if (!pages || pages > (VMALLOC_END - VMALLOC_START) / PAGE_SIZE)
		return NULL;
	area = reserve_area(pages * PAGE_SIZE);
	if (!area)
		return NULL;
	area->pages = kzalloc(pages * sizeof(struct page *), gfp & ~__GFP_ZERO);
	if (!area->pages)
		goto fail;
	for (; area->nr_pages < pages; area->nr_pages++) {
		struct page *page = alloc_page(gfp);
		uint64_t va = area->addr + (uint64_t)area->nr_pages * PAGE_SIZE;

		if (!page)
			goto fail;
		if (map_kernel_page(va, page_to_phys(page), flags)) {
			__free_page(page);
			goto fail;
		}
		area->pages[area->nr_pages] = page;
	}
	return (void *)area->addr;
fail:
	release_area(area);
	return NULL;
}

void *vmalloc(unsigned long size)
{
	return __vmalloc(size, GFP_KERNEL);
}

bool is_vmalloc_addr(const void *addr)
{
	uint64_t a = (uint64_t)addr;

	return a >= VMALLOC_START && a < VMALLOC_END;
}

struct vm_struct *find_vm_area_or_guard(uint64_t addr, bool *in_guard)
{
	struct vm_struct *area, *found = NULL;

	/* No lock: used from fault handlers, which must not spin on it;
	 * areas are only unlinked after their pages are unmapped. */
	list_for_each_entry(area, &vmap_area_list, list) {
		if (addr >= area->addr && addr < area->addr + area->size + GUARD_SIZE) {
			found = area;
			break;
		}
	}
	if (in_guard)
		*in_guard = found && addr >= found->addr + found->size;
	return found;
}

void vfree(const void *addr)
{
	bool guard;
	struct vm_struct *area;

	if (!addr)
		return;
	area = find_vm_area_or_guard((uint64_t)addr, &guard);
	if (!area || guard || area->addr != (uint64_t)addr) {
		pr_err("vfree: bad address %p (not the start of a vmalloc area)", addr);
		return;
	}
	release_area(area);
}
