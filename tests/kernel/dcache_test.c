/* The dentry cache of the mounted disk as a specification: a name looked
 * up once is found again without the disk, unused names wait on an LRU
 * that the shrinker prunes (never a name in use), vm.vfs_cache_pressure
 * scales both ext2 shrinkers (0: they free nothing), umount frees every
 * cached name, and /proc/sys/fs/dentry-state counts them as Linux does.
 * Read first: without a disk every case skips; each case mounts /mnt. */
#include "kernel/block/blkdev.h"
#include "kernel/completion.h"
#include "kernel/drivers/virtio_blk.h"
#include "kernel/fs/ext2/ext2.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/namespace.h"
#include "kernel/ktest.h"
#include "kernel/kthread.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "tests/kernel/fs_test_helpers.h"
#include "tests/kernel/sched_test_helpers.h"

#define MNT "/mnt"
#define HELLO MNT "/data/hello.txt"
#define BIG MNT "/data/big.bin"
#define DROP_CACHES "/proc/sys/vm/drop_caches"
#define PRESSURE "/proc/sys/vm/vfs_cache_pressure"
#define DENTRY_STATE "/proc/sys/fs/dentry-state"
#define HELLO_DISK_TEXT "hello from the disk\n"
#define UMOUNT_CYCLES 20
#define UMOUNT_SLACK_PAGES 8
#define DENTRY_STATE_FIELDS 6
#define WALKERS 3
#define WALKS 60
#define PRUNE_BATCH 2

static const char *const tree_paths[] = {
	MNT "/data/hello.txt",	MNT "/data/small.bin",	   MNT "/data/big.bin",
	MNT "/data/sparse.bin", MNT "/data/link-to-hello", MNT "/bin/cat",
	MNT "/bin/echo",	MNT "/bin/free",	   MNT "/bin/hog",
};

static bool have_disk(struct kunit *test)
{
	if (virtblk_first_disk())
		return true;
	kunit_mark_skipped(test, "no virtio disk attached");
	return false;
}

static int dcache_case_init(struct kunit *test)
{
	long err = virtblk_first_disk() ? do_mount("/dev/vda", MNT, "ext2", MS_RDONLY) : 0;

	if (err)
		kunit_log(test, "mount /dev/vda on " MNT ": error %ld", err);
	return (int)err;
}

static void dcache_case_exit(struct kunit *test)
{
	(void)test;
	sysctl_vfs_cache_pressure = 100; /* whatever a failed case left */
	if (virtblk_first_disk())
		do_umount(MNT);
}

static struct ext2_sb *mnt_sbi(void)
{
	struct dentry *d = vfs_path_lookup(NULL, MNT, true);
	struct ext2_sb *sbi;

	if (IS_ERR(d))
		return NULL;
	sbi = EXT2_SB(d->d_inode->i_sb);
	dput(d);
	return sbi;
}

/* Look path up and let it go: its dentry is then cached and unused. */
static bool touch(const char *path)
{
	struct dentry *d = vfs_path_lookup(NULL, path, true);

	if (IS_ERR(d))
		return false;
	dput(d);
	return true;
}

static unsigned long disk_reads(void)
{
	return __atomic_load_n(&virtblk_first_disk()->stats.ios[0], __ATOMIC_RELAXED);
}

static unsigned long unused_dentries(struct ext2_sb *sbi)
{
	return __atomic_load_n(&sbi->sb.s_nr_dentry_unused, __ATOMIC_RELAXED);
}

/* The directory pages a lookup would read are dropped first: only the
 * dcache can answer without the disk. */
static void second_lookup_hits_the_dcache_without_the_disk(struct kunit *test)
{
	long dentries;
	unsigned long reads;

	if (!have_disk(test))
		return;
	KUNIT_ASSERT_TRUE(test, touch(HELLO));
	dentries = dentry_stat_nr_dentry();
	drop_pagecache();
	reads = disk_reads();
	KUNIT_ASSERT_TRUE(test, touch(HELLO));
	KUNIT_EXPECT_EQ(test, disk_reads(), reads);
	KUNIT_EXPECT_EQ(test, dentry_stat_nr_dentry(), dentries);
	/* A name never looked up still needs the directory from the disk. */
	KUNIT_ASSERT_TRUE(test, touch(BIG));
	KUNIT_EXPECT_GT(test, disk_reads(), reads);
}

