/* The oom_reaper (Linux's mm/oom_kill.c, since 4.6): a kernel thread that
 * frees an OOM victim's anonymous memory without waiting for the victim,
 * which may be stuck in the kernel. Read first: it only ever trylocks
 * mmap_lock for read, and whatever happens the mm ends with MMF_OOM_SKIP,
 * which lets the OOM killer choose another victim. */
#include "kernel/cmdline.h"
#include "kernel/kthread.h"
#include "kernel/lockdep.h"
#include "kernel/locking/mutex.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/sched_debug.h"
#include "kernel/timer.h"
#include "kernel/trace/events.h"
#include "kernel/wait.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/oom.h"

#define MAX_OOM_REAP_RETRIES 10
#define OOM_REAP_RETRY_JIFFIES (HZ / 10)
#define OOM_REAPER_DELAY_MAX_MS 60000
#define OOM_REAP_TIMEOUT_MAX_MS 60000
#define K(pages) ((unsigned long)(pages) << (PAGE_SHIFT - 10))

/* LAB reaper: begin */
/* oom.reaper=0 is the world before seed 2: no thread, and a victim's mm
 * gets MMF_OOM_SKIP only when exit_mmap has freed it. Switched on at run
 * time (a lab's fix=on), the thread starts then. */
bool oom_reaper_enabled = true;
static void oom_reaper_switched(void);
core_param_bool_cb(oom_reaper, "oom.reaper", oom_reaper_enabled, oom_reaper_switched,
		   "the oom_reaper frees OOM victims' memory (0: victims must exit first)");
/* OOM_REAPER_DELAY (5.18): the victim gets this long to exit by itself. */
long oom_reaper_delay_ms = 2000;
core_param_int(oom_reaper_delay_ms, "oom.reaper_delay_ms", oom_reaper_delay_ms, 0,
	       OOM_REAPER_DELAY_MAX_MS, "ms a victim may exit by itself before it is reaped");
/* LAB reaper: end */
/* LAB mlock: begin */
/* 0: the 2018 reaper, which skipped VM_LOCKED VMAs (seed 5). */
bool oom_reap_mlocked = true;
core_param_bool(oom_reap_mlocked, "oom.reap_mlocked", oom_reap_mlocked,
		"the oom_reaper unmaps mlocked memory too (0: skips it, as in 2018)");
/* Non-zero: Rientjes' proposal, a per-mm timeout instead of the retries. */
long oom_reap_timeout_ms;
core_param_int(oom_reap_timeout_ms, "oom.reap_timeout_ms", oom_reap_timeout_ms, 0,
	       OOM_REAP_TIMEOUT_MAX_MS, "0: 10 reap attempts; else ms per mm before MMF_OOM_SKIP");
/* LAB mlock: end */

static struct task_struct *oom_reaper_th;
static DECLARE_WAIT_QUEUE_HEAD(oom_reaper_wait);
static struct task_struct *oom_reaper_list; /* pushed by timers, popped by the thread */

/* LAB mlock: student begin: write oom_reap_vma() */
/* Which VMAs the reaper unmaps (the test in Linux's __oom_reap_task_mm):
 * private or anonymous memory. Shared file pages stay: they are in the
 * page cache, unmapping them frees nothing. Mlocked memory too, unless
 * oom.reap_mlocked=0 asks for the 2018 reaper, which skipped it. */
bool oom_reap_vma(const struct vm_area_struct *vma)
{
	/* LAB mlock: begin */
	if (!oom_reap_mlocked && (vma->vm_flags & VM_LOCKED))
		return false;
	/* LAB mlock: end */
	return !vma->vm_file || !(vma->vm_flags & VM_SHARED);
}
#if 0  /* LAB mlock: student stub */
/* TODO (lab mlock): as given, this is the 2018 reaper, which never
 * unmaps a VM_LOCKED VMA. With oom.reap_mlocked=1 it must unmap mlocked
 * memory too (zap_page_range munlocks each page as it unmaps it); with
 * oom.reap_mlocked=0 it must still skip it. */
bool oom_reap_vma(const struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_LOCKED)
		return false;
	return !vma->vm_file || !(vma->vm_flags & VM_SHARED);
}
#endif /* LAB mlock: student end */

