/* execve: replace the calling process's program (Linux's fs/exec.c and
 * fs/binfmt_elf.c, for static ELF64 executables). Read first: everything
 * that can fail (reading and validating the file, building the new
 * address space and its stack) happens before the point of no return; a
 * malformed file gets -ENOEXEC and the caller keeps running unharmed. The
 * segments are private file mappings of the page cache, as Linux's
 * elf_map: text is shared by every process running the file; only the
 * page where file bytes meet .bss is copied into anonymous memory. */
#include "kernel/elf.h"
#include "kernel/errno.h"
#include "kernel/fs/exec_file.h"
#include "kernel/fs/fdtable.h"
#include "kernel/fs/fs.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#define MAX_ARG_STRINGS 1024
#define MAX_ARG_BYTES (128ul << 10)
#define PATH_MAX 4096
#define EXEC_MAX_FILE (16ul << 20)
#define STACK_INITIAL (128ul << 10) /* the stack VMA at exec; it grows down */
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31
#define NR_AUXV 12
#define AT_RANDOM_BYTES 16
#define USER_CS 0x2b
#define USER_DS 0x23
#define EFLAGS_IF (1ul << 9)
#define EFLAGS_RESERVED1 (1ul << 1)

/* argv and envp, copied into one kernel buffer of NUL-separated strings. */
struct exec_args {
	char *buf;
	size_t used;
	int argc, envc;
};

void fpu_init_task(struct task_struct *p);
void fpu_load_current(void);
void enter_user_mode(struct pt_regs *regs) __attribute__((noreturn));

static long copy_strings(struct exec_args *a, const char *const __user *uvec, int *count)
{
	for (*count = 0; uvec; (*count)++) {
		const char *ustr;
		long len;

		if (*count >= MAX_ARG_STRINGS)
			return -E2BIG;
		if (copy_from_user(&ustr, &uvec[*count], sizeof(ustr)))
			return -EFAULT;
		if (!ustr)
			return 0;
		len = strncpy_from_user(a->buf + a->used, ustr, (long)(MAX_ARG_BYTES - a->used));
		if (len < 0)
			return len;
		if ((size_t)len >= MAX_ARG_BYTES - a->used)
			return -E2BIG;
		a->used += (size_t)len + 1;
	}
	return 0;
}

static unsigned long vm_flags_of(uint32_t pflags)
{
	unsigned long f = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	if (pflags & PF_R)
		f |= VM_READ;
	if (pflags & PF_W)
		f |= VM_WRITE;
	if (pflags & PF_X)
		f |= VM_EXEC;
	return f;
}

static unsigned long page_up(unsigned long x)
{
	return (x + PAGE_SIZE - 1) & PAGE_MASK;
}

/* Where a segment's file mapping ends and its anonymous part begins.
 * With .bss (memsz > filesz) the page holding the last file bytes must
 * also hold zeros, so it is anonymous and filled by copying; without a
 * file (kernel_exec_image) all of the segment is. */
static unsigned long file_map_end(const struct elf_segment *s, const struct file *f)
{
	unsigned long file_end = s->vaddr + s->filesz;

	if (!f)
		return s->vaddr & PAGE_MASK;
	return s->memsz > s->filesz ? file_end & PAGE_MASK : page_up(file_end);
}

/* Map every segment in mm (not yet the current one): the file part from
 * f's page cache (the parser checked vaddr and offset agree in the page),
 * the rest anonymous. */