/* drop_caches 2 prunes every unused dentry (its inode goes too) but an
 * open file's dentry stays cached and the file reads on. */
static void shrinker_frees_unused_dentries_and_never_one_in_use(struct kunit *test)
{
	struct ext2_sb *sbi;
	struct file *f;
	struct dentry *again;
	unsigned long inodes;
	char buf[sizeof(HELLO_DISK_TEXT)] = {0};
	loff_t pos = 0;

	if (!have_disk(test))
		return;
	sbi = mnt_sbi();
	KUNIT_ASSERT_NOT_NULL(test, sbi);
	/* Cached and unused first: the open takes it off the LRU. */
	KUNIT_ASSERT_TRUE(test, touch(HELLO));
	f = filp_open(HELLO, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_ASSERT_TRUE(test, touch(BIG));
	KUNIT_EXPECT_GE(test, unused_dentries(sbi), 1);
	inodes = sbi->nr_inodes;
	KUNIT_ASSERT_EQ(test, write_string(DROP_CACHES, "2"), 1);
	KUNIT_EXPECT_EQ(test, unused_dentries(sbi), 0);
	KUNIT_EXPECT_LT(test, sbi->nr_inodes, inodes); /* big.bin's inode went with it */
	KUNIT_EXPECT_TRUE(test, f->f_dentry->d_flags & DCACHE_HASHED);
	again = vfs_path_lookup(NULL, HELLO, true);
	KUNIT_EXPECT_TRUE(test, again == f->f_dentry);
	if (!IS_ERR(again))
		dput(again);
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, sizeof(buf) - 1, &pos),
			(long)strlen(HELLO_DISK_TEXT));
	KUNIT_EXPECT_STREQ(test, buf, HELLO_DISK_TEXT);
	fput(f);
	/* Closed, it is an unused dentry like any other. */
	KUNIT_EXPECT_EQ(test, write_string(DROP_CACHES, "2"), 1);
	KUNIT_EXPECT_EQ(test, unused_dentries(sbi), 0);
}

static unsigned long shrinker_count(struct shrinker *s)
{
	struct shrink_control sc = {.gfp_mask = GFP_KERNEL};
	unsigned long n = s->count_objects(s, &sc);

	return n == SHRINK_EMPTY ? 0 : n;
}

/* As Linux's vfs_pressure_ratio: counts scale by pressure/100, and 0
 * leaves the dentry and inode caches alone however hard reclaim asks. */
