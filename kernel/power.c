/* Halt, restart, power-off and QEMU exit. Each path falls through to the
 * next-best way to stop, and finally to a halt loop with interrupts off. */
#include "kernel/power.h"
#include "kernel/acpi.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/traps.h"
#include "kernel/x86.h"

#define KBD_STATUS 0x64
#define KBD_STATUS_INPUT_FULL 0x02
#define KBD_CMD_PULSE_RESET 0xfe
#define KBD_WAIT_LIMIT 100000
#define RESET_CONTROL_PORT 0xcf9
#define RESET_CONTROL_FULL 0x0e
#define ACPI_SLP_EN (1u << 13)
#define ACPI_SLP_TYP_SHIFT 10
#define QEMU_PIIX4_PM1A_CNT 0x604 /* QEMU's i440fx machine, if ACPI failed */
#define QEMU_PIIX4_S5 0x2000
/* The chipset may take a moment to act on SLP_EN; say "failed" only after. */
#define POWER_OFF_GRACE_NS (200 * 1000 * NSEC_PER_USEC)

void machine_halt(void)
{
	for (;;) {
		local_irq_disable();
		halt();
	}
}

void qemu_exit(unsigned int code)
{
	outl(QEMU_DEBUG_EXIT_PORT, code);
	/* No isa-debug-exit device (plain "make run"): just stop. */
	machine_halt();
}

void machine_restart(void)
{
	pr_emerg("reboot: Restarting system");
	local_irq_disable();
	for (int i = 0; i < KBD_WAIT_LIMIT && (inb(KBD_STATUS) & KBD_STATUS_INPUT_FULL); i++)
		cpu_relax();
	outb(KBD_STATUS, KBD_CMD_PULSE_RESET);
	outb(RESET_CONTROL_PORT, RESET_CONTROL_FULL);
	/* Last resort: a triple fault resets every PC. */
	idt_load_empty();
	__asm__ volatile("int3");
	machine_halt();
}

void machine_power_off(void)
{
	struct acpi_poweroff po;

	pr_emerg("reboot: Power down");
	local_irq_disable();
	if (acpi_get_poweroff(&po)) {
		outw(po.pm1a_cnt, (uint16_t)(po.slp_typa << ACPI_SLP_TYP_SHIFT | ACPI_SLP_EN));
		if (po.pm1b_cnt)
			outw(po.pm1b_cnt,
			     (uint16_t)(po.slp_typb << ACPI_SLP_TYP_SHIFT | ACPI_SLP_EN));
	}
	ndelay_busy(POWER_OFF_GRACE_NS);
	outw(QEMU_PIIX4_PM1A_CNT, QEMU_PIIX4_S5);
	ndelay_busy(POWER_OFF_GRACE_NS);
	pr_emerg("reboot: power-off failed; halting");
	machine_halt();
}