static long map_segments(struct mm_struct *mm, const struct elf_image_info *info, struct file *f)
{
	for (unsigned int i = 0; i < info->nr_segments; i++) {
		const struct elf_segment *s = &info->segments[i];
		unsigned long start = s->vaddr & PAGE_MASK, split = file_map_end(s, f);
		unsigned long end = page_up(s->vaddr + s->memsz);
		unsigned long flags = vm_flags_of(s->flags);
		long r = 0;

		if (split > start)
			r = do_mmap_fixed(mm, start, split - start, flags, f,
					  (s->offset & PAGE_MASK) >> PAGE_SHIFT);
		if (r >= 0 && end > split)
			r = do_mmap_fixed(mm, split, end - split, flags, NULL, 0);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Fill the anonymous part of each segment through the new, now current,
 * address space: a write to a read-only page would fault, so copy into
 * the pages directly via the kernel's own view of them. */
static long fill_segments(struct mm_struct *mm, const struct elf_image_info *info,
			  const uint8_t *image, const struct file *f)
{
	for (unsigned int i = 0; i < info->nr_segments; i++) {
		const struct elf_segment *s = &info->segments[i];
		unsigned long split = file_map_end(s, f);
		struct vm_area_struct *vma = vma_lookup(mm, split);
		unsigned long done = split > s->vaddr ? split - s->vaddr : 0;

		if (split >= page_up(s->vaddr + s->memsz))
			continue; /* all of it is file-mapped */
		if (!vma || populate_range(vma, vma->vm_start, vma->vm_end))
			return -ENOMEM;
		while (done < s->filesz) {
			unsigned long va = s->vaddr + done;
			unsigned long chunk = PAGE_SIZE - (va & ~PAGE_MASK);
			void *kaddr = user_page_kaddr(mm, va);

			if (chunk > s->filesz - done)
				chunk = s->filesz - done;
			if (!kaddr)
				return -ENOMEM;
			memcpy(kaddr, image + s->offset + done, chunk);
			done += chunk;
		}
	}
	return 0;
}

static long push_bytes(unsigned long *sp, const void *data, size_t len)
{
	*sp -= len;
	return copy_to_user((void *)*sp, data, len) ? -EFAULT : 0;
}

/* Linux's initial stack, from the top: the argument and environment
 * strings, AT_RANDOM's bytes, then (16-aligned) auxv, envp[] and NULL,
 * argv[] and NULL, and argc where rsp points. */
static long setup_stack(struct mm_struct *mm, const struct exec_args *a,
			const struct elf_image_info *info, unsigned long *sp_out)
{
	unsigned long sp = STACK_TOP, strings, random_at, argc = (unsigned long)a->argc;
	unsigned long auxv[NR_AUXV * 2];
	unsigned long *ptrs;
	uint8_t random[AT_RANDOM_BYTES];
	int n = 0, k = 0, total = a->argc + a->envc;
	const char *str = a->buf;
	long r = -EFAULT;

	if (push_bytes(&sp, a->buf, a->used))
		return -EFAULT;
	strings = sp;
	mm->arg_start = strings;
	mm->arg_end = strings + a->used;
	for (int i = 0; i < AT_RANDOM_BYTES; i++)
		random[i] = (uint8_t)(rdtsc() >> (i % 8));
	if (push_bytes(&sp, random, sizeof(random)))
		return -EFAULT;
	random_at = sp;
	sp &= ~15ul;
	auxv[n++] = AT_PHDR, auxv[n++] = info->phdr_addr;
	auxv[n++] = AT_PHENT, auxv[n++] = sizeof(Elf64_Phdr);
	auxv[n++] = AT_PHNUM, auxv[n++] = info->phnum;
	auxv[n++] = AT_PAGESZ, auxv[n++] = PAGE_SIZE;
	auxv[n++] = AT_ENTRY, auxv[n++] = info->entry;
	auxv[n++] = AT_UID, auxv[n++] = 0;
	auxv[n++] = AT_EUID, auxv[n++] = 0;
	auxv[n++] = AT_GID, auxv[n++] = 0;
	auxv[n++] = AT_EGID, auxv[n++] = 0;
	auxv[n++] = AT_SECURE, auxv[n++] = 0;
	auxv[n++] = AT_RANDOM, auxv[n++] = random_at;
	auxv[n++] = AT_NULL, auxv[n++] = 0;
	/* argc, the pointers with their two NULLs and auxv: rsp ends 16-aligned. */
	if ((1 + total + 2 + n) % 2)
		sp -= sizeof(unsigned long);
	if (push_bytes(&sp, auxv, (size_t)n * sizeof(unsigned long)))
		return -EFAULT;
	ptrs = kmalloc((size_t)(total + 2) * sizeof(unsigned long), GFP_KERNEL);
	if (!ptrs)
		return -ENOMEM;
	for (int i = 0; i < total; i++) {
		if (i == a->argc)
			ptrs[k++] = 0; /* end of argv */
		ptrs[k++] = strings + (unsigned long)(str - a->buf);
		str += strlen(str) + 1;
	}
	if (a->argc == total)
		ptrs[k++] = 0;
	ptrs[k++] = 0; /* end of envp */
	if (!push_bytes(&sp, ptrs, (size_t)k * sizeof(unsigned long)) &&
	    !push_bytes(&sp, &argc, sizeof(argc)))
		r = 0;
	kfree(ptrs);
	*sp_out = sp;
	return r;
}

static void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->rip = ip;
	regs->rsp = sp;
	regs->cs = USER_CS;
	regs->ss = USER_DS;
	regs->rflags = EFLAGS_IF | EFLAGS_RESERVED1;
}

static const char *basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static const unsigned long stack_vm_flags =
	VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_GROWSDOWN;

/* The threads of tsk's process, other than tsk, that have not exited:
 * the leader and its thread_group list. */
static int other_live_threads(struct task_struct *tsk)
{
	struct task_struct *leader = tsk->group_leader, *t;
	int n = leader != tsk && !leader->exit_state;

	preempt_disable(); /* one CPU: the thread list holds still */
	list_for_each_entry(t, &leader->thread_group, thread_group)
		n += t != tsk && !t->exit_state;
	preempt_enable();
	return n;
}

#define DE_THREAD_POLL_TICKS 1

/* As Linux's de_thread: before the old program goes, every other thread
 * of the process is killed and gone (and off the old mm). Unlike Linux, a
 * non-leader that execs keeps its own tid; the exited leader stays a
 * zombie, holding the process id, until this thread exits. -EAGAIN when
 * the process is already exiting or another thread is in execve; -EINTR
 * when this one is killed meanwhile. */
static long de_thread(struct task_struct *tsk)
{
	struct task_struct *leader = tsk->group_leader;
	uint64_t flags;
	long err = 0;

	if (!other_live_threads(tsk))
		return 0;
	flags = local_irq_save();
	if (leader->group_exiting || leader->group_exec_task)
		err = -EAGAIN;
	else
		leader->group_exec_task = tsk;
	local_irq_restore(flags);
	if (err)
		return err;
	zap_other_threads(tsk);
	while (other_live_threads(tsk)) {
		if (fatal_signal_pending(tsk)) {
			err = -EINTR;
			break;
		}
		schedule_timeout_killable(DE_THREAD_POLL_TICKS);
	}
	leader->group_exec_task = NULL;
	return err;
}

/* Build the new address space, switch to it, fill it, point regs at it. */
static long exec_image(const char *path, struct file *f, const uint8_t *image, size_t size,
		       const struct exec_args *args, struct pt_regs *regs)
{
	struct elf_image_info info;
	struct mm_struct *mm, *old;
	unsigned long sp;
	long r = elf_parse(image, size, &info);

	if (r) {
		pr_info("execve: %s: %s (ENOEXEC)", path, elf_error_name(info.error));
		return r;
	}
	mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	mm->start_brk = mm->brk = info.brk_start;
	mm->start_code = info.segments[0].vaddr;
	mm->end_code = info.end;
	r = map_segments(mm, &info, f);
	if (!r)
		r = do_mmap_fixed(mm, STACK_TOP - STACK_INITIAL, STACK_INITIAL, stack_vm_flags,
				  NULL, 0);
	if (r < 0) {
		mmput(mm);
		return r;
	}
	mm->start_stack = STACK_TOP;
	r = de_thread(current);
	if (r) {
		mmput(mm);
		return r;
	}
	/* The point of no return: the old program is gone from here on. */
	task_lock(current);
	old = current->mm;
	mm->owner = current;
	current->mm = mm;
	switch_mm(mm);
	task_unlock(current);
	if (old) {
		/* As Linux's exec_mmap: the old mm's peak counts, and another
		 * process sharing it (CLONE_VM without CLONE_THREAD) may
		 * inherit its ownership. */
		setmax_mm_hiwater_rss(&current->group_leader->acct.maxrss, old);
		mm_update_next_owner(old);
		mmput(old);
	}
	if (fill_segments(mm, &info, image, f) || setup_stack(mm, args, &info, &sp)) {
		/* As Linux's bprm_execve: the task cannot go back, so it
		 * gets a fatal signal and dies on its way out to user mode,
		 * after every caller has freed the image, file, path and
		 * argument buffer it holds (a do_exit here leaked them). */
		pr_err("execve: %s: out of memory after the point of no return", path);
		send_sig(SIGKILL, current);
		return -ENOMEM;
	}
	strscpy(current->comm, basename(path), sizeof(current->comm));
	if (current->files)
		do_close_on_exec(current->files);
	if (current->sighand)
		flush_signal_handlers(current);
	fpu_init_task(current);
	current->thread.fsbase = 0;
	fpu_load_current();
	start_thread(regs, info.entry, sp);
	return 0;
}

static long do_execve(const char *path, struct exec_args *args, struct pt_regs *regs)
{
	struct file *f;
	size_t size;
	void *image;
	long r = open_exec_file(path, EXEC_MAX_FILE, &f, &image, &size);

	if (r)
		return r;
	r = exec_image(path, f, image, size, args, regs);
	vfree(image);
	fput(f); /* the VMAs hold their own references */
	return r;
}

long sys_execve(const struct pt_regs *cregs);
long sys_execve(const struct pt_regs *cregs)
{
	struct pt_regs *regs = (struct pt_regs *)cregs;
	const char *upath = (const char *)syscall_arg(regs, 0);
	const char *const *uargv = (const char *const *)syscall_arg(regs, 1);
	const char *const *uenvp = (const char *const *)syscall_arg(regs, 2);
	struct exec_args args = {0};
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);
	long r = -ENOMEM;

	args.buf = kmalloc(MAX_ARG_BYTES, GFP_KERNEL);
	if (!path || !args.buf)
		goto out;
	r = strncpy_from_user(path, upath, PATH_MAX);
	if (r >= PATH_MAX)
		r = -ENAMETOOLONG;
	if (r < 0)
		goto out;
	r = copy_strings(&args, uargv, &args.argc);
	if (!r)
		r = copy_strings(&args, uenvp, &args.envc);
	if (!r)
		r = do_execve(path, &args, regs);
out:
	kfree(path);
	kfree(args.buf);
	return r;
}

