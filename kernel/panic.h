/* panic(): the kernel's last words. What happens after them is a boot
 * switch: halt (the default), reboot, or exit QEMU with a failure status
 * (always the case under the test harness, so a panic is never a pass). */
#ifndef OOMLAB_KERNEL_PANIC_H
#define OOMLAB_KERNEL_PANIC_H
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Called by ktest when a run starts: from now on a panic exits QEMU. */
void panic_exit_qemu_on_panic(void);
#define BUG() panic("kernel BUG at %s:%d!", __FILE__, __LINE__)
#define BUG_ON(cond)           \
	do {                   \
		if (cond)      \
			BUG(); \
	} while (0)
#endif
