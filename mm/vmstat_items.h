/* The names of the vmstat counters: per-zone state (summed for the system)
 * and events. Read first: the order here is the order of /proc/vmstat. */
#ifndef OOMLAB_MM_VMSTAT_ITEMS_H
#define OOMLAB_MM_VMSTAT_ITEMS_H

enum zone_stat_item {
	NR_FREE_PAGES,
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_ANON,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_MLOCK,
	NR_SLAB_RECLAIMABLE,
	NR_SLAB_UNRECLAIMABLE,
	NR_PAGETABLE,
	NR_KERNEL_STACK_KB,
	NR_FILE_PAGES, /* page-cache pages (kernel/fs/filemap.c) */
	NR_VM_ZONE_STAT_ITEMS
};

enum vm_event_item {
	PGALLOC_DMA,
	PGALLOC_DMA32,
	PGALLOC_NORMAL,
	PGFREE,
	ALLOCSTALL_DMA,
	ALLOCSTALL_DMA32,
	ALLOCSTALL_NORMAL,
	PGSCAN_KSWAPD,
	PGSCAN_DIRECT,
	PGSTEAL_KSWAPD,
	PGSTEAL_DIRECT,
	KSWAPD_LOW_WMARK_HIT_QUICKLY,
	KSWAPD_HIGH_WMARK_HIT_QUICKLY,
	OOM_KILL,
	PGALLOC_FAIL, /* ours: allocations that returned NULL */
	NR_VM_EVENT_ITEMS
};
#endif
