/* Caches: creating, destroying and listing them, the slab_debug switch and
 * the bootstrap (Linux's mm/slab_common.c). Read first: a struct kmem_cache
 * is itself an object of the cache "kmem_cache", whose own struct is
 * static; that is how the slab layer starts before it exists. */
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/kallsyms.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/stacktrace.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/slab_internal.h"
#include "mm/swap.h"

#define SLABINFO_LINE_MAX 160
#define SYMBOL_MAX 128
/* Flags kmem_cache_create accepts from its callers. */
#define SLAB_FLAGS_PERMITTED                                                     \
	(SLAB_DEBUG_FLAGS | SLAB_KMALLOC | SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | \
	 SLAB_CACHE_DMA32 | SLAB_RECLAIM_ACCOUNT | SLAB_PANIC)

bool slab_debug;
core_param_bool(slab_debug, "slab_debug", slab_debug,
		"red zones, poison, double-free checks and owner tracking on every slab cache");

/* Linux's slab_state: PARTIAL once kmem_cache exists (caches can be made),
 * UP once the kmalloc caches exist too. */
enum slab_state { DOWN, PARTIAL, UP };
static enum slab_state slab_state;

static struct kmem_cache kmem_cache_boot;
struct kmem_cache *kmem_cache;

/* Newest first, the order of /proc/slabinfo. */
static LIST_HEAD(slab_caches);
static DEFINE_SPINLOCK(slab_caches_lock);

bool slab_is_available(void)
{
	return slab_state >= UP;
}

/* Linux's calculate_alignment: a small object needs only a fraction of a
 * cache line to not straddle one. */
static unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = CACHE_LINE_SIZE;

		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < sizeof(void *))
		align = sizeof(void *);
	return align;
}

/* The slot layout (see struct kmem_cache). The free pointer moves out of
 * the object when the free object's bytes belong to someone else: the
 * poison, the red-zone checks, or a constructor's state. Inside, it sits in
 * the middle, where a small overflow of the neighbour does not reach. */
static bool calculate_sizes(struct kmem_cache *s)
{
	unsigned int meta = align_up(s->object_size, sizeof(void *));

	s->red_left_pad = 0;
	if (s->flags & SLAB_RED_ZONE) {
		meta += sizeof(void *); /* the right red zone: at least one word */
		s->red_left_pad = align_up(sizeof(void *), s->align);
	}
	s->inuse = meta;
	if ((s->flags & (SLAB_RED_ZONE | SLAB_POISON)) || s->ctor) {
		s->offset = meta;
		meta += sizeof(void *);
	} else {
		s->offset = align_down(s->object_size / 2, sizeof(void *));
	}
	if (s->flags & SLAB_STORE_USER)
		meta += NR_TRACKS * sizeof(struct track);
	s->size = align_up(s->red_left_pad + meta, s->align);
	if (s->size > SLAB_MAX_SIZE)
		return false;
	s->order = calculate_order(s->size);
	s->min_order = size_to_order(s->size);
	s->objects = (PAGE_SIZE << s->order) / s->size;
	return true;
}

