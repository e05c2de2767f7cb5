/* Split virtqueues (the virtio 1.0 "split ring", laid out as legacy
 * devices want it): descriptors, the driver's avail ring, the device's
 * used ring (Linux's drivers/virtio/virtio_ring.c). Read first: the driver
 * owns a descriptor from add until the device returns its head in the
 * used ring; callers hold the queue's lock around add, kick and get_buf. */
#ifndef OOMLAB_KERNEL_DRIVERS_VIRTIO_RING_H
#define OOMLAB_KERNEL_DRIVERS_VIRTIO_RING_H
#include "kernel/spinlock.h"
#include "kernel/wait.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2	       /* the device writes this buffer */
#define VIRTIO_LEGACY_VRING_ALIGN 4096 /* used ring starts on a page */

struct vring_desc {
	uint64_t addr; /* physical */
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct vring_used_elem {
	uint32_t id; /* head of the chain the device finished */
	uint32_t len;
};

struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
};

struct virtqueue;
typedef void (*vq_notify_t)(struct virtqueue *vq);

struct virtqueue {
	unsigned int index, num;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint16_t free_head, num_free, last_used_idx, avail_idx;
	void **data; /* per head: the caller's token */
	spinlock_t lock;
	struct wait_queue_head free_wait; /* waiters for descriptors */
	vq_notify_t notify;
	void *priv; /* the transport's */
};

/* One buffer of a request (kernel direct-map memory: physically contiguous). */
struct vq_buf {
	void *addr;
	uint32_t len;
};

/* Bytes a legacy ring of num entries needs, the used ring page-aligned. */
size_t vring_size(unsigned int num);
/* Lay the rings out over zeroed memory at queue (vring_size bytes). */
void vring_init(struct virtqueue *vq, unsigned int num, void *queue);
/* Chain out device-readable then in device-writable buffers under one head;
 * -ENOSPC when too few descriptors are free. Lock held. */
int virtqueue_add_sgs(struct virtqueue *vq, const struct vq_buf *bufs, unsigned int out,
		      unsigned int in, void *data);
/* Tell the device (after the avail index is visible). */
void virtqueue_kick(struct virtqueue *vq);
/* The token of the next finished chain (its descriptors freed), or NULL. Lock held. */
void *virtqueue_get_buf(struct virtqueue *vq, uint32_t *len);
#endif
