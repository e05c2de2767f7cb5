/* The slab allocator and kmalloc: small objects carved out of pages from
 * alloc_pages (Linux's include/linux/slab.h). Read first: a cache hands out
 * objects of one size; each slab (one compound page block) keeps its free
 * objects on a list threaded through the objects themselves. */
#ifndef OOMLAB_MM_SLAB_H
#define OOMLAB_MM_SLAB_H
#include "kernel/list.h"
#include "kernel/spinlock.h"
#include "mm/gfp_types.h"
#include "mm/vmstat.h"
#include <stdbool.h>
#include <stddef.h>

typedef unsigned int slab_flags_t;

/* Cache flags, with Linux's names and values. */
#define SLAB_CONSISTENCY_CHECKS 0x00000100u /* validate every free: double free, bad pointer */
#define SLAB_RED_ZONE 0x00000400u	    /* guard bytes before and after each object */
#define SLAB_POISON 0x00000800u		    /* fill free objects with POISON_FREE */
#define SLAB_KMALLOC 0x00001000u	    /* one of the kmalloc-N caches */
#define SLAB_HWCACHE_ALIGN 0x00002000u	    /* align objects to the cache line */
#define SLAB_CACHE_DMA 0x00004000u	    /* slabs from ZONE_DMA */
#define SLAB_CACHE_DMA32 0x00008000u	    /* slabs from ZONE_DMA32 */
#define SLAB_STORE_USER 0x00010000u	    /* remember who allocated and freed each object */
#define SLAB_RECLAIM_ACCOUNT 0x00020000u    /* counted as NR_SLAB_RECLAIMABLE */
#define SLAB_PANIC 0x00040000u		    /* kmem_cache_create panics instead of failing */

/* What the slab_debug boot switch turns on for every cache (Linux's
 * slab_debug without options: F, Z, P, U). A cache may ask for any of them
 * itself, switch or not. */
#define SLAB_DEBUG_FLAGS (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

/* Byte patterns (Linux's include/linux/poison.h). */
#define POISON_FREE 0x6b       /* a free object's bytes... */
#define POISON_END 0xa5	       /* ...and its last byte */
#define SLUB_RED_INACTIVE 0xbb /* red zones of a free object */
#define SLUB_RED_ACTIVE 0xcc   /* red zones of an allocated object */

#define KMALLOC_MIN_SIZE 8
#define KMALLOC_MAX_CACHE_SIZE 8192 /* above this kmalloc goes to alloc_pages */
/* kmalloc(0) returns this: not NULL (no failure), yet faults when used. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

enum slab_list_kind { SLABS_FREE, SLABS_PARTIAL, SLABS_FULL, NR_SLAB_LISTS };

/* One cache. Fields are set up by kmem_cache_create; outside mm/slab*.c
 * read them only (tests do). Every slot of a slab looks like
 *   [left red zone][object][right red zone][free pointer][tracks][padding]
 * with the parts in brackets only when the flags ask for them: without
 * debug and constructor the free pointer lives inside the free object. */
struct kmem_cache {
	const char *name;
	slab_flags_t flags;
	unsigned int object_size;  /* what the creator asked for */
	unsigned int size;	   /* one slot, everything included */
	unsigned int align;	   /* of every object */
	unsigned int red_left_pad; /* slot start to object */
	unsigned int inuse;	   /* object to metadata: object plus right red zone */
	unsigned int offset;	   /* object to its free pointer */
	unsigned int order;	   /* of each slab's pages... */
	unsigned int min_order;	   /* ...or this, when those are not to be had */
	unsigned int objects;	   /* per slab of the first order */
	gfp_t allocflags;	   /* added to every slab page allocation */
	void (*ctor)(void *object);

	spinlock_t lock; /* the lists, the counts and every slab's freelist */
	struct list_head slabs[NR_SLAB_LISTS];
	unsigned long nr_slabs[NR_SLAB_LISTS];
	/* Objects found damaged: never handed out or freed again, counted as
	 * in use, released only with the cache. */
	unsigned long nr_quarantined;
	struct list_head list; /* on slab_caches */
};

bool slab_is_available(void);
/* Called once from mm_core_init, after the buddy allocator is up. */
void kmem_cache_init(void);

/* NULL (reported) on failure, or a panic with SLAB_PANIC. align 0 means
 * the word size; otherwise a power of two. name must outlive the cache. */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));
/* Warns and keeps the cache when callers still hold objects. */
void kmem_cache_destroy(struct kmem_cache *s);
/* Give the cache's empty slabs back to the page allocator. */
int kmem_cache_shrink(struct kmem_cache *s);
/* Register the shrinker that frees every cache's empty slabs. */
void slab_shrinker_init(void);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *s, void *object);

void *kmalloc(size_t size, gfp_t gfp);
void *krealloc(const void *p, size_t new_size, gfp_t gfp);
void kfree(const void *p);
/* How many bytes the caller may really use (the size class). */
size_t ksize(const void *p);

/* Linux defines these as inline wrappers too, so that the caller recorded
 * by SLAB_STORE_USER is the caller of kzalloc, not kzalloc. */
static inline __attribute__((always_inline)) void *kmem_cache_zalloc(struct kmem_cache *s,
								     gfp_t gfp)
{
	return kmem_cache_alloc(s, gfp | __GFP_ZERO);
}
static inline __attribute__((always_inline)) void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

/* The cache kmalloc(size) uses; NULL above KMALLOC_MAX_CACHE_SIZE. */
struct kmem_cache *kmalloc_slab(size_t size);

/* /proc/slabinfo, version 2.1, one line per cache, newest first. */
void show_slabinfo(seq_emit_fn emit, void *ctx);

/* Reports printed by the slab layer so far (red zones, poison, double or
 * invalid frees, caches destroyed with objects): tests read it. */
unsigned long slab_error_count(void);
extern bool slab_debug;
#endif
