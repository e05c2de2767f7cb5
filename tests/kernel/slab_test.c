/* The slab layer as a specification: freed objects come back first, every
 * object is aligned as its cache asks, kmalloc serves each size class and
 * beyond, destroying a cache gives every page back, and slab debug catches
 * red-zone, poison and double-free damage while the cache keeps working.
 * Runs at 16M, 64M, 512M and 4G. */
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/vmstat.h"
#include "tests/kernel/mm_test_helpers.h"

#define OBJ_SIZE 64
#define STRESS_OBJECTS 200 /* under 256: each object gets its own byte pattern */
#define OBJECTS_FOR_SEVERAL_SLABS 100
#define SLABINFO_LINES 64
#define SLABINFO_LINE 200
#define CTOR_MAGIC 0x5ab1e5ab1e5ab1e5ul
#define FREE_POINTER_BYTES 8
#define DOUBLE_FREE "Object already free (double free or corruption)"

static void *objs[STRESS_OBJECTS];

static bool bytes_are(const void *p, uint8_t value, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != value)
			return false;
	return true;
}

/* Fill many objects each with its own pattern, check none overlaps
 * another, free them: true when all went well without a single report. */
static bool cache_survives_stress(struct kmem_cache *s)
{
	unsigned long errors = slab_error_count();
	unsigned int n;
	bool ok = true;

	for (n = 0; n < STRESS_OBJECTS; n++) {
		objs[n] = kmem_cache_alloc(s, GFP_KERNEL);
		if (!objs[n])
			break;
		memset(objs[n], (int)n, s->object_size);
	}
	if (n < STRESS_OBJECTS)
		ok = false;
	for (unsigned int i = 0; i < n; i++)
		if (!bytes_are(objs[i], (uint8_t)i, s->object_size))
			ok = false;
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(s, objs[i]);
	return ok && slab_error_count() == errors;
}

static struct kmem_cache *debug_cache(void)
{
	return kmem_cache_create("slab_test_debug", OBJ_SIZE, 0, SLAB_DEBUG_FLAGS, NULL);
}

static void slab_reuses_freed_object_first(struct kunit *test)
{
	struct kmem_cache *s = kmem_cache_create("slab_test_lifo", OBJ_SIZE, 0, 0, NULL);
	void *a, *b;

	KUNIT_ASSERT_NOT_NULL(test, s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, a && b && a != b);
	kmem_cache_free(s, a);
	KUNIT_EXPECT_TRUE(test, kmem_cache_alloc(s, GFP_KERNEL) == a);
	/* Last in, first out. */
	kmem_cache_free(s, b);
	kmem_cache_free(s, a);
	KUNIT_EXPECT_TRUE(test, kmem_cache_alloc(s, GFP_KERNEL) == a);
	KUNIT_EXPECT_TRUE(test, kmem_cache_alloc(s, GFP_KERNEL) == b);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	kmem_cache_destroy(s);
}

static void slab_aligns_objects_to_cache_alignment(struct kunit *test)
{
	static const unsigned int aligns[] = {8, 16, 64, 128, 256, 1024};

	for (unsigned int i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++) {
		struct kmem_cache *s = kmem_cache_create("slab_test_align", 40, aligns[i], 0, NULL);
		unsigned int n;

		KUNIT_ASSERT_NOT_NULL(test, s);
		for (n = 0; n < 20; n++) {
			objs[n] = kmem_cache_alloc(s, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, objs[n]);
			KUNIT_EXPECT_EQ(test, (uintptr_t)objs[n] % aligns[i], 0);
		}
		while (n--)
			kmem_cache_free(s, objs[n]);
		kmem_cache_destroy(s);
	}
}

