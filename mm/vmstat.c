/* vmstat counters and the /proc-format views over them (buddyinfo,
 * zoneinfo, meminfo, vmstat). Read first: every view is produced line by
 * line through a sink, so the monitor and later /proc share one format. */
#include "mm/vmstat.h"
#include "kernel/printk.h"
#include "kernel/stacktrace.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"
#include "mm/internal.h"
#include "mm/overcommit.h"
#include "mm/swap.h"

#define LINE_MAX_LEN 160
#define KB_PER_PAGE (PAGE_SIZE >> 10)

unsigned long vm_event_states[NR_VM_EVENT_ITEMS];
long vm_zone_stat[NR_VM_ZONE_STAT_ITEMS];

static const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = {
	"nr_free_pages",
	"nr_zone_inactive_anon",
	"nr_zone_active_anon",
	"nr_zone_inactive_file",
	"nr_zone_active_file",
	"nr_zone_unevictable",
	"nr_mlock",
	"nr_slab_reclaimable",
	"nr_slab_unreclaimable",
	"nr_anon_pages",
	"nr_mapped",
	"nr_file_pages",
	"nr_shmem",
	"nr_kernel_stack",
	"nr_page_table_pages",
	"nr_balloon_pages",
};
static const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	"pgalloc_dma",
	"pgalloc_dma32",
	"pgalloc_normal",
	"pgfree",
	"pgactivate",
	"pgdeactivate",
	"workingset_refault_file",
	"workingset_activate_file",
	"allocstall_dma",
	"allocstall_dma32",
	"allocstall_normal",
	"pgscan_kswapd",
	"pgscan_direct",
	"pgsteal_kswapd",
	"pgsteal_direct",
	"kswapd_low_wmark_hit_quickly",
	"kswapd_high_wmark_hit_quickly",
	"oom_kill",
	"balloon_inflate",
	"balloon_deflate",
	"pgalloc_fail",
	"oom_notifier_freed",
	"pgalloc_stall",
};

const char *zone_stat_name(enum zone_stat_item item)
{
	return zone_stat_names[item];
}
const char *vm_event_name(enum vm_event_item item)
{
	return vm_event_names[item];
}

/* Said once: the first offender is the one to fix. */
static void report_irqs_on(enum zone_stat_item item)
{
	static bool reported;

	if (reported)
		return;
	reported = true;
	pr_err("BUG: __mod_zone_page_state(%s) with interrupts on: an interrupt that counts "
	       "too can tear the update (use mod_zone_page_state)",
	       zone_stat_names[item]);
	dump_stack();
}

/* Linux's rule for the __ forms (it asserts it with lockdep): interrupts
 * off, as under an irqsave lock, or the += is not safe. */
void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	if (!irqs_disabled())
		report_irqs_on(item);
	zone->vm_stat[item] += delta;
	vm_zone_stat[item] += delta;
}

/* For callers that may be interrupted by one that counts too (page
 * mapping, task stacks): the += must not be torn. */
void mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	uint64_t flags = local_irq_save();

	__mod_zone_page_state(zone, item, delta);
	local_irq_restore(flags);
}

void count_zone_vm_events(enum vm_event_item base, enum zone_type zid, unsigned long delta)
{
	count_vm_events((enum vm_event_item)(base + zid), delta);
}