/* A kernel thread becomes a user process: it now reports its exit to its
 * parent like any child, and leaves through the pt_regs slot at the top of
 * its stack. */
static void __attribute__((noreturn)) become_user_process(void)
{
	current->flags &= ~PF_KTHREAD;
	current->exit_signal = SIGCHLD;
	enter_user_mode(task_pt_regs(current));
}

static long kernel_exec_prepare(void)
{
	if (!current->sighand)
		current->sighand = sighand_alloc();
	return current->sighand ? 0 : -ENOMEM;
}

long kernel_exec_image(const char *name, const void *image, unsigned long size)
{
	struct exec_args args = {0};
	char argv0[TASK_COMM_LEN];
	long r = kernel_exec_prepare();

	if (r)
		return r;
	strscpy(argv0, name, sizeof(argv0));
	args.buf = argv0;
	args.used = strlen(argv0) + 1;
	args.argc = 1;
	r = exec_image(name, NULL, image, size, &args, task_pt_regs(current));
	if (r)
		return r;
	become_user_process();
}

/* For pid 1: exec from a kernel thread, then leave for user mode through
 * the pt_regs slot at the top of its stack. Returns only on failure. */
long kernel_execve(const char *path, const char *const argv[], const char *const envp[])
{
	struct exec_args args = {0};
	long r;

	args.buf = kmalloc(MAX_ARG_BYTES, GFP_KERNEL);
	if (!args.buf)
		return -ENOMEM;
	for (const char *const *v = argv; *v; v++, args.argc++) {
		strscpy(args.buf + args.used, *v, MAX_ARG_BYTES - args.used);
		args.used += strlen(*v) + 1;
	}
	for (const char *const *v = envp; *v; v++, args.envc++) {
		strscpy(args.buf + args.used, *v, MAX_ARG_BYTES - args.used);
		args.used += strlen(*v) + 1;
	}
	r = kernel_exec_prepare();
	if (!r)
		r = do_execve(path, &args, task_pt_regs(current));
	kfree(args.buf);
	if (r)
		return r;
	become_user_process();
}
