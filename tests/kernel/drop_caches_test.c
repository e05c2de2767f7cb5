/* /proc/sys/vm/drop_caches as a specification, as Linux's: 1 drops the
 * clean page cache, 2 the shrinkers' objects (until a pass frees almost
 * nothing), 3 both; anything else is -EINVAL. Read first: the file's page
 * cache is the disk's, and the file stays open so the inode shrinker (2)
 * cannot take its pages along: what 2 drops is the shrinkers' alone. */
#include "kernel/completion.h"
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
#include "tests/kernel/sched_test_helpers.h"

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

/* A shrinker whose first scan stops inside, as if reclaim were slow in
 * it, until the test opens the gate; it frees nothing. */
struct gate_shrinker {
	struct shrinker shrinker;
	struct completion entered, release;
	bool open;
};

static unsigned long gate_count(struct shrinker *s, struct shrink_control *sc)
{
	const struct gate_shrinker *g = container_of(s, struct gate_shrinker, shrinker);

	(void)sc;
	/* Enough to be scanned even at DEF_PRIORITY. */
	return __atomic_load_n(&g->open, __ATOMIC_ACQUIRE) ? SHRINK_EMPTY : 1ul << 20;
}

static unsigned long gate_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct gate_shrinker *g = container_of(s, struct gate_shrinker, shrinker);

	(void)sc;
	complete(&g->entered);
	wait_for_completion(&g->release);
	return SHRINK_STOP;
}

/* Reclaim's gentlest pass: it scans the gate but never the test cache. */
static int reclaim_thread(void *data)
{
	(void)data;
	return (int)shrink_slab(GFP_KERNEL, DEF_PRIORITY);
}

static int drop_slab_thread(void *data)
{
	(void)data;
	return (int)write_string(DROP_CACHES, "2");
}

/* Reclaim holding the shrinkers does not make drop_caches 2 a silent
 * no-op (as Linux's drop_slab): the write waits, then frees the cache. */
static void drop_caches_2_waits_for_reclaim_in_the_shrinkers(struct kunit *test)
{
	struct gate_shrinker g = {.shrinker = {.count_objects = gate_count,
					       .scan_objects = gate_scan,
					       .seeks = DEFAULT_SEEKS,
					       .name = "drop_caches_gate"}};
	struct test_cache c = {.shrinker = {.count_objects = test_cache_count,
					    .scan_objects = test_cache_scan,
					    .seeks = DEFAULT_SEEKS,
					    .name = "drop_caches_test"},
			       .objects = CACHE_OBJECTS};
	struct task_struct *reclaimer, *dropper;
	int written = 0;

	init_completion(&g.entered);
	init_completion(&g.release);
	register_shrinker(&g.shrinker);
	register_shrinker(&c.shrinker);
	reclaimer = test_thread_run(reclaim_thread, NULL, "drop_caches_reclaim");
	if (!reclaimer) {
		unregister_shrinker(&c.shrinker);
		unregister_shrinker(&g.shrinker);
	}
	KUNIT_ASSERT_NOT_NULL(test, reclaimer);
	wait_for_completion(&g.entered);
	dropper = test_thread_run(drop_slab_thread, NULL, "drop_caches_write");
	if (dropper) /* blocked on the registry, or (never waiting) done */
		wait_for_task_state(dropper, TASK_UNINTERRUPTIBLE, TEST_WAIT_TIMEOUT_MS);
	__atomic_store_n(&g.open, true, __ATOMIC_RELEASE);
	complete(&g.release);
	KUNIT_ASSERT_TRUE(test, test_thread_join(reclaimer, TEST_WAIT_TIMEOUT_MS, NULL));
	KUNIT_ASSERT_NOT_NULL(test, dropper);
	KUNIT_ASSERT_TRUE(test, test_thread_join(dropper, TEST_WAIT_TIMEOUT_MS, &written));
	KUNIT_EXPECT_EQ(test, written, 1);
	KUNIT_EXPECT_EQ(test, c.objects, 0);
	unregister_shrinker(&c.shrinker);
	unregister_shrinker(&g.shrinker);
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
	KUNIT_CASE(drop_caches_2_waits_for_reclaim_in_the_shrinkers),
	{}};

static struct kunit_suite drop_caches_suite = {
	.name = "drop_caches",
	.test_cases = drop_caches_cases,
	.init = reclaim_mount_disk,
	.exit = reclaim_umount_disk,
};
kunit_test_suite(drop_caches_suite);
