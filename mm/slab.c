/* Slabs and their objects: how a cache gets pages, threads its free objects
 * into a list and hands them out (the core of Linux's mm/slub.c, without the
 * per-CPU slabs). Read first: a slab is on exactly one of its cache's three
 * lists (free, partial, full) by its inuse count, and everything here runs
 * under the cache's lock with interrupts off, except getting and freeing
 * the pages themselves. */
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/slab_internal.h"
#include "mm/vmstat.h"

#define WASTE_FRACTION_BEST 16 /* first try: at most 1/16 of a slab wasted */
#define WASTE_FRACTION_WORST 4 /* last try before accepting anything */

/* Linux's calc_slab_order, tried with fewer objects and more waste until
 * some order at most SLAB_MAX_ORDER fits: the first order that holds
 * min_objects and wastes at most 1/fraction of the slab. */
static bool slab_order_fits(unsigned int size, unsigned int min_objects, unsigned int fraction,
			    unsigned int *order_out)
{
	for (unsigned int order = 0; order <= SLAB_MAX_ORDER; order++) {
		unsigned long slab_bytes = PAGE_SIZE << order;

		if (slab_bytes / size < min_objects)
			continue;
		if ((slab_bytes % size) * fraction <= slab_bytes) {
			*order_out = order;
			return true;
		}
	}
	return false;
}

unsigned int calculate_order(unsigned int size)
{
	unsigned int order;

	for (unsigned int min_objects = SLAB_MIN_OBJECTS; min_objects > 0; min_objects /= 2)
		for (unsigned int f = WASTE_FRACTION_BEST; f >= WASTE_FRACTION_WORST; f /= 2)
			if (slab_order_fits(size, min_objects, f, &order))
				return order;
	return size_to_order(size); /* one object, whatever the waste */
}

struct page *addr_to_head_page(const void *p)
{
	unsigned long pfn = __pa(p) >> PAGE_SHIFT;

	if (!pfn_valid(pfn))
		return NULL;
	return compound_head(pfn_to_page(pfn));
}

bool object_is_valid(const struct kmem_cache *s, const struct page *slab, const void *p)
{
	uintptr_t first = (uintptr_t)slab_address(slab) + s->red_left_pad;
	uintptr_t addr = (uintptr_t)p;

	if (addr < first || (addr - first) % s->size != 0)
		return false;
	return (addr - first) / s->size < slab->objects;
}

static enum slab_list_kind slab_kind(const struct page *slab)
{
	if (slab->inuse == 0)
		return SLABS_FREE;
	if (slab->inuse == slab->objects)
		return SLABS_FULL;
	return SLABS_PARTIAL;
}

/* inuse changed from a value that put the slab on list 'was': move it to
 * the front of its list now, so the next allocation takes the object just
 * freed (still in the CPU cache) and the coldest empty slab is the last. */
static void relist_slab(struct kmem_cache *s, struct page *slab, enum slab_list_kind was)
{
	enum slab_list_kind now = slab_kind(slab);

	list_move(&slab->slab_list, &s->slabs[now]);
	s->nr_slabs[was]--;
	s->nr_slabs[now]++;
}

static void account_slab(struct kmem_cache *s, struct page *slab, long sign)
{
	enum zone_stat_item item =
		(s->flags & SLAB_RECLAIM_ACCOUNT) ? NR_SLAB_RECLAIMABLE : NR_SLAB_UNRECLAIMABLE;

	__mod_zone_page_state(page_zone(slab), item, sign * (1l << compound_order(slab)));
}

static void setup_object(struct kmem_cache *s, void *object)
{
	if (kmem_cache_debug(s))
		setup_object_debug(s, object);
	if (s->ctor)
		s->ctor(object);
}

/* New pages, made a slab with every object free, in address order. No
 * lock: the slab belongs to no one yet. A large order is only a wish: when
 * it fails, the smallest order that holds one object is tried, as Linux. */
static struct page *allocate_slab(struct kmem_cache *s, gfp_t gfp)
{
	gfp_t page_gfp = (gfp & ~(__GFP_ZERO | GFP_ZONEMASK)) | s->allocflags;
	unsigned int order = s->order;
	struct page *slab = NULL;
	char *base;

	if (order > s->min_order)
		slab = alloc_pages((page_gfp | __GFP_COMP | __GFP_NOWARN | __GFP_NORETRY) &
					   ~__GFP_NOFAIL,
				   order);
	if (!slab) {
		order = s->min_order;
		slab = alloc_pages(order ? page_gfp | __GFP_COMP : page_gfp, order);
	}
	if (!slab)
		return NULL;

	slab->page_type = PGTY_slab;
	slab->slab_cache = s;
	slab->inuse = 0;
	slab->objects = (PAGE_SIZE << order) / s->size;
	slab->freelist = NULL;
	base = slab_address(slab);
	for (unsigned int i = slab->objects; i-- > 0;) {
		void *object = base + (unsigned long)i * s->size + s->red_left_pad;

		setup_object(s, object);
		set_freepointer(s, object, slab->freelist);
		slab->freelist = object;
	}
	return slab;
}

/* Back to the page allocator: the page must look like any other page
 * again, or its free checks (rightly) call it bad. */
static void discard_slab(struct page *slab)
{
	unsigned int order = compound_order(slab);

	slab->page_type = PGTY_none;
	slab->slab_cache = NULL;
	slab->freelist = NULL;
	slab->private = 0;
	__free_pages(slab, order);
}

static void add_slab(struct kmem_cache *s, struct page *slab)
{
	list_add(&slab->slab_list, &s->slabs[SLABS_FREE]);
	s->nr_slabs[SLABS_FREE]++;
	account_slab(s, slab, 1);
}

