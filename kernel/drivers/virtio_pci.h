/* The legacy (virtio 0.9.5) virtio-pci transport: registers in I/O-port
 * BAR 0 (Linux's drivers/virtio/virtio_pci_legacy.c). Read first: QEMU's
 * -drive if=virtio is a transitional device that speaks both this and the
 * modern capability interface; we use the legacy one only, so features
 * are 32 bits and queue addresses page frame numbers. */
#ifndef OOMLAB_KERNEL_DRIVERS_VIRTIO_PCI_H
#define OOMLAB_KERNEL_DRIVERS_VIRTIO_PCI_H
#include "kernel/drivers/pci.h"
#include "kernel/drivers/virtio_ring.h"

#define PCI_VENDOR_ID_REDHAT_QUMRANET 0x1af4
#define VIRTIO_PCI_LEGACY_BLK_DEVICE 0x1001 /* transitional block device */

/* Device status bits, as the virtio spec. */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE 1
#define VIRTIO_CONFIG_S_DRIVER 2
#define VIRTIO_CONFIG_S_DRIVER_OK 4
#define VIRTIO_CONFIG_S_FAILED 0x80

struct virtio_device {
	struct pci_dev *pci;
	uint16_t ioaddr; /* BAR 0 */
	uint32_t features;
};

/* Reset the device and acknowledge it: 0 or -ENODEV (no I/O BAR). */
int vp_legacy_probe(struct virtio_device *vdev, struct pci_dev *pci);
uint32_t vp_get_features(struct virtio_device *vdev);
void vp_set_features(struct virtio_device *vdev, uint32_t features);
void vp_add_status(struct virtio_device *vdev, uint8_t status);
void vp_reset(struct virtio_device *vdev);
/* Reading the ISR register also lowers the interrupt line. */
uint8_t vp_read_isr(struct virtio_device *vdev);
/* Device-specific configuration, byte by byte (legacy has no generation). */
void vp_get_config(struct virtio_device *vdev, unsigned int offset, void *buf, unsigned int len);
/* Queue index: ring memory allocated and handed to the device, or NULL. */
struct virtqueue *vp_setup_vq(struct virtio_device *vdev, unsigned int index);
#endif
