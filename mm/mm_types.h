/* struct page: one per physical page frame, in the mem_map array. Read
 * first: which fields mean something depends on what the page is (free in
 * the buddy, a slab, in use by a caller), as in Linux's unions. */
#ifndef OOMLAB_MM_MM_TYPES_H
#define OOMLAB_MM_MM_TYPES_H
#include "kernel/list.h"
#include <stdint.h>

struct kmem_cache;
struct address_space;

struct page {
	unsigned long flags; /* PG_* bits; the zone index in the top bits */
	union {
		struct list_head lru;	    /* buddy or pcp free list; later the LRU */
		struct list_head slab_list; /* a slab: on its cache's lists */
	};
	union {
		struct { /* page cache (later) */
			struct address_space *mapping;
			unsigned long index;
		};
		struct { /* slab */
			struct kmem_cache *slab_cache;
			void *freelist; /* first free object */
		};
	};
	union {
		unsigned long private; /* buddy: order of the free block */
		/* A mapped user page: its PTEs in VM_LOCKED VMAs (Linux keeps
		 * an estimate of this in the LRU union); 0 when handed out. */
		unsigned long mlock_count;
		struct page *head; /* tail page: the compound head */
		struct {	   /* slab */
			uint32_t inuse;
			uint32_t objects;
		};
	};
	int _refcount;
	int _mapcount;		/* page-table mappings - 1, as Linux */
	uint16_t page_type;	/* PGTY_*: buddy, slab, or none */
	uint8_t compound_order; /* head of a compound page */
	uint8_t reserved_pad;
};
#endif
