/* Shared tools for the memory test suites (see the header). */
#include "tests/kernel/mm_test_helpers.h"
#include "kernel/printk.h"
#include "kernel/string.h"

void stash_init(struct page_stash *stash, unsigned int order)
{
	INIT_LIST_HEAD(&stash->pages);
	stash->blocks = 0;
	stash->order = order;
}

bool stash_alloc(struct page_stash *stash, gfp_t gfp)
{
	struct page *page = alloc_pages(gfp, stash->order);

	if (!page)
		return false;
	list_add(&page->lru, &stash->pages);
	stash->blocks++;
	return true;
}

unsigned long stash_fill(struct page_stash *stash, gfp_t gfp)
{
	unsigned long before = stash->blocks;

	/* __GFP_RETRY_MAYFAIL: fail rather than run the OOM killer, which
	 * in a test boot finds nothing to kill and panics (as Linux). */
	while (stash_alloc(stash, gfp | __GFP_NOWARN | __GFP_RETRY_MAYFAIL))
		;
	return stash->blocks - before;
}

void stash_free_all(struct page_stash *stash)
{
	while (!list_empty(&stash->pages)) {
		struct page *page = list_first_entry(&stash->pages, struct page, lru);

		list_del(&page->lru);
		__free_pages(page, stash->order);
		stash->blocks--;
	}
}

void fill_memory(struct page_stash *stashes, gfp_t gfp)
{
	drain_all_pages(NULL);
	for (int order = MAX_PAGE_ORDER; order >= 0; order--) {
		stash_init(&stashes[order], (unsigned int)order);
		stash_fill(&stashes[order], gfp);
	}
}

void unfill_memory(struct page_stash *stashes)
{
	for (int order = 0; order <= MAX_PAGE_ORDER; order++)
		stash_free_all(&stashes[order]);
}

int allocate_one_page(void *arg)
{
	struct page *page = alloc_page(GFP_KERNEL);

	*(bool *)arg = page != NULL;
	if (page)
		__free_page(page);
	return 0;
}

unsigned long log_mark(void)
{
	char line[MM_TEST_LOG_LINE];
	unsigned long seq = 0, last = 0;
	int level;

	while (printk_get_record(&seq, line, sizeof(line), &level) == 0)
		last = seq;
	return last;
}

bool log_find_since(unsigned long mark, const char *needle, char *out, size_t len)
{
	char line[MM_TEST_LOG_LINE];
	unsigned long seq = mark;
	bool found = false;
	int level;

	while (printk_get_record(&seq, line, sizeof(line), &level) == 0) {
		if (strstr(line, needle)) {
			found = true;
			if (out)
				strscpy(out, line, len);
		}
	}
	return found;
}

bool log_find(const char *needle, char *out, size_t len)
{
	return log_find_since(0, needle, out, len);
}

static long saved_loglevel = -1;

void quietly_begin(void)
{
	saved_loglevel = console_loglevel;
	console_loglevel = 0;
}

void quietly_end(void)
{
	if (saved_loglevel >= 0)
		console_loglevel = saved_loglevel;
	saved_loglevel = -1;
}