/* LAB reaper: student begin: write __oom_reap_task_mm() */
/* As Linux's __oom_reap_task_mm: MMF_UNSTABLE first, so a fault after
 * this point gets SIGBUS, never a fresh zero page where data was; then
 * every VMA oom_reap_vma() accepts is unmapped. */
bool __oom_reap_task_mm(struct mm_struct *mm)
{
	mm_flag_set(mm, MMF_UNSTABLE);
	for (int i = 0; i < mm->map_count; i++) {
		struct vm_area_struct *vma = mm->vmas[i];

		if (oom_reap_vma(vma))
			zap_page_range(vma, vma->vm_start, vma->vm_end);
	}
	return true;
}
#if 0  /* LAB reaper: student stub */
/* TODO (lab reaper): free the victim's memory without waiting for it:
 * set MMF_UNSTABLE (a later fault must not find fresh zero pages), then
 * unmap each VMA of mm that oom_reap_vma() accepts (zap_page_range).
 * The caller holds mmap_lock for reading. As given, it frees nothing. */
bool __oom_reap_task_mm(struct mm_struct *mm)
{
	mm_flag_set(mm, MMF_UNSTABLE);
	return true;
}
#endif /* LAB reaper: student end */

/* One attempt; false: mmap_lock was busy, try again later. */
static bool oom_reap_task_mm(struct task_struct *tsk, struct mm_struct *mm)
{
	bool ret = true;

	if (!mmap_read_trylock(mm)) {
		trace_skip_task_reaping(tsk->pid);
		return false;
	}
	/* exit_mmap got there first and is freeing it all. */
	if (mm_flag_test(mm, MMF_OOM_SKIP)) {
		trace_skip_task_reaping(tsk->pid);
		goto out_unlock;
	}
	trace_start_task_reaping(tsk->pid);
	ret = __oom_reap_task_mm(mm);
	if (ret)
		pr_info("oom_reaper: reaped process %d (%s), now anon-rss:%lukB, file-rss:%lukB, "
			"shmem-rss:%lukB",
			tsk->pid, tsk->comm, K(get_mm_counter(mm, MM_ANONPAGES)),
			K(get_mm_counter(mm, MM_FILEPAGES)), K(get_mm_counter(mm, MM_SHMEMPAGES)));
	trace_finish_task_reaping(tsk->pid);
out_unlock:
	mmap_read_unlock(mm);
	return ret;
}

static void oom_reap_done(struct task_struct *tsk, struct mm_struct *mm)
{
	tsk->oom_reaper_list = NULL;
	mm_set_oom_skip(mm); /* the OOM killer may look elsewhere now */
	put_task_struct(tsk);
}

/* As Linux's oom_reap_task: MAX_OOM_REAP_RETRIES tries HZ/10 apart. */
static void oom_reap_task(struct task_struct *tsk)
{
	struct mm_struct *mm = tsk->group_leader->oom_mm;
	int attempts = 0;

	while (attempts++ < MAX_OOM_REAP_RETRIES && !oom_reap_task_mm(tsk, mm))
		schedule_timeout_idle(OOM_REAP_RETRY_JIFFIES);
	if (attempts > MAX_OOM_REAP_RETRIES && !mm_flag_test(mm, MMF_OOM_SKIP)) {
		pr_info("oom_reaper: unable to reap pid:%d (%s)", tsk->pid, tsk->comm);
		sched_show_task(tsk);
		lockdep_print_held_locks(tsk);
		debug_show_all_locks(); /* as Linux: whoever holds its mmap_lock */
	}
	oom_reap_done(tsk, mm);
}

static void oom_reaper_push(struct task_struct *tsk)
{
	uint64_t flags = local_irq_save();

	tsk->oom_reaper_list = oom_reaper_list;
	oom_reaper_list = tsk;
	local_irq_restore(flags);
}

static struct task_struct *oom_reaper_pop(void)
{
	uint64_t flags = local_irq_save();
	struct task_struct *tsk = oom_reaper_list;

	if (tsk)
		oom_reaper_list = tsk->oom_reaper_list;
	local_irq_restore(flags);
	return tsk;
}

/* LAB mlock: begin */
/* Seed 5's alternative: cycle over every queued victim, reaping each
 * again while it lives, and give up on an mm (MMF_OOM_SKIP) only when its
 * timeout expires or exit_mmap has set MMF_OOM_SKIP itself. */
