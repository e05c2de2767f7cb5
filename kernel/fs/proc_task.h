/* What /proc needs to know about a process's memory, as a narrow
 * interface the address-space code provides (Linux's task_mmu.c side).
 * Read first: procfs never touches mm_struct itself; it asks these two
 * functions, which take whatever locks the mm needs (mmap_read_lock). */
#ifndef OOMLAB_KERNEL_FS_PROC_TASK_H
#define OOMLAB_KERNEL_FS_PROC_TASK_H
#include <stdbool.h>

struct task_struct;

/* Linux's PROC_NUMBUF: room for a signed int, its sign and a newline. A
 * write to oom_score_adj is read no further than this. */
#define PROC_NUMBUF 13

/* Parse a value written to oom_score_adj as Linux does: white space around
 * the number is dropped and any base kstrtoint knows is taken ("0x10").
 * 0 and *out set; -ERANGE past an int; -EINVAL when empty, not a whole
 * number or outside -1000..1000. */
int oom_score_adj_parse(const char *buf, int *out);

/* A task's memory in pages (pgtables_bytes in bytes), as Linux's
 * task_mem() reads them. has_mm false (kernel threads, zombies): the
 * Vm* lines are left out of status, as Linux does. */
struct task_mem {
	bool has_mm;
	unsigned long total_vm;	   /* VmSize */
	unsigned long hiwater_vm;  /* VmPeak (0: use total_vm) */
	unsigned long locked_vm;   /* VmLck */
	unsigned long hiwater_rss; /* VmHWM (0: use the current rss) */
	unsigned long rss_anon, rss_file, rss_shmem;
	unsigned long data_vm, stack_vm, exec_vm;	 /* VmData, VmStk, VmExe */
	unsigned long pgtables_bytes;			 /* VmPTE */
	unsigned long start_code, end_code, start_stack; /* addresses, for stat */
	int nr_threads;					 /* tasks sharing the mm (0: count 1) */
};
void task_mem_stats(struct task_struct *p, struct task_mem *out);

/* One VMA as /proc/<pid>/maps prints it. */
struct vma_info {
	unsigned long vm_start, vm_end;
	bool read, write, exec, shared;
	unsigned long pgoff; /* in pages */
	unsigned int dev_major, dev_minor;
	unsigned long ino;
	const char *name; /* the file's path, "[heap]", "[stack]", or NULL */
};
/* Call fn for each VMA of p's mm, in address order, under the mm's read
 * lock; nothing for a task without an mm. fn must not sleep on the mm. */
typedef void (*vma_info_fn)(const struct vma_info *vma, void *ctx);
void task_for_each_vma(struct task_struct *p, vma_info_fn fn, void *ctx);
#endif