static void emitf(seq_emit_fn emit, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void emitf(seq_emit_fn emit, void *ctx, const char *fmt, ...)
{
	char line[LINE_MAX_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	emit(ctx, line);
}

void show_buddyinfo(seq_emit_fn emit, void *ctx)
{
	struct zone *zone;

	for_each_populated_zone(zone) {
		char line[LINE_MAX_LEN];
		size_t used = (size_t)snprintf(line, sizeof(line), "Node 0, zone %8s ", zone->name);

		for (int o = 0; o < NR_PAGE_ORDERS && used < sizeof(line); o++)
			used += (size_t)snprintf(line + used, sizeof(line) - used, "%6lu ",
						 zone->free_area[o].nr_free);
		emit(ctx, line);
	}
}

static void show_protection(seq_emit_fn emit, void *ctx, const struct zone *zone)
{
	char line[LINE_MAX_LEN];
	size_t used = (size_t)snprintf(line, sizeof(line), "        protection: (");

	for (int j = 0; j < MAX_NR_ZONES && used < sizeof(line); j++)
		used += (size_t)snprintf(line + used, sizeof(line) - used, "%s%ld", j ? ", " : "",
					 zone->lowmem_reserve[j]);
	if (used < sizeof(line))
		snprintf(line + used, sizeof(line) - used, ")");
	emit(ctx, line);
}

void show_zoneinfo(seq_emit_fn emit, void *ctx)
{
	struct zone *zone;

	for_each_zone(zone) {
		emitf(emit, ctx, "Node 0, zone %8s", zone->name);
		emitf(emit, ctx, "  pages free     %ld", zone_page_state(zone, NR_FREE_PAGES));
		emitf(emit, ctx, "        boost    0");
		emitf(emit, ctx, "        min      %lu", min_wmark_pages(zone));
		emitf(emit, ctx, "        low      %lu", low_wmark_pages(zone));
		emitf(emit, ctx, "        high     %lu", high_wmark_pages(zone));
		emitf(emit, ctx, "        spanned  %lu", zone->spanned_pages);
		emitf(emit, ctx, "        present  %lu", zone->present_pages);
		emitf(emit, ctx, "        managed  %lu", zone->managed_pages);
		emitf(emit, ctx, "        cma      0");
		show_protection(emit, ctx, zone);
		for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
			emitf(emit, ctx, "      %-12s %ld", zone_stat_names[i], zone->vm_stat[i]);
		emitf(emit, ctx, "  pagesets");
		emitf(emit, ctx, "    cpu: 0");
		emitf(emit, ctx, "              count: %d", zone->pcp.count);
		emitf(emit, ctx, "              high:  %d", zone->pcp.high);
		emitf(emit, ctx, "              batch: %d", zone->pcp.batch);
		emitf(emit, ctx, "  node_unreclaimable:  %d", pgdat_unreclaimable(NODE_DATA(0)));
		emitf(emit, ctx, "  start_pfn:           %lu", zone->zone_start_pfn);
	}
}

/* As Linux's calculate_totalreserve_pages: what each zone keeps back from
 * every caller: its biggest lowmem reserve plus its high watermark. */
unsigned long totalreserve_pages(void)
{
	unsigned long total = 0;
	struct zone *zone;

	for_each_zone(zone) {
		long max = 0;
		unsigned long reserve;

		for (int j = 0; j < MAX_NR_ZONES; j++)
			if (zone->lowmem_reserve[j] > max)
				max = zone->lowmem_reserve[j];
		reserve = (unsigned long)max + high_wmark_pages(zone);
		total += reserve < zone->managed_pages ? reserve : zone->managed_pages;
	}
	return total;
}

/* Of what can be reclaimed, at least half (or the low watermarks' worth,
 * if less) must stay, or the system would thrash. */
static long reclaimable_share(long pages, long wmark_low)
{
	return pages - (pages / 2 < wmark_low ? pages / 2 : wmark_low);
}

/* As Linux's si_mem_available, from its inputs (pages): free pages above
 * the reserves, plus the reclaimable page cache and slab, less what must
 * stay of each. Never negative. */
long mem_available_estimate(long free, long reserve, long file_lru, long slab_reclaimable,
			    long wmark_low)
{
	long available = free - reserve + reclaimable_share(file_lru, wmark_low) +
			 reclaimable_share(slab_reclaimable, wmark_low);

	return available < 0 ? 0 : available;
}

long si_mem_available(void)
{
	long wmark_low = 0;
	struct zone *zone;

	for_each_zone(zone)
		wmark_low += (long)low_wmark_pages(zone);
	return mem_available_estimate(global_zone_page_state(NR_FREE_PAGES),
				      (long)totalreserve_pages(), global_reclaimable_file_pages(),
				      global_zone_page_state(NR_SLAB_RECLAIMABLE), wmark_low);
}

long free_pcp_pages(void)
{
	long n = 0;
	struct zone *zone;

	for_each_zone(zone)
		n += zone->pcp.count;
	return n;
}

static void meminfo_line(seq_emit_fn emit, void *ctx, const char *label, long pages)
{
	emitf(emit, ctx, "%-16s%8lu kB", label, (unsigned long)pages * KB_PER_PAGE);
}

void show_meminfo(seq_emit_fn emit, void *ctx)
{
	long slab_r = global_zone_page_state(NR_SLAB_RECLAIMABLE);
	long slab_u = global_zone_page_state(NR_SLAB_UNRECLAIMABLE);

	meminfo_line(emit, ctx, "MemTotal:", (long)totalram_pages);
	meminfo_line(emit, ctx, "MemFree:", global_zone_page_state(NR_FREE_PAGES));
	meminfo_line(emit, ctx, "MemAvailable:", si_mem_available());
	meminfo_line(emit, ctx, "Buffers:", 0);
	meminfo_line(emit, ctx, "Cached:", global_zone_page_state(NR_FILE_PAGES));
	meminfo_line(emit, ctx, "SwapCached:", 0);
	meminfo_line(emit, ctx, "Active:",
		     global_zone_page_state(NR_ZONE_ACTIVE_ANON) +
			     global_zone_page_state(NR_ZONE_ACTIVE_FILE));
	meminfo_line(emit, ctx, "Inactive:",
		     global_zone_page_state(NR_ZONE_INACTIVE_ANON) +
			     global_zone_page_state(NR_ZONE_INACTIVE_FILE));
	meminfo_line(emit, ctx, "Active(anon):", global_zone_page_state(NR_ZONE_ACTIVE_ANON));
	meminfo_line(emit, ctx, "Inactive(anon):", global_zone_page_state(NR_ZONE_INACTIVE_ANON));
	meminfo_line(emit, ctx, "Active(file):", global_zone_page_state(NR_ZONE_ACTIVE_FILE));
	meminfo_line(emit, ctx, "Inactive(file):", global_zone_page_state(NR_ZONE_INACTIVE_FILE));
	meminfo_line(emit, ctx, "Unevictable:", global_zone_page_state(NR_ZONE_UNEVICTABLE));
	meminfo_line(emit, ctx, "Mlocked:", global_zone_page_state(NR_MLOCK));
	meminfo_line(emit, ctx, "SwapTotal:", 0);
	meminfo_line(emit, ctx, "SwapFree:", 0);
	meminfo_line(emit, ctx, "Dirty:", 0);
	meminfo_line(emit, ctx, "Writeback:", 0);
	meminfo_line(emit, ctx, "AnonPages:", global_zone_page_state(NR_ANON_MAPPED));
	meminfo_line(emit, ctx, "Mapped:", global_zone_page_state(NR_FILE_MAPPED));
	meminfo_line(emit, ctx, "Shmem:", global_zone_page_state(NR_SHMEM));
	/* Linux adds NR_KERNEL_MISC_RECLAIMABLE, which nothing here has. */
	meminfo_line(emit, ctx, "KReclaimable:", slab_r);
	meminfo_line(emit, ctx, "Slab:", slab_r + slab_u);
	meminfo_line(emit, ctx, "SReclaimable:", slab_r);
	meminfo_line(emit, ctx, "SUnreclaim:", slab_u);
	emitf(emit, ctx, "%-16s%8ld kB",
	      "KernelStack:", global_zone_page_state(NR_KERNEL_STACK_KB));
	meminfo_line(emit, ctx, "PageTables:", global_zone_page_state(NR_PAGETABLE));
	meminfo_line(emit, ctx, "CommitLimit:", (long)vm_commit_limit());
	meminfo_line(emit, ctx, "Committed_AS:", (long)vm_memory_committed());
	/* Linux 6.15's last line: what balloon drivers hold. */
	meminfo_line(emit, ctx, "Balloon:", global_zone_page_state(NR_BALLOON_PAGES));
}

/* Linux keeps the LRU sizes twice, per zone (nr_zone_*) and per node;
 * with one node the node's are the zones' sums. */
static const char *const node_lru_names[NR_LRU_LISTS] = {
	"nr_inactive_anon", "nr_active_anon", "nr_inactive_file",
	"nr_active_file",   "nr_unevictable",
};

void show_vmstat(seq_emit_fn emit, void *ctx)
{
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) {
		if (i == NR_SLAB_RECLAIMABLE) /* where Linux's node items begin */
			for (int lru = 0; lru < NR_LRU_LISTS; lru++)
				emitf(emit, ctx, "%s %ld", node_lru_names[lru],
				      vm_zone_stat[NR_ZONE_INACTIVE_ANON + lru]);
		emitf(emit, ctx, "%s %ld", zone_stat_names[i], vm_zone_stat[i]);
	}
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		emitf(emit, ctx, "%s %lu", vm_event_names[i], vm_event_states[i]);
}
