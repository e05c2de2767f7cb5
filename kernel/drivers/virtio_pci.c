/* The legacy virtio-pci transport: status, features, configuration and
 * queue setup through the I/O ports of BAR 0 (Linux's
 * drivers/virtio/virtio_pci_legacy.c). Read first: the device fixes each
 * queue's size; we allocate one physically contiguous block for the rings
 * and tell the device its page frame number. */
#include "kernel/drivers/virtio_pci.h"
#include "kernel/errno.h"
#include "kernel/paging.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/slab.h"

/* Register offsets in BAR 0 (without MSI-X). */
#define VIRTIO_PCI_HOST_FEATURES 0x00
#define VIRTIO_PCI_GUEST_FEATURES 0x04
#define VIRTIO_PCI_QUEUE_PFN 0x08
#define VIRTIO_PCI_QUEUE_NUM 0x0c
#define VIRTIO_PCI_QUEUE_SEL 0x0e
#define VIRTIO_PCI_QUEUE_NOTIFY 0x10
#define VIRTIO_PCI_STATUS 0x12
#define VIRTIO_PCI_ISR 0x13
#define VIRTIO_PCI_CONFIG 0x14
#define VIRTIO_PCI_QUEUE_ADDR_SHIFT 12
#define VIRTIO_MAX_QUEUE_NUM 1024 /* the spec's limit for split rings */

int vp_legacy_probe(struct virtio_device *vdev, struct pci_dev *pci)
{
	if (!pci->bar_is_io[0] || !pci->bar[0])
		return -ENODEV;
	vdev->pci = pci;
	vdev->ioaddr = (uint16_t)pci->bar[0];
	pci_enable_device(pci);
	vp_reset(vdev);
	vp_add_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	vp_add_status(vdev, VIRTIO_CONFIG_S_DRIVER);
	return 0;
}

uint32_t vp_get_features(struct virtio_device *vdev)
{
	return inl(vdev->ioaddr + VIRTIO_PCI_HOST_FEATURES);
}

void vp_set_features(struct virtio_device *vdev, uint32_t features)
{
	vdev->features = features;
	outl(vdev->ioaddr + VIRTIO_PCI_GUEST_FEATURES, features);
}

void vp_add_status(struct virtio_device *vdev, uint8_t status)
{
	uint8_t old = inb(vdev->ioaddr + VIRTIO_PCI_STATUS);

	outb(vdev->ioaddr + VIRTIO_PCI_STATUS, (uint8_t)(old | status));
}

/* Writing 0 resets; reading the status back flushes the write. */
void vp_reset(struct virtio_device *vdev)
{
	outb(vdev->ioaddr + VIRTIO_PCI_STATUS, 0);
	(void)inb(vdev->ioaddr + VIRTIO_PCI_STATUS);
}

uint8_t vp_read_isr(struct virtio_device *vdev)
{
	return inb(vdev->ioaddr + VIRTIO_PCI_ISR);
}

void vp_get_config(struct virtio_device *vdev, unsigned int offset, void *buf, unsigned int len)
{
	uint8_t *p = buf;

	for (unsigned int i = 0; i < len; i++)
		p[i] = inb((uint16_t)(vdev->ioaddr + VIRTIO_PCI_CONFIG + offset + i));
}

static void vp_notify(struct virtqueue *vq)
{
	struct virtio_device *vdev = vq->priv;

	outw(vdev->ioaddr + VIRTIO_PCI_QUEUE_NOTIFY, (uint16_t)vq->index);
}

static unsigned int order_for(size_t bytes)
{
	unsigned int order = 0;

	while (((size_t)PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

struct virtqueue *vp_setup_vq(struct virtio_device *vdev, unsigned int index)
{
	struct virtqueue *vq;
	struct page *pages;
	unsigned int num;
	size_t size;

	outw(vdev->ioaddr + VIRTIO_PCI_QUEUE_SEL, (uint16_t)index);
	num = inw(vdev->ioaddr + VIRTIO_PCI_QUEUE_NUM);
	if (!num || num > VIRTIO_MAX_QUEUE_NUM || (num & (num - 1)) ||
	    inl(vdev->ioaddr + VIRTIO_PCI_QUEUE_PFN))
		return NULL; /* absent, bogus, or already in use */
	size = vring_size(num);
	vq = kzalloc(sizeof(*vq), GFP_KERNEL);
	pages = vq ? alloc_pages(GFP_KERNEL, order_for(size)) : NULL;
	if (vq && pages)
		vq->data = kzalloc(num * sizeof(*vq->data), GFP_KERNEL);
	if (!vq || !pages || !vq->data) {
		if (pages)
			__free_pages(pages, order_for(size));
		kfree(vq);
		return NULL;
	}
	memset(page_address(pages), 0, (size_t)PAGE_SIZE << order_for(size));
	vring_init(vq, num, page_address(pages));
	vq->index = index;
	vq->notify = vp_notify;
	vq->priv = vdev;
	outl(vdev->ioaddr + VIRTIO_PCI_QUEUE_PFN,
	     (uint32_t)(__pa(page_address(pages)) >> VIRTIO_PCI_QUEUE_ADDR_SHIFT));
	return vq;
}
