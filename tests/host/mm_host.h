/* The host side of the mm host tests, fuzzer and benchmark: the kernel
 * services mm/ needs (printk, panic, dump_stack, local_clock, __pa) and a
 * synthetic machine to boot the page allocator on. Read first: physical
 * memory is one MAP_NORESERVE mapping of HOST_PHYS_SIZE bytes, so only the
 * pages the allocator really touches (mem_map, zeroed or poisoned pages)
 * cost RAM; every world is built with world_begin(), memblock calls, then
 * world_boot(), which runs the real mm_core_init(). */
#ifndef OOMLAB_TESTS_HOST_MM_HOST_H
#define OOMLAB_TESTS_HOST_MM_HOST_H
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/vmstat.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIB (1ull << 20)
#define GIB (1ull << 30)
/* Enough for DMA, DMA32 and a Normal zone of up to 128 MiB. */
#define HOST_PHYS_SIZE (4 * GIB + 128 * MIB)
/* What the kernel's boot code reserves: BIOS area and a kernel image. */
#define HOST_LOW_RESERVE MIB
#define HOST_KERNEL_BASE MIB
#define HOST_KERNEL_SIZE (4 * MIB)
#define HOST_LOW_RAM_END 0x9f000ull /* the PC's 636 KiB of base memory */

/* ---- the fake machine ---- */

/* Fake clock for local_clock() (and so the rate limits): it only moves
 * when a test moves it. */
extern uint64_t host_clock_ns;
static inline void host_clock_advance(uint64_t ns)
{
	host_clock_ns += ns;
}

/* Forget memblock and put every mm switch back to its boot default. */
void world_begin(void);
/* Point the direct map at the RAM memblock knows and run mm_core_init(). */
void world_boot(void);
/* A PC-like map: base memory, RAM from 1 MiB to below_4g, and above_4g
 * bytes from 4 GiB; the first MiB and a kernel image reserved, as the
 * boot code does. */
void world_boot_pc(uint64_t below_4g, uint64_t above_4g);

/* ---- the captured kernel log ---- */

/* Every printk line is kept (newest HOST_LOG_LINES) without its level
 * prefix; with HOST_TEST_VERBOSE=1 in the environment it also goes to
 * stderr. */
#define HOST_LOG_LINES 4096
#define HOST_LOG_LINE_LEN 512
void host_log_clear(void);
/* Lines containing needle since the last clear. */
int host_log_count(const char *needle);
/* The newest such line copied to out (may be NULL); false if none. */
bool host_log_find(const char *needle, char *out, size_t len);
void host_log_echo(bool on);

/* ---- checking the allocator's state ---- */

/* NULL when the free lists, the pcp lists and the counters agree (see
 * mm_host.c for the exact rules), else a description of the first
 * disagreement, valid until the next call. interiors: also look at every
 * page inside every free block (slower: proportional to free memory). */
const char *mm_check_free_lists(bool interiors);

/* The free lists' shape: blocks per order per zone, plus the free and
 * pcp page counts. */
struct mm_snapshot {
	unsigned long nr_free[MAX_NR_ZONES][NR_PAGE_ORDERS];
	long free_pages[MAX_NR_ZONES];
	int pcp_count[MAX_NR_ZONES];
};
void mm_snapshot_take(struct mm_snapshot *snap);
/* NULL when equal, else the first difference, valid until the next call. */
const char *mm_snapshot_diff(const struct mm_snapshot *now, const struct mm_snapshot *then);

static inline struct zone *zone_of(enum zone_type z)
{
	return &contig_page_data.node_zones[z];
}
#endif
