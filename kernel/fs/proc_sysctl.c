/* /proc/sys: every kernel command-line switch as a file under
 * /proc/sys/oomlab/ (read: its value; write: set it with the very checks
 * of the command line), Linux's vm/drop_caches, and the Linux-style
 * sysctl tables (kernel/sysctl.h) registered under /proc/sys/vm and fs
 * (a table's entry replaces the vm/ alias of a switch of that name). Read
 * first: a switch's write goes through parse_cmdline itself, so a value
 * the boot line would refuse is refused here too, with the same message,
 * as -EINVAL; a table entry's write goes through its own handler. */
#include "kernel/cmdline.h"
#include "kernel/fs/proc_fs.h"
#include "kernel/printk.h"
#include "kernel/setup.h"
#include "kernel/string.h"
#include "kernel/sysctl.h"
#include "kernel/vsprintf.h"
#include "mm/slab.h"
#include "mm/swap.h"

#define VALUE_MAX 128
#define VM_PREFIX "vm."
#define OOM_PREFIX "oom."
#define SETTING_MAX (PROC_WRITE_MAX + 64)

/* parse_cmdline is not reentrant; this also keeps one setting whole. */
static DEFINE_MUTEX(sysctl_lock);
static int sysctl_problems;

static const struct kernel_param *inode_param(struct inode *inode)
{
	return PROC_I(inode)->data;
}

static int kparam_show(struct seq_file *m)
{
	char value[VALUE_MAX];

	kparam_format_value(inode_param(seq_inode(m)), value, sizeof(value));
	seq_printf(m, "%s\n", value);
	return 0;
}

static void sysctl_report(const char *msg)
{
	sysctl_problems++;
	pr_warn("sysctl: %s", msg);
}

/* "value\n" (as echo writes it) -> "value"; quotes and line breaks inside
 * could not be said on a command line either. */
static int clean_value(char *buf, size_t count)
{
	if (count && buf[count - 1] == '\n')
		buf[--count] = '\0';
	for (size_t i = 0; i < count; i++)
		if (buf[i] == '"' || buf[i] == '\n' || buf[i] == '\0')
			return -EINVAL;
	return 0;
}

/* Set one switch from text: 0 or -EINVAL (-ENOMEM without memory). The
 * function the /proc/sys write uses; tests call it directly too. */
int kparam_set_from_string(const struct kernel_param *p, char *value, size_t count)
{
	char *setting;
	int problems;

	if (clean_value(value, count))
		return -EINVAL;
	setting = kmalloc(SETTING_MAX, GFP_KERNEL);
	if (!setting)
		return -ENOMEM;
	snprintf(setting, SETTING_MAX, "%s=\"%s\"", p->name, value);
	mutex_lock(&sysctl_lock);
	sysctl_problems = 0;
	parse_cmdline(setting, p, 1, sysctl_report);
	problems = sysctl_problems;
	mutex_unlock(&sysctl_lock);
	kfree(setting);
	if (problems)
		return -EINVAL;
	if (p->changed)
		p->changed();
	return 0;
}

static ssize_t kparam_write(struct inode *inode, char *buf, size_t count)
{
	int err = kparam_set_from_string(inode_param(inode), buf, count);

	return err ? err : (ssize_t)count;
}

static const struct proc_ops kparam_ops = {.proc_show = kparam_show, .proc_write = kparam_write};

static int drop_caches_show(struct seq_file *m)
{
	seq_puts(m, "0\n");
	return 0;
}

/* As Linux: 1 drops clean page-cache pages, 2 the shrinkers' objects
 * (drop_slab: until a pass frees almost nothing), 3 both. */
static ssize_t drop_caches_write(struct inode *inode, char *buf, size_t count)
{
	long v;

	if (kstrtol(buf, 10, &v) || v < 1 || v > 3)
		return -EINVAL;
	if (v & 1)
		pr_info("drop_caches: %lu page-cache pages dropped", drop_pagecache());
	if (v & 2)
		pr_info("drop_caches: %lu slab objects freed", drop_slab());
	return (ssize_t)count;
}

static const struct proc_ops drop_caches_ops = {.proc_show = drop_caches_show,
						.proc_write = drop_caches_write};

#define SYSCTL_TABLES_MAX 8

static const struct ctl_table *inode_table(struct inode *inode)
{
	return PROC_I(inode)->data;
}

