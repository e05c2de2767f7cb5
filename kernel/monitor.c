/* A small command interpreter: a table of commands, each a name, a one-line
 * help and a handler taking the rest of the line. Unknown commands say so
 * and point at "help". */
#include "kernel/monitor.h"
#include "kernel/cmdline.h"
#include "kernel/ktest.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/sched_debug.h"
#include "kernel/serial.h"
#include "kernel/setup.h"
#include "kernel/string.h"
#include "kernel/sysrq.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

#define MONITOR_LINE_MAX 256
#define PROMPT "oomlab> "
#define VALUE_BUF 80

struct monitor_cmd {
	const char *name;
	const char *usage;
	const char *help;
	void (*run)(const char *args);
};

static void cmd_help(const char *args);

static void cmd_dmesg(const char *args)
{
	(void)args;
	dmesg_print();
}

static void cmd_mem(const char *args)
{
	(void)args;
	if (!boot_info.has_mmap) {
		console_printf("no memory map from the boot loader\n");
		return;
	}
	for (uint32_t i = 0; i < boot_info.nr_mmap; i++) {
		const struct boot_mmap_entry *e = &boot_info.mmap[i];
		console_printf("BIOS-e820: [mem 0x%016llx-0x%016llx] %s\n",
			       (unsigned long long)e->addr,
			       (unsigned long long)(e->addr + e->len - 1), e820_type_name(e->type));
	}
	console_printf("usable: %llu KiB\n",
		       (unsigned long long)(boot_mmap_ram_bytes(&boot_info) >> 10));
}

/* The /proc-format views print straight to the console, one line each. */
static void console_line(void *ctx, const char *line)
{
	(void)ctx;
	console_printf("%s\n", line);
}

static void cmd_buddyinfo(const char *args)
{
	(void)args;
	show_buddyinfo(console_line, NULL);
}

static void cmd_zoneinfo(const char *args)
{
	(void)args;
	show_zoneinfo(console_line, NULL);
}

static void cmd_meminfo(const char *args)
{
	(void)args;
	show_meminfo(console_line, NULL);
}

static void cmd_vmstat(const char *args)
{
	(void)args;
	show_vmstat(console_line, NULL);
}

static void cmd_slabinfo(const char *args)
{
	(void)args;
	show_slabinfo(console_line, NULL);
}

static void cmd_showmem(const char *args)
{
	(void)args;
	show_mem();
}

static void cmd_ktest(const char *args)
{
	bool ok;

	if (!*args) {
		console_printf("usage: ktest GLOB[,GLOB...]   (suites: see below)\n");
		ktest_list();
		return;
	}
	ok = ktest_run(args);
	console_printf("ktest: %s\n", ok ? "all passed" : "FAILURES (see 'not ok' lines)");
}

static void cmd_params(const char *args)
{
	char value[VALUE_BUF], allowed[VALUE_BUF];

	(void)args;
	for (const struct kernel_param *p = kparams_begin(); p < kparams_end(); p++) {
		kparam_format_value(p, value, sizeof(value));
		kparam_describe(p, allowed, sizeof(allowed));
		console_printf("  %-20s = %-10s  %s (%s)\n", p->name, value, p->help, allowed);
	}
}

static void cmd_ps(const char *args)
{
	(void)args;
	show_task_list(console_line, NULL);
}

static void cmd_sysrq(const char *args)
{
	handle_sysrq(args[0]);
}

static void cmd_poweroff(const char *args)
{
	(void)args;
	machine_power_off();
}

static void cmd_reboot(const char *args)
{
	(void)args;
	machine_restart();
}

static const struct monitor_cmd commands[] = {
	{"help", "", "list the commands", cmd_help},
	{"dmesg", "", "print the kernel log", cmd_dmesg},
	{"mem", "", "print the boot memory map", cmd_mem},
	{"buddyinfo", "", "free blocks per zone and order (/proc/buddyinfo)", cmd_buddyinfo},
	{"zoneinfo", "", "watermarks, reserves and counters per zone (/proc/zoneinfo)",
	 cmd_zoneinfo},
	{"meminfo", "", "memory totals (/proc/meminfo)", cmd_meminfo},
	{"vmstat", "", "vm counters and events (/proc/vmstat)", cmd_vmstat},
	{"slabinfo", "", "slab caches and their objects (/proc/slabinfo)", cmd_slabinfo},
	{"showmem", "", "the Mem-Info dump printed on allocation failure", cmd_showmem},
	{"ktest", "GLOB", "run in-kernel test suites (KTAP output)", cmd_ktest},
	{"params", "", "show the command-line switches and their values", cmd_params},
	{"ps", "", "one line per task: PID PPID STATE POLICY NI TIME COMMAND", cmd_ps},
	{"sysrq", "KEY",
	 "t: all tasks, w: blocked tasks, m: memory, d: locks held, f: OOM kill, z: trace",
	 cmd_sysrq},
	{"poweroff", "", "power the machine off (ACPI)", cmd_poweroff},
	{"reboot", "", "restart the machine", cmd_reboot},
};
#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void cmd_help(const char *args)
{
	(void)args;
	for (size_t i = 0; i < NR_COMMANDS; i++)
		console_printf("  %-9s%-6s %s\n", commands[i].name, commands[i].usage,
			       commands[i].help);
	console_printf(
		"On the serial line, Ctrl-\\ then t, w, m, d, f or z does what 'sysrq' does,\n"
		"even while a test runs or every task is blocked; Ctrl-\\ h lists the keys.\n");
}

static char *skip_spaces(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

int monitor_exec(char *line)
{
	char *name = skip_spaces(line), *args = name;
	size_t len;

	while (*args && *args != ' ' && *args != '\t')
		args++;
	len = (size_t)(args - name);
	if (*args)
		*args++ = '\0';
	args = skip_spaces(args);
	if (len == 0)
		return 0;
	for (size_t i = 0; i < NR_COMMANDS; i++) {
		if (strcmp(commands[i].name, name) == 0) {
			commands[i].run(args);
			return 0;
		}
	}
	console_printf("%s: unknown command (try 'help')\n", name);
	return -1;
}

void monitor_run(void)
{
	char line[MONITOR_LINE_MAX];

	console_printf("\nType 'help' for commands.\n");
	for (;;) {
		console_printf(PROMPT);
		console_readline(line, sizeof(line));
		monitor_exec(line);
	}
}
