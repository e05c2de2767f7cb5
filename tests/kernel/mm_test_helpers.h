/* Shared tools for the memory test suites: keeping allocated blocks on a
 * list, allocating until failure, and searching the kernel log. Read first:
 * a stash owns its pages through page->lru, which the allocator leaves to
 * whoever holds the page. */
#ifndef OOMLAB_TESTS_MM_TEST_HELPERS_H
#define OOMLAB_TESTS_MM_TEST_HELPERS_H
#include "kernel/list.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include <stdbool.h>
#include <stddef.h>

/* The RAM sizes every memory suite runs at. */
#define MM_TEST_RAM_SIZES "16M,64M,512M,4G"
#define MM_TEST_LOG_LINE 400

struct page_stash {
	struct list_head pages;
	unsigned long blocks;
	unsigned int order;
};

void stash_init(struct page_stash *stash, unsigned int order);
bool stash_alloc(struct page_stash *stash, gfp_t gfp);
/* Allocate until the allocator says no (quietly, and with
 * __GFP_RETRY_MAYFAIL: without the OOM killer); returns the count. */
unsigned long stash_fill(struct page_stash *stash, gfp_t gfp);
void stash_free_all(struct page_stash *stash);
/* Everything a gfp caller may have, down to the watermarks: one stash per
 * order (stashes[NR_PAGE_ORDERS]), largest first, after draining the
 * per-CPU lists so their pages are taken too. */
void fill_memory(struct page_stash *stashes, gfp_t gfp);
void unfill_memory(struct page_stash *stashes);
/* A kthread body: one GFP_KERNEL page, freed at once; *(bool *)arg says
 * whether it came. */
int allocate_one_page(void *arg);

/* The newest log record containing needle, copied to out; false if none. */
bool log_find(const char *needle, char *out, size_t len);
/* Log records so far; with log_find_since, look only at newer ones. */
unsigned long log_mark(void);
bool log_find_since(unsigned long mark, const char *needle, char *out, size_t len);

/* Run fn with console output off (the log still keeps every line). */
void quietly_begin(void);
void quietly_end(void);
#endif
