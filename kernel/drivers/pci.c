/* PCI discovery through configuration mechanism #1: a dword address written
 * to 0xCF8 selects bus/device/function/register, 0xCFC reads or writes it
 * (Linux's arch/x86/pci/direct.c and drivers/pci/probe.c). Read first: a
 * function that answers vendor 0xffff is absent; bridges lead to the next
 * bus, so the scan starts at bus 0 and follows them. */
#include "kernel/drivers/pci.h"
#include "kernel/drivers/virtio_blk.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"
#include "mm/slab.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_CONFIG_ENABLE 0x80000000u
#define PCI_SLOTS_PER_BUS 32
#define PCI_FUNCS_PER_SLOT 8
#define PCI_VENDOR_NONE 0xffff
#define PCI_MAX_BUS_DEPTH 8 /* bridges below bridges: more is a loop */

LIST_HEAD(pci_devices);
static DEFINE_SPINLOCK(pci_config_lock); /* the address/data port pair */

static uint32_t conf1_address(uint8_t bus, uint8_t devfn, unsigned int where)
{
	return PCI_CONFIG_ENABLE | (uint32_t)bus << 16 | (uint32_t)devfn << 8 | (where & 0xfc);
}

static uint32_t raw_read(uint8_t bus, uint8_t devfn, unsigned int where)
{
	uint64_t flags;
	uint32_t v;

	spin_lock_irqsave(&pci_config_lock, flags);
	outl(PCI_CONFIG_ADDRESS, conf1_address(bus, devfn, where));
	v = inl(PCI_CONFIG_DATA);
	spin_unlock_irqrestore(&pci_config_lock, flags);
	return v;
}

uint32_t pci_read_config_dword(const struct pci_dev *dev, unsigned int where)
{
	return raw_read(dev->bus, dev->devfn, where);
}

uint16_t pci_read_config_word(const struct pci_dev *dev, unsigned int where)
{
	return (uint16_t)(pci_read_config_dword(dev, where) >> ((where & 2) * 8));
}

uint8_t pci_read_config_byte(const struct pci_dev *dev, unsigned int where)
{
	return (uint8_t)(pci_read_config_dword(dev, where) >> ((where & 3) * 8));
}

void pci_write_config_word(const struct pci_dev *dev, unsigned int where, uint16_t val)
{
	uint64_t flags;

	spin_lock_irqsave(&pci_config_lock, flags);
	outl(PCI_CONFIG_ADDRESS, conf1_address(dev->bus, dev->devfn, where));
	outw((uint16_t)(PCI_CONFIG_DATA + (where & 2)), val);
	spin_unlock_irqrestore(&pci_config_lock, flags);
}

void pci_enable_device(struct pci_dev *dev)
{
	uint16_t cmd = pci_read_config_word(dev, PCI_COMMAND);

	cmd |= PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	cmd &= (uint16_t)~PCI_COMMAND_INTX_DISABLE;
	pci_write_config_word(dev, PCI_COMMAND, cmd);
}

const char *pci_name(const struct pci_dev *dev, char *buf, unsigned long size)
{
	snprintf(buf, size, "0000:%02x:%02x.%d", dev->bus, PCI_SLOT(dev->devfn),
		 PCI_FUNC(dev->devfn));
	return buf;
}

/* The BARs as the firmware set them; the upper half of a 64-bit memory
 * BAR takes the next slot. */
static void read_bars(struct pci_dev *dev)
{
	for (unsigned int i = 0; i < PCI_NUM_RESOURCES; i++) {
		uint32_t v = pci_read_config_dword(dev, PCI_BASE_ADDRESS_0 + 4 * i);

		if (v & PCI_BASE_ADDRESS_SPACE_IO) {
			dev->bar[i] = v & PCI_BASE_ADDRESS_IO_MASK;
			dev->bar_is_io[i] = true;
			continue;
		}
		dev->bar[i] = v & PCI_BASE_ADDRESS_MEM_MASK;
		if ((v & PCI_BASE_ADDRESS_MEM_TYPE_64) && i + 1 < PCI_NUM_RESOURCES) {
			i++;
			dev->bar[i - 1] |=
				(uint64_t)pci_read_config_dword(dev, PCI_BASE_ADDRESS_0 + 4 * i)
				<< 32;
		}
	}
}

