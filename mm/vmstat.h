/* vmstat: per-zone page counts and system-wide event counts, and the
 * /proc-format views built on them (buddyinfo, zoneinfo, meminfo, vmstat).
 * Read first: zone counters change through __mod_zone_page_state only with
 * interrupts off (under an irqsave lock); anywhere else through
 * mod_zone_page_state, which turns them off itself. Events are atomic. */
#ifndef OOMLAB_MM_VMSTAT_H
#define OOMLAB_MM_VMSTAT_H
#include "mm/mmzone.h"
#include "mm/vmstat_items.h"

extern unsigned long vm_event_states[NR_VM_EVENT_ITEMS];
extern long vm_zone_stat[NR_VM_ZONE_STAT_ITEMS];

void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta);
/* The same with interrupts off around it, for callers not already so. */
void mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta);
static inline long zone_page_state(const struct zone *zone, enum zone_stat_item item)
{
	return zone->vm_stat[item];
}
static inline long global_zone_page_state(enum zone_stat_item item)
{
	return vm_zone_stat[item];
}
/* Counted from any context, interrupts on or off (Linux's this_cpu_add is
 * one interrupt-safe instruction): one atomic add, never a torn +=. */
static inline void count_vm_events(enum vm_event_item item, unsigned long delta)
{
	__atomic_add_fetch(&vm_event_states[item], delta, __ATOMIC_RELAXED);
}
static inline void count_vm_event(enum vm_event_item item)
{
	count_vm_events(item, 1);
}
/* PGALLOC_DMA + zone index: Linux's __count_zid_vm_events. */
void count_zone_vm_events(enum vm_event_item base, enum zone_type zid, unsigned long delta);

/* File pages reclaim could drop: Linux's NR_ACTIVE_FILE + NR_INACTIVE_FILE.
 * Only pages on the LRU lists count, so initramfs (ramfs-like, never
 * reclaimable) pages never do; the sum is 0 until the LRU lists exist. */
static inline long global_reclaimable_file_pages(void)
{
	return global_zone_page_state(NR_ZONE_ACTIVE_FILE) +
	       global_zone_page_state(NR_ZONE_INACTIVE_FILE);
}
/* MemAvailable (Linux's si_mem_available), and its arithmetic on given
 * inputs (pages) for the tests. */
long si_mem_available(void);
long mem_available_estimate(long free, long reserve, long file_lru, long slab_reclaimable,
			    long wmark_low);

const char *zone_stat_name(enum zone_stat_item item);
const char *vm_event_name(enum vm_event_item item);

/* The views, written through a line sink so the monitor prints them now and
 * /proc files can fill a buffer later. */
typedef void (*seq_emit_fn)(void *ctx, const char *line);
void show_buddyinfo(seq_emit_fn emit, void *ctx);
void show_zoneinfo(seq_emit_fn emit, void *ctx);
void show_meminfo(seq_emit_fn emit, void *ctx);
void show_vmstat(seq_emit_fn emit, void *ctx);
#endif
