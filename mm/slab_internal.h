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

static inline unsigned int align_up(unsigned int x, unsigned int a)
{
	return (x + a - 1) & ~(a - 1);
}
static inline unsigned int align_down(unsigned int x, unsigned int a)
{
	return x & ~(a - 1);
}
static inline bool is_power_of_2(unsigned long x)
{
	return x != 0 && (x & (x - 1)) == 0;
}
/* The smallest order whose block holds size bytes (Linux's get_order). */
static inline unsigned int size_to_order(unsigned long size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}
/* Where the metadata after the free pointer starts, from the object
 * (Linux's get_info_end): the free pointer is outside the object exactly
 * when offset is past the object and its right red zone. */
static inline unsigned int get_info_end(const struct kmem_cache *s)
{
	return s->offset >= s->inuse ? s->inuse + sizeof(void *) : s->inuse;
}

/* The head page of any pointer, or NULL when it is not in mem_map: wild
 * pointers reach kfree, and nothing outside mem_map may be read. */
struct page *addr_to_head_page(const void *p);
/* True when p is exactly the start of one of the slab's objects. */
bool object_is_valid(const struct kmem_cache *s, const struct page *slab, const void *p);

/* mm/slab.c */
struct slabinfo {
	unsigned long active_objs, num_objs, active_slabs, num_slabs;
};
unsigned int calculate_order(unsigned int size);
void *slab_alloc(struct kmem_cache *s, gfp_t gfp, unsigned long caller);
void slab_free(struct kmem_cache *s, struct page *slab, void *object, unsigned long caller);
/* Give back the slabs on one list (or every list, NR_SLAB_LISTS). */
void free_slabs(struct kmem_cache *s, enum slab_list_kind which);
void get_slabinfo(struct kmem_cache *s, struct slabinfo *info);
/* A freelist proved corrupt: forget it, counting its objects quarantined. */
void quarantine_freelist(struct kmem_cache *s, struct page *slab);

/* mm/slab_debug.c, called with s->lock held. */
void setup_object_debug(const struct kmem_cache *s, void *object);
bool alloc_debug_checks(struct kmem_cache *s, struct page *slab, void *object,
			unsigned long caller);
enum free_verdict {
	FREE_OK,	 /* put it on the freelist */
	FREE_REFUSED,	 /* already free: leave everything as it is */
	FREE_QUARANTINE, /* damaged: keep it off the freelist for good */
};
enum free_verdict free_debug_checks(struct kmem_cache *s, struct page *slab, void *object,
				    unsigned long caller);
/* Reports. The first two write Linux's "BUG name (Not tainted): reason"
 * block; slab_fix says what was done about it; slab_report is a one-line
 * report with a call trace, for what is not about one object. */
void object_err(struct kmem_cache *s, struct page *slab, void *object, const char *reason);
void slab_err(struct kmem_cache *s, struct page *slab, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void slab_fix(struct kmem_cache *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void slab_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define DOUBLE_FREE_REASON "Object already free (double free or corruption)"

/* mm/kmalloc.c */
void create_kmalloc_caches(void);
#endif
