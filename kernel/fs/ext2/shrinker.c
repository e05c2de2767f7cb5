/* ext2's caches under memory pressure: one shrinker for the unused cached
 * dentries, one for the unused inodes, per mounted file system (Linux's
 * super_cache_count/scan, prune_dcache_sb and prune_icache_sb). Read
 * first: a cached dentry pins its inode, so the dentry shrinker is
 * registered first and runs first in each pass; the inodes it lets go are
 * the inode shrinker's to free, with their page cache. */
#include "kernel/fs/ext2/ext2.h"
#include "kernel/fs/internal.h"

static struct ext2_sb *dentries_sbi(struct shrinker *s)
{
	return container_of(s, struct ext2_sb, d_shrinker);
}

static struct ext2_sb *inodes_sbi(struct shrinker *s)
{
	return container_of(s, struct ext2_sb, i_shrinker);
}

/* Scaled by vm.vfs_cache_pressure: 0 tells reclaim there is nothing. */
static unsigned long pressure_count(unsigned long n)
{
	return n ? vfs_pressure_ratio(n) : SHRINK_EMPTY;
}

static unsigned long ext2_dentries_count(struct shrinker *s, struct shrink_control *sc)
{
	struct super_block *sb = &dentries_sbi(s)->sb;

	(void)sc;
	return pressure_count(__atomic_load_n(&sb->s_nr_dentry_unused, __ATOMIC_RELAXED));
}

/* Never while umount runs (as Linux's trylock_super in super_cache_scan):
 * dentries a scan has taken off the LRU still pin their parents until it
 * frees them, and umount would take the root for busy. */
static unsigned long ext2_dentries_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct super_block *sb = &dentries_sbi(s)->sb;
	unsigned long freed;

	if (!down_read_trylock(&sb->s_umount))
		return SHRINK_STOP;
	freed = prune_dcache_sb(sb, sc->nr_to_scan);
	up_read(&sb->s_umount);
	return freed;
}

/* An inode only the cache holds is unused: no dentry, file or mapping. */
static bool inode_unused(struct ext2_inode *ei)
{
	return __atomic_load_n(&ei->vfs_inode.i_count, __ATOMIC_ACQUIRE) == 1;
}

/* The inode lock is only tried: reclaim may run inside ext2_iget, with
 * it held, or inside a mount. */
static unsigned long ext2_inodes_count(struct shrinker *s, struct shrink_control *sc)
{
	struct ext2_sb *sbi = inodes_sbi(s);
	struct ext2_inode *ei;
	unsigned long n = 0;

	(void)sc;
	if (!mutex_trylock(&sbi->inode_lock))
		return 0;
	list_for_each_entry(ei, &sbi->inodes, i_hash)
		n += inode_unused(ei);
	mutex_unlock(&sbi->inode_lock);
	return pressure_count(n);
}

/* Lookups take references under inode_lock, which we hold: an inode
 * seen unused cannot gain a user before the iput frees it. */
static unsigned long ext2_inodes_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct ext2_sb *sbi = inodes_sbi(s);
	struct ext2_inode *ei, *next;
	unsigned long freed = 0;

	if (!down_read_trylock(&sbi->sb.s_umount))
		return SHRINK_STOP;
	if (!mutex_trylock(&sbi->inode_lock)) {
		up_read(&sbi->sb.s_umount);
		return SHRINK_STOP;
	}
	list_for_each_entry_safe(ei, next, &sbi->inodes, i_hash) {
		if (freed == sc->nr_to_scan)
			break;
		if (!inode_unused(ei))
			continue;
		list_del(&ei->i_hash);
		sbi->nr_inodes--;
		iput(&ei->vfs_inode);
		freed++;
	}
	mutex_unlock(&sbi->inode_lock);
	up_read(&sbi->sb.s_umount);
	return freed;
}

void ext2_register_shrinkers(struct ext2_sb *sbi)
{
	sbi->d_shrinker = (struct shrinker){.count_objects = ext2_dentries_count,
					    .scan_objects = ext2_dentries_scan,
					    .seeks = DEFAULT_SEEKS,
					    .name = "ext2-dentries"};
	sbi->i_shrinker = (struct shrinker){.count_objects = ext2_inodes_count,
					    .scan_objects = ext2_inodes_scan,
					    .seeks = DEFAULT_SEEKS,
					    .name = "ext2-inodes"};
	register_shrinker(&sbi->d_shrinker);
	register_shrinker(&sbi->i_shrinker);
}

void ext2_unregister_shrinkers(struct ext2_sb *sbi)
{
	unregister_shrinker(&sbi->i_shrinker);
	unregister_shrinker(&sbi->d_shrinker);
}
