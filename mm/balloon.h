/* A memory balloon (mm/balloon.c), in the style of Linux's virtio_balloon
 * with VIRTIO_BALLOON_F_DEFLATE_ON_OOM. Read first: user space plays the
 * hypervisor and sets a target in pages; the balloon takes pages from the
 * buddy allocator up to it and gives them back below it, and its OOM
 * notifier gives back VIRTIO_BALLOON_OOM_NR_PAGES at a time. */
#ifndef OOMLAB_MM_BALLOON_H
#define OOMLAB_MM_BALLOON_H
#include "kernel/locking/mutex.h"

#define VIRTIO_BALLOON_OOM_NR_PAGES 256
#define VIRTIO_BALLOON_OOM_NOTIFY_PRIORITY 80

/* Guards the page list and the figures below. Visible so that the tests
 * (and a lab) can hold it the way a second balloon user would. */
extern struct mutex balloon_lock;

struct balloon_stats {
	unsigned long size;	    /* pages in the balloon now */
	unsigned long target;	    /* pages the "hypervisor" asked for */
	unsigned long inflated;	    /* pages ever taken */
	unsigned long deflated;	    /* pages ever given back, by any path */
	unsigned long oom_deflated; /* of those, given back by the OOM notifier */
};

/* Registers the OOM notifier (as virtballoon_probe); once, at boot. */
void balloon_init(void);
struct dentry;
/* /proc/balloon under the proc root. */
void proc_balloon_init(struct dentry *proc_root);

/* Moves the balloon towards target pages, in the caller's context:
 * 0, -EINVAL for a target over all RAM, -EINTR when a fatal signal
 * stopped it. Running short of memory is not an error: the balloon stays
 * smaller than its target (see balloon_get_stats). */
int balloon_set_target(unsigned long target);
void balloon_get_stats(struct balloon_stats *stats);

/* The balloon.* switches (see mm/balloon.c). */
enum balloon_inflate_gfp {
	BALLOON_INFLATE_NORETRY,
	BALLOON_INFLATE_KERNEL,
	BALLOON_INFLATE_MAYFAIL
};
extern int balloon_inflate_gfp;
extern bool balloon_deflate_on_oom;
extern long balloon_host_ack_ms;
#endif
