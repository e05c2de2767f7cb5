/* Reaching user memory from the kernel (Linux's uaccess.h). Read first:
 * every access to a user pointer goes through these; a bad address makes
 * them return an error (-EFAULT or "bytes not copied") through the
 * exception table, never an oops. SMAP is opened only inside them. */
#ifndef OOMLAB_KERNEL_UACCESS_H
#define OOMLAB_KERNEL_UACCESS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* User addresses are below the canonical hole, minus a guard page. */
#define TASK_SIZE_MAX ((1ul << 47) - 4096)
#define TASK_SIZE TASK_SIZE_MAX

#define __user

/* As Linux's do_arch_prctl_64: a TLS (FS) base must be a user address,
 * for arch_prctl(ARCH_SET_FS) and clone(CLONE_SETTLS) alike; wrmsr with a
 * non-canonical one would fault in the kernel. */
static inline bool fsbase_ok(unsigned long base)
{
	return base < TASK_SIZE_MAX;
}

static inline bool access_ok(const void __user *addr, size_t size)
{
	uint64_t a = (uint64_t)addr;

	return a + size >= a && a + size <= TASK_SIZE_MAX;
}

/* Both return the number of bytes NOT copied (0 on success). */
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
unsigned long clear_user(void __user *to, unsigned long n);
/* Copies a NUL-terminated string of at most count bytes (NUL included);
 * returns its length, -EFAULT, or count when it did not fit. */
long strncpy_from_user(char *dst, const char __user *src, long count);

/* SMAP switch, set once at boot when the CPU has it. */
extern bool smap_enabled;
#endif
