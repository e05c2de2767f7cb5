/* Reporting an allocation failure as Linux does: warn_alloc's one-line
 * summary with the GFP mask spelt out, a call trace, and show_mem's
 * per-zone picture (watermarks, reserves, free blocks by order). Read
 * first: warn_alloc is rate-limited (one report per 10 s) and silent for
 * __GFP_NOWARN; the pgalloc_fail counter still counts every failure. */
#include "kernel/printk.h"
#include "kernel/ratelimit.h"
#include "kernel/sched.h"
#include "kernel/stacktrace.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/vsprintf.h"
#include "mm/internal.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

#define WARN_ALLOC_INTERVAL_NS (10 * NSEC_PER_SEC)
#define WARN_ALLOC_BURST 1
#define GFP_NAMES_MAX 200
#define LINE_MAX_LEN 320
#define KB_PER_PAGE (PAGE_SIZE >> 10)

struct gfp_name {
	gfp_t mask;
	const char *name;
};

/* Linux's gfpflag_names order: composites first, so the longest name that
 * fits is printed and its bits are not repeated. */
static const struct gfp_name gfp_names[] = {
	{GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE"},
	{GFP_HIGHUSER, "GFP_HIGHUSER"},
	{GFP_USER, "GFP_USER"},
	{GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT"},
	{GFP_KERNEL, "GFP_KERNEL"},
	{GFP_NOFS, "GFP_NOFS"},
	{GFP_ATOMIC, "GFP_ATOMIC"},
	{GFP_NOIO, "GFP_NOIO"},
	{GFP_NOWAIT, "GFP_NOWAIT"},
	{GFP_DMA, "GFP_DMA"},
	{__GFP_HIGHMEM, "__GFP_HIGHMEM"},
	{GFP_DMA32, "GFP_DMA32"},
	{__GFP_HIGH, "__GFP_HIGH"},
	{__GFP_IO, "__GFP_IO"},
	{__GFP_FS, "__GFP_FS"},
	{__GFP_NOWARN, "__GFP_NOWARN"},
	{__GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL"},
	{__GFP_NOFAIL, "__GFP_NOFAIL"},
	{__GFP_NORETRY, "__GFP_NORETRY"},
	{__GFP_COMP, "__GFP_COMP"},
	{__GFP_ZERO, "__GFP_ZERO"},
	{__GFP_NOMEMALLOC, "__GFP_NOMEMALLOC"},
	{__GFP_MEMALLOC, "__GFP_MEMALLOC"},
	{__GFP_HARDWALL, "__GFP_HARDWALL"},
	{__GFP_THISNODE, "__GFP_THISNODE"},
	{__GFP_RECLAIMABLE, "__GFP_RECLAIMABLE"},
	{__GFP_MOVABLE, "__GFP_MOVABLE"},
	{__GFP_ACCOUNT, "__GFP_ACCOUNT"},
	{__GFP_WRITE, "__GFP_WRITE"},
	{__GFP_RECLAIM, "__GFP_RECLAIM"},
	{__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM"},
	{__GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM"},
};

void format_gfp_flags(gfp_t gfp, char *buf, unsigned long len)
{
	size_t used = 0;

	buf[0] = '\0';
	if (!gfp) {
		snprintf(buf, len, "none");
		return;
	}
	for (size_t i = 0; i < sizeof(gfp_names) / sizeof(gfp_names[0]) && used < len; i++) {
		if ((gfp & gfp_names[i].mask) != gfp_names[i].mask)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "|" : "",
					 gfp_names[i].name);
		gfp &= ~gfp_names[i].mask;
	}
	if (gfp && used < len)
		snprintf(buf + used, len - used, "%s0x%x", used ? "|" : "", gfp);
}

static unsigned long global_kb(enum zone_stat_item item)
{
	return (unsigned long)global_zone_page_state(item) * KB_PER_PAGE;
}

/* Linux's per-node line (one node), with the fields this kernel keeps;
 * nothing is isolated, dirty or under writeback yet. */
static void show_node_line(void)
{
	pr_warn("Node 0 active_anon:%lukB inactive_anon:%lukB active_file:%lukB "
		"inactive_file:%lukB unevictable:%lukB isolated(anon):0kB isolated(file):0kB "
		"mapped:%lukB dirty:0kB writeback:0kB shmem:%lukB writeback_tmp:0kB "
		"kernel_stack:%ldkB pagetables:%lukB sec_pagetables:0kB all_unreclaimable? %s",
		global_kb(NR_ZONE_ACTIVE_ANON), global_kb(NR_ZONE_INACTIVE_ANON),
		global_kb(NR_ZONE_ACTIVE_FILE), global_kb(NR_ZONE_INACTIVE_FILE),
		global_kb(NR_ZONE_UNEVICTABLE), global_kb(NR_FILE_MAPPED), global_kb(NR_SHMEM),
		global_zone_page_state(NR_KERNEL_STACK_KB), global_kb(NR_PAGETABLE),
		pgdat_unreclaimable(NODE_DATA(0)) ? "yes" : "no");
}

static void show_zone_line(const struct zone *zone)
{
	pr_warn("Node 0 %s free:%lukB boost:0kB min:%lukB low:%lukB high:%lukB "
		"reserved_highatomic:0KB active_anon:%lukB inactive_anon:%lukB "
		"active_file:%lukB inactive_file:%lukB unevictable:%lukB present:%lukB "
		"managed:%lukB mlocked:%lukB free_pcp:%lukB local_pcp:%lukB free_cma:0kB",
		zone->name, zone_page_state(zone, NR_FREE_PAGES) * KB_PER_PAGE,
		min_wmark_pages(zone) * KB_PER_PAGE, low_wmark_pages(zone) * KB_PER_PAGE,
		high_wmark_pages(zone) * KB_PER_PAGE,
		zone_page_state(zone, NR_ZONE_ACTIVE_ANON) * KB_PER_PAGE,
		zone_page_state(zone, NR_ZONE_INACTIVE_ANON) * KB_PER_PAGE,
		zone_page_state(zone, NR_ZONE_ACTIVE_FILE) * KB_PER_PAGE,
		zone_page_state(zone, NR_ZONE_INACTIVE_FILE) * KB_PER_PAGE,
		zone_page_state(zone, NR_ZONE_UNEVICTABLE) * KB_PER_PAGE,
		zone->present_pages * KB_PER_PAGE, zone->managed_pages * KB_PER_PAGE,
		zone_page_state(zone, NR_MLOCK) * KB_PER_PAGE,
		(unsigned long)zone->pcp.count * KB_PER_PAGE,
		(unsigned long)zone->pcp.count * KB_PER_PAGE);
}

static void show_lowmem_reserve(const struct zone *zone)
{
	char line[LINE_MAX_LEN];
	size_t used = (size_t)snprintf(line, sizeof(line), "lowmem_reserve[]:");

	for (int j = 0; j < MAX_NR_ZONES && used < sizeof(line); j++)
		used += (size_t)snprintf(line + used, sizeof(line) - used, " %ld",
					 zone->lowmem_reserve[j]);
	pr_warn("%s", line);
}

/* "Node 0 DMA: 1*4kB 0*8kB ... = 1234kB", as the end of Linux's show_mem. */
static void show_free_blocks(const struct zone *zone)
{
	char line[LINE_MAX_LEN];
	unsigned long total_kb = 0;
	size_t used = (size_t)snprintf(line, sizeof(line), "Node 0 %s:", zone->name);

	for (int o = 0; o < NR_PAGE_ORDERS && used < sizeof(line); o++) {
		unsigned long kb = (PAGE_SIZE >> 10) << o;

		used += (size_t)snprintf(line + used, sizeof(line) - used, " %lu*%lukB",
					 zone->free_area[o].nr_free, kb);
		total_kb += zone->free_area[o].nr_free * kb;
	}
	if (used < sizeof(line))
		snprintf(line + used, sizeof(line) - used, " = %lukB", total_kb);
	pr_warn("%s", line);
}

void show_mem(void)
{
	struct zone *zone;
	unsigned long reserved = 0;

	pr_warn("Mem-Info:");
	pr_warn("active_anon:%ld inactive_anon:%ld isolated_anon:0",
		global_zone_page_state(NR_ZONE_ACTIVE_ANON),
		global_zone_page_state(NR_ZONE_INACTIVE_ANON));
	pr_warn(" active_file:%ld inactive_file:%ld isolated_file:0",
		global_zone_page_state(NR_ZONE_ACTIVE_FILE),
		global_zone_page_state(NR_ZONE_INACTIVE_FILE));
	pr_warn(" unevictable:%ld dirty:0 writeback:0",
		global_zone_page_state(NR_ZONE_UNEVICTABLE));
	pr_warn(" slab_reclaimable:%ld slab_unreclaimable:%ld",
		global_zone_page_state(NR_SLAB_RECLAIMABLE),
		global_zone_page_state(NR_SLAB_UNRECLAIMABLE));
	pr_warn(" mapped:%ld shmem:%ld pagetables:%ld", global_zone_page_state(NR_FILE_MAPPED),
		global_zone_page_state(NR_SHMEM), global_zone_page_state(NR_PAGETABLE));
	pr_warn(" free:%ld free_pcp:%ld free_cma:0", global_zone_page_state(NR_FREE_PAGES),
		free_pcp_pages());
	show_node_line();
	for_each_populated_zone(zone) {
		show_zone_line(zone);
		show_lowmem_reserve(zone);
	}
	for_each_populated_zone(zone) {
		show_free_blocks(zone);
		reserved += zone->present_pages - zone->managed_pages;
	}
	pr_warn("%ld total pagecache pages", global_zone_page_state(NR_FILE_PAGES));
	pr_warn("%lu pages RAM", totalram_pages + reserved);
	pr_warn("0 pages HighMem/MovableOnly");
	pr_warn("%lu pages reserved", reserved);
}

static struct ratelimit_state nopage_rs =
	RATELIMIT_STATE_INIT(WARN_ALLOC_INTERVAL_NS, WARN_ALLOC_BURST);

void warn_alloc(gfp_t gfp_mask, const char *fmt, ...)
{
	char what[LINE_MAX_LEN], names[GFP_NAMES_MAX];
	va_list ap;

	if ((gfp_mask & __GFP_NOWARN) || !__ratelimit(&nopage_rs))
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	format_gfp_flags(gfp_mask, names, sizeof(names));
	pr_warn("%s: %s, mode:0x%x(%s), nodemask=(null)", current_comm(), what, gfp_mask, names);
	dump_stack();
	show_mem();
}
