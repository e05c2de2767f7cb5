/* What the boot loader told us, in one shape whichever protocol booted us:
 * multiboot2 (GRUB, from the ISO) or PVH (qemu -kernel). The parsers are
 * pure logic and distrust their input: a garbage or truncated tag is
 * reported and skipped, never followed outside the info block. */
#ifndef OOMLAB_KERNEL_BOOTINFO_H
#define OOMLAB_KERNEL_BOOTINFO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289u
#define PVH_START_MAGIC 0x336ec578u
/* Bytes of struct hvm_start_info we read (version 1, with the memory map). */
#define PVH_START_INFO_MAX_SIZE 56

#define BOOT_MMAP_MAX 128
#define BOOT_MODULES_MAX 16
#define BOOT_STRING_MAX 1024 /* cmdline and names are copied, truncated to this */

enum e820_type {
	E820_TYPE_RAM = 1,
	E820_TYPE_RESERVED = 2,
	E820_TYPE_ACPI = 3,
	E820_TYPE_NVS = 4,
	E820_TYPE_UNUSABLE = 5,
	E820_TYPE_PMEM = 7,
};

struct boot_mmap_entry {
	uint64_t addr;
	uint64_t len;
	uint32_t type; /* enum e820_type, or any other value the loader gave */
};

struct boot_module {
	uint64_t start; /* physical, [start, end) */
	uint64_t end;
	char cmdline[128];
};

struct boot_info {
	const char *protocol;	       /* "multiboot2" or "pvh" */
	char loader_name[64];	       /* "" when the loader gave none */
	char cmdline[BOOT_STRING_MAX]; /* "" when none */
	uint32_t nr_mmap;
	struct boot_mmap_entry mmap[BOOT_MMAP_MAX];
	uint32_t nr_modules;
	struct boot_module modules[BOOT_MODULES_MAX];
	uint64_t rsdp_phys;    /* 0 when unknown; for multiboot2 see rsdp_copy */
	uint8_t rsdp_copy[36]; /* multiboot2 ACPI tags carry a copy of the RSDP */
	bool has_rsdp_copy;
	uint64_t info_phys, info_size; /* the info block itself, to reserve */
	bool has_mmap;
};

typedef void (*bootinfo_report_fn)(const char *msg);
/* Translate a physical range to a readable pointer, or NULL when it is not
 * readable (outside RAM the kernel has mapped). */
typedef const void *(*phys_to_ptr_fn)(uint64_t phys, size_t len);

/* Parse the multiboot2 information block found at info (physical address
 * info_phys). Returns 0 on success, -1 when the block itself is unusable
 * (then bi holds an empty map and the reason was reported). */
int parse_multiboot2(const void *info, uint64_t info_phys, struct boot_info *bi,
		     bootinfo_report_fn report);
/* Parse a PVH hvm_start_info at start_info (physical start_phys); every
 * pointer it holds is read through phys_to_ptr. Same return convention. */
int parse_pvh(const void *start_info, uint64_t start_phys, phys_to_ptr_fn phys_to_ptr,
	      struct boot_info *bi, bootinfo_report_fn report);

/* Name of an e820 type as Linux prints it: "usable", "reserved",
 * "ACPI data", "ACPI NVS", "unusable", "persistent (type 7)", "type N". */
const char *e820_type_name(uint32_t type);
/* Total bytes of E820_TYPE_RAM. */
uint64_t boot_mmap_ram_bytes(const struct boot_info *bi);
#endif