static int ctl_show(struct seq_file *m)
{
	const struct ctl_table *table = inode_table(seq_inode(m));
	char value[VALUE_MAX];
	size_t len = sizeof(value);
	int err = table->proc_handler(table, 0, value, &len);

	if (err)
		return err;
	value[len < sizeof(value) ? len : sizeof(value) - 1] = '\0';
	seq_puts(m, value);
	return 0;
}

static ssize_t ctl_write(struct inode *inode, char *buf, size_t count)
{
	const struct ctl_table *table = inode_table(inode);
	size_t len = count;
	int err;

	mutex_lock(&sysctl_lock);
	err = table->proc_handler(table, 1, buf, &len);
	mutex_unlock(&sysctl_lock);
	return err ? err : (ssize_t)len;
}

static const struct proc_ops ctl_ops = {.proc_show = ctl_show, .proc_write = ctl_write};

/* Tables registered before /proc exists wait here for proc_sys_init;
 * each lives under one of the directories Linux has ("vm", "fs"). */
enum sysctl_dir { SYSCTL_VM, SYSCTL_FS, NR_SYSCTL_DIRS };
static const char *const sysctl_dir_names[NR_SYSCTL_DIRS] = {"vm", "fs"};

static struct {
	const struct ctl_table *table;
	enum sysctl_dir dir;
} sysctl_tables[SYSCTL_TABLES_MAX];
static int nr_sysctl_tables;
static struct dentry *proc_sys_dirs[NR_SYSCTL_DIRS];

static void add_table_files(struct dentry *dir, const struct ctl_table *table)
{
	for (; table->procname; table++)
		proc_create(dir, table->procname, table->mode, &ctl_ops, table);
}

int register_sysctl_init(const char *path, const struct ctl_table *table)
{
	int dir = 0;

	while (dir < NR_SYSCTL_DIRS && strcmp(path, sysctl_dir_names[dir]))
		dir++;
	if (dir == NR_SYSCTL_DIRS)
		return -ENOENT;
	if (nr_sysctl_tables == SYSCTL_TABLES_MAX)
		return -ENOMEM;
	sysctl_tables[nr_sysctl_tables].table = table;
	sysctl_tables[nr_sysctl_tables++].dir = (enum sysctl_dir)dir;
	if (proc_sys_dirs[dir])
		add_table_files(proc_sys_dirs[dir], table);
	return 0;
}

/* Does a vm table already give this name its Linux handler? Then the
 * switch of the same name stays under /proc/sys/oomlab only. */
static bool vm_table_has(const char *name)
{
	for (int i = 0; i < nr_sysctl_tables; i++) {
		if (sysctl_tables[i].dir != SYSCTL_VM)
			continue;
		for (const struct ctl_table *t = sysctl_tables[i].table; t->procname; t++)
			if (!strcmp(t->procname, name))
				return true;
	}
	return false;
}

void proc_sys_init(struct dentry *root)
{
	struct dentry *sys = proc_mkdir(root, "sys");
	struct dentry *oomlab = proc_mkdir(sys, "oomlab");
	struct dentry *vm = proc_mkdir(sys, "vm");
	struct dentry *oom = proc_mkdir(oomlab, "oom");

	for (const struct kernel_param *p = kparams_begin(); p < kparams_end(); p++) {
		const char *vm_name;

		if (!p->name)
			continue;
		vm_name = p->name + sizeof(VM_PREFIX) - 1;
		proc_create(oomlab, p->name, 0644, &kparam_ops, p);
		/* Linux's vm sysctls where Linux users look for them too. */
		if (!strncmp(p->name, VM_PREFIX, sizeof(VM_PREFIX) - 1) && !vm_table_has(vm_name))
			proc_create(vm, vm_name, 0644, &kparam_ops, p);
		/* The seed switches also as /proc/sys/oomlab/oom/NAME. */
		if (!strncmp(p->name, OOM_PREFIX, sizeof(OOM_PREFIX) - 1))
			proc_create(oom, p->name + sizeof(OOM_PREFIX) - 1, 0644, &kparam_ops, p);
	}
	proc_create(vm, "drop_caches", 0644, &drop_caches_ops, NULL);
	proc_sys_dirs[SYSCTL_VM] = vm;
	proc_sys_dirs[SYSCTL_FS] = proc_mkdir(sys, "fs");
	for (int i = 0; i < nr_sysctl_tables; i++)
		add_table_files(proc_sys_dirs[sysctl_tables[i].dir], sysctl_tables[i].table);
}
