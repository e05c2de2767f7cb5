/* Stopping the machine: halt, reboot, ACPI power-off, and the QEMU
 * isa-debug-exit port the test harness reads. QEMU turns a value v written
 * there into exit status (v << 1) | 1, so no status we choose is ever 0
 * (which QEMU also gives after a triple fault or a power-off). */
#ifndef OOMLAB_KERNEL_POWER_H
#define OOMLAB_KERNEL_POWER_H
#define QEMU_DEBUG_EXIT_PORT 0xf4
#define QEMU_EXIT_PASS 0x10  /* exit status 33 */
#define QEMU_EXIT_FAIL 0x11  /* exit status 35 */
#define QEMU_EXIT_PANIC 0x12 /* exit status 37 */
void qemu_exit(unsigned int code) __attribute__((noreturn));
void machine_halt(void) __attribute__((noreturn));
void machine_restart(void) __attribute__((noreturn));
void machine_power_off(void) __attribute__((noreturn));
#endif