static void slab_hwcache_align_fits_object_to_cache_line(struct kunit *test)
{
	/* Linux's rule: a line, or the smallest fraction of one that still
	 * holds the whole object. */
	struct kmem_cache *big =
		kmem_cache_create("slab_test_hw100", 100, 0, SLAB_HWCACHE_ALIGN, NULL);
	struct kmem_cache *small =
		kmem_cache_create("slab_test_hw20", 20, 0, SLAB_HWCACHE_ALIGN, NULL);
	void *p, *q;

	KUNIT_ASSERT_TRUE(test, big && small);
	KUNIT_EXPECT_EQ(test, big->align, 64);
	KUNIT_EXPECT_EQ(test, small->align, 32);
	p = kmem_cache_alloc(big, GFP_KERNEL);
	q = kmem_cache_alloc(small, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, (uintptr_t)p % 64, 0);
	KUNIT_EXPECT_EQ(test, (uintptr_t)q % 32, 0);
	kmem_cache_free(big, p);
	kmem_cache_free(small, q);
	kmem_cache_destroy(big);
	kmem_cache_destroy(small);
}

static void kmalloc_serves_every_size_class(struct kunit *test)
{
	static const unsigned int classes[] = {8,   16,	 32,   64,   96,   128, 192,
					       256, 512, 1024, 2048, 4096, 8192};
	unsigned int prev = 0;

	for (unsigned int i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		/* The smallest and the largest request the class serves. */
		size_t sizes[2] = {prev + 1, classes[i]};

		for (int j = 0; j < 2; j++) {
			uint8_t *p = kmalloc(sizes[j], GFP_KERNEL);
			struct page *page;

			KUNIT_ASSERT_NOT_NULL(test, p);
			page = compound_head(virt_to_page(p));
			KUNIT_EXPECT_TRUE(test, PageSlab(page));
			KUNIT_EXPECT_TRUE(test, page->slab_cache == kmalloc_slab(sizes[j]));
			KUNIT_EXPECT_EQ(test, ksize(p), classes[i]);
			if ((classes[i] & (classes[i] - 1)) == 0)
				KUNIT_EXPECT_EQ(test, (uintptr_t)p % classes[i], 0);
			memset(p, 0xab, sizes[j]);
			kfree(p);
		}
		prev = classes[i];
	}
	KUNIT_EXPECT_STREQ(test, kmalloc_slab(1)->name, "kmalloc-8");
	KUNIT_EXPECT_STREQ(test, kmalloc_slab(65)->name, "kmalloc-96");
	KUNIT_EXPECT_STREQ(test, kmalloc_slab(8192)->name, "kmalloc-8k");
	KUNIT_EXPECT_NULL(test, kmalloc_slab(8193));
}

static void kmalloc_large_comes_from_page_allocator(struct kunit *test)
{
	long slab_before = global_zone_page_state(NR_SLAB_UNRECLAIMABLE);
	size_t size = KMALLOC_MAX_CACHE_SIZE + 1; /* three pages: an order-2 block */
	uint8_t *p = kmalloc(size, GFP_KERNEL);
	struct page *page;

	KUNIT_ASSERT_NOT_NULL(test, p);
	page = virt_to_page(p);
	KUNIT_EXPECT_EQ(test, (uintptr_t)p % PAGE_SIZE, 0);
	KUNIT_EXPECT_FALSE(test, PageSlab(page));
	KUNIT_EXPECT_TRUE(test, PageHead(page));
	KUNIT_EXPECT_EQ(test, ksize(p), 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_SLAB_UNRECLAIMABLE), slab_before + 4);
	memset(p, 0x5a, ksize(p));
	kfree(p);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_SLAB_UNRECLAIMABLE), slab_before);
}

