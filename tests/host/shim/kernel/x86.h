/* Host stand-in for kernel/x86.h, for the mm host tests: the mm sources
 * include it (via kernel/spinlock.h) for the interrupt flag and cpu_relax.
 * Read first: cli/sti/pushfq cannot run in user space, so the interrupt
 * flag is a variable the tests can read; port I/O, control registers and
 * MSRs are left out on purpose, so mm code that reached for them would no
 * longer build here. */
#ifndef OOMLAB_KERNEL_X86_H
#define OOMLAB_KERNEL_X86_H
#include <stdbool.h>
#include <stdint.h>

#define X86_EFLAGS_IF (1ul << 9)

/* The emulated IF; starts set, as in the kernel after boot. Defined in
 * tests/host/mm_host.c. */
extern bool host_irqs_on;

static inline uint64_t rdtsc(void)
{
	return __builtin_ia32_rdtsc();
}
static inline void cpu_relax(void)
{
	__builtin_ia32_pause();
}
static inline void local_irq_disable(void)
{
	host_irqs_on = false;
}
static inline void local_irq_enable(void)
{
	host_irqs_on = true;
}
static inline uint64_t local_save_flags(void)
{
	return host_irqs_on ? X86_EFLAGS_IF : 0;
}
static inline uint64_t local_irq_save(void)
{
	uint64_t f = local_save_flags();
	local_irq_disable();
	return f;
}
static inline void local_irq_restore(uint64_t flags)
{
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
}
static inline bool irqs_disabled(void)
{
	return !host_irqs_on;
}
#endif
