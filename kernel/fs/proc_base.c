/* /proc/<pid>: one directory per process, with status, stat, maps, comm,
 * oom_score and oom_score_adj (Linux's fs/proc/base.c, array.c and
 * task_mmu.c). Read first: an entry remembers only a pid; the task is
 * looked up again at each read or write, so reading the files of a
 * process that has gone gives -ESRCH rather than stale text. */
#include "kernel/fs/proc_fs.h"
#include "kernel/fs/proc_task.h"
#include "kernel/paging.h"
#include "kernel/preempt.h"
#include "kernel/sched_debug.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/trace/events.h"
#include "kernel/vsprintf.h"
#include "mm/oom.h"

#define PID_NAME_MAX 12
#define PID_DIR_INO_BASE 0x10000000ul
#define PID_INO_SHIFT 4 /* room for the entries of one directory */
#define USER_HZ 100	/* clock ticks in /proc/<pid>/stat */
#define KB_PER_PAGE (PAGE_SIZE >> 10)
#define MAPS_NAME_COLUMN (25 + sizeof(void *) * 6 - 1) /* as Linux pads */
#define EXIT_SIGNAL_SIGCHLD 17
#define RLIM_INFINITY (~0ul)

struct task_struct *get_pid_task_ref(int pid)
{
	struct task_struct *p;

	/* No task switch between the lookup and the reference: a task is
	 * freed only by the task that runs after it. */
	preempt_disable();
	p = find_task_by_pid(pid);
	if (p)
		get_task_struct(p);
	preempt_enable();
	return p;
}

struct task_struct *get_proc_task(struct inode *inode)
{
	return get_pid_task_ref(PROC_I(inode)->pid);
}

/* Threads in p's process: its leader and the leader's thread_group list. */
static int nr_threads_of(struct task_struct *p)
{
	struct task_struct *leader, *t;
	int n = 1;

	preempt_disable();
	leader = p->group_leader ? p->group_leader : p;
	list_for_each_entry(t, &leader->thread_group, thread_group)
		n++;
	preempt_enable();
	return n;
}

static int task_ppid_of(struct task_struct *p)
{
	int ppid;

	preempt_disable();
	ppid = p->parent ? p->parent->tgid : 0; /* the process, not the thread */
	preempt_enable();
	return ppid;
}

/* --- status --- */

static const char *task_state_name(char state)
{
	switch (state) {
	case 'R': return "R (running)";
	case 'S': return "S (sleeping)";
	case 'D': return "D (disk sleep)";
	case 'T': return "T (stopped)";
	case 't': return "t (tracing stop)";
	case 'Z': return "Z (zombie)";
	case 'P': return "P (parked)";
	case 'I': return "I (idle)";
	default: return "X (dead)";
	}
}

static void seq_kb(struct seq_file *m, const char *label, unsigned long pages)
{
	seq_printf(m, "%s\t%8lu kB\n", label, pages * KB_PER_PAGE);
}

static unsigned long max_ul(unsigned long a, unsigned long b)
{
	return a > b ? a : b;
}

/* The Vm* block of Linux's task_mem(). */
static void status_mem(struct seq_file *m, const struct task_mem *mem)
{
	unsigned long rss = mem->rss_anon + mem->rss_file + mem->rss_shmem;

	seq_kb(m, "VmPeak:", max_ul(mem->hiwater_vm, mem->total_vm));
	seq_kb(m, "VmSize:", mem->total_vm);
	seq_kb(m, "VmLck:", mem->locked_vm);
	seq_kb(m, "VmPin:", 0);
	seq_kb(m, "VmHWM:", max_ul(mem->hiwater_rss, rss));
	seq_kb(m, "VmRSS:", rss);
	seq_kb(m, "RssAnon:", mem->rss_anon);
	seq_kb(m, "RssFile:", mem->rss_file);
	seq_kb(m, "RssShmem:", mem->rss_shmem);
	seq_kb(m, "VmData:", mem->data_vm);
	seq_kb(m, "VmStk:", mem->stack_vm);
	seq_kb(m, "VmExe:", mem->exec_vm);
	seq_kb(m, "VmLib:", 0);
	seq_printf(m, "VmPTE:\t%8lu kB\n", mem->pgtables_bytes >> 10);
	seq_kb(m, "VmSwap:", 0);
}

