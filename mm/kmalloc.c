/* kmalloc and kfree: memory by size rather than by type (Linux's kmalloc in
 * mm/slab_common.c). Read first: a request is rounded up to a size class
 * served by the cache kmalloc-N; above KMALLOC_MAX_CACHE_SIZE it is a
 * compound page block straight from alloc_pages, and kfree tells the two
 * apart by the page behind the pointer (PageSlab or not). */
#include "kernel/printk.h"
#include "kernel/stacktrace.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/gfp.h"
#include "mm/slab_internal.h"
#include "mm/vmstat.h"

/* Powers of two plus 96 and 192, as Linux: common sizes just above 64 and
 * 128 would waste a third of a 128 or 256 object. */
static const struct {
	const char *name;
	unsigned int size;
} kmalloc_info[] = {
	{"kmalloc-8", 8},     {"kmalloc-16", 16},   {"kmalloc-32", 32},	  {"kmalloc-64", 64},
	{"kmalloc-96", 96},   {"kmalloc-128", 128}, {"kmalloc-192", 192}, {"kmalloc-256", 256},
	{"kmalloc-512", 512}, {"kmalloc-1k", 1024}, {"kmalloc-2k", 2048}, {"kmalloc-4k", 4096},
	{"kmalloc-8k", 8192},
};
#define NR_KMALLOC_CACHES (sizeof(kmalloc_info) / sizeof(kmalloc_info[0]))

static struct kmem_cache *kmalloc_caches[NR_KMALLOC_CACHES];

void create_kmalloc_caches(void)
{
	for (unsigned int i = 0; i < NR_KMALLOC_CACHES; i++) {
		unsigned int size = kmalloc_info[i].size;
		/* kmalloc(2^n) is aligned to 2^n, a promise Linux makes too. */
		unsigned int align = is_power_of_2(size) ? size : KMALLOC_MIN_SIZE;

		kmalloc_caches[i] = kmem_cache_create(kmalloc_info[i].name, size, align,
						      SLAB_KMALLOC | SLAB_PANIC, NULL);
	}
}

struct kmem_cache *kmalloc_slab(size_t size)
{
	for (unsigned int i = 0; i < NR_KMALLOC_CACHES; i++)
		if (size <= kmalloc_info[i].size)
			return kmalloc_caches[i];
	return NULL;
}

/* Large kmalloc pages count as unreclaimable slab, as in Linux. */
static void account_large(struct page *page, long sign)
{
	uint64_t flags = local_irq_save();

	__mod_zone_page_state(page_zone(page), NR_SLAB_UNRECLAIMABLE,
			      sign * (1l << compound_order(page)));
	local_irq_restore(flags);
}

static void *kmalloc_large(size_t size, gfp_t gfp)
{
	unsigned int order = size_to_order(size);
	struct page *page;

	if (order > MAX_PAGE_ORDER) {
		if (!(gfp & __GFP_NOWARN)) {
			pr_warn("kmalloc: %zu bytes is more than the largest block (order %d)",
				size, MAX_PAGE_ORDER);
			dump_stack();
		}
		return NULL;
	}
	page = alloc_pages(gfp | __GFP_COMP, order);
	if (!page)
		return NULL;
	account_large(page, 1);
	return page_address(page);
}

static void *do_kmalloc(size_t size, gfp_t gfp, unsigned long caller)
{
	struct kmem_cache *s;

	if (!slab_is_available()) {
		pr_err("kmalloc: called before kmem_cache_init");
		dump_stack();
		return NULL;
	}
	if (size == 0)
		return ZERO_SIZE_PTR;
	s = kmalloc_slab(size);
	if (s)
		return slab_alloc(s, gfp, caller);
	return kmalloc_large(size, gfp);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	return do_kmalloc(size, gfp, (unsigned long)__builtin_return_address(0));
}

/* The whole block of a large kmalloc, from its first byte only. */
static bool is_large_kmalloc(const struct page *page, const void *p)
{
	return PageHead(page) && !PageSlab(page) && p == page_address(page);
}

static void do_kfree(const void *p, unsigned long caller)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(p))
		return;
	page = addr_to_head_page(p);
	if (page && PageSlab(page)) {
		slab_free(page->slab_cache, page, (void *)p, caller);
		return;
	}
	if (page && is_large_kmalloc(page, p)) {
		account_large(page, -1);
		__free_pages(page, compound_order(page));
		return;
	}
	slab_report("kfree: %p is neither a slab object nor a large kmalloc block; not freed", p);
}

void kfree(const void *p)
{
	do_kfree(p, (unsigned long)__builtin_return_address(0));
}

size_t ksize(const void *p)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(p))
		return 0;
	page = addr_to_head_page(p);
	if (page && PageSlab(page) && object_is_valid(page->slab_cache, page, p))
		return page->slab_cache->object_size;
	if (page && is_large_kmalloc(page, p))
		return PAGE_SIZE << compound_order(page);
	slab_report("ksize: %p is not the start of a kmalloc object", p);
	return 0;
}

/* Grows by moving: new block, copy, free the old one. Shrinking, or growing
 * within the size class, keeps the object where it is. On failure p is
 * untouched and still the caller's. */
void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	unsigned long caller = (unsigned long)__builtin_return_address(0);
	size_t old_size;
	void *n;

	if (new_size == 0) {
		do_kfree(p, caller);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(p))
		return do_kmalloc(new_size, gfp, caller);
	old_size = ksize(p);
	if (old_size == 0)
		return NULL; /* not ours: reported by ksize */
	if (new_size <= old_size)
		return (void *)p;
	n = do_kmalloc(new_size, gfp, caller);
	if (!n)
		return NULL;
	memcpy(n, p, old_size);
	do_kfree(p, caller);
	return n;
}
