/* Inside the slab layer: what mm/slab.c (slabs and objects),
 * mm/slab_common.c (caches), mm/slab_debug.c (checks and reports) and
 * mm/kmalloc.c share. Read first: a slab is its head struct page, with
 * PageSlab set, slab_cache, freelist, inuse and objects filled in. */
#ifndef OOMLAB_MM_SLAB_INTERNAL_H
#define OOMLAB_MM_SLAB_INTERNAL_H
#include "mm/mm.h"
#include "mm/slab.h"

#define SLAB_MAX_ORDER PAGE_ALLOC_COSTLY_ORDER /* Linux's slub_max_order */
#define SLAB_MIN_OBJECTS 8		       /* Linux's slub_min_objects, one CPU */
#define SLAB_MAX_SIZE (PAGE_SIZE << SLAB_MAX_ORDER)
#define SLAB_MAX_FREE_SLABS 2 /* empty slabs a cache keeps for the next burst */
#define CACHE_LINE_SIZE 64

/* Who allocated and who freed an object (SLAB_STORE_USER). */
enum track_item { TRACK_ALLOC, TRACK_FREE, NR_TRACKS };
struct track {
	unsigned long addr; /* the caller's return address */
	uint64_t when_ns;   /* local_clock() */
};

extern struct kmem_cache *kmem_cache; /* where struct kmem_cache come from */

static inline void *slab_address(const struct page *slab)
{
	return page_address(slab);
}
static inline void *get_freepointer(const struct kmem_cache *s, void *object)
{
	return *(void **)((char *)object + s->offset);
}
static inline void set_freepointer(const struct kmem_cache *s, void *object, void *fp)
{
	*(void **)((char *)object + s->offset) = fp;
}
/* Any debug at all: the slow, checked paths. */
static inline bool kmem_cache_debug(const struct kmem_cache *s)
{
	return (s->flags & SLAB_DEBUG_FLAGS) != 0;
}

/* The slab of a pointer, or NULL when it does not point into a slab.
 * Works for any pointer value: nothing outside mem_map is read. */
struct page *virt_to_slab(const void *p);
/* True when p is exactly the start of one of the slab's objects. */
bool object_is_valid(const struct kmem_cache *s, const struct page *slab, const void *p);

/* mm/slab.c */
unsigned int calculate_order(unsigned int size);
void *slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller);
void slab_free(struct kmem_cache *s, struct page *slab, void *object, unsigned long caller);
/* Unlink every slab of the cache and free them; callers hold no objects. */
void free_all_slabs(struct kmem_cache *s);
unsigned long count_active_objects(const struct kmem_cache *s);

/* mm/slab_debug.c: called with s->lock held. */
void init_object(const struct kmem_cache *s, void *object, uint8_t red_value);
void set_track(const struct kmem_cache *s, void *object, enum track_item item,
	       unsigned long caller);
bool alloc_debug_checks(struct kmem_cache *s, struct page *slab, void *object);
enum free_verdict { FREE_OK, FREE_REFUSED, FREE_QUARANTINE };
enum free_verdict free_debug_checks(struct kmem_cache *s, struct page *slab, void *object);
/* Repairs a freelist whose link after prev (NULL: the head) is corrupt. */
void freelist_corrupt(struct kmem_cache *s, struct page *slab, void *prev, unsigned int seen);
/* Reports; the first two lines are Linux's "BUG name (Not tainted): ...". */
void slab_err(struct kmem_cache *s, struct page *slab, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void slab_fix(struct kmem_cache *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void object_err(struct kmem_cache *s, struct page *slab, void *object, const char *reason);
/* A report not tied to one cache (kfree of a wild pointer). */
void slab_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* mm/kmalloc.c */
void create_kmalloc_caches(void);
#endif