static void kmalloc_zero_and_null_are_harmless(struct kunit *test)
{
	unsigned long errors = slab_error_count();
	uint8_t *p = kmalloc(OBJ_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0xff, OBJ_SIZE);
	kfree(p);
	/* The dirty object comes straight back, and kzalloc clears it. */
	p = kzalloc(OBJ_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, bytes_are(p, 0, OBJ_SIZE));
	kfree(p);
	KUNIT_EXPECT_TRUE(test, kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	KUNIT_EXPECT_EQ(test, ksize(ZERO_SIZE_PTR), 0);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	KUNIT_EXPECT_EQ(test, slab_error_count(), errors);
}

static void krealloc_keeps_contents(struct kunit *test)
{
	static const size_t sizes[] = {24, 200, 3000, KMALLOC_MAX_CACHE_SIZE * 2};
	unsigned long errors = slab_error_count();
	uint8_t *p = kmalloc(sizes[0], GFP_KERNEL), *q;

	KUNIT_ASSERT_NOT_NULL(test, p);
	for (size_t i = 0; i < sizes[0]; i++)
		p[i] = (uint8_t)i;
	for (unsigned int step = 1; step < sizeof(sizes) / sizeof(sizes[0]); step++) {
		p = krealloc(p, sizes[step], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_GE(test, ksize(p), sizes[step]);
		for (size_t i = 0; i < sizes[0]; i++)
			KUNIT_ASSERT_EQ(test, p[i], (uint8_t)i);
	}
	/* Shrinking stays in place; size 0 frees. */
	q = krealloc(p, 10, GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, q == p);
	KUNIT_EXPECT_TRUE(test, krealloc(q, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	KUNIT_EXPECT_EQ(test, slab_error_count(), errors);
}

static void ksize_reports_the_size_class(struct kunit *test)
{
	static const size_t asked[] = {1, 65, 97, 100, 193, 1000, 5000};
	static const size_t got[] = {8, 96, 128, 128, 256, 1024, 8192};

	for (unsigned int i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
		void *p = kmalloc(asked[i], GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ(test, ksize(p), got[i]);
		kfree(p);
	}
}

static void kmem_cache_destroy_returns_every_page(struct kunit *test)
{
	struct kmem_cache *s;
	unsigned long free_before;
	long slab_before, reclaimable_before;

	/* Warm up: the first cache created may need a slab for its own
	 * struct kmem_cache, which stays for the next one. */
	kmem_cache_destroy(kmem_cache_create("slab_test_warmup", OBJ_SIZE, 0, 0, NULL));
	drain_all_pages(NULL);
	free_before = nr_free_pages();
	slab_before = global_zone_page_state(NR_SLAB_UNRECLAIMABLE);
	reclaimable_before = global_zone_page_state(NR_SLAB_RECLAIMABLE);

	s = kmem_cache_create("slab_test_destroy", 256, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	for (unsigned int i = 0; i < OBJECTS_FOR_SEVERAL_SLABS; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	KUNIT_EXPECT_GT(test, s->nr_slabs[SLABS_FULL], 1);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_SLAB_RECLAIMABLE) - reclaimable_before,
			(long)(s->nr_slabs[SLABS_FULL] + s->nr_slabs[SLABS_PARTIAL]) << s->order);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_SLAB_UNRECLAIMABLE), slab_before);
	for (unsigned int i = 0; i < OBJECTS_FOR_SEVERAL_SLABS; i++)
		kmem_cache_free(s, objs[i]);
	KUNIT_EXPECT_LE(test, s->nr_slabs[SLABS_FREE], 2);
	kmem_cache_destroy(s);

	drain_all_pages(NULL);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), free_before);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_SLAB_RECLAIMABLE), reclaimable_before);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_SLAB_UNRECLAIMABLE), slab_before);
}

static void kmem_cache_destroy_warns_when_objects_remain(struct kunit *test)
{
	struct kmem_cache *s = kmem_cache_create("slab_test_leak", OBJ_SIZE, 0, 0, NULL);
	unsigned long errors = slab_error_count(), mark = log_mark();
	void *p;

	KUNIT_ASSERT_NOT_NULL(test, s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	quietly_begin();
	kmem_cache_destroy(s);
	quietly_end();
	KUNIT_EXPECT_EQ(test, slab_error_count(), errors + 1);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark,
					       "kmem_cache_destroy slab_test_leak: Slab cache "
					       "still has objects",
					       NULL, 0));
	/* The cache was kept: still usable, then really destroyed. */
	KUNIT_EXPECT_TRUE(test, cache_survives_stress(s));
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_error_count(), errors + 1);
}

