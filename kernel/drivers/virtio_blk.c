/* virtio-blk: each request is a chain of three buffers (a header the
 * device reads, the data, a status byte it writes), completed from the
 * interrupt handler (Linux's drivers/block/virtio_blk.c). Read first: the
 * request lives in kmalloc memory because the device DMAs to it; a full
 * ring makes the submitter sleep until an interrupt frees descriptors. */
#include "kernel/drivers/virtio_blk.h"
#include "kernel/drivers/virtio_pci.h"
#include "kernel/errno.h"
#include "kernel/i8259.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/traps.h"
#include "kernel/vsprintf.h"
#include "mm/slab.h"

#define VIRTIO_BLK_F_RO 5 /* the disk is read-only */
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_CFG_CAPACITY 0 /* le64, in 512-byte sectors */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2
#define VIRTBLK_MAX_DISKS 4
#define VIRTBLK_DESCS_PER_REQ 3
#define VIRTIO_ISR_QUEUE 0x1

struct virtio_blk_outhdr {
	uint32_t type;
	uint32_t ioprio;
	uint64_t sector;
};

struct virtblk_req {
	struct virtio_blk_outhdr out_hdr;
	uint8_t status;
	struct bio *bio;
};

struct virtio_blk {
	struct virtio_device vdev;
	struct virtqueue *vq;
	struct gendisk disk;
};

static struct virtio_blk *vblks[VIRTBLK_MAX_DISKS];
static int nr_vblks;
unsigned long virtblk_errors;

static int virtblk_result(uint8_t status)
{
	switch (status) {
	case VIRTIO_BLK_S_OK: return 0;
	case VIRTIO_BLK_S_UNSUPP: return -EOPNOTSUPP;
	default: return -EIO;
	}
}

/* Interrupt: read (and so lower) the ISR line, then finish every request
 * the device returned. Lines are shared, so a device with nothing to say
 * is skipped. */
static void virtblk_done(struct virtio_blk *vblk)
{
	struct virtqueue *vq = vblk->vq;
	struct virtblk_req *req;
	uint64_t flags;

	if (!(vp_read_isr(&vblk->vdev) & VIRTIO_ISR_QUEUE))
		return;
	for (;;) {
		spin_lock_irqsave(&vq->lock, flags);
		req = virtqueue_get_buf(vq, NULL);
		spin_unlock_irqrestore(&vq->lock, flags);
		if (!req)
			break;
		wake_up_all(&vq->free_wait);
		if (req->status != VIRTIO_BLK_S_OK)
			virtblk_errors++;
		bio_endio(req->bio, virtblk_result(req->status));
		kfree(req);
	}
}

static void virtblk_irq(void)
{
	for (int i = 0; i < nr_vblks; i++)
		virtblk_done(vblks[i]);
}

static bool ring_has_room(struct virtqueue *vq)
{
	return __atomic_load_n(&vq->num_free, __ATOMIC_ACQUIRE) >= VIRTBLK_DESCS_PER_REQ;
}

/* As Linux's virtio_queue_rq: header, data, status; kick. */
static int virtblk_submit_bio(struct bio *bio)
{
	struct virtio_blk *vblk = bio->bi_disk->private_data;
	struct virtqueue *vq = vblk->vq;
	struct virtblk_req *req = kzalloc(sizeof(*req), GFP_KERNEL);
	struct vq_buf bufs[VIRTBLK_DESCS_PER_REQ];
	bool in = bio->bi_opf == REQ_OP_READ;
	uint64_t flags;

	if (!req)
		return -ENOMEM;
	req->out_hdr.type = in ? VIRTIO_BLK_T_IN : VIRTIO_BLK_T_OUT;
	req->out_hdr.sector = bio->bi_sector;
	req->status = 0xff; /* the device overwrites it */
	req->bio = bio;
	bufs[0] = (struct vq_buf){&req->out_hdr, sizeof(req->out_hdr)};
	bufs[1] = (struct vq_buf){bio->bi_buf, bio->bi_size};
	bufs[2] = (struct vq_buf){&req->status, sizeof(req->status)};
	for (;;) {
		spin_lock_irqsave(&vq->lock, flags);
		if (!virtqueue_add_sgs(vq, bufs, in ? 1 : 2, in ? 2 : 1, req))
			break;
		spin_unlock_irqrestore(&vq->lock, flags);
		wait_event(vq->free_wait, ring_has_room(vq));
	}
	virtqueue_kick(vq);
	spin_unlock_irqrestore(&vq->lock, flags);
	return 0;
}

