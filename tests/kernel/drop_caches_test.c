/* /proc/sys/vm/drop_caches as a specification, as Linux's: 1 drops the
 * clean page cache, 2 the shrinkers' objects (until a pass frees almost
 * nothing), 3 both; anything else is -EINVAL. Read first: the file's page
 * cache is the disk's, and the file stays open so the inode shrinker (2)
 * cannot take its pages along: what 2 drops is the shrinkers' alone. */
#include "kernel/drivers/virtio_blk.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/namespace.h"
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "tests/kernel/fs_test_helpers.h"
#include "tests/kernel/reclaim_test_helpers.h"

#define DROP_CACHES "/proc/sys/vm/drop_caches"
#define CACHE_OBJECTS 1000ul

/* A cache that frees what it is asked to. */
struct test_cache {
	struct shrinker shrinker;
	unsigned long objects, scans;
};

static unsigned long test_cache_count(struct shrinker *s, struct shrink_control *sc)
{
	const struct test_cache *c = container_of(s, struct test_cache, shrinker);

	(void)sc;
	return c->objects ? c->objects : SHRINK_EMPTY;
}

static unsigned long test_cache_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct test_cache *c = container_of(s, struct test_cache, shrinker);
	unsigned long n = sc->nr_to_scan < c->objects ? sc->nr_to_scan : c->objects;

	c->scans++;
	c->objects -= n;
	return n;
}

/* Fill the file's page cache and the test cache again. */
static void refill(struct kunit *test, struct file *f, struct test_cache *c)
{
	char *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	loff_t pos = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	while (kernel_read(f, buf, PAGE_SIZE, &pos) > 0)
		;
	kfree(buf);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, BIG_PAGES);
	c->objects = CACHE_OBJECTS;
	c->scans = 0;
}

static void drop_caches_1_drops_the_page_cache_2_the_shrinkers_3_both(struct kunit *test)
{
	struct test_cache c = {.shrinker = {.count_objects = test_cache_count,
					    .scan_objects = test_cache_scan,
					    .seeks = DEFAULT_SEEKS,
					    .name = "drop_caches_test"}};
	struct file *f;
	long cached;

	if (!have_disk(test))
		return;
	f = filp_open(BIG_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	register_shrinker(&c.shrinker);

	refill(test, f, &c);
	cached = global_zone_page_state(NR_FILE_PAGES);
	KUNIT_EXPECT_EQ(test, write_string(DROP_CACHES, "1"), 1);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 0);
	KUNIT_EXPECT_GE(test, cached - global_zone_page_state(NR_FILE_PAGES), BIG_PAGES);
	KUNIT_EXPECT_EQ(test, c.objects, CACHE_OBJECTS);
	KUNIT_EXPECT_EQ(test, c.scans, 0);

	refill(test, f, &c);
	KUNIT_EXPECT_EQ(test, write_string(DROP_CACHES, "2\n"), 2);
	KUNIT_EXPECT_EQ(test, c.objects, 0);
	KUNIT_EXPECT_GT(test, c.scans, 0);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, BIG_PAGES);

	refill(test, f, &c);
	KUNIT_EXPECT_EQ(test, write_string(DROP_CACHES, "3"), 1);
	KUNIT_EXPECT_EQ(test, c.objects, 0);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 0);

	unregister_shrinker(&c.shrinker);
	fput(f);
}

static void drop_caches_refuses_other_values(struct kunit *test)
{
	static const char *const bad[] = {"0", "4", "-1", "x"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		KUNIT_EXPECT_EQ(test, write_string(DROP_CACHES, bad[i]), -EINVAL);
}

static struct kunit_case drop_caches_cases[] = {
	KUNIT_CASE(drop_caches_1_drops_the_page_cache_2_the_shrinkers_3_both),
	KUNIT_CASE(drop_caches_refuses_other_values),
	{}};

static struct kunit_suite drop_caches_suite = {
	.name = "drop_caches",
	.test_cases = drop_caches_cases,
	.init = reclaim_mount_disk,
	.exit = reclaim_umount_disk,
};
kunit_test_suite(drop_caches_suite);