static void vfs_cache_pressure_scales_the_shrinkers_and_zero_stops_them(struct kunit *test)
{
	struct ext2_sb *sbi = mnt_sbi();
	unsigned long dentries, inodes, cached_inodes;

	if (!have_disk(test))
		return;
	KUNIT_ASSERT_NOT_NULL(test, sbi);
	for (size_t i = 0; i < sizeof(tree_paths) / sizeof(tree_paths[0]); i++)
		KUNIT_ASSERT_TRUE(test, touch(tree_paths[i]));
	KUNIT_ASSERT_EQ(test, write_string(DROP_CACHES, "2"), 1);
	for (size_t i = 0; i < sizeof(tree_paths) / sizeof(tree_paths[0]); i++)
		KUNIT_ASSERT_TRUE(test, touch(tree_paths[i]));
	dentries = unused_dentries(sbi);
	KUNIT_ASSERT_GT(test, dentries, 0);
	KUNIT_EXPECT_EQ(test, shrinker_count(&sbi->d_shrinker), dentries);

	KUNIT_ASSERT_EQ(test, write_string(PRESSURE, "200\n"), 4);
	KUNIT_EXPECT_EQ(test, shrinker_count(&sbi->d_shrinker), 2 * dentries);
	KUNIT_ASSERT_EQ(test, write_string(PRESSURE, "0"), 1);
	KUNIT_EXPECT_EQ(test, shrinker_count(&sbi->d_shrinker), 0);
	KUNIT_EXPECT_EQ(test, shrinker_count(&sbi->i_shrinker), 0);
	cached_inodes = sbi->nr_inodes;
	KUNIT_EXPECT_EQ(test, write_string(DROP_CACHES, "2"), 1);
	shrink_slab(GFP_KERNEL, 0);
	KUNIT_EXPECT_EQ(test, unused_dentries(sbi), dentries);
	KUNIT_EXPECT_EQ(test, sbi->nr_inodes, cached_inodes);
	KUNIT_EXPECT_EQ(test, write_string(PRESSURE, "-1"), -EINVAL);
	KUNIT_EXPECT_EQ(test, sysctl_vfs_cache_pressure, 0);

	KUNIT_ASSERT_EQ(test, write_string(PRESSURE, "100"), 3);
	inodes = sbi->nr_inodes;
	KUNIT_EXPECT_EQ(test, write_string(DROP_CACHES, "2"), 1);
	KUNIT_EXPECT_EQ(test, unused_dentries(sbi), 0);
	KUNIT_EXPECT_LT(test, sbi->nr_inodes, inodes);
}

static long settled_free_pages(void)
{
	write_string(DROP_CACHES, "3"); /* empty slabs, dropped pages */
	drain_all_pages(NULL);
	return global_zone_page_state(NR_FREE_PAGES);
}

/* umount prunes the cached names itself (none is busy) and the super
 * block's teardown leaves nothing behind: dentries counted back to the
 * same number, and memory back to its baseline over many cycles. */
static void umount_with_cached_dentries_leaks_nothing(struct kunit *test)
{
	long dentries, free_before;

	if (!have_disk(test))
		return;
	KUNIT_ASSERT_EQ(test, do_umount(MNT), 0);
	dentries = dentry_stat_nr_dentry();
	free_before = settled_free_pages();
	for (int cycle = 0; cycle < UMOUNT_CYCLES; cycle++) {
		KUNIT_ASSERT_EQ(test, do_mount("/dev/vda", MNT, "ext2", MS_RDONLY), 0);
		for (size_t i = 0; i < sizeof(tree_paths) / sizeof(tree_paths[0]); i++)
			KUNIT_ASSERT_TRUE(test, touch(tree_paths[i]));
		KUNIT_ASSERT_GT(test, dentry_stat_nr_unused(), 0);
		KUNIT_ASSERT_EQ(test, do_umount(MNT), 0);
		KUNIT_ASSERT_EQ(test, dentry_stat_nr_dentry(), dentries);
	}
	KUNIT_EXPECT_LE(test, free_before - settled_free_pages(), UMOUNT_SLACK_PAGES);
	KUNIT_EXPECT_EQ(test, do_mount("/dev/vda", MNT, "ext2", MS_RDONLY), 0);
}

struct walker {
	struct completion done;
	struct dentry *root; /* the mount's, held by the test */
	int failures;
	unsigned long hits; /* walks whose first name was still cached */
};

static int walker_thread(void *data)
{
	struct walker *w = data;

	for (int i = 0; i < WALKS; i++) {
		struct dentry *cached = d_lookup_child(w->root, "data", strlen("data"));

		if (cached) {
			w->hits++;
			dput(cached);
		}
		for (size_t p = 0; p < sizeof(tree_paths) / sizeof(tree_paths[0]); p++) {
			w->failures += !touch(tree_paths[p]);
			yield(); /* let the pruner in, preemption or not */
		}
	}
	complete(&w->done);
	return 0;
}

/* Lookups racing with pruning (and preemption, in the stress boot): every
 * walk finds its name, and once they stop the shrinker empties the LRU
 * and umount finds nothing busy. The race must have happened: prunes
 * freed names while walkers ran, and some walks were served by the cache. */