static int proc_pid_status(struct seq_file *m)
{
	struct task_struct *p = get_proc_task(seq_inode(m));
	struct task_mem mem;

	if (!p)
		return -ESRCH;
	task_mem_stats(p, &mem);
	seq_printf(m, "Name:\t%s\n", p->comm);
	seq_puts(m, "Umask:\t0022\n");
	seq_printf(m, "State:\t%s\n", task_state_name(task_state_to_char(p)));
	seq_printf(m, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", p->tgid, p->pid,
		   task_ppid_of(p));
	seq_puts(m, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
	seq_printf(m, "FDSize:\t%d\n", 64);
	seq_printf(m, "Kthread:\t%d\n", (p->flags & PF_KTHREAD) ? 1 : 0);
	/* oomlab's own line: chosen by the OOM killer (signal->oom_mm set). */
	seq_printf(m, "OomVictim:\t%d\n", tsk_is_oom_victim(p) ? 1 : 0);
	if (mem.has_mm)
		status_mem(m, &mem);
	seq_printf(m, "Threads:\t%d\n", nr_threads_of(p));
	seq_printf(m, "SigPnd:\t%016lx\n", p->pending_signals);
	seq_printf(m, "voluntary_ctxt_switches:\t%lu\n", p->nvcsw);
	seq_printf(m, "nonvoluntary_ctxt_switches:\t%lu\n", p->nivcsw);
	put_task_struct(p);
	return 0;
}

/* --- stat: Linux's 52 fields, what we do not track as 0 --- */

static unsigned long long ns_to_clock_t(uint64_t ns)
{
	return ns / (NSEC_PER_SEC / USER_HZ);
}

static int proc_pid_stat(struct seq_file *m)
{
	struct task_struct *p = get_proc_task(seq_inode(m));
	struct task_mem mem;

	if (!p)
		return -ESRCH;
	task_mem_stats(p, &mem);
	seq_printf(m, "%d (%s) %c %d %d %d 0 -1 %u 0 0 0 0 %llu 0 0 0 %d %d %d 0 0 %lu %lu %lu ",
		   p->pid, p->comm, task_state_to_char(p), task_ppid_of(p), p->pid, p->pid,
		   p->flags, ns_to_clock_t(p->se.sum_exec_runtime), p->prio - MAX_RT_PRIO,
		   task_nice(p), nr_threads_of(p), mem.total_vm * PAGE_SIZE,
		   mem.rss_anon + mem.rss_file + mem.rss_shmem, RLIM_INFINITY);
	seq_printf(m, "%lu %lu %lu 0 0 %lu 0 0 0 0 0 0 %d 0 %u %u 0 0 0 0 0 0 0 0 0 0 %d\n",
		   mem.start_code, mem.end_code, mem.start_stack, p->pending_signals,
		   EXIT_SIGNAL_SIGCHLD, p->rt_priority, p->policy, p->exit_code);
	put_task_struct(p);
	return 0;
}

/* --- maps --- */

static void show_map_vma(const struct vma_info *v, void *ctx)
{
	struct seq_file *m = ctx;

	seq_printf(m, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", v->vm_start, v->vm_end,
		   v->read ? 'r' : '-', v->write ? 'w' : '-', v->exec ? 'x' : '-',
		   v->shared ? 's' : 'p', v->pgoff << PAGE_SHIFT, v->dev_major, v->dev_minor,
		   v->ino);
	if (v->name) {
		seq_pad(m, MAPS_NAME_COLUMN, ' ');
		seq_puts(m, v->name);
	}
	seq_putc(m, '\n');
}

static int proc_pid_maps(struct seq_file *m)
{
	struct task_struct *p = get_proc_task(seq_inode(m));

	if (!p)
		return -ESRCH;
	task_for_each_vma(p, show_map_vma, m);
	put_task_struct(p);
	return 0;
}

/* --- comm, oom_score, oom_score_adj --- */

static int proc_pid_comm(struct seq_file *m)
{
	struct task_struct *p = get_proc_task(seq_inode(m));

	if (!p)
		return -ESRCH;
	seq_printf(m, "%s\n", p->comm);
	put_task_struct(p);
	return 0;
}

/* The OOM killer's badness, scaled to 0..2000 as Linux shows it (0 for
 * pid 1, kernel threads and oom_score_adj -1000). */
static int proc_oom_score(struct seq_file *m)
{
	struct task_struct *p = get_proc_task(seq_inode(m));

	if (!p)
		return -ESRCH;
	seq_printf(m, "%lu\n", oom_score_show_value(p));
	put_task_struct(p);
	return 0;
}

static int proc_oom_score_adj_show(struct seq_file *m)
{
	struct task_struct *p = get_proc_task(seq_inode(m));

	if (!p)
		return -ESRCH;
	seq_printf(m, "%d\n", __atomic_load_n(&p->oom_score_adj, __ATOMIC_RELAXED));
	put_task_struct(p);
	return 0;
}

/* Linux keeps the value per process (in signal_struct): every thread of
 * p's process gets it. */
static void set_oom_score_adj(struct task_struct *p, int adj)
{
	struct task_struct *leader, *t;

	preempt_disable();
	leader = p->group_leader ? p->group_leader : p;
	__atomic_store_n(&leader->oom_score_adj, adj, __ATOMIC_RELAXED);
	list_for_each_entry(t, &leader->thread_group, thread_group)
		__atomic_store_n(&t->oom_score_adj, adj, __ATOMIC_RELAXED);
	preempt_enable();
}

int oom_score_adj_parse(const char *buf, int *out)
{
	char number[PROC_NUMBUF];
	int v, err;

	/* As Linux's oom_score_adj_write: at most PROC_NUMBUF - 1 bytes, white
	 * space around the number dropped, any base kstrtoint knows ("0x10"),
	 * -ERANGE past an int, -EINVAL for "", "abc", "12abc" or out of range. */
	strscpy(number, buf, sizeof(number));
	err = kstrtoint(strstrip(number), 0, &v);
	if (err)
		return err;
	if (v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	*out = v;
	return 0;
}

static ssize_t proc_oom_score_adj_write(struct inode *inode, char *buf, size_t count)
{
	struct task_struct *p;
	int adj, err;

	/* Linux reads no more than its number buffer holds, and says so. */
	if (count > PROC_NUMBUF - 1)
		count = PROC_NUMBUF - 1;
	buf[count] = '\0';
	err = oom_score_adj_parse(buf, &adj);
	if (err)
		return err;
	p = get_proc_task(inode);
	if (!p)
		return -ESRCH;
	set_oom_score_adj(p, adj);
	trace_oom_score_adj_update(p);
	put_task_struct(p);
	return (ssize_t)count;
}

static const struct proc_ops status_ops = {.proc_show = proc_pid_status};
static const struct proc_ops stat_ops = {.proc_show = proc_pid_stat};
static const struct proc_ops maps_ops = {.proc_show = proc_pid_maps};
static const struct proc_ops comm_ops = {.proc_show = proc_pid_comm};
static const struct proc_ops oom_score_ops = {.proc_show = proc_oom_score};
static const struct proc_ops oom_score_adj_ops = {.proc_show = proc_oom_score_adj_show,
						  .proc_write = proc_oom_score_adj_write};

struct pid_entry {
	const char *name;
	umode_t mode;
	const struct proc_ops *ops;
};

/* In name order, as ls shows them. */
static const struct pid_entry tgid_base_stuff[] = {
	{"comm", S_IFREG | 0444, &comm_ops},
	{"maps", S_IFREG | 0444, &maps_ops},
	{"oom_score", S_IFREG | 0444, &oom_score_ops},
	{"oom_score_adj", S_IFREG | 0644, &oom_score_adj_ops},
	{"stat", S_IFREG | 0444, &stat_ops},
	{"status", S_IFREG | 0444, &status_ops},
};
#define NR_PID_ENTRIES (sizeof(tgid_base_stuff) / sizeof(tgid_base_stuff[0]))
_Static_assert(NR_PID_ENTRIES < (1u << PID_INO_SHIFT), "pid entries need more inode bits");

static unsigned long pid_ino(int pid, unsigned int entry)
{
	return PID_DIR_INO_BASE + ((unsigned long)pid << PID_INO_SHIFT) + entry;
}

/* --- the <pid> directory --- */

static struct dentry *proc_tgid_base_lookup(struct inode *dir, struct dentry *parent,
					    const char *name, size_t len)
{
	int pid = PROC_I(dir)->pid;
	struct task_struct *p = get_pid_task_ref(pid);

	if (!p)
		return ERR_PTR(-ENOENT);
	put_task_struct(p);
	for (unsigned int i = 0; i < NR_PID_ENTRIES; i++) {
		const struct pid_entry *e = &tgid_base_stuff[i];
		struct dentry *d;

		if (strlen(e->name) != len || memcmp(e->name, name, len))
			continue;
		d = proc_alloc_dentry(parent, name, len, e->mode, pid_ino(pid, i + 1));
		if (!d)
			return ERR_PTR(-ENOMEM);
		d->d_inode->i_fop = &proc_reg_file_ops;
		PROC_I(d->d_inode)->pid = pid;
		PROC_I(d->d_inode)->ops = e->ops;
		return d;
	}
	return ERR_PTR(-ENOENT);
}

static int proc_tgid_base_readdir(struct file *file, struct dir_context *ctx)
{
	int pid = PROC_I(file->f_inode)->pid;

	if (!dir_emit_dots(file, ctx))
		return 0;
	for (loff_t i = ctx->pos - 2; i >= 0 && i < (loff_t)NR_PID_ENTRIES; i++) {
		const struct pid_entry *e = &tgid_base_stuff[i];

		if (!dir_emit(ctx, e->name, strlen(e->name), pid_ino(pid, (unsigned int)i + 1),
			      DT_REG))
			return 0;
		ctx->pos = i + 3;
	}
	return 0;
}

static const struct inode_operations proc_tgid_base_inode_operations = {
	.lookup = proc_tgid_base_lookup,
};

static const struct file_operations proc_tgid_base_operations = {
	.llseek = generic_file_llseek,
	.iterate_shared = proc_tgid_base_readdir,
};

/* "42" -> 42; anything but a plain positive decimal is not a pid. */
static int name_to_pid(const char *name, size_t len)
{
	char buf[PID_NAME_MAX];
	long pid;

	if (len == 0 || len >= sizeof(buf) || name[0] == '0' || name[0] == '+' || name[0] == '-')
		return -1;
	memcpy(buf, name, len);
	buf[len] = '\0';
	if (kstrtol(buf, 10, &pid) || pid <= 0 || pid > 0x7fffffff || buf[len - 1] == '\n')
		return -1;
	return (int)pid;
}

struct dentry *proc_pid_lookup(struct dentry *parent, const char *name, size_t len)
{
	int pid = name_to_pid(name, len);
	struct task_struct *p = pid > 0 ? get_pid_task_ref(pid) : NULL;
	struct dentry *d;

	if (!p)
		return ERR_PTR(-ENOENT);
	put_task_struct(p);
	d = proc_alloc_dentry(parent, name, len, S_IFDIR | 0555, pid_ino(pid, 0));
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->d_inode->i_op = &proc_tgid_base_inode_operations;
	d->d_inode->i_fop = &proc_tgid_base_operations;
	PROC_I(d->d_inode)->pid = pid;
	return d;
}

struct next_pid_search {
	int from; /* smallest pid wanted */
	int found;
};

/* Processes only, as Linux lists them: a thread's own pid still works
 * in a lookup, it is just not listed. */
static void consider_pid(struct task_struct *p, void *ctx)
{
	struct next_pid_search *s = ctx;

	if (p->pid > 0 && p->pid == p->tgid && p->pid >= s->from &&
	    (!s->found || p->pid < s->found))
		s->found = p->pid;
}

/* Processes in pid order: the entry for pid sits at first_pos + pid. */
int proc_pid_readdir(struct file *file, struct dir_context *ctx, loff_t first_pos)
{
	for (;;) {
		struct next_pid_search s = {.from = (int)(ctx->pos - first_pos), .found = 0};
		char name[PID_NAME_MAX];
		int len;

		for_each_task(consider_pid, &s);
		if (!s.found)
			return 0;
		len = snprintf(name, sizeof(name), "%d", s.found);
		ctx->pos = first_pos + s.found;
		if (!dir_emit(ctx, name, (size_t)len, pid_ino(s.found, 0), DT_DIR))
			return 0;
		ctx->pos = first_pos + s.found + 1;
	}
}

/* /proc/self: a symlink whose target is whoever looks. */
static int proc_self_get_link(struct inode *inode, char *buf, size_t size)
{
	if (!current || current->pid <= 0)
		return -ENOENT;
	snprintf(buf, size, "%d", current->pid);
	return 0;
}

const struct inode_operations proc_self_inode_operations = {
	.get_link = proc_self_get_link,
};
