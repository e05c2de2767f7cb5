/* The names of the vmstat counters: per-zone state (summed for the system)
 * and events. Read first: the order here is the order of /proc/vmstat. */
#ifndef OOMLAB_MM_VMSTAT_ITEMS_H
#define OOMLAB_MM_VMSTAT_ITEMS_H

enum zone_stat_item {
	NR_FREE_PAGES,
	/* The LRU lists' sizes: zero until there are LRU lists (reclaim). */
	NR_ZONE_INACTIVE_ANON,
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_MLOCK, /* pages mapped by at least one VM_LOCKED VMA (mm/memory.c) */
	/* Linux keeps the items from here on per node; with one node they are
	 * kept per zone, in Linux's node_stat_item order. */
	NR_SLAB_RECLAIMABLE,
	NR_SLAB_UNRECLAIMABLE,
	NR_ANON_MAPPED, /* anonymous pages mapped at least once (AnonPages:) */
	NR_FILE_MAPPED, /* page-cache and shmem pages mapped at least once (Mapped:) */
	NR_FILE_PAGES,	/* page-cache pages (kernel/fs/filemap.c) and shmem pages */
	NR_SHMEM,	/* shared anonymous pages (Shmem:) */
	NR_KERNEL_STACK_KB,
	NR_PAGETABLE,
	NR_BALLOON_PAGES, /* pages held by the balloon (mm/balloon.c) */
	NR_VM_ZONE_STAT_ITEMS
};

enum vm_event_item {
	PGALLOC_DMA,
	PGALLOC_DMA32,
	PGALLOC_NORMAL,
	PGFREE,
	PGACTIVATE,		  /* inactive -> active (mark_page_accessed, reclaim) */
	PGDEACTIVATE,		  /* active -> inactive (reclaim's balancing) */
	WORKINGSET_REFAULT_FILE,  /* a read found an evicted page's shadow */
	WORKINGSET_ACTIVATE_FILE, /* ... and the page was in the working set */
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
	BALLOON_INFLATE,
	BALLOON_DEFLATE,
	PGALLOC_FAIL,	    /* ours: allocations that returned NULL */
	OOM_NOTIFIER_FREED, /* ours: pages OOM notifiers gave back (mm/oom_notify.c) */
	PGALLOC_STALL,	    /* ours: "page allocation stalls" reports, rate limit or not */
	NR_VM_EVENT_ITEMS
};
#endif
