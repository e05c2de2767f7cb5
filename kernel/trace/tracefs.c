/* tracefs: the files of /sys/kernel/tracing (Linux's fs/tracefs/inode.c
 * and the files kernel/trace/trace.c and trace_events.c create there):
 * trace, tracing_on, set_event, available_events, events/enable, events/<system>/enable and
 * events/<system>/<event>/{enable,format}. Read first: the whole tree is
 * made at boot and never changes; each file is a node saying what it shows
 * and parses, read through a seq_file made whole at offset 0, as /proc. */
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/fs/seq_file.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/trace/trace.h"
#include "mm/slab.h"

#define TRACEFS_DEV MKDEV(0, 4)
#define TRACEFS_PATH "/sys/kernel/tracing"
#define TRACEFS_WRITE_MAX 256 /* a number, or set_event's list of names */

enum tracefs_kind {
	TF_TRACE,
	TF_TRACING_ON,
	TF_SET_EVENT,
	TF_AVAILABLE_EVENTS,
	TF_ENABLE_ALL,
	TF_ENABLE_SYSTEM,
	TF_ENABLE_EVENT,
	TF_FORMAT
};

/* What one file is about: its kind, and the system or event it names. */
struct tracefs_node {
	enum tracefs_kind kind;
	const char *system;	/* TF_ENABLE_SYSTEM */
	enum trace_event_id id; /* TF_ENABLE_EVENT, TF_FORMAT */
};

static struct super_block tracefs_sb = {.s_id = "tracefs", .s_dev = TRACEFS_DEV};

static const struct tracefs_node *file_node(const struct file *file)
{
	return file->f_inode->i_private;
}

/* "0", "1", or "X" when a system's events disagree (as Linux). */
static void show_enabled(struct seq_file *m, int state)
{
	seq_puts(m, state < 0 ? "X\n" : state ? "1\n" : "0\n");
}

static void show_format(struct seq_file *m, enum trace_event_id id)
{
	seq_printf(m, "name: %s\nID: %d\nprint fmt: \"%s\"\n", trace_event_calls[id].name, (int)id,
		   trace_event_calls[id].print_fmt);
}

/* set_event lists what is on, available_events every event, one
 * "system:event" a line (as Linux). */
static void show_events(struct seq_file *m, bool only_enabled)
{
	for (int id = 0; id < NR_TRACE_EVENTS; id++)
		if (!only_enabled || TRACE_EVENT_ON(id))
			seq_printf(m, "%s:%s\n", trace_event_calls[id].system,
				   trace_event_calls[id].name);
}

/* set_event takes names separated by white space; "!name" turns off. A
 * name that matches no event is -EINVAL (the ones before it stay set). */
static int store_set_event(const char *buf)
{
	while (*buf) {
		size_t len = 0;
		bool on = true;

		while (*buf == ' ' || *buf == '\t' || *buf == '\n')
			buf++;
		if (*buf == '!') {
			on = false;
			buf++;
		}
		while (buf[len] && buf[len] != ' ' && buf[len] != '\t' && buf[len] != '\n')
			len++;
		if (len && trace_set_event(buf, len, on) < 0)
			return -EINVAL;
		buf += len;
	}
	return 0;
}

static int tracefs_show(struct seq_file *m)
{
	const struct tracefs_node *n = m->private;

	switch (n->kind) {
	case TF_TRACE: trace_show(m); break;
	case TF_TRACING_ON: seq_puts(m, tracing_is_on() ? "1\n" : "0\n"); break;
	case TF_SET_EVENT: show_events(m, true); break;
	case TF_AVAILABLE_EVENTS: show_events(m, false); break;
	case TF_ENABLE_ALL: show_enabled(m, trace_system_enabled(NULL)); break;
	case TF_ENABLE_SYSTEM: show_enabled(m, trace_system_enabled(n->system)); break;
	case TF_ENABLE_EVENT: show_enabled(m, TRACE_EVENT_ON(n->id)); break;
	case TF_FORMAT: show_format(m, n->id); break;
	}
	return 0;
}

/* As Linux's event_enable_write: a decimal 0 or 1, else -EINVAL. */
static int parse_switch(const char *buf, bool *on)
{
	long v;

	if (kstrtol(buf, 10, &v) || (v != 0 && v != 1))
		return -EINVAL;
	*on = v == 1;
	return 0;
}

static int tracefs_store(const struct tracefs_node *n, const char *buf)
{
	bool on;
	long v;

	switch (n->kind) {
	case TF_TRACE: return 0; /* as Linux: writing only clears, at an O_TRUNC open */
	case TF_TRACING_ON:
		/* As Linux's rb_simple_write: any non-negative number, non-zero is on. */
		if (kstrtol(buf, 10, &v) || v < 0)
			return -EINVAL;
		if (v)
			tracing_on();
		else
			tracing_off();
		return 0;
	case TF_SET_EVENT: return store_set_event(buf);
	case TF_ENABLE_ALL:
	case TF_ENABLE_SYSTEM:
	case TF_ENABLE_EVENT:
		if (parse_switch(buf, &on))
			return -EINVAL;
		if (n->kind == TF_ENABLE_EVENT)
			trace_event_enable(n->id, on);
		else
			trace_system_enable(n->kind == TF_ENABLE_ALL ? NULL : n->system, on);
		return 0;
	case TF_AVAILABLE_EVENTS:
	case TF_FORMAT: break;
	}
	return -EINVAL;
}

