/* panic(): print the reason and a call trace, then stop the machine the way
 * the panic_action switch asks. Re-entry (a fault while panicking) only
 * stops: the first report is the one worth reading. */
#include "kernel/panic.h"
#include "kernel/cmdline.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/stacktrace.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"
#include <stdbool.h>

#define PANIC_MSG_MAX 160

enum panic_action { PANIC_HALT, PANIC_REBOOT, PANIC_EXIT };
static const char *const panic_action_names[] = {"halt", "reboot", "exit", NULL};
static int panic_action = PANIC_HALT;
core_param_enum(panic_action, "panic_action", panic_action, panic_action_names,
		"after a panic: halt, reboot, or exit QEMU with a failure status");

static bool in_panic;

void panic_exit_qemu_on_panic(void)
{
	panic_action = PANIC_EXIT;
}

void panic(const char *fmt, ...)
{
	char buf[PANIC_MSG_MAX];
	va_list ap;

	local_irq_disable();
	if (in_panic)
		machine_halt();
	in_panic = true;
	console_verbose();
	console_force_unlock();
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_emerg("Kernel panic - not syncing: %s", buf);
	dump_stack();
	pr_emerg("---[ end Kernel panic - not syncing: %s ]---", buf);
	if (panic_action == PANIC_EXIT)
		qemu_exit(QEMU_EXIT_PANIC);
	if (panic_action == PANIC_REBOOT)
		machine_restart();
	machine_halt();
}