/* One deliberate bug on a debug cache: the report must come, with its
 * Linux headline, and the cache must go on working and be destroyed
 * without complaint (the damaged object is quarantined, not leaked). */
static void expect_caught(struct kunit *test, struct kmem_cache *s, unsigned long errors,
			  unsigned long mark, const char *headline)
{
	char want[MM_TEST_LOG_LINE];

	snprintf(want, sizeof(want), "BUG %s (Not tainted): %s", s->name, headline);
	KUNIT_EXPECT_EQ(test, slab_error_count(), errors + 1);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, want, NULL, 0));
	KUNIT_EXPECT_TRUE(test, cache_survives_stress(s));
	kmem_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, slab_error_count(), errors + 1);
}

static void slab_debug_catches_right_redzone_overwrite(struct kunit *test)
{
	struct kmem_cache *s = debug_cache();
	unsigned long errors = slab_error_count(), mark = log_mark();
	uint8_t *p;

	KUNIT_ASSERT_NOT_NULL(test, s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p[OBJ_SIZE] = 0x42; /* one byte past the end */
	quietly_begin();
	kmem_cache_free(s, p);
	quietly_end();
	KUNIT_EXPECT_EQ(test, s->nr_quarantined, 1);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "Object at", NULL, 0));
	expect_caught(test, s, errors, mark, "Right Redzone overwritten");
}

static void slab_debug_catches_left_redzone_overwrite(struct kunit *test)
{
	struct kmem_cache *s = debug_cache();
	unsigned long errors = slab_error_count(), mark = log_mark();
	uint8_t *p;

	KUNIT_ASSERT_NOT_NULL(test, s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p[-1] = 0x42; /* one byte before the start */
	quietly_begin();
	kmem_cache_free(s, p);
	quietly_end();
	KUNIT_EXPECT_EQ(test, s->nr_quarantined, 1);
	expect_caught(test, s, errors, mark, "Left Redzone overwritten");
}

static void slab_debug_catches_write_after_free(struct kunit *test)
{
	struct kmem_cache *s = debug_cache();
	unsigned long errors = slab_error_count(), mark = log_mark();
	uint8_t *p, *q;

	KUNIT_ASSERT_NOT_NULL(test, s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	kmem_cache_free(s, p);
	KUNIT_EXPECT_EQ(test, p[0], POISON_FREE);
	KUNIT_EXPECT_EQ(test, p[OBJ_SIZE - 1], POISON_END);
	p[8] = 0x42; /* use after free */
	quietly_begin();
	q = kmem_cache_alloc(s, GFP_KERNEL); /* would be p, LIFO */
	quietly_end();
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_TRUE(test, q != p);
	KUNIT_EXPECT_EQ(test, s->nr_quarantined, 1);
	kmem_cache_free(s, q);
	expect_caught(test, s, errors, mark, "Poison overwritten");
}

static void slab_debug_catches_double_free(struct kunit *test)
{
	struct kmem_cache *s = debug_cache();
	unsigned long errors = slab_error_count(), mark = log_mark();
	void *a, *b, *x, *y, *z;

	KUNIT_ASSERT_NOT_NULL(test, s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, a && b);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	quietly_begin();
	kmem_cache_free(s, a); /* not the freelist head: only the walk finds it */
	quietly_end();
	x = kmem_cache_alloc(s, GFP_KERNEL);
	y = kmem_cache_alloc(s, GFP_KERNEL);
	z = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, x != y && y != z && x != z);
	KUNIT_EXPECT_EQ(test, s->nr_quarantined, 0);
	kmem_cache_free(s, x);
	kmem_cache_free(s, y);
	kmem_cache_free(s, z);
	expect_caught(test, s, errors, mark, DOUBLE_FREE);
}

static void slab_catches_double_free_without_debug(struct kunit *test)
{
	struct kmem_cache *s = kmem_cache_create("slab_test_nodebug", OBJ_SIZE, 0, 0, NULL);
	unsigned long errors = slab_error_count(), mark = log_mark();
	void *a, *x, *y;

	KUNIT_ASSERT_NOT_NULL(test, s);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	kmem_cache_free(s, a);
	quietly_begin();
	kmem_cache_free(s, a); /* the freelist head: Linux's naive check */
	quietly_end();
	x = kmem_cache_alloc(s, GFP_KERNEL);
	y = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, x != y);
	kmem_cache_free(s, x);
	kmem_cache_free(s, y);
	expect_caught(test, s, errors, mark, DOUBLE_FREE);
}