static const struct block_device_operations virtblk_fops = {
	.submit_bio = virtblk_submit_bio,
};

static int virtblk_probe(struct pci_dev *pci, const struct pci_device_id *id)
{
	struct virtio_blk *vblk;
	uint32_t features;
	uint64_t capacity;
	char name[16];
	int err;

	if (nr_vblks == VIRTBLK_MAX_DISKS)
		return -ENOSPC;
	if (pci->irq == PCI_IRQ_NONE || pci->irq >= NR_LEGACY_IRQS)
		return -ENODEV; /* polling is not implemented */
	vblk = kzalloc(sizeof(*vblk), GFP_KERNEL);
	if (!vblk)
		return -ENOMEM;
	err = vp_legacy_probe(&vblk->vdev, pci);
	if (err)
		goto out_free;
	features = vp_get_features(&vblk->vdev);
	vp_set_features(&vblk->vdev, features & (1u << VIRTIO_BLK_F_RO));
	vblk->vq = vp_setup_vq(&vblk->vdev, 0);
	if (!vblk->vq) {
		err = -ENOMEM;
		goto out_reset;
	}
	vp_get_config(&vblk->vdev, VIRTIO_BLK_CFG_CAPACITY, &capacity, sizeof(capacity));
	snprintf(vblk->disk.disk_name, sizeof(vblk->disk.disk_name), "vd%c", 'a' + nr_vblks);
	vblk->disk.major = VIRTBLK_MAJOR;
	vblk->disk.first_minor = (unsigned int)nr_vblks * 16; /* room for partitions */
	vblk->disk.capacity = capacity;
	vblk->disk.read_only = features & (1u << VIRTIO_BLK_F_RO);
	vblk->disk.fops = &virtblk_fops;
	vblk->disk.private_data = vblk;
	pci->driver_data = vblk;
	vblks[nr_vblks++] = vblk;
	request_irq(pci->irq, virtblk_irq);
	vp_add_status(&vblk->vdev, VIRTIO_CONFIG_S_DRIVER_OK);
	add_disk(&vblk->disk);
	/* As Linux's virtblk_update_capacity message. */
	pr_info("virtio_blk %s: [%s] %llu 512-byte logical blocks (%llu MB/%llu MiB)%s, irq %u",
		pci_name(pci, name, sizeof(name)), vblk->disk.disk_name,
		(unsigned long long)capacity, (unsigned long long)(capacity * 512 / 1000000),
		(unsigned long long)(capacity >> 11), vblk->disk.read_only ? " ro" : "", pci->irq);
	return 0;
out_reset:
	vp_add_status(&vblk->vdev, VIRTIO_CONFIG_S_FAILED);
out_free:
	kfree(vblk);
	return err;
}

static const struct pci_device_id virtblk_ids[] = {
	{PCI_VENDOR_ID_REDHAT_QUMRANET, VIRTIO_PCI_LEGACY_BLK_DEVICE},
	{0, 0},
};

static const struct pci_driver virtio_blk_driver = {
	.name = "virtio_blk",
	.id_table = virtblk_ids,
	.probe = virtblk_probe,
};

void virtio_blk_init(void)
{
	pci_register_driver(&virtio_blk_driver);
}

struct gendisk *virtblk_first_disk(void)
{
	return nr_vblks ? &vblks[0]->disk : NULL;
}
