/* Split virtqueues: a free list threaded through the descriptors' next
 * fields, the avail ring the driver publishes to and the used ring the
 * device answers in (Linux's virtqueue_add_split, virtqueue_get_buf_ctx_split).
 * Read first: every index the device reads is written with a barrier
 * before it, so it never sees a head before the head's descriptors. */
#include "kernel/drivers/virtio_ring.h"
#include "kernel/errno.h"
#include "kernel/paging.h"
#include "kernel/string.h"

static size_t align_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static size_t avail_end(unsigned int num)
{
	/* flags, idx, ring[num], used_event */
	return sizeof(struct vring_desc) * num + sizeof(uint16_t) * (3 + num);
}

size_t vring_size(unsigned int num)
{
	/* flags, idx, ring[num], avail_event */
	return align_up(avail_end(num), VIRTIO_LEGACY_VRING_ALIGN) + sizeof(uint16_t) * 3 +
	       sizeof(struct vring_used_elem) * num;
}

void vring_init(struct virtqueue *vq, unsigned int num, void *queue)
{
	char *p = queue;

	vq->num = num;
	vq->desc = (struct vring_desc *)p;
	vq->avail = (struct vring_avail *)(p + sizeof(struct vring_desc) * num);
	vq->used = (struct vring_used *)(p + align_up(avail_end(num), VIRTIO_LEGACY_VRING_ALIGN));
	for (unsigned int i = 0; i + 1 < num; i++)
		vq->desc[i].next = (uint16_t)(i + 1);
	vq->free_head = 0;
	vq->num_free = (uint16_t)num;
	vq->last_used_idx = 0;
	vq->avail_idx = 0;
	spin_lock_init(&vq->lock);
	init_waitqueue_head(&vq->free_wait);
}

int virtqueue_add_sgs(struct virtqueue *vq, const struct vq_buf *bufs, unsigned int out,
		      unsigned int in, void *data)
{
	unsigned int total = out + in;
	uint16_t head = vq->free_head, i = head;

	if (total == 0 || total > vq->num_free)
		return -ENOSPC;
	for (unsigned int n = 0; n < total; n++) {
		struct vring_desc *d = &vq->desc[i];

		d->addr = __pa(bufs[n].addr);
		d->len = bufs[n].len;
		d->flags = (uint16_t)((n >= out ? VRING_DESC_F_WRITE : 0) |
				      (n + 1 < total ? VRING_DESC_F_NEXT : 0));
		i = d->next;
	}
	vq->free_head = i;
	vq->num_free = (uint16_t)(vq->num_free - total);
	vq->data[head] = data;
	vq->avail->ring[vq->avail_idx % vq->num] = head;
	/* The descriptors and the ring slot before the index that shows them. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	vq->avail_idx++;
	__atomic_store_n(&vq->avail->idx, vq->avail_idx, __ATOMIC_RELEASE);
	return 0;
}

void virtqueue_kick(struct virtqueue *vq)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	vq->notify(vq);
}

/* Put head's chain back on the free list. */
static void detach_buf(struct virtqueue *vq, uint16_t head)
{
	uint16_t i = head;

	vq->data[head] = NULL;
	while (vq->desc[i].flags & VRING_DESC_F_NEXT) {
		i = vq->desc[i].next;
		vq->num_free++;
	}
	vq->num_free++;
	vq->desc[i].next = vq->free_head;
	vq->free_head = head;
}

void *virtqueue_get_buf(struct virtqueue *vq, uint32_t *len)
{
	struct vring_used_elem *e;
	void *data;

	if (vq->last_used_idx == __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE))
		return NULL;
	e = &vq->used->ring[vq->last_used_idx % vq->num];
	vq->last_used_idx++;
	if (e->id >= vq->num || !vq->data[e->id])
		return NULL; /* a device bug: never trust the id blindly */
	data = vq->data[e->id];
	if (len)
		*len = e->len;
	detach_buf(vq, (uint16_t)e->id);
	return data;
}
