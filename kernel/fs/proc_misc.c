/* The system-wide /proc files: memory views (meminfo, buddyinfo, zoneinfo,
 * vmstat, slabinfo) and the kernel log (dmesg). Read first: each is the
 * same text the monitor prints, made by mm's line-sink views, so the two
 * can never disagree on a format. */
#include "kernel/fs/proc_fs.h"
#include "kernel/printk.h"
#include "mm/balloon.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

#define DMESG_LINE_MAX 448 /* a record's text plus its timestamp */

static int meminfo_show(struct seq_file *m)
{
	show_meminfo(seq_emit_line, m);
	return 0;
}

static int buddyinfo_show(struct seq_file *m)
{
	show_buddyinfo(seq_emit_line, m);
	return 0;
}

static int zoneinfo_show(struct seq_file *m)
{
	show_zoneinfo(seq_emit_line, m);
	return 0;
}

static int vmstat_show(struct seq_file *m)
{
	show_vmstat(seq_emit_line, m);
	return 0;
}

static int slabinfo_show(struct seq_file *m)
{
	show_slabinfo(seq_emit_line, m);
	return 0;
}

/* Every record still in the ring, oldest first, one per line. */
static int dmesg_show(struct seq_file *m)
{
	static char line[DMESG_LINE_MAX];
	static DEFINE_MUTEX(line_lock); /* the line buffer is too big for a stack */
	unsigned long seq = 0;
	int level;

	mutex_lock(&line_lock);
	while (!m->overflow && printk_get_record(&seq, line, sizeof(line), &level) == 0)
		seq_emit_line(m, line);
	mutex_unlock(&line_lock);
	return 0;
}

static const struct proc_ops meminfo_ops = {.proc_show = meminfo_show};
static const struct proc_ops buddyinfo_ops = {.proc_show = buddyinfo_show};
static const struct proc_ops zoneinfo_ops = {.proc_show = zoneinfo_show};
static const struct proc_ops vmstat_ops = {.proc_show = vmstat_show};
static const struct proc_ops slabinfo_ops = {.proc_show = slabinfo_show};
static const struct proc_ops dmesg_ops = {.proc_show = dmesg_show};

void proc_misc_init(struct dentry *root)
{
	proc_balloon_init(root);
	proc_create(root, "buddyinfo", 0444, &buddyinfo_ops, NULL);
	proc_create(root, "dmesg", 0444, &dmesg_ops, NULL);
	proc_create(root, "meminfo", 0444, &meminfo_ops, NULL);
	proc_create(root, "slabinfo", 0444, &slabinfo_ops, NULL);
	proc_create(root, "vmstat", 0444, &vmstat_ops, NULL);
	proc_create(root, "zoneinfo", 0444, &zoneinfo_ops, NULL);
}
