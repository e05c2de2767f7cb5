/* The SysRq keys we have (Linux's drivers/tty/sysrq.c): each prints a
 * dump through printk. Read first: a handler may run inside the serial
 * interrupt, so each must neither sleep nor take a sleeping lock. */
#include "kernel/sysrq.h"
#include "kernel/lockdep.h"
#include "kernel/printk.h"
#include "kernel/sched_debug.h"
#include "kernel/trace/trace.h"
#include "kernel/vsprintf.h"
#include "mm/internal.h"
#include "mm/oom.h"

#define HELP_LINE_MAX 160

struct sysrq_key_op {
	char key;
	void (*handler)(void);
	const char *help_msg;
	const char *action_msg;
};

static void sysrq_show_blocked(void)
{
	show_state_filter(TASK_UNINTERRUPTIBLE);
}

static const struct sysrq_key_op sysrq_ops[] = {
	{'d', debug_show_all_locks, "show-all-locks(d)", "Show Locks Held"},
	{'f', sysrq_oom_request, "memory-full-oom-kill(f)", "Manual OOM execution"},
	{'m', show_mem, "show-memory-usage(m)", "Show Memory"},
	{'t', show_state, "show-task-states(t)", "Show State"},
	{'w', sysrq_show_blocked, "show-blocked-tasks(w)", "Show Blocked State"},
	{'z', ftrace_dump, "dump-ftrace-buffer(z)", "Dump ftrace buffer"},
};
#define NR_SYSRQ_OPS (sizeof(sysrq_ops) / sizeof(sysrq_ops[0]))

static void print_sysrq_help(void)
{
	char line[HELP_LINE_MAX];
	size_t used = (size_t)snprintf(line, sizeof(line), "sysrq: HELP :");

	for (size_t i = 0; i < NR_SYSRQ_OPS && used < sizeof(line); i++)
		used += (size_t)snprintf(line + used, sizeof(line) - used, " %s",
					 sysrq_ops[i].help_msg);
	pr_info("%s", line);
}

/* As Linux, the header reaches the console whatever the log level; the
 * dump itself goes at its own levels (the log keeps all of it). */
void handle_sysrq(int key)
{
	long orig_log_level = console_loglevel;

	console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;
	for (size_t i = 0; i < NR_SYSRQ_OPS; i++) {
		if (sysrq_ops[i].key != key)
			continue;
		pr_info("sysrq: %s", sysrq_ops[i].action_msg);
		console_loglevel = orig_log_level;
		sysrq_ops[i].handler();
		return;
	}
	print_sysrq_help();
	console_loglevel = orig_log_level;
}

/* Called with interrupts off (the receive path), so nothing races on it. */
static bool sysrq_armed;

bool sysrq_serial_input(char c)
{
	if (sysrq_armed) {
		sysrq_armed = false;
		handle_sysrq(c);
		return true;
	}
	if (c == SYSRQ_SERIAL_PREFIX) {
		sysrq_armed = true;
		return true;
	}
	return false;
}