static void unlink_slab(struct kmem_cache *s, struct page *slab)
{
	list_del(&slab->slab_list);
	s->nr_slabs[slab_kind(slab)]--;
	account_slab(s, slab, -1);
}

void quarantine_freelist(struct kmem_cache *s, struct page *slab)
{
	enum slab_list_kind was = slab_kind(slab);
	unsigned int lost = slab->objects - slab->inuse;

	slab->freelist = NULL;
	slab->inuse = slab->objects;
	s->nr_quarantined += lost;
	relist_slab(s, slab, was);
	slab_fix(s, "Freelist dropped: its %u objects quarantined", lost);
}

/* Partial slabs first, so that empty ones can go back to the allocator. */
static struct page *slab_with_free_object(struct kmem_cache *s)
{
	if (!list_empty(&s->slabs[SLABS_PARTIAL]))
		return list_first_entry(&s->slabs[SLABS_PARTIAL], struct page, slab_list);
	if (!list_empty(&s->slabs[SLABS_FREE]))
		return list_first_entry(&s->slabs[SLABS_FREE], struct page, slab_list);
	return NULL;
}

/* The head of the slab's freelist, or NULL when the next link is not an
 * object of this slab: a write into a free object, which is then not to
 * be trusted, nor any object after it. */
static void *take_object(struct kmem_cache *s, struct page *slab)
{
	void *object = slab->freelist;
	void *next = get_freepointer(s, object);
	enum slab_list_kind was;

	if (next && !object_is_valid(s, slab, next)) {
		object_err(s, slab, object, "Freepointer corrupt");
		quarantine_freelist(s, slab);
		return NULL;
	}
	was = slab_kind(slab);
	slab->freelist = next;
	slab->inuse++;
	relist_slab(s, slab, was);
	return object;
}

void *slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller)
{
	struct page *slab;
	void *object = NULL;
	uint64_t flags;

	spin_lock_irqsave(&s->lock, flags);
	while (!object) {
		slab = slab_with_free_object(s);
		if (!slab) {
			/* The page allocator may take its time (later: reclaim). */
			spin_unlock_irqrestore(&s->lock, flags);
			slab = allocate_slab(s, gfp);
			if (!slab)
				return NULL;
			spin_lock_irqsave(&s->lock, flags);
			add_slab(s, slab);
			continue;
		}
		object = take_object(s, slab);
		if (object && kmem_cache_debug(s) && !alloc_debug_checks(s, slab, object, caller)) {
			s->nr_quarantined++;
			object = NULL;
		}
	}
	spin_unlock_irqrestore(&s->lock, flags);
	if (gfp & __GFP_ZERO)
		memset(object, 0, s->object_size);
	return object;
}

void slab_free(struct kmem_cache *s, struct page *slab, void *object, unsigned long caller)
{
	struct page *discard = NULL;
	enum slab_list_kind was;
	uint64_t flags;

	spin_lock_irqsave(&s->lock, flags);
	if (!object_is_valid(s, slab, object)) {
		slab_err(s, slab, "Invalid object pointer %p", object);
		slab_fix(s, "Object at %p not freed", object);
		goto out;
	}
	/* Linux's naive check, always on: the object freed last, again. */
	if (object == slab->freelist) {
		object_err(s, slab, object, DOUBLE_FREE_REASON);
		slab_fix(s, "Object at %p not freed", object);
		goto out;
	}
	if (kmem_cache_debug(s)) {
		enum free_verdict verdict = free_debug_checks(s, slab, object, caller);

		if (verdict == FREE_QUARANTINE)
			s->nr_quarantined++;
		if (verdict != FREE_OK)
			goto out;
	}
	was = slab_kind(slab);
	set_freepointer(s, object, slab->freelist);
	slab->freelist = object;
	slab->inuse--;
	relist_slab(s, slab, was);
	if (s->nr_slabs[SLABS_FREE] > SLAB_MAX_FREE_SLABS) {
		discard = list_last_entry(&s->slabs[SLABS_FREE], struct page, slab_list);
		unlink_slab(s, discard);
	}
out:
	spin_unlock_irqrestore(&s->lock, flags);
	if (discard)
		discard_slab(discard);
}

void free_slabs(struct kmem_cache *s, enum slab_list_kind which)
{
	LIST_HEAD(doomed);
	struct page *slab, *next;
	uint64_t flags;

	spin_lock_irqsave(&s->lock, flags);
	for (int kind = 0; kind < NR_SLAB_LISTS; kind++) {
		if (which != NR_SLAB_LISTS && kind != (int)which)
			continue;
		while (!list_empty(&s->slabs[kind])) {
			slab = list_first_entry(&s->slabs[kind], struct page, slab_list);
			unlink_slab(s, slab);
			list_add(&slab->slab_list, &doomed);
		}
	}
	if (which == NR_SLAB_LISTS)
		s->nr_quarantined = 0; /* they went with their slabs */
	spin_unlock_irqrestore(&s->lock, flags);
	list_for_each_entry_safe(slab, next, &doomed, slab_list) {
		list_del(&slab->slab_list);
		discard_slab(slab);
	}
}

void get_slabinfo(struct kmem_cache *s, struct slabinfo *info)
{
	struct page *slab;
	uint64_t flags;

	memset(info, 0, sizeof(*info));
	spin_lock_irqsave(&s->lock, flags);
	for (int kind = 0; kind < NR_SLAB_LISTS; kind++) {
		list_for_each_entry(slab, &s->slabs[kind], slab_list) {
			info->num_slabs++;
			info->num_objs += slab->objects;
			info->active_objs += slab->inuse;
			if (slab->inuse)
				info->active_slabs++;
		}
	}
	spin_unlock_irqrestore(&s->lock, flags);
}
