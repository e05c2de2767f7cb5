/* Zone watermarks and the lowmem reserve: how much each zone keeps back,
 * and the check every allocation attempt makes against it. Read first:
 * min is the floor only reserves may dip below; low wakes kswapd; high is
 * where kswapd stops; all derive from min_free_kbytes as in Linux. */
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "mm/internal.h"
#include "mm/vmstat.h"

#define MIN_FREE_KBYTES_FLOOR 128
#define MIN_FREE_KBYTES_CEIL 262144
#define WATERMARK_SCALE_DIVISOR 10000
#define KB_PER_PAGE (PAGE_SIZE >> 10)

long min_free_kbytes = 1024;
long user_min_free_kbytes = -1;
long watermark_scale_factor = 10;
/* Indexed by the lower zone: what fraction of the zones above it to keep. */
int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] = {256, 256, 32};

/* What the sqrt rule gave at boot: a run-time -1 on the switch returns to it. */
static long rule_min_free_kbytes;
/* Writers of the marks take turns (as Linux's static lock in
 * setup_per_zone_wmarks); readers look without a lock, as Linux's do. */
static DEFINE_SPINLOCK(wmark_lock);

static void min_free_kbytes_param_changed(void);
static void watermark_scale_factor_param_changed(void);

core_param_int_cb(min_free_kbytes, "vm.min_free_kbytes", user_min_free_kbytes, -1,
		  MIN_FREE_KBYTES_MAX, min_free_kbytes_param_changed,
		  "min_free_kbytes override (-1: Linux's sqrt rule)");
core_param_int_cb(watermark_scale_factor, "vm.watermark_scale_factor", watermark_scale_factor,
		  WATERMARK_SCALE_FACTOR_MIN, WATERMARK_SCALE_FACTOR_MAX,
		  watermark_scale_factor_param_changed,
		  "low/high watermark distance in 1/10000 of a zone");

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1ul << (sizeof(long) * 8 - 2);

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

/* As Linux's calculate_min_free_kbytes: sqrt(16 * lowmem KiB), clamped. */
int calculate_min_free_kbytes(unsigned long lowmem_kbytes)
{
	unsigned long v = int_sqrt(lowmem_kbytes * 16);

	if (v < MIN_FREE_KBYTES_FLOOR)
		v = MIN_FREE_KBYTES_FLOOR;
	if (v > MIN_FREE_KBYTES_CEIL)
		v = MIN_FREE_KBYTES_CEIL;
	return (int)v;
}

/* As Linux's __setup_per_zone_wmarks: min split by managed pages, then
 * low and high a step above it, the step being the larger of min/4 and
 * watermark_scale_factor/10000 of the zone. */
static void __setup_per_zone_wmarks(void)
{
	unsigned long pages_min = (unsigned long)min_free_kbytes / KB_PER_PAGE;
	unsigned long lowmem_pages = 0;
	struct zone *zone;

	for_each_zone(zone)
		lowmem_pages += zone_managed_pages(zone);
	for_each_zone(zone) {
		unsigned long managed = zone_managed_pages(zone);
		unsigned long min = lowmem_pages ? pages_min * managed / lowmem_pages : 0;
		unsigned long scaled =
			managed * (unsigned long)watermark_scale_factor / WATERMARK_SCALE_DIVISOR;
		unsigned long step = (min >> 2) > scaled ? (min >> 2) : scaled;

		/* Writers are serialised by wmark_lock; readers take no lock
		 * and may see a mix of old and new marks for a moment,
		 * harmlessly, as in Linux. Each mark is one untorn store. */
		__atomic_store_n(&zone->_watermark[WMARK_MIN], min, __ATOMIC_RELAXED);
		__atomic_store_n(&zone->_watermark[WMARK_LOW], min + step, __ATOMIC_RELAXED);
		__atomic_store_n(&zone->_watermark[WMARK_HIGH], min + 2 * step, __ATOMIC_RELAXED);
	}
	/* As Linux's setup_per_zone_wmarks: pcp->high derives from low. */
	for_each_zone(zone)
		zone_pcp_update(zone);
}

void setup_per_zone_wmarks(void)
{
	spin_lock(&wmark_lock);
	__setup_per_zone_wmarks();
	spin_unlock(&wmark_lock);
}

