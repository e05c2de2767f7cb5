/* From boot loader registers to boot_info and switches: pick the parser by
 * the magic value, print what we got as Linux does (Command line:, the e820
 * map), then apply the command line to every registered switch. */
#include "kernel/setup.h"
#include "kernel/cmdline.h"
#include "kernel/paging.h"
#include "kernel/printk.h"

struct boot_info boot_info;
extern const struct kernel_param __start_kparams[], __stop_kparams[];

const struct kernel_param *kparams_begin(void)
{
	return __start_kparams;
}
const struct kernel_param *kparams_end(void)
{
	return __stop_kparams;
}

static void report_warning(const char *msg)
{
	pr_warn("%s", msg);
}

/* Physical memory the parsers may read: what the direct map covers. */
static const void *boot_phys_to_ptr(uint64_t phys, size_t len)
{
	if (phys == 0 || phys + len < phys || phys + len > direct_map_end())
		return NULL;
	return __va(phys);
}

/* The parsers trust the length they are given, so the whole block the loader
 * describes must be readable, not only its head; a multiboot2 block says its
 * own length in its first u32. */
static const void *boot_info_block(uint32_t magic, uint64_t info_phys)
{
	const uint32_t *total_size;

	if (magic == PVH_START_MAGIC)
		return boot_phys_to_ptr(info_phys, PVH_START_INFO_MAX_SIZE);
	total_size = boot_phys_to_ptr(info_phys, sizeof(uint32_t));
	if (!total_size)
		return NULL;
	return boot_phys_to_ptr(info_phys, *total_size);
}

void setup_boot_info(uint32_t magic, uint64_t info_phys)
{
	int err = -1;
	bool known = magic == MULTIBOOT2_BOOTLOADER_MAGIC || magic == PVH_START_MAGIC;
	const void *info = known ? boot_info_block(magic, info_phys) : NULL;

	if (!known)
		pr_err("boot: unknown boot loader (magic 0x%08x, info at 0x%lx): no memory map, "
		       "no command line",
		       magic, (unsigned long)info_phys);
	else if (!info)
		pr_err("boot: %s information at 0x%lx is not readable: no memory map, "
		       "no command line",
		       magic == PVH_START_MAGIC ? "pvh" : "multiboot2", (unsigned long)info_phys);
	else if (magic == MULTIBOOT2_BOOTLOADER_MAGIC)
		err = parse_multiboot2(info, info_phys, &boot_info, report_warning);
	else
		err = parse_pvh(info, info_phys, boot_phys_to_ptr, &boot_info, report_warning);
	if (err == 0)
		pr_info("Booted via %s%s%s", boot_info.protocol,
			boot_info.loader_name[0] ? " by " : "", boot_info.loader_name);
	if (!boot_info.protocol)
		boot_info.protocol = "unknown";
	pr_notice("Command line: %s", boot_info.cmdline);
}

void setup_cmdline(void)
{
	parse_cmdline(boot_info.cmdline, __start_kparams,
		      (size_t)(__stop_kparams - __start_kparams), report_warning);
}

void e820_print_map(void)
{
	if (!boot_info.has_mmap) {
		pr_err("BIOS-e820: the boot loader gave no memory map");
		return;
	}
	pr_info("BIOS-provided physical RAM map:");
	for (uint32_t i = 0; i < boot_info.nr_mmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		pr_info("BIOS-e820: [mem 0x%016llx-0x%016llx] %s", (unsigned long long)e->addr,
			(unsigned long long)(e->addr + e->len - 1), e820_type_name(e->type));
	}
	pr_info("e820: %lluK usable RAM in the map",
		(unsigned long long)(boot_mmap_ram_bytes(&boot_info) >> 10));
}
