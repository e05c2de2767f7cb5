/* Shrinkers: caches outside the LRU lists (inodes, dentries, empty slabs)
 * that give memory back when reclaim asks (Linux's mm/shrinker.c). Read
 * first: each pass asks a cache for a share of its freeable objects that
 * grows as reclaim's priority falls, scaled by how costly they are to
 * recreate (seeks); reclaim never waits for the registry lock. */
#include "kernel/locking/mutex.h"
#include "mm/swap.h"

#define SHRINK_BATCH 128ul
/* drop_slab stops when a pass frees no more than this (Linux: 10). */
#define DROP_SLAB_ENOUGH 10ul

static LIST_HEAD(shrinker_list);
static DEFINE_MUTEX(shrinker_mutex);

void register_shrinker(struct shrinker *s)
{
	if (!s->seeks)
		s->seeks = DEFAULT_SEEKS;
	mutex_lock(&shrinker_mutex);
	list_add_tail(&s->list, &shrinker_list);
	mutex_unlock(&shrinker_mutex);
}

void unregister_shrinker(struct shrinker *s)
{
	mutex_lock(&shrinker_mutex);
	list_del(&s->list);
	mutex_unlock(&shrinker_mutex);
}

/* As Linux's do_shrink_slab: (freeable >> priority) * 4 / seeks objects,
 * in batches, and never more than twice what is there. */
static unsigned long do_shrink_slab(struct shrinker *s, gfp_t gfp_mask, int priority)
{
	struct shrink_control sc = {.gfp_mask = gfp_mask};
	unsigned long freeable = s->count_objects(s, &sc), total_scan, freed = 0;

	if (freeable == 0 || freeable == SHRINK_EMPTY)
		return 0;
	total_scan = (freeable >> priority) * 4 / (unsigned long)s->seeks;
	if (!total_scan && priority == 0)
		total_scan = freeable;
	if (total_scan > freeable * 2)
		total_scan = freeable * 2;
	while (total_scan) {
		unsigned long ret;

		sc.nr_to_scan = total_scan < SHRINK_BATCH ? total_scan : SHRINK_BATCH;
		sc.nr_scanned = sc.nr_to_scan;
		ret = s->scan_objects(s, &sc);
		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		total_scan -= sc.nr_scanned < total_scan ? sc.nr_scanned : total_scan;
	}
	return freed;
}

static unsigned long shrink_slab_locked(gfp_t gfp_mask, int priority)
{
	struct shrinker *s;
	unsigned long freed = 0;

	list_for_each_entry(s, &shrinker_list, list)
		freed += do_shrink_slab(s, gfp_mask, priority);
	return freed;
}

unsigned long shrink_slab(gfp_t gfp_mask, int priority)
{
	unsigned long freed;

	/* Someone is registering (maybe allocating while at it): skip. */
	if (!mutex_trylock(&shrinker_mutex))
		return 0;
	freed = shrink_slab_locked(gfp_mask, priority);
	mutex_unlock(&shrinker_mutex);
	return freed;
}

/* As Linux's drop_slab: a process asked for it, so it waits for the
 * registry (reclaim may hold it) rather than silently doing nothing. */
unsigned long drop_slab(void)
{
	unsigned long freed, total = 0;

	mutex_lock(&shrinker_mutex);
	do {
		freed = shrink_slab_locked(GFP_KERNEL, 0);
		total += freed;
	} while (freed > DROP_SLAB_ENOUGH);
	mutex_unlock(&shrinker_mutex);
	return total;
}
