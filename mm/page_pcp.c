/* Per-CPU page lists (pcp): a small cache of order-0 pages per zone, so
 * that most single-page allocations and frees skip the zone lock and the
 * buddy merging. Read first: pages on a pcp list are not "free" for the
 * watermarks (NR_FREE_PAGES excludes them) until drained back. */
#include "kernel/string.h"
#include "mm/internal.h"
#include "mm/vmstat.h"

#define PCP_BATCH_MAX_BYTES (1ul << 20)
#define NR_SPLIT_CPUS 1		     /* CPUs in the node: one until SMP */
#define PCP_BATCHES_UNDER_PRESSURE 4 /* Linux: batch << 2 while reclaim is active */

static unsigned long rounddown_pow_of_two(unsigned long n)
{
	unsigned long p = 1;

	while (p * 2 <= n)
		p *= 2;
	return p;
}

/* As Linux's zone_batchsize: about a quarter of a 1/1024th of the zone,
 * at most 1 MiB's worth, rounded to 2^n - 1 so batches do not keep
 * hitting the same cache colours. */
int zone_batchsize(const struct zone *zone)
{
	unsigned long batch = zone_managed_pages(zone) >> 10;

	if (batch > PCP_BATCH_MAX_BYTES / PAGE_SIZE)
		batch = PCP_BATCH_MAX_BYTES / PAGE_SIZE;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	return (int)rounddown_pow_of_two(batch + batch / 2) - 1;
}

/* As Linux's zone_highsize with percpu_pagelist_high_fraction unset: the
 * low watermark shared among the node's CPUs, and at least four batches. */
int zone_highsize(const struct zone *zone, int batch)
{
	unsigned long high = low_wmark_pages(zone) / NR_SPLIT_CPUS;

	if (high < (unsigned long)batch * 4)
		high = (unsigned long)batch * 4;
	return (int)high;
}

void pcp_setup(struct zone *zone)
{
	struct per_cpu_pages *pcp = &zone->pcp;

	if (!pcp->list.next)
		INIT_LIST_HEAD(&pcp->list);
	/* A batch of 0 would mean no caching at all: keep at least 1. */
	pcp->batch = zone_managed_pages(zone) ? zone_batchsize(zone) : 1;
	if (pcp->batch < 1)
		pcp->batch = 1;
	pcp->high = zone_highsize(zone, pcp->batch);
}

/* As Linux's zone_pcp_update: high follows the low watermark when the
 * marks move at run time. Irqs off, as every user of the list runs. */
void zone_pcp_update(struct zone *zone)
{
	struct per_cpu_pages *pcp = &zone->pcp;
	uint64_t flags;

	if (!pcp->batch)
		return; /* before pcp_setup, which sets high itself */
	flags = local_irq_save();
	pcp->high = zone_highsize(zone, pcp->batch);
	local_irq_restore(flags);
}

/* Move up to count pages from the buddy lists to the pcp list. */
static int rmqueue_bulk(struct zone *zone, int count, struct list_head *list)
{
	uint64_t flags;
	int got = 0;

	spin_lock_irqsave(&zone->lock, flags);
	while (got < count) {
		struct page *page = __rmqueue_smallest(zone, 0);

		if (!page)
			break;
		list_add_tail(&page->lru, list);
		got++;
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	return got;
}

/* Give count pages from the cold end of the pcp list back to the buddy. */
static void free_pcppages_bulk(struct zone *zone, int count)
{
	struct per_cpu_pages *pcp = &zone->pcp;
	uint64_t flags;

	spin_lock_irqsave(&zone->lock, flags);
	while (count-- > 0 && !list_empty(&pcp->list)) {
		struct page *page = list_last_entry(&pcp->list, struct page, lru);

		list_del(&page->lru);
		pcp->count--;
		__free_one_page(page, page_to_pfn(page), zone, 0);
	}
	spin_unlock_irqrestore(&zone->lock, flags);
}

struct page *rmqueue_pcplist(struct zone *zone)
{
	struct per_cpu_pages *pcp = &zone->pcp;
	struct page *page = NULL;
	uint64_t flags = local_irq_save();

	if (list_empty(&pcp->list))
		pcp->count += rmqueue_bulk(zone, pcp->batch, &pcp->list);
	if (!list_empty(&pcp->list)) {
		page = list_first_entry(&pcp->list, struct page, lru);
		list_del(&page->lru);
		pcp->count--;
	}
	local_irq_restore(flags);
	return page;
}

/* As Linux's nr_pcp_high since 5.14: while a zone is short of memory
 * (Linux: reclaim is active on it; here: it is below its high watermark)
 * its list keeps at most four batches, so that pages freed by an exiting
 * OOM victim reach the buddy lists, where the watermark checks see them. */
static int pcp_high_now(struct zone *zone, const struct per_cpu_pages *pcp)
{
	int limited = pcp->batch * PCP_BATCHES_UNDER_PRESSURE;

	if (zone_page_state(zone, NR_FREE_PAGES) >= (long)high_wmark_pages(zone))
		return pcp->high;
	return limited < pcp->high ? limited : pcp->high;
}

/* Hot end first: the page just freed is the likeliest still in cache. */
bool free_pcp_page(struct zone *zone, struct page *page)
{
	struct per_cpu_pages *pcp = &zone->pcp;
	uint64_t flags;
	int high;

	if (!pcp->list.next)
		return false; /* before pcp_setup: straight to the buddy */
	flags = local_irq_save();
	list_add(&page->lru, &pcp->list);
	pcp->count++;
	high = pcp_high_now(zone, pcp);
	if (pcp->count >= high)
		free_pcppages_bulk(zone, pcp->count - high + pcp->batch);
	local_irq_restore(flags);
	return true;
}

static void drain_zone_pages(struct zone *zone)
{
	uint64_t flags;

	if (!zone->pcp.list.next)
		return;
	flags = local_irq_save();
	free_pcppages_bulk(zone, zone->pcp.count);
	local_irq_restore(flags);
}

/* NULL: every zone, as Linux's drain_all_pages(NULL). */
void drain_all_pages(struct zone *zone)
{
	struct zone *z;

	if (zone) {
		drain_zone_pages(zone);
		return;
	}
	for_each_zone(z)
		drain_zone_pages(z);
}
