/* Boot-time setup of what the boot loader handed over: the boot_info
 * (memory map, command line, modules) in one protocol-neutral shape. */
#ifndef OOMLAB_KERNEL_SETUP_H
#define OOMLAB_KERNEL_SETUP_H
#include "kernel/bootinfo.h"
#include <stdint.h>
extern struct boot_info boot_info;
void setup_boot_info(uint32_t magic, uint64_t info_phys);
void setup_cmdline(void);
void e820_print_map(void);
/* memblock, the direct map over all RAM, zones and the page allocator. */
void setup_memory(void);
/* The registered command-line switches. */
const struct kernel_param *kparams_begin(void);
const struct kernel_param *kparams_end(void);
#endif
