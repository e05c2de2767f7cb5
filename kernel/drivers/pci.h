/* PCI: configuration space through the 0xCF8/0xCFC ports, the devices found
 * on the buses, and drivers matched to them (Linux's drivers/pci, reduced).
 * Read first: the firmware (SeaBIOS) has already assigned every BAR and an
 * interrupt line; we only read what it chose and never move anything. */
#ifndef OOMLAB_KERNEL_DRIVERS_PCI_H
#define OOMLAB_KERNEL_DRIVERS_PCI_H
#include "kernel/list.h"
#include <stdbool.h>
#include <stdint.h>

#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_REVISION 0x08 /* class << 8 | revision */
#define PCI_HEADER_TYPE 0x0e
#define PCI_HEADER_TYPE_MASK 0x7f
#define PCI_HEADER_TYPE_BRIDGE 1
#define PCI_HEADER_MULTI_FUNCTION 0x80
#define PCI_BASE_ADDRESS_0 0x10
#define PCI_BASE_ADDRESS_SPACE_IO 0x1
#define PCI_BASE_ADDRESS_IO_MASK (~0x3u)
#define PCI_BASE_ADDRESS_MEM_MASK (~0xfu)
#define PCI_BASE_ADDRESS_MEM_TYPE_64 0x4
#define PCI_SECONDARY_BUS 0x19
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d
#define PCI_NUM_RESOURCES 6
#define PCI_IRQ_NONE 0xff /* interrupt line the firmware left unrouted */
#define PCI_ANY_ID 0xffffu

struct pci_dev {
	uint8_t bus, devfn;
	uint16_t vendor, device, subsystem_device;
	uint32_t class; /* base class, subclass, prog-if: 0x010000 */
	uint8_t revision;
	uint8_t irq; /* PCI_INTERRUPT_LINE: the 8259 input */
	uint64_t bar[PCI_NUM_RESOURCES];
	bool bar_is_io[PCI_NUM_RESOURCES];
	void *driver_data;
	struct list_head node; /* on pci_devices */
};

#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn)&0x07)
#define PCI_DEVFN(slot, fn) ((uint8_t)(((slot) << 3) | (fn)))

struct pci_device_id {
	uint16_t vendor, device; /* PCI_ANY_ID matches any */
};

struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table; /* ends with a zero vendor */
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
};

uint8_t pci_read_config_byte(const struct pci_dev *dev, unsigned int where);
uint16_t pci_read_config_word(const struct pci_dev *dev, unsigned int where);
uint32_t pci_read_config_dword(const struct pci_dev *dev, unsigned int where);
void pci_write_config_word(const struct pci_dev *dev, unsigned int where, uint16_t val);
/* Turn on I/O decoding and bus mastering (DMA), as Linux's
 * pci_enable_device plus pci_set_master. */
void pci_enable_device(struct pci_dev *dev);
/* "0000:00:04.0" into buf (at least 13 bytes). */
const char *pci_name(const struct pci_dev *dev, char *buf, unsigned long size);

/* Scan every bus once and probe the built-in drivers (boot, from kernel_init). */
void pci_subsys_init(void);
/* Probe drv against every device found: the number it took. */
int pci_register_driver(const struct pci_driver *drv);
/* The devices found, for tests and lspci-like views. */
extern struct list_head pci_devices;
#endif