static void oom_reap_timeout_pass(void)
{
	struct task_struct *tsk, *keep = NULL;

	while ((tsk = oom_reaper_pop())) {
		struct mm_struct *mm = tsk->group_leader->oom_mm;

		if (!mm->oom_reap_expire)
			mm->oom_reap_expire =
				jiffies + msecs_to_jiffies((unsigned int)oom_reap_timeout_ms) + 1;
		/* One successful reap (MMF_UNSTABLE) is enough; then wait. */
		if (!mm_flag_test(mm, MMF_OOM_SKIP) && !mm_flag_test(mm, MMF_UNSTABLE))
			oom_reap_task_mm(tsk, mm);
		if (mm_flag_test(mm, MMF_OOM_SKIP) || time_after_eq(jiffies, mm->oom_reap_expire)) {
			if (!mm_flag_test(mm, MMF_OOM_SKIP))
				pr_info("oom_reaper: timeout for pid:%d (%s)", tsk->pid, tsk->comm);
			oom_reap_done(tsk, mm);
			continue;
		}
		tsk->oom_reaper_list = keep;
		keep = tsk;
	}
	while ((tsk = keep)) {
		keep = tsk->oom_reaper_list;
		oom_reaper_push(tsk);
	}
}
/* LAB mlock: end */

static bool oom_reaper_has_work(void)
{
	return __atomic_load_n(&oom_reaper_list, __ATOMIC_ACQUIRE) != NULL;
}

static int oom_reaper(void *unused)
{
	(void)unused;
	for (;;) {
		struct task_struct *tsk;

		wait_event_idle(oom_reaper_wait, oom_reaper_has_work());
		/* LAB mlock: begin */
		if (oom_reap_timeout_ms) {
			oom_reap_timeout_pass();
			if (oom_reaper_has_work())
				schedule_timeout_idle(OOM_REAP_RETRY_JIFFIES);
			continue;
		}
		/* LAB mlock: end */
		tsk = oom_reaper_pop();
		if (tsk)
			oom_reap_task(tsk);
	}
	return 0;
}

/* The delay is over (timer, interrupt context): hand the victim over. */
static void wake_oom_reaper(struct timer_list *timer)
{
	struct task_struct *tsk = container_of(timer, struct task_struct, oom_reaper_timer);
	struct mm_struct *mm = tsk->group_leader->oom_mm;

	if (mm_flag_test(mm, MMF_OOM_SKIP)) { /* it exited meanwhile */
		put_task_struct(tsk);
		return;
	}
	oom_reaper_push(tsk);
	trace_wake_reaper(tsk->pid);
	wake_up(&oom_reaper_wait);
}

/* As Linux's queue_oom_reaper: once per mm, after OOM_REAPER_DELAY. */
void queue_oom_reaper(struct task_struct *tsk)
{
	struct mm_struct *mm = tsk->group_leader->oom_mm;

	/* LAB reaper: begin */
	if (!oom_reaper_enabled)
		return;
	if (!oom_reaper_th)
		return; /* switched on, but the thread could not start */
	/* LAB reaper: end */
	if (!mm || mm_flag_test_and_set(mm, MMF_OOM_REAP_QUEUED))
		return;
	get_task_struct(tsk);
	timer_setup(&tsk->oom_reaper_timer, wake_oom_reaper, 0);
	/* LAB reaper: begin */
	mod_timer(&tsk->oom_reaper_timer,
		  jiffies + msecs_to_jiffies((unsigned int)oom_reaper_delay_ms));
	/* LAB reaper: end */
}

static void start_oom_reaper(void)
{
	static DEFINE_MUTEX(start_lock);

	mutex_lock(&start_lock);
	if (!oom_reaper_th) {
		oom_reaper_th = kthread_run(oom_reaper, NULL, "oom_reaper");
		if (!oom_reaper_th)
			pr_err("oom_reaper: cannot start the thread");
	}
	mutex_unlock(&start_lock);
}

/* A write to /proc/sys/oomlab/oom.reaper: the process context of the
 * writer, never the OOM path, pays for the thread. */
static void oom_reaper_switched(void)
{
	if (oom_reaper_enabled)
		start_oom_reaper();
}

void oom_reaper_init(void)
{
	if (oom_reaper_enabled)
		start_oom_reaper();
}