/* As Linux's min_free_kbytes_sysctl_handler once the value is parsed:
 * the user's value is remembered (memory hotplug would keep it) and every
 * zone's marks move at once; the allocator and kswapd read them on their
 * next check. The lowmem reserve depends only on managed pages: it stays. */
int set_min_free_kbytes(long kbytes)
{
	if (kbytes < 0 || kbytes > MIN_FREE_KBYTES_MAX)
		return -EINVAL;
	spin_lock(&wmark_lock);
	min_free_kbytes = kbytes;
	user_min_free_kbytes = kbytes;
	__setup_per_zone_wmarks();
	spin_unlock(&wmark_lock);
	return 0;
}

/* As Linux's watermark_scale_factor_sysctl_handler. */
int set_watermark_scale_factor(long factor)
{
	if (factor < WATERMARK_SCALE_FACTOR_MIN || factor > WATERMARK_SCALE_FACTOR_MAX)
		return -EINVAL;
	spin_lock(&wmark_lock);
	watermark_scale_factor = factor;
	__setup_per_zone_wmarks();
	spin_unlock(&wmark_lock);
	return 0;
}

/* The command-line switch written at run time (/proc/sys/oomlab): the
 * parser has range-checked it; -1 goes back to the boot-time rule. */
static void min_free_kbytes_param_changed(void)
{
	spin_lock(&wmark_lock);
	if (user_min_free_kbytes >= 0) {
		min_free_kbytes = user_min_free_kbytes;
	} else {
		min_free_kbytes = rule_min_free_kbytes;
		user_min_free_kbytes = -1;
	}
	__setup_per_zone_wmarks();
	spin_unlock(&wmark_lock);
}

static void watermark_scale_factor_param_changed(void)
{
	setup_per_zone_wmarks();
}

/* As Linux's setup_per_zone_lowmem_reserve. */
void setup_per_zone_lowmem_reserve(void)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = &contig_page_data.node_zones[i];
		int ratio = sysctl_lowmem_reserve_ratio[i];
		bool clear = !ratio || !zone_managed_pages(zone);
		unsigned long above = 0;

		zone->lowmem_reserve[i] = 0;
		for (int j = i + 1; j < MAX_NR_ZONES; j++) {
			above += zone_managed_pages(&contig_page_data.node_zones[j]);
			zone->lowmem_reserve[j] = clear ? 0 : (long)(above / (unsigned long)ratio);
		}
	}
}

/* nr_free_buffer_pages at boot: managed minus the high mark, every zone. */
static unsigned long lowmem_kbytes(void)
{
	unsigned long pages = 0;
	struct zone *zone;

	for_each_zone(zone) {
		unsigned long high = high_wmark_pages(zone), managed = zone_managed_pages(zone);

		pages += managed > high ? managed - high : 0;
	}
	return pages * KB_PER_PAGE;
}

void init_per_zone_wmark_min(void)
{
	int computed = calculate_min_free_kbytes(lowmem_kbytes());

	rule_min_free_kbytes = computed;

	if (user_min_free_kbytes >= 0) {
		min_free_kbytes = user_min_free_kbytes;
		pr_info("min_free_kbytes: %ld from the command line (the sqrt rule says %d)",
			min_free_kbytes, computed);
	} else {
		min_free_kbytes = computed;
	}
	setup_per_zone_wmarks();
	setup_per_zone_lowmem_reserve();
}

/* As Linux's __zone_watermark_ok: may an allocation of this order leave
 * free_pages - 2^order + 1 pages above the mark (lowered by the reserves
 * alloc_flags grant) plus the reserve kept for higher-zone callers? For
 * order > 0 a free block of at least that order must also exist. */
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			 enum zone_type highest_zoneidx, unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;

	free_pages -= (1l << order) - 1;
	if (alloc_flags & ALLOC_RESERVES) {
		if (alloc_flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (alloc_flags & ALLOC_OOM)
			min -= min / 2;
	}
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (order == 0)
		return true;
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++)
		if (z->free_area[o].nr_free)
			return true;
	return false;
}

bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       enum zone_type highest_zoneidx, unsigned int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   zone_page_state(z, NR_FREE_PAGES));
}
