/* x86 memory setup at boot: the boot loader's map into memblock, the
 * reservations nothing may overwrite, the direct map over all RAM, then the
 * generic page allocator (Linux's e820__memblock_setup and friends). Read
 * first: what is not reserved here becomes free memory. */
#include "kernel/ktest.h"
#include "kernel/paging.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/setup.h"
#include "mm/gfp.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

#define LOW_MEMORY_RESERVE (1ul << 20) /* BIOS data, EBDA, option ROMs */
#define MIB_SHIFT 20

extern char _boot_start[], _sdata[], _edata[], __bss_start[];

static uint64_t page_align_up(uint64_t x)
{
	return (x + PAGE_SIZE - 1) & PAGE_MASK;
}

static void e820__memblock_setup(void)
{
	memblock_reset();
	for (uint32_t i = 0; i < boot_info.nr_mmap && i < BOOT_MMAP_MAX; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		uint64_t start = page_align_up(e->addr), end = (e->addr + e->len) & PAGE_MASK;

		if (e->type == E820_TYPE_RAM && end > start && e->addr + e->len > e->addr)
			memblock_add(start, end - start);
	}
}

static void reserve_boot_memory(void)
{
	memblock_reserve(0, LOW_MEMORY_RESERVE);
	memblock_reserve((uint64_t)_boot_start, __pa(_end) - (uint64_t)_boot_start);
	if (boot_info.info_size)
		memblock_reserve(boot_info.info_phys, boot_info.info_size);
	for (uint32_t i = 0; i < boot_info.nr_modules && i < BOOT_MODULES_MAX; i++) {
		const struct boot_module *m = &boot_info.modules[i];

		if (m->end > m->start)
			memblock_reserve(m->start, m->end - m->start);
	}
}

/* Too little RAM is a boot-time refusal with one clear line, not a panic
 * deep inside the allocator. A harness run ends QEMU with its failure
 * status so that a test sees the refusal at once. */
static void check_minimum_ram(void)
{
	uint64_t mib = memblock_phys_mem_size() >> MIB_SHIFT;

	if (mib >= OOMLAB_MIN_RAM_MIB)
		return;
	pr_emerg("oomlab needs at least %d MiB of RAM, got %llu MiB", OOMLAB_MIN_RAM_MIB,
		 (unsigned long long)mib);
	if (ktest_boot_list() || ktest_boot_globs()[0])
		qemu_exit(QEMU_EXIT_FAIL);
	machine_halt();
}

static unsigned long kib(const void *start, const void *end)
{
	return (unsigned long)((const char *)end - (const char *)start) >> 10;
}

/* As Linux's mem_init_print_info. */
static void mem_init_print_info(void)
{
	unsigned long physpages = NODE_DATA(0)->node_present_pages;

	pr_info("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, "
		"%luK bss, %luK reserved)",
		nr_free_pages() << (PAGE_SHIFT - 10), physpages << (PAGE_SHIFT - 10),
		kib(_stext, _etext), kib(_sdata, _edata), kib(_srodata, _erodata),
		kib(__bss_start, _end), (physpages - totalram_pages) << (PAGE_SHIFT - 10));
}

void setup_memory(void)
{
	e820__memblock_setup();
	reserve_boot_memory();
	check_minimum_ram();
	init_mem_mapping(memblock_end_of_DRAM());
	mm_core_init();
	paging_use_page_allocator();
	kmem_cache_init();
	mem_init_print_info();
}