/* Without debug the free pointer lives inside the free object, where a
 * write after free lands: the allocator must notice the link leads nowhere
 * and give up the whole freelist rather than follow it. */
static void slab_drops_freelist_with_corrupt_pointer(struct kunit *test)
{
	struct kmem_cache *s = kmem_cache_create("slab_test_fp", OBJ_SIZE, 0, 0, NULL);
	unsigned long errors = slab_error_count(), mark = log_mark();
	uint8_t *a, *q;

	KUNIT_ASSERT_NOT_NULL(test, s);
	if (s->flags & SLAB_POISON)
		kunit_skip(test, "slab_debug moves the free pointer out of the object");
	a = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	kmem_cache_free(s, a);
	memset(a + s->offset, 0x41, FREE_POINTER_BYTES); /* use after free */
	quietly_begin();
	q = kmem_cache_alloc(s, GFP_KERNEL);
	quietly_end();
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_TRUE(test, q != a);
	KUNIT_EXPECT_EQ(test, s->nr_quarantined, s->objects);
	kmem_cache_free(s, q);
	expect_caught(test, s, errors, mark, "Freepointer corrupt");
}

static void kfree_refuses_pointer_inside_an_object(struct kunit *test)
{
	static uint8_t not_from_kmalloc[OBJ_SIZE];
	unsigned long errors = slab_error_count();
	uint8_t *p = kmalloc(OBJ_SIZE, GFP_KERNEL), *large, *other;

	KUNIT_ASSERT_NOT_NULL(test, p);
	large = kmalloc(KMALLOC_MAX_CACHE_SIZE * 2, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, large);
	quietly_begin();
	kfree(p + 8);
	kfree(large + PAGE_SIZE);
	kfree(not_from_kmalloc);
	quietly_end();
	KUNIT_EXPECT_EQ(test, slab_error_count(), errors + 3);
	/* None of them was obeyed: the object and the block are still ours. */
	other = kmalloc(OBJ_SIZE, GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, other != p);
	kfree(other);
	kfree(p);
	other = kmalloc(OBJ_SIZE, GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, other == p);
	kfree(other);
	kfree(large);
	KUNIT_EXPECT_EQ(test, slab_error_count(), errors + 3);
}

static unsigned int ctor_calls;

static void test_ctor(void *object)
{
	ctor_calls++;
	*(unsigned long *)object = CTOR_MAGIC;
}

static void slab_calls_constructor_once_per_object(struct kunit *test)
{
	struct kmem_cache *s = kmem_cache_create("slab_test_ctor", OBJ_SIZE, 0, 0, test_ctor);
	unsigned long *p;
	unsigned int calls;

	KUNIT_ASSERT_NOT_NULL(test, s);
	ctor_calls = 0;
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	/* The whole new slab was constructed at once. */
	KUNIT_EXPECT_EQ(test, ctor_calls, s->objects);
	KUNIT_EXPECT_TRUE(test, *p == CTOR_MAGIC);
	calls = ctor_calls;
	kmem_cache_free(s, p);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, *p == CTOR_MAGIC); /* the free pointer kept off it */
	KUNIT_EXPECT_EQ(test, ctor_calls, calls);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

struct line_sink {
	char lines[SLABINFO_LINES][SLABINFO_LINE];
	unsigned int n;
};