static int tracefs_open(struct inode *inode, struct file *file)
{
	const struct tracefs_node *n = inode->i_private;
	struct seq_file *m;

	/* As Linux's tracing_open: "> trace" (O_TRUNC for writing) clears it. */
	if (n->kind == TF_TRACE && (file->f_mode & FMODE_WRITE) && (file->f_flags & O_TRUNC))
		tracing_reset();
	/* As Linux's ftrace_event_set_open: "> set_event" turns every event off. */
	if (n->kind == TF_SET_EVENT && (file->f_mode & FMODE_WRITE) && (file->f_flags & O_TRUNC))
		trace_system_enable(NULL, false);
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->private = (void *)n;
	file->private_data = m;
	return 0;
}

static void tracefs_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	seq_release_buf(m);
	kfree(m);
}

static ssize_t tracefs_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct seq_file *m = file->private_data;
	size_t n;

	if (*pos < 0)
		return -EINVAL;
	if (*pos == 0 || !m->buf) {
		int err = seq_generate(m, tracefs_show);

		if (err)
			return err;
	}
	if ((size_t)*pos >= m->count)
		return 0;
	n = copy_to_iter(m->buf + *pos, m->count - (size_t)*pos, to);
	if (!n)
		return -EFAULT;
	*pos += (loff_t)n;
	return (ssize_t)n;
}

static ssize_t tracefs_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	size_t count = iov_iter_count(from);
	char buf[TRACEFS_WRITE_MAX + 1];
	int err;

	if (file_node(file)->kind == TF_TRACE)
		return (ssize_t)count; /* accepted and dropped, as Linux's tracing_write_stub */
	if (count > TRACEFS_WRITE_MAX)
		return -EINVAL;
	if (copy_from_iter(buf, count, from) != count)
		return -EFAULT;
	buf[count] = '\0';
	err = tracefs_store(file_node(file), buf);
	if (err)
		return err;
	*pos += (loff_t)count;
	return (ssize_t)count;
}

static const struct file_operations tracefs_file_operations = {
	.llseek = generic_file_llseek,
	.read_iter = tracefs_read,
	.write_iter = tracefs_write,
	.open = tracefs_open,
	.release = tracefs_release,
};

/* --- the tree, made once at boot --- */

static struct dentry *tracefs_add(struct dentry *parent, const char *name, umode_t mode)
{
	struct inode *inode = new_inode(&tracefs_sb, mode);
	struct dentry *d = inode ? d_alloc(parent, name, strlen(name)) : NULL;

	if (!d)
		panic("tracefs: no memory for %s", name);
	if (S_ISDIR(mode)) {
		inode->i_fop = &simple_dir_operations;
		if (parent)
			parent->d_inode->i_nlink++;
	}
	if (parent)
		d_add_persistent(d, inode);
	else
		d->d_inode = inode;
	return d;
}

static struct dentry *tracefs_mkdir(struct dentry *parent, const char *name)
{
	return tracefs_add(parent, name, S_IFDIR | 0755);
}

static void tracefs_file(struct dentry *parent, const char *name, umode_t mode,
			 struct tracefs_node node)
{
	struct tracefs_node *n = kmalloc(sizeof(*n), GFP_KERNEL);
	struct dentry *d;

	if (!n)
		panic("tracefs: no memory for %s", name);
	*n = node;
	d = tracefs_add(parent, name, (umode_t)(S_IFREG | mode));
	d->d_inode->i_fop = &tracefs_file_operations;
	d->d_inode->i_private = n;
}

static void tracefs_add_events(struct dentry *events)
{
	tracefs_file(events, "enable", 0644, (struct tracefs_node){.kind = TF_ENABLE_ALL});
	for (int s = 0; s < NR_TRACE_SYSTEMS; s++) {
		const char *system = trace_system_names[s];
		struct dentry *sys = tracefs_mkdir(events, system);

		tracefs_file(sys, "enable", 0644,
			     (struct tracefs_node){.kind = TF_ENABLE_SYSTEM, .system = system});
		for (int id = 0; id < NR_TRACE_EVENTS; id++) {
			struct dentry *ev;

			if (strcmp(trace_event_calls[id].system, system) != 0)
				continue;
			ev = tracefs_mkdir(sys, trace_event_calls[id].name);
			tracefs_file(ev, "enable", 0644,
				     (struct tracefs_node){.kind = TF_ENABLE_EVENT,
							   .id = (enum trace_event_id)id});
			tracefs_file(ev, "format", 0444,
				     (struct tracefs_node){.kind = TF_FORMAT,
							   .id = (enum trace_event_id)id});
		}
	}
}

void tracefs_init(void)
{
	struct dentry *mp = rootfs_mkdir_p(TRACEFS_PATH, 0555), *root;
	int err;

	if (IS_ERR(mp)) {
		pr_err("tracefs: cannot make %s (error %ld)", TRACEFS_PATH, PTR_ERR(mp));
		return;
	}
	dput(mp);
	/* Named for d_path: its parent becomes /sys/kernel at the mount. */
	root = tracefs_mkdir(NULL, "tracing");
	root->d_flags |= DCACHE_PERSISTENT;
	tracefs_file(root, "trace", 0644, (struct tracefs_node){.kind = TF_TRACE});
	tracefs_file(root, "tracing_on", 0644, (struct tracefs_node){.kind = TF_TRACING_ON});
	tracefs_file(root, "set_event", 0644, (struct tracefs_node){.kind = TF_SET_EVENT});
	tracefs_file(root, "available_events", 0444,
		     (struct tracefs_node){.kind = TF_AVAILABLE_EVENTS});
	tracefs_add_events(tracefs_mkdir(root, "events"));
	trace_enable_boot_events();
	err = vfs_mount_root(TRACEFS_PATH, root);
	if (err)
		pr_err("tracefs: cannot mount on %s (error %d)", TRACEFS_PATH, err);
}
