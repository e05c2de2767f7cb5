/* GFP flags: what an allocation may do to get memory. The bit values are
 * Linux 6.x's (include/linux/gfp_types.h) so that "mode:0xcc0(GFP_KERNEL)"
 * in our failure reports reads exactly as in a Linux log. */
#ifndef OOMLAB_MM_GFP_TYPES_H
#define OOMLAB_MM_GFP_TYPES_H

typedef unsigned int gfp_t;

/* Zone modifiers: the highest zone the caller can use. */
#define __GFP_DMA 0x01u
#define __GFP_HIGHMEM 0x02u /* no highmem on x86_64: means ZONE_NORMAL */
#define __GFP_DMA32 0x04u
#define __GFP_MOVABLE 0x08u /* no ZONE_MOVABLE here: means ZONE_NORMAL */
#define GFP_ZONEMASK (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)

#define __GFP_RECLAIMABLE 0x10u
#define __GFP_HIGH 0x20u /* may use part of the min reserve */
#define __GFP_IO 0x40u	 /* may start physical I/O */
#define __GFP_FS 0x80u	 /* may call into the file system (and so OOM-kill) */
#define __GFP_ZERO 0x100u
#define __GFP_DIRECT_RECLAIM 0x400u /* may sleep and reclaim itself */
#define __GFP_KSWAPD_RECLAIM 0x800u /* may wake kswapd */
#define __GFP_WRITE 0x1000u
#define __GFP_NOWARN 0x2000u	    /* no warn_alloc report on failure */
#define __GFP_RETRY_MAYFAIL 0x4000u /* retry hard, but fail rather than OOM-kill */
#define __GFP_NOFAIL 0x8000u	    /* never fail: loop until it succeeds */
#define __GFP_NORETRY 0x10000u	    /* one light attempt, no OOM kill */
#define __GFP_MEMALLOC 0x20000u	    /* may use every reserve */
#define __GFP_COMP 0x40000u	    /* a compound page: head + tails */
#define __GFP_NOMEMALLOC 0x80000u   /* never use the emergency reserves */
#define __GFP_HARDWALL 0x100000u
#define __GFP_THISNODE 0x200000u
#define __GFP_ACCOUNT 0x400000u

#define __GFP_RECLAIM (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

#define GFP_ATOMIC (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM | __GFP_NOWARN)
#define GFP_NOIO (__GFP_RECLAIM)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)

/* Orders above this are "costly": not worth reclaiming hard for. */
#define PAGE_ALLOC_COSTLY_ORDER 3
#endif