static void sink_line(void *ctx, const char *line)
{
	struct line_sink *sink = ctx;

	if (sink->n < SLABINFO_LINES)
		strscpy(sink->lines[sink->n++], line, SLABINFO_LINE);
}

static const char *sink_find(const struct line_sink *sink, const char *prefix)
{
	for (unsigned int i = 0; i < sink->n; i++)
		if (strncmp(sink->lines[i], prefix, strlen(prefix)) == 0)
			return sink->lines[i];
	return NULL;
}

static void slabinfo_reports_caches_in_linux_format(struct kunit *test)
{
	static struct line_sink sink;
	struct kmem_cache *s = kmem_cache_create("slab_test_info", 128, 0, 0, NULL);
	char want[SLABINFO_LINE];
	const char *line;
	void *p[3];

	KUNIT_ASSERT_NOT_NULL(test, s);
	for (int i = 0; i < 3; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	sink.n = 0;
	show_slabinfo(sink_line, &sink);
	KUNIT_ASSERT_GT(test, sink.n, 2);
	KUNIT_EXPECT_STREQ(test, sink.lines[0], "slabinfo - version: 2.1");
	KUNIT_EXPECT_STREQ(test, sink.lines[1],
			   "# name            <active_objs> <num_objs> <objsize> <objperslab> "
			   "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : "
			   "slabdata <active_slabs> <num_slabs> <sharedavail>");
	/* Newest first. */
	KUNIT_EXPECT_TRUE(test, strncmp(sink.lines[2], "slab_test_info ", 15) == 0);
	snprintf(want, sizeof(want),
		 "slab_test_info         3 %6u %6u %4u %4u : tunables    0    0    0 : "
		 "slabdata      1      1      0",
		 s->objects, s->size, s->objects, 1u << s->order);
	line = sink_find(&sink, "slab_test_info ");
	KUNIT_ASSERT_NOT_NULL(test, line);
	KUNIT_EXPECT_STREQ(test, line, want);
	KUNIT_EXPECT_NOT_NULL(test, sink_find(&sink, "kmalloc-64 "));
	KUNIT_EXPECT_NOT_NULL(test, sink_find(&sink, "kmem_cache "));
	for (int i = 0; i < 3; i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_destroy(s);
}

static struct kunit_case slab_cases[] = {
	KUNIT_CASE(slab_reuses_freed_object_first),
	KUNIT_CASE(slab_aligns_objects_to_cache_alignment),
	KUNIT_CASE(slab_hwcache_align_fits_object_to_cache_line),
	KUNIT_CASE(kmalloc_serves_every_size_class),
	KUNIT_CASE(kmalloc_large_comes_from_page_allocator),
	KUNIT_CASE(kmalloc_zero_and_null_are_harmless),
	KUNIT_CASE(krealloc_keeps_contents),
	KUNIT_CASE(ksize_reports_the_size_class),
	KUNIT_CASE(slab_calls_constructor_once_per_object),
	KUNIT_CASE(kmem_cache_destroy_returns_every_page),
	KUNIT_CASE(kmem_cache_destroy_warns_when_objects_remain),
	KUNIT_CASE(slab_debug_catches_right_redzone_overwrite),
	KUNIT_CASE(slab_debug_catches_left_redzone_overwrite),
	KUNIT_CASE(slab_debug_catches_write_after_free),
	KUNIT_CASE(slab_debug_catches_double_free),
	KUNIT_CASE(slab_catches_double_free_without_debug),
	KUNIT_CASE(slab_drops_freelist_with_corrupt_pointer),
	KUNIT_CASE(kfree_refuses_pointer_inside_an_object),
	KUNIT_CASE(slabinfo_reports_caches_in_linux_format),
	{},
};
static struct kunit_suite slab_suite = {
	.name = "slab",
	.preempt_stress = true,
	.test_cases = slab_cases,
	.ram_sizes = MM_TEST_RAM_SIZES,
};
kunit_test_suite(slab_suite);