static void lookups_racing_the_shrinker_always_find_their_names(struct kunit *test)
{
	struct walker w[WALKERS];
	struct task_struct *t;
	unsigned long pruned = 0, hits = 0;
	struct dentry *root;
	struct ext2_sb *sbi;
	bool running = true;
	int started;

	if (!have_disk(test))
		return;
	sbi = mnt_sbi();
	KUNIT_ASSERT_NOT_NULL(test, sbi);
	root = vfs_path_lookup(NULL, MNT, true);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(root));
	for (started = 0; started < WALKERS; started++) {
		init_completion(&w[started].done);
		w[started].root = root;
		w[started].failures = 0;
		w[started].hits = 0;
		t = kthread_run(walker_thread, &w[started], "dcache_walker%d", started);
		if (IS_ERR_OR_NULL(t))
			break;
	}
	while (running) {
		pruned += prune_dcache_sb(&sbi->sb, PRUNE_BATCH);
		running = false;
		for (int i = 0; i < started; i++)
			running |= !completion_done(&w[i].done);
		yield();
	}
	for (int i = 0; i < started; i++) {
		wait_for_completion(&w[i].done); /* none outlives the case */
		KUNIT_EXPECT_EQ(test, w[i].failures, 0);
		hits += w[i].hits;
	}
	dput(root);
	KUNIT_ASSERT_EQ(test, started, WALKERS);
	KUNIT_EXPECT_GT(test, pruned, 0);
	KUNIT_EXPECT_GT(test, hits, 0);
	shrink_dcache_sb(&sbi->sb);
	KUNIT_EXPECT_EQ(test, unused_dentries(sbi), 0);
	KUNIT_EXPECT_EQ(test, do_umount(MNT), 0);
	KUNIT_EXPECT_EQ(test, do_mount("/dev/vda", MNT, "ext2", MS_RDONLY), 0);
}

static int umount_thread(void *data)
{
	(void)data;
	return (int)do_umount(MNT);
}

/* A shrinker scan mid-prune has names off the LRU that still pin the
 * root until it frees them (stood in for here by a held name and the
 * read side of s_umount, which a scan holds): umount waits for the scan
 * instead of failing with EBUSY, then unmounts. */
static void umount_waits_for_a_shrinker_scan_in_flight(struct kunit *test)
{
	struct task_struct *t;
	struct ext2_sb *sbi;
	struct dentry *d;
	int result = 1;

	if (!have_disk(test))
		return;
	sbi = mnt_sbi();
	KUNIT_ASSERT_NOT_NULL(test, sbi);
	d = vfs_path_lookup(NULL, HELLO, true);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(d));
	KUNIT_ASSERT_TRUE(test, down_read_trylock(&sbi->sb.s_umount));
	t = test_thread_run(umount_thread, NULL, "dcache_umount");
	if (!t) {
		up_read(&sbi->sb.s_umount);
		dput(d);
	}
	KUNIT_ASSERT_NOT_NULL(test, t);
	/* Blocked on s_umount, or (without the wait) already failed. */
	wait_for_task_state(t, TASK_UNINTERRUPTIBLE, TEST_WAIT_TIMEOUT_MS);
	dput(d);		    /* the scan frees its names... */
	up_read(&sbi->sb.s_umount); /* ...and returns */
	KUNIT_ASSERT_TRUE(test, test_thread_join(t, TEST_WAIT_TIMEOUT_MS, &result));
	KUNIT_EXPECT_EQ(test, result, 0);
	if (result == 0)
		KUNIT_EXPECT_EQ(test, do_mount("/dev/vda", MNT, "ext2", MS_RDONLY), 0);
}

static unsigned long shrinker_scan(struct shrinker *s)
{
	struct shrink_control sc = {.gfp_mask = GFP_KERNEL, .nr_to_scan = ~0ul};

	return s->scan_objects(s, &sc);
}

