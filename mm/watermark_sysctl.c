/* /proc/sys/vm/min_free_kbytes and watermark_scale_factor: the watermarks'
 * run-time knobs (Linux's handlers in mm/page_alloc.c). Read first: the
 * text is parsed into a local first, so a refused write (-EINVAL) leaves
 * the setting and every zone's marks exactly as they were. */
#include "kernel/printk.h"
#include "kernel/sysctl.h"
#include "mm/internal.h"

static const int min_free_kbytes_min = 0;
static const int scale_factor_min = WATERMARK_SCALE_FACTOR_MIN;
static const int scale_factor_max = WATERMARK_SCALE_FACTOR_MAX;

/* Parse (or print) the long variable behind table through an int, with
 * the table's bounds; *parsed gets a written value. */
static int dointvec_long(const struct ctl_table *table, int write, char *buffer, size_t *lenp,
			 long *parsed)
{
	int value = (int)*(const long *)table->data;
	struct ctl_table local = *table;
	int err;

	local.data = &value;
	err = proc_dointvec_minmax(&local, write, buffer, lenp);
	*parsed = value;
	return err;
}

/* As Linux's min_free_kbytes_sysctl_handler. */
static int min_free_kbytes_sysctl_handler(const struct ctl_table *table, int write, char *buffer,
					  size_t *lenp)
{
	long value;
	int err = dointvec_long(table, write, buffer, lenp, &value);

	return err || !write ? err : set_min_free_kbytes(value);
}

/* As Linux's watermark_scale_factor_sysctl_handler. */
static int watermark_scale_factor_sysctl_handler(const struct ctl_table *table, int write,
						 char *buffer, size_t *lenp)
{
	long value;
	int err = dointvec_long(table, write, buffer, lenp, &value);

	return err || !write ? err : set_watermark_scale_factor(value);
}

static const struct ctl_table watermark_sysctls[] = {
	{.procname = "min_free_kbytes",
	 .data = &min_free_kbytes,
	 .mode = 0644,
	 .proc_handler = min_free_kbytes_sysctl_handler,
	 .extra1 = &min_free_kbytes_min},
	{.procname = "watermark_scale_factor",
	 .data = &watermark_scale_factor,
	 .mode = 0644,
	 .proc_handler = watermark_scale_factor_sysctl_handler,
	 .extra1 = &scale_factor_min,
	 .extra2 = &scale_factor_max},
	{0},
};

void watermark_sysctl_init(void)
{
	if (register_sysctl_init("vm", watermark_sysctls))
		pr_err("watermark: cannot register the vm sysctls");
}
