/* Catching page misuse: the checks a page must pass to be freed, the
 * bad_page report when it fails them, and page poisoning (fill freed pages
 * with a pattern, check it on allocation). Read first: a bad page is
 * reported and then leaked on purpose, so the free lists stay sound. */
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/stacktrace.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/internal.h"

#define PAGE_POISON 0xaa
#define POISON_DUMP_BYTES 16

bool page_poisoning_enabled;
core_param_bool(page_poison, "page_poison", page_poisoning_enabled,
		"fill freed pages with 0xaa and check the pattern on allocation");

/* Reports come from any task at any moment: counted atomically. */
static unsigned long nr_bad_pages;

static void count_bad_page(void)
{
	__atomic_add_fetch(&nr_bad_pages, 1, __ATOMIC_RELAXED);
}

unsigned long bad_page_count(void)
{
	return __atomic_load_n(&nr_bad_pages, __ATOMIC_RELAXED);
}

static const char *const pageflag_names[NR_PAGEFLAGS] = {
	"locked", "referenced", "uptodate",   "dirty",	     "lru",	"head",	    "tail",
	"active", "reserved",	"swapbacked", "unevictable", "mlocked", "poisoned",
};
static const char *const zone_names[ZONES_MASK + 1] = {"DMA", "DMA32", "Normal", "invalid"};

void format_page_flags(unsigned long flags, char *buf, unsigned long len)
{
	size_t used = (size_t)snprintf(buf, len, "0x%lx(zone=%s", flags,
				       zone_names[(flags >> ZONES_PGSHIFT) & ZONES_MASK]);

	for (int f = 0; f < NR_PAGEFLAGS && used < len; f++)
		if (flags & (1ul << f))
			used += (size_t)snprintf(buf + used, len - used, "|%s", pageflag_names[f]);
	if (used < len)
		snprintf(buf + used, len - used, ")");
}

/* As Linux's bad_page: name the page, its state and the caller. */
void bad_page(struct page *page, const char *reason)
{
	char flags[160];

	count_bad_page();
	format_page_flags(page->flags, flags, sizeof(flags));
	pr_alert("BUG: Bad page state in process %s  pfn:%05lx", current_comm(), page_to_pfn(page));
	pr_alert("page:%p refcount:%d mapcount:%d mapping:%p index:0x%lx pfn:0x%lx", (void *)page,
		 page_ref_count(page), page_mapcount(page), (void *)page->mapping, page->index,
		 page_to_pfn(page));
	pr_alert("flags: %s", flags);
	pr_alert("page dumped because: %s", reason);
	dump_stack();
}

static const char *free_page_problem(const struct page *page)
{
	if (page_mapcount(page) != 0)
		return "nonzero mapcount";
	if (page->mapping)
		return "non-NULL mapping";
	if (page->page_type != PGTY_none)
		return "page still has a page type (slab?)";
	if (page->flags & PAGE_FLAGS_CHECK_AT_FREE)
		return "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
	return NULL;
}

static bool tail_is_bad(struct page *head, struct page *tail)
{
	if (!PageTail(tail) || tail->head != head) {
		bad_page(tail, "corrupted compound tail (head pointer)");
		return true;
	}
	if (page_mapcount(tail) != 0 || tail->mapping) {
		bad_page(tail, "compound tail in use");
		return true;
	}
	return false;
}

bool free_page_is_bad(struct page *page, unsigned int order)
{
	const char *problem = free_page_problem(page);

	if (problem) {
		bad_page(page, problem);
		return true;
	}
	if (PageHead(page)) {
		if (compound_order(page) != order) {
			bad_page(page, "freed with an order that is not the compound order");
			return true;
		}
		for (unsigned long i = 1; i < (1ul << order); i++)
			if (tail_is_bad(page, page + i))
				return true;
	}
	return false;
}

void kernel_poison_pages(struct page *page, unsigned int order)
{
	if (!page_poisoning_enabled)
		return;
	for (unsigned long i = 0; i < (1ul << order); i++) {
		memset(page_address(page + i), PAGE_POISON, PAGE_SIZE);
		set_page_flag(page + i, PG_poisoned);
	}
}

static long first_unpoisoned(const uint8_t *mem)
{
	for (unsigned long i = 0; i < PAGE_SIZE; i++)
		if (mem[i] != PAGE_POISON)
			return (long)i;
	return -1;
}

/* A page poisoned when freed must still hold the pattern: anything else is
 * a write after free (or a stray DMA). Reported as Linux's pagealloc check. */
void check_poison_pages(struct page *page, unsigned int order)
{
	for (unsigned long i = 0; i < (1ul << order); i++) {
		struct page *p = page + i;
		const uint8_t *mem;
		long at;

		if (!test_page_flag(p, PG_poisoned))
			continue;
		clear_page_flag(p, PG_poisoned);
		mem = page_address(p);
		at = first_unpoisoned(mem);
		if (at < 0)
			continue;
		count_bad_page();
		pr_err("pagealloc: memory corruption at %p (pfn 0x%lx, offset 0x%lx): byte 0x%02x, "
		       "expected 0x%02x",
		       (const void *)(mem + at), page_to_pfn(p), (unsigned long)at, mem[at],
		       PAGE_POISON);
		dump_stack();
	}
}
