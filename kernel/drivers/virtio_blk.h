/* The virtio block driver (Linux's drivers/block/virtio_blk.c): disks
 * vda, vdb... over the legacy virtio-pci transport. */
#ifndef OOMLAB_KERNEL_DRIVERS_VIRTIO_BLK_H
#define OOMLAB_KERNEL_DRIVERS_VIRTIO_BLK_H
#include "kernel/block/blkdev.h"

/* Register the PCI driver: probes every virtio block device found. */
void virtio_blk_init(void);
/* The first virtio disk ("vda"), or NULL when the machine has none. */
struct gendisk *virtblk_first_disk(void);
/* Requests the device answered VIRTIO_BLK_S_IOERR / S_UNSUPP (tests). */
extern unsigned long virtblk_errors;
#endif
