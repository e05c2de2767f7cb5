/* kmain: the order in which the machine comes up. Exceptions are caught
 * from the second step on, so everything after gdt/idt setup that goes
 * wrong is reported with a call trace rather than a silent reset. */
#include "kernel/acpi.h"
#include "kernel/cmdline.h"
#include "kernel/drivers/pci.h"
#include "kernel/fs/fs.h"
#include "kernel/gdt.h"
#include "kernel/hung_task.h"
#include "kernel/i8259.h"
#include "kernel/ktest.h"
#include "kernel/monitor.h"
#include "kernel/paging.h"
#include "kernel/panic.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/psi.h"
#include "kernel/sched.h"
#include "kernel/serial.h"
#include "kernel/setup.h"
#include "kernel/stackprotector.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/traps.h"
#include "kernel/x86.h"
#include "mm/balloon.h"
#include "mm/internal.h"
#include "mm/oom.h"
#include "mm/overcommit.h"
#include "mm/slab.h"
#include "mm/swap.h"

#define COM1_IRQ 4
#define OOMLAB_VERSION "0.1.0"

void kmain(uint32_t magic, uint64_t info_phys);
void fork_init(void);
void cpu_idle_loop(void) __attribute__((noreturn));
struct task_struct *create_kernel_task(int (*fn)(void *), void *arg, const char *name);

static void run_boot_tests(void)
{
	if (ktest_boot_list()) {
		ktest_list();
		qemu_exit(QEMU_EXIT_PASS);
	}
	if (ktest_boot_globs()[0]) {
		bool ok;
		panic_exit_qemu_on_panic();
		ok = ktest_run(ktest_boot_globs());
		qemu_exit(ok ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
	}
}

/* The first user program, as Linux's init= switch; "none" keeps the
 * kernel monitor (handy when debugging the kernel itself). */
static const char *init_path = "/bin/init";
core_param_string(init, "init", init_path, "first user program (none: the kernel monitor)");

/* On success this never returns: pid 1 leaves for user mode. */
static void run_init_process(void)
{
	static const char *const envp[] = {"HOME=/", "TERM=linux", "PATH=/bin", NULL};
	const char *argv[] = {init_path, NULL};
	long err;

	if (!strcmp(init_path, "none"))
		return;
	console_on_rootfs(); /* fds 0, 1, 2 on /dev/console, as Linux starts init */
	err = kernel_execve(init_path, argv, envp);
	pr_err("Failed to execute %s (error %ld); the kernel monitor stands in", init_path, err);
}

/* pid 1: what the boot context would do next, in a task that may sleep. */
static int kernel_init(void *unused)
{
	(void)unused;
	hung_task_init();
	oom_init();
	kswapd_run();
	slab_shrinker_init();
	balloon_init();
	vfs_caches_init();
	overcommit_init();
	watermark_sysctl_init();
	psi_init();
	populate_rootfs();
	pci_subsys_init(); /* and the drivers of what it finds: virtio-blk */
	/* Boot's allocations are done: the free lists as tests expect them
	 * back after freeing everything they took. */
	record_boot_free_areas();
	run_boot_tests();
	run_init_process();
	monitor_run();
	return 0;
}

/* As Linux's rest_init: start pid 1, then become the idle task. */
static void rest_init(void)
{
	struct task_struct *init = create_kernel_task(kernel_init, NULL, "init");

	if (!init)
		panic("rest_init: cannot create the init task");
	wake_up_process(init);
	cpu_idle_loop();
}

/* kmain never returns, so the canary set here never checks its own frame. */
void kmain(uint32_t magic, uint64_t info_phys)
{
	boot_init_stack_canary();
	serial_init();
	gdt_init();
	idt_init();
	paging_init();
	tsc_calibrate();
	pr_notice("oomlab version " OOMLAB_VERSION " (gcc " __VERSION__ ") a teaching kernel");
	setup_boot_info(magic, info_phys);
	setup_cmdline();
	e820_print_map();
	setup_memory();
	fork_init();
	sched_init();
	pr_info("tsc: Detected %lu.%03lu MHz processor", (unsigned long)(tsc_khz_get() / 1000),
		(unsigned long)(tsc_khz_get() % 1000));
	pic_init();
	request_irq(COM1_IRQ, serial_irq);
	serial_enable_rx_irq();
	time_init();
	syscall_init();
	local_irq_enable();
	acpi_init(&boot_info);
	rest_init();
}
