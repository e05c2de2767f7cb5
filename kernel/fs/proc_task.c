/* The address-space side of proc_task.h: a task's memory counters and its
 * VMAs, read from its mm_struct (Linux's task_mem and show_map_vma). Read
 * first: another task's mm may be torn down at any moment, so it is taken
 * with a reference (get_task_mm) and walked under mmap_read_lock. */
#include "kernel/fs/proc_task.h"
#include "kernel/fs/fs.h"
#include "kernel/paging.h"
#include "kernel/preempt.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/mm_struct.h"

#define MAPS_PATH_MAX 256

/* p's mm with a user reference (mmput it), or NULL. No task switch
 * between reading p->mm and mmget: the exiting task clears p->mm before
 * its mmput, so a non-NULL mm seen here still has a user. */
static struct mm_struct *get_task_mm(struct task_struct *p)
{
	struct mm_struct *mm;

	preempt_disable();
	mm = p->mm;
	if (mm && !(p->flags & PF_KTHREAD))
		mmget(mm);
	else
		mm = NULL;
	preempt_enable();
	return mm;
}

/* Linux's classes of mapping, for VmData, VmStk and VmExe. */
static void count_vma(struct task_mem *out, const struct vm_area_struct *vma)
{
	unsigned long pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	unsigned long f = vma->vm_flags;

	if (f & VM_STACK)
		out->stack_vm += pages;
	else if ((f & (VM_EXEC | VM_WRITE)) == VM_EXEC)
		out->exec_vm += pages;
	else if ((f & (VM_WRITE | VM_SHARED)) == VM_WRITE)
		out->data_vm += pages;
}

void task_mem_stats(struct task_struct *p, struct task_mem *out)
{
	struct mm_struct *mm = get_task_mm(p);

	memset(out, 0, sizeof(*out));
	if (!mm)
		return;
	out->has_mm = true;
	mmap_read_lock(mm);
	out->total_vm = mm->total_vm;
	out->locked_vm = mm->locked_vm;
	out->rss_anon = (unsigned long)get_mm_counter(mm, MM_ANONPAGES);
	out->rss_file = (unsigned long)get_mm_counter(mm, MM_FILEPAGES);
	out->rss_shmem = (unsigned long)get_mm_counter(mm, MM_SHMEMPAGES);
	out->hiwater_rss = mm->hiwater_rss;
	out->pgtables_bytes = (unsigned long)mm->pgtables_bytes;
	out->start_code = mm->start_code;
	out->end_code = mm->end_code;
	out->start_stack = mm->start_stack;
	for (int i = 0; i < mm->map_count; i++)
		count_vma(out, mm->vmas[i]);
	mmap_read_unlock(mm);
	mmput(mm);
}

/* "[heap]" and "[stack]" as Linux decides them; a file's path; or NULL. */
static const char *vma_name(const struct mm_struct *mm, const struct vm_area_struct *vma, char *buf,
			    size_t size)
{
	if (vma->vm_file && vma->vm_file->f_dentry)
		return d_path(vma->vm_file->f_dentry, buf, size) ? NULL : buf;
	if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk && mm->brk > mm->start_brk)
		return "[heap]";
	if ((vma->vm_flags & VM_STACK) ||
	    (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack))
		return "[stack]";
	return NULL;
}

void task_for_each_vma(struct task_struct *p, vma_info_fn fn, void *ctx)
{
	struct mm_struct *mm = get_task_mm(p);
	char path[MAPS_PATH_MAX];

	if (!mm)
		return;
	mmap_read_lock(mm);
	for (int i = 0; i < mm->map_count; i++) {
		const struct vm_area_struct *vma = mm->vmas[i];
		struct inode *inode = vma->vm_file ? vma->vm_file->f_inode : NULL;
		struct vma_info v = {
			.vm_start = vma->vm_start,
			.vm_end = vma->vm_end,
			.read = vma->vm_flags & VM_READ,
			.write = vma->vm_flags & VM_WRITE,
			.exec = vma->vm_flags & VM_EXEC,
			.shared = vma->vm_flags & VM_SHARED,
			.pgoff = vma->vm_file ? vma->vm_pgoff : 0,
			.dev_major = inode ? MAJOR(inode->i_sb->s_dev) : 0,
			.dev_minor = inode ? MINOR(inode->i_sb->s_dev) : 0,
			.ino = inode ? inode->i_ino : 0,
			.name = vma_name(mm, vma, path, sizeof(path)),
		};

		fn(&v, ctx);
	}
	mmap_read_unlock(mm);
	mmput(mm);
}
