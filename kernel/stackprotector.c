/* The stack protector's runtime: the guard, chosen at boot from RDRAND when
 * the CPU has it, mixed with the TSC; and the panic when a canary no longer
 * matches. Built without the protector itself (see the Makefile). */
#include "kernel/stackprotector.h"
#include "kernel/kallsyms.h"
#include "kernel/panic.h"
#include "kernel/x86.h"
#include <stdbool.h>

/* The low byte is zero, as Linux's CANARY_MASK: a string overflow that
 * reads the canary stops at it, and one that writes it must write a NUL. */
#define CANARY_MASK 0xffffffffffffff00ul
#define CPUID_1_ECX_RDRAND (1u << 30)
#define RDRAND_RETRIES 10 /* Intel's advice: a few tries, then give up */
#define GOLDEN_RATIO_64 0x61c8864680b583ebul
#define SYMBOL_BUF 128

uint64_t __stack_chk_guard;

static bool rdrand_u64(uint64_t *v)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & CPUID_1_ECX_RDRAND))
		return false;
	for (int i = 0; i < RDRAND_RETRIES; i++) {
		bool ok;
		__asm__ volatile("rdrand %0" : "=r"(*v), "=@ccc"(ok));
		if (ok)
			return true;
	}
	return false;
}

void boot_init_stack_canary(void)
{
	uint64_t random = 0, tsc = rdtsc();

	rdrand_u64(&random);
	/* Without RDRAND the TSC alone still differs from boot to boot. */
	__stack_chk_guard = (random ^ (tsc * GOLDEN_RATIO_64)) & CANARY_MASK;
}

/* As Linux's __stack_chk_fail: name the function whose canary was hit.
 * The call is the last instruction of that function, so its return address
 * may already be the next function's: look up the byte before it (%pB). */
void __stack_chk_fail(void)
{
	uint64_t ret = (uint64_t)__builtin_return_address(0), size, off;
	const char *name = kallsyms_lookup(ret - 1, &size, &off);
	char where[SYMBOL_BUF];

	if (name)
		panic("stack-protector: Kernel stack is corrupted in: %s+0x%lx/0x%lx", name,
		      (unsigned long)(off + 1), (unsigned long)size);
	sprint_symbol(where, sizeof(where), ret);
	panic("stack-protector: Kernel stack is corrupted in: %s", where);
}
