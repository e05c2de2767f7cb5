/* Host stand-in for kernel/paging.h, for the mm host tests. Read first:
 * "physical memory" is one big anonymous mapping made by the test
 * (tests/host/mm_host.c); __va adds its base and __pa subtracts it, and
 * __pa aborts on an address outside it, where the kernel would fault. */
#ifndef OOMLAB_KERNEL_PAGING_H
#define OOMLAB_KERNEL_PAGING_H
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ul << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* Where physical address 0 lives in this process. */
extern uint8_t *host_phys_base;

static inline void *__va(uint64_t phys)
{
	return host_phys_base + phys;
}
uint64_t __pa(const void *virt);
/* Highest physical address + 1 the "direct map" covers: the test's RAM. */
uint64_t direct_map_end(void);
#endif