/* While umount holds the super block, both scans stop at once (as Linux's
 * super_cache_scan when trylock_super fails) and free nothing. */
static void shrinker_scans_stop_while_umount_holds_the_super_block(struct kunit *test)
{
	struct ext2_sb *sbi;
	unsigned long unused;

	if (!have_disk(test))
		return;
	sbi = mnt_sbi();
	KUNIT_ASSERT_NOT_NULL(test, sbi);
	KUNIT_ASSERT_TRUE(test, touch(HELLO));
	unused = unused_dentries(sbi);
	KUNIT_ASSERT_GT(test, unused, 0);
	down_write(&sbi->sb.s_umount);
	KUNIT_EXPECT_EQ(test, shrinker_scan(&sbi->d_shrinker), SHRINK_STOP);
	KUNIT_EXPECT_EQ(test, shrinker_scan(&sbi->i_shrinker), SHRINK_STOP);
	KUNIT_EXPECT_EQ(test, unused_dentries(sbi), unused);
	up_write(&sbi->sb.s_umount);
	KUNIT_EXPECT_GT(test, shrinker_scan(&sbi->d_shrinker), 0);
	KUNIT_EXPECT_EQ(test, unused_dentries(sbi), 0);
}

/* Linux's six tab-separated numbers: nr_dentry nr_unused age_limit
 * want_pages nr_negative dummy. */
static void dentry_state_reads_as_linux(struct kunit *test)
{
	long err, fields[DENTRY_STATE_FIELDS];
	char *text, *p;
	int n = 0;

	if (!have_disk(test))
		return;
	KUNIT_ASSERT_TRUE(test, touch(HELLO));
	text = read_whole(DENTRY_STATE, 64, &err);
	KUNIT_ASSERT_NOT_NULL(test, text);
	for (p = text; n < DENTRY_STATE_FIELDS && *p; n++) {
		char *end = p;

		while (*end && *end != '\t' && *end != '\n')
			end++;

		KUNIT_ASSERT_TRUE(test, *end != '\0');
		KUNIT_EXPECT_EQ(test, *end, n == DENTRY_STATE_FIELDS - 1 ? '\n' : '\t');
		*end = '\0';
		KUNIT_EXPECT_EQ(test, kstrtol(p, 10, &fields[n]), 0);
		p = end + 1;
	}
	KUNIT_EXPECT_EQ(test, n, DENTRY_STATE_FIELDS);
	KUNIT_EXPECT_EQ(test, *p, '\0');
	KUNIT_EXPECT_GT(test, fields[0], 0);
	KUNIT_EXPECT_GE(test, fields[1], 1); /* hello.txt at least */
	KUNIT_EXPECT_LE(test, fields[1], fields[0]);
	KUNIT_EXPECT_EQ(test, fields[2], 45);
	KUNIT_EXPECT_LT(test, write_string(DENTRY_STATE, "1"), 0); /* read-only */
	kfree(text);
}

static struct kunit_case dcache_cases[] = {
	KUNIT_CASE(second_lookup_hits_the_dcache_without_the_disk),
	KUNIT_CASE(shrinker_frees_unused_dentries_and_never_one_in_use),
	KUNIT_CASE(vfs_cache_pressure_scales_the_shrinkers_and_zero_stops_them),
	KUNIT_CASE(umount_with_cached_dentries_leaks_nothing),
	KUNIT_CASE(dentry_state_reads_as_linux),
	KUNIT_CASE(lookups_racing_the_shrinker_always_find_their_names),
	KUNIT_CASE(umount_waits_for_a_shrinker_scan_in_flight),
	KUNIT_CASE(shrinker_scans_stop_while_umount_holds_the_super_block),
	{}};

static struct kunit_suite dcache_suite = {
	.name = "dcache",
	.test_cases = dcache_cases,
	.init = dcache_case_init,
	.exit = dcache_case_exit,
	/* lookups, dput and pruning race under dcache_lock */
	.preempt_stress = true,
};
kunit_test_suite(dcache_suite);
