/* What the boot loader handed over reached the kernel: a protocol, a
 * memory map with RAM in it, and the command line that selected this very
 * suite. Runs the same under PVH (-kernel) and multiboot2 (GRUB). */
#include "kernel/ktest.h"
#include "kernel/setup.h"
#include "kernel/string.h"

#define MIN_RAM_BYTES (16ull << 20)
#define MAX_RAM_BYTES (8ull << 30)
#define LOW_MEMORY_END 0x100000ull

static void bootinfo_names_the_protocol(struct kunit *test)
{
	KUNIT_ASSERT_NOT_NULL(test, boot_info.protocol);
	KUNIT_EXPECT_TRUE(test, strcmp(boot_info.protocol, "pvh") == 0 ||
					strcmp(boot_info.protocol, "multiboot2") == 0);
}

static void bootinfo_cmdline_reached_the_kernel(struct kunit *test)
{
	KUNIT_EXPECT_NOT_NULL(test, strstr(boot_info.cmdline, "ktest="));
}

static void bootinfo_memory_map_has_usable_ram(struct kunit *test)
{
	uint64_t ram = boot_mmap_ram_bytes(&boot_info);

	KUNIT_ASSERT_TRUE(test, boot_info.has_mmap);
	KUNIT_EXPECT_GT(test, boot_info.nr_mmap, 0);
	KUNIT_EXPECT_UGE(test, ram, MIN_RAM_BYTES);
	KUNIT_EXPECT_ULT(test, ram, MAX_RAM_BYTES + 1);
}

static void bootinfo_kernel_image_lies_in_usable_ram(struct kunit *test)
{
	bool found = false;

	for (uint32_t i = 0; i < boot_info.nr_mmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		if (e->type == E820_TYPE_RAM && e->addr <= LOW_MEMORY_END &&
		    e->addr + e->len > LOW_MEMORY_END)
			found = true;
	}
	KUNIT_EXPECT_TRUE(test, found);
}

static void bootinfo_e820_type_names_match_linux(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, e820_type_name(E820_TYPE_RAM), "usable");
	KUNIT_EXPECT_STREQ(test, e820_type_name(E820_TYPE_RESERVED), "reserved");
	KUNIT_EXPECT_STREQ(test, e820_type_name(E820_TYPE_ACPI), "ACPI data");
	KUNIT_EXPECT_STREQ(test, e820_type_name(E820_TYPE_NVS), "ACPI NVS");
}

static struct kunit_case bootinfo_cases[] = {
	KUNIT_CASE(bootinfo_names_the_protocol),
	KUNIT_CASE(bootinfo_cmdline_reached_the_kernel),
	KUNIT_CASE(bootinfo_memory_map_has_usable_ram),
	KUNIT_CASE(bootinfo_kernel_image_lies_in_usable_ram),
	KUNIT_CASE(bootinfo_e820_type_names_match_linux),
	{},
};
static struct kunit_suite bootinfo_suite = {.name = "bootinfo", .test_cases = bootinfo_cases};
kunit_test_suite(bootinfo_suite);
