/* Refault detection (Linux's mm/workingset.c): when reclaim evicts a
 * file page it leaves a shadow entry in the page's cache slot recording
 * the node's eviction clock; a read that finds the shadow is a refault,
 * and if the page came back sooner than the active list is long it was
 * part of the working set: it starts active. Read first: the clock
 * (nonresident_age) ticks once per eviction and per activation, so
 * "refault distance" counts the pages that went by while this one was out. */
#include "mm/mm.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

static unsigned long nonresident_age;

/* The low bit tells a shadow from a struct page pointer (aligned). */
#define SHADOW_TAG 1ul

void workingset_age_nonresident(unsigned long nr_pages)
{
	__atomic_add_fetch(&nonresident_age, nr_pages, __ATOMIC_RELAXED);
}

bool is_shadow_entry(const void *entry)
{
	return ((unsigned long)entry & SHADOW_TAG) != 0;
}

void *workingset_eviction(struct page *page)
{
	unsigned long eviction;

	(void)page;
	workingset_age_nonresident(1);
	eviction = __atomic_load_n(&nonresident_age, __ATOMIC_RELAXED);
	return (void *)((eviction << 1) | SHADOW_TAG);
}

/* As Linux's workingset_test_recent: did the page come back sooner than
 * the active file list is long? Without swap only that list can make
 * room for it. */
bool workingset_test_recent(const void *shadow)
{
	unsigned long eviction = (unsigned long)shadow >> 1;
	unsigned long refault = __atomic_load_n(&nonresident_age, __ATOMIC_RELAXED);
	unsigned long distance = (refault - eviction) & (~0ul >> 1);
	unsigned long workingset_size = (unsigned long)global_zone_page_state(NR_ZONE_ACTIVE_FILE);

	return distance <= workingset_size;
}

void workingset_refault(struct page *page, void *shadow)
{
	count_vm_event(WORKINGSET_REFAULT_FILE);
	if (!workingset_test_recent(shadow))
		return;
	set_page_flag(page, PG_active);
	workingset_age_nonresident(1);
	count_vm_event(WORKINGSET_ACTIVATE_FILE);
}