static int init_cache(struct kmem_cache *s, const char *name, unsigned int size, unsigned int align,
		      slab_flags_t flags, void (*ctor)(void *))
{
	if (!name || size == 0 || (align && !is_power_of_2(align)) ||
	    (flags & ~SLAB_FLAGS_PERMITTED))
		return -EINVAL;
	if (slab_debug)
		flags |= SLAB_DEBUG_FLAGS;
	if (ctor)
		flags &= ~SLAB_POISON; /* a free object keeps its constructed state */
	s->name = name;
	s->flags = flags;
	s->object_size = size;
	s->ctor = ctor;
	s->align = calculate_alignment(flags, align, size);
	s->allocflags = 0;
	if (flags & SLAB_CACHE_DMA)
		s->allocflags |= __GFP_DMA;
	if (flags & SLAB_CACHE_DMA32)
		s->allocflags |= __GFP_DMA32;
	if (flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	spin_lock_init(&s->lock);
	for (int kind = 0; kind < NR_SLAB_LISTS; kind++) {
		INIT_LIST_HEAD(&s->slabs[kind]);
		s->nr_slabs[kind] = 0;
	}
	s->nr_quarantined = 0;
	return calculate_sizes(s) ? 0 : -E2BIG;
}

static void add_to_slab_caches(struct kmem_cache *s)
{
	uint64_t flags;

	spin_lock_irqsave(&slab_caches_lock, flags);
	list_add(&s->list, &slab_caches);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;
	int err = -EAGAIN; /* too early: no kmem_cache to allocate from */

	if (slab_state >= PARTIAL) {
		s = kmem_cache_zalloc(kmem_cache, GFP_KERNEL);
		err = s ? init_cache(s, name, size, align, flags, ctor) : -ENOMEM;
	}
	if (err) {
		if (s)
			kmem_cache_free(kmem_cache, s);
		if (flags & SLAB_PANIC)
			panic("kmem_cache_create: Failed to create slab '%s'. Error %d",
			      name ? name : "(null)", err);
		pr_warn("kmem_cache_create(%s) failed with error %d", name ? name : "(null)", err);
		dump_stack();
		return NULL;
	}
	add_to_slab_caches(s);
	return s;
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	char caller[SYMBOL_MAX];
	struct slabinfo info;
	uint64_t flags;

	if (!s)
		return;
	sprint_symbol(caller, sizeof(caller), (uint64_t)__builtin_return_address(0));
	if (s == kmem_cache || (s->flags & SLAB_KMALLOC)) {
		slab_report("kmem_cache_destroy %s: a boot cache stays, called from %s", s->name,
			    caller);
		return;
	}
	/* Objects still held would be freed under their owners: keep the
	 * cache, as Linux does, and say who asked. */
	get_slabinfo(s, &info);
	if (info.active_objs > s->nr_quarantined) {
		slab_report(
			"kmem_cache_destroy %s: Slab cache still has objects when called from %s",
			s->name, caller);
		return;
	}
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_del(&s->list);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	free_slabs(s, NR_SLAB_LISTS);
	kmem_cache_free(kmem_cache, s);
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	free_slabs(s, SLABS_FREE);
	return 0;
}

/* The empty slabs every cache keeps for its next burst, given back under
 * memory pressure (Linux frees them through kmem_cache_shrink and the
 * slab's own limits; a shrinker makes reclaim ask for them). */
static unsigned long empty_slabs_count(struct shrinker *sh, struct shrink_control *sc)
{
	struct kmem_cache *s;
	unsigned long n = 0;
	uint64_t flags;

	(void)sh, (void)sc;
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(s, &slab_caches, list)
		n += __atomic_load_n(&s->nr_slabs[SLABS_FREE], __ATOMIC_RELAXED);
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return n ? n : SHRINK_EMPTY;
}

/* Under slab_caches_lock no cache can be destroyed meanwhile. */
static unsigned long empty_slabs_scan(struct shrinker *sh, struct shrink_control *sc)
{
	struct kmem_cache *s;
	unsigned long freed = 0;
	uint64_t flags;

	(void)sh;
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(s, &slab_caches, list) {
		unsigned long n = __atomic_load_n(&s->nr_slabs[SLABS_FREE], __ATOMIC_RELAXED);

		if (!n)
			continue;
		free_slabs(s, SLABS_FREE);
		freed += n;
		if (freed >= sc->nr_to_scan)
			break;
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
	return freed;
}

static struct shrinker empty_slabs_shrinker = {
	.count_objects = empty_slabs_count,
	.scan_objects = empty_slabs_scan,
	.seeks = DEFAULT_SEEKS,
	.name = "empty-slabs",
};

void slab_shrinker_init(void)
{
	register_shrinker(&empty_slabs_shrinker);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	return slab_alloc(s, gfp, (unsigned long)__builtin_return_address(0));
}

void kmem_cache_free(struct kmem_cache *s, void *object)
{
	unsigned long caller = (unsigned long)__builtin_return_address(0);
	struct page *slab;

	if (!object)
		return;
	slab = addr_to_head_page(object);
	if (!slab || !PageSlab(slab)) {
		slab_report("kmem_cache_free: %p is not a slab object of %s; not freed", object,
			    s->name);
		return;
	}
	/* Linux frees into the cache the object really belongs to. */
	if (slab->slab_cache != s)
		slab_report("kmem_cache_free: Wrong slab cache. %s but object is from %s", s->name,
			    slab->slab_cache->name);
	slab_free(slab->slab_cache, slab, object, caller);
}

void kmem_cache_init(void)
{
	if (slab_state != DOWN)
		return;
	if (init_cache(&kmem_cache_boot, "kmem_cache", sizeof(struct kmem_cache), 0,
		       SLAB_HWCACHE_ALIGN, NULL))
		panic("kmem_cache_init: cannot lay out the kmem_cache cache");
	kmem_cache = &kmem_cache_boot;
	add_to_slab_caches(kmem_cache);
	slab_state = PARTIAL;
	create_kmalloc_caches();
	slab_state = UP;
	pr_info("SLUB: HWalign=%d, Order=0-%d, MinObjects=%d, CPUs=1, Nodes=1", CACHE_LINE_SIZE,
		SLAB_MAX_ORDER, SLAB_MIN_OBJECTS);
	if (slab_debug)
		pr_info("slab_debug: red zones, poison, consistency checks and owner tracking on");
}

void show_slabinfo(seq_emit_fn emit, void *ctx)
{
	char line[SLABINFO_LINE_MAX];
	struct kmem_cache *s;
	struct slabinfo info;
	uint64_t flags;

	emit(ctx, "slabinfo - version: 2.1");
	emit(ctx, "# name            <active_objs> <num_objs> <objsize> <objperslab> "
		  "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata "
		  "<active_slabs> <num_slabs> <sharedavail>");
	spin_lock_irqsave(&slab_caches_lock, flags);
	list_for_each_entry(s, &slab_caches, list) {
		get_slabinfo(s, &info);
		/* No per-CPU arrays: the tunables and sharedavail are 0, as
		 * SLUB prints them. */
		snprintf(line, sizeof(line),
			 "%-17s %6lu %6lu %6u %4u %4lu"
			 " : tunables %4u %4u %4u"
			 " : slabdata %6lu %6lu %6u",
			 s->name, info.active_objs, info.num_objs, s->size, s->objects,
			 1ul << s->order, 0u, 0u, 0u, info.active_slabs, info.num_slabs, 0u);
		emit(ctx, line);
	}
	spin_unlock_irqrestore(&slab_caches_lock, flags);
}