static void pci_scan_bus(uint8_t bus, int depth);

/* One function that answered: record it, and descend if it is a bridge. */
static void pci_scan_device(uint8_t bus, uint8_t devfn, int depth)
{
	struct pci_dev *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	uint32_t class_rev;
	uint8_t hdr;
	char name[16];

	if (!dev) {
		pr_err("pci %02x:%02x.%d: no memory for the device", bus, PCI_SLOT(devfn),
		       PCI_FUNC(devfn));
		return;
	}
	dev->bus = bus;
	dev->devfn = devfn;
	dev->vendor = pci_read_config_word(dev, PCI_VENDOR_ID);
	dev->device = pci_read_config_word(dev, PCI_DEVICE_ID);
	class_rev = pci_read_config_dword(dev, PCI_CLASS_REVISION);
	dev->class = class_rev >> 8;
	dev->revision = (uint8_t)class_rev;
	hdr = pci_read_config_byte(dev, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MASK;
	if (hdr == 0) {
		read_bars(dev);
		dev->subsystem_device = pci_read_config_word(dev, PCI_SUBSYSTEM_ID);
	}
	dev->irq = pci_read_config_byte(dev, PCI_INTERRUPT_LINE);
	if (!pci_read_config_byte(dev, PCI_INTERRUPT_PIN))
		dev->irq = PCI_IRQ_NONE;
	list_add_tail(&dev->node, &pci_devices);
	pr_info("pci %s: [%04x:%04x] type %02x class %#08x", pci_name(dev, name, sizeof(name)),
		dev->vendor, dev->device, hdr, dev->class);
	if (hdr == PCI_HEADER_TYPE_BRIDGE)
		pci_scan_bus(pci_read_config_byte(dev, PCI_SECONDARY_BUS), depth + 1);
}

static void pci_scan_bus(uint8_t bus, int depth)
{
	if (depth > PCI_MAX_BUS_DEPTH)
		return;
	for (uint8_t slot = 0; slot < PCI_SLOTS_PER_BUS; slot++) {
		for (uint8_t fn = 0; fn < PCI_FUNCS_PER_SLOT; fn++) {
			uint8_t devfn = PCI_DEVFN(slot, fn);

			if ((raw_read(bus, devfn, PCI_VENDOR_ID) & 0xffff) == PCI_VENDOR_NONE) {
				if (fn == 0)
					break;
				continue;
			}
			pci_scan_device(bus, devfn, depth);
			/* Only multi-function devices have functions 1-7. */
			if (fn == 0 && !((raw_read(bus, devfn, PCI_HEADER_TYPE & ~3u) >> 16) &
					 PCI_HEADER_MULTI_FUNCTION))
				break;
		}
	}
}

static const struct pci_device_id *match_id(const struct pci_driver *drv, const struct pci_dev *dev)
{
	for (const struct pci_device_id *id = drv->id_table; id->vendor; id++)
		if ((id->vendor == PCI_ANY_ID || id->vendor == dev->vendor) &&
		    (id->device == PCI_ANY_ID || id->device == dev->device))
			return id;
	return NULL;
}

int pci_register_driver(const struct pci_driver *drv)
{
	struct pci_dev *dev;
	int bound = 0;

	list_for_each_entry(dev, &pci_devices, node) {
		const struct pci_device_id *id = match_id(drv, dev);
		char name[16];
		int err;

		if (!id || dev->driver_data)
			continue;
		err = drv->probe(dev, id);
		if (err)
			pr_warn("%s %s: probe failed with error %d", drv->name,
				pci_name(dev, name, sizeof(name)), err);
		else
			bound++;
	}
	return bound;
}

void pci_subsys_init(void)
{
	pr_info("PCI: Using configuration type 1 for base access");
	pci_scan_bus(0, 0);
	virtio_blk_init();
}
