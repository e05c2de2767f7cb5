/* Shared by the reclaim suites (rmap, reclaim_stall, reclaim_oom,
 * drop_caches): the disk's files (tools/mkdisk.py) mounted at /mnt for
 * each case, whole or partial reads, and direct reclaim until a file's
 * cache is empty. Read first: without a disk the cases skip (have_disk). */
#ifndef OOMLAB_TESTS_RECLAIM_TEST_HELPERS_H
#define OOMLAB_TESTS_RECLAIM_TEST_HELPERS_H
#include "kernel/fs/fs.h"
#include "kernel/ktest.h"
#include "mm/mm.h"
#include "mm/vmstat.h"
#include <stdbool.h>
#include <stdint.h>

#define RECLAIM_MNT "/mnt"
#define BIG_PATH RECLAIM_MNT "/data/big.bin"
#define BIG_SIZE (300 * 1024 + 77) /* tools/mkdisk.py DOUBLE_INDIRECT_SIZE */
#define BIG_SEED 11
#define BIG_PAGES ((BIG_SIZE + PAGE_SIZE - 1) / PAGE_SIZE)
#define SPARSE_PATH RECLAIM_MNT "/data/sparse.bin" /* 70 MiB: more than the suites' RAM */
#define SPARSE_PAGES ((70ul << 20) / PAGE_SIZE + 1)
#define CACHE40_PATH RECLAIM_MNT "/data/cache40.bin" /* 40 MiB of real data */

/* Is the disk there? If not, the case is marked skipped. */
bool have_disk(struct kunit *test);
/* A suite's init/exit: mount /dev/vda read-only on /mnt (when there is a
 * disk), and unmount it after dropping the page cache. */
int reclaim_mount_disk(struct kunit *test);
void reclaim_umount_disk(struct kunit *test);

unsigned long vm_event(enum vm_event_item item);
/* The first pages of path (all of it if shorter): bytes read, or -errno. */
long read_pages(const char *path, unsigned long pages);
/* Bytes of path read whole, or -errno; with seed, -EIO at the first byte
 * that is not tools/mkdisk.py's pattern(seed). */
long read_file_checked(const char *path, uint32_t seed);
/* tools/mkdisk.py's pattern(): the next byte of a 32-bit xorshift. */
uint8_t pattern_next(uint32_t *x);
/* Direct reclaim until mapping holds no page, at most tries passes. */
void reclaim_until_empty(struct address_space *mapping, int tries);

struct page_stash;
struct zone;
/* Generous: reached only when kswapd never gets there. */
#define KSWAPD_SLEEP_WAIT_MS 20000
/* Take the zone's free pages to halfway between low and high: no
 * allocation falls back to a lower zone, no watermark check fails, so
 * nothing wakes kswapd or reclaims until the test asks. */
void take_zone_below_high(struct zone *zone, struct page_stash *stash);
/* Catch kswapd's next sleep for good (the mm_vmscan_kswapd_sleep trace
 * event, after its nap): start watching before waking it, then wait. */
void kswapd_sleep_watch(void);
bool wait_for_kswapd_sleep(void);
/* Wake kswapd with zone below high (page cache must be there for it to
 * reclaim) and wait until it is balanced and asleep for good: from then
 * on only a wakeup makes it run. */
bool kswapd_settle(struct zone *zone);
#endif
