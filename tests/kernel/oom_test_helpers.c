/* Stand-in OOM victims (see the header). Read first: a victim is a kernel
 * thread until its pages are in; then it drops PF_KTHREAD, so the OOM
 * killer sees a process like any other, and leaves through do_exit's
 * exit_mm like one. */
#include "tests/kernel/oom_test_helpers.h"
#include "kernel/kthread.h"
#include "kernel/timer.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/oom.h"
#include "tests/kernel/sched_test_helpers.h"

#define LAST_REF_WAIT_MS 1000
#define VICTIM_VM_FLAGS (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE)

static struct mm_struct *victim_mm(struct oom_victim *v)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long len = v->pages << PAGE_SHIFT;
	struct vm_area_struct *vma;
	long err;

	if (!mm)
		return NULL;
	mmap_write_lock(mm);
	err = do_mmap_fixed(mm, VICTIM_ADDR, len, VICTIM_VM_FLAGS | (v->mlocked ? VM_LOCKED : 0),
			    NULL, 0);
	mmap_write_unlock(mm);
	if (err < 0)
		goto fail;
	mmap_read_lock(mm);
	vma = find_vma(mm, VICTIM_ADDR);
	err = vma ? populate_range(vma, VICTIM_ADDR, VICTIM_ADDR + len) : -1;
	mmap_read_unlock(mm);
	if (err)
		goto fail;
	return mm;
fail:
	mmput(mm);
	return NULL;
}

static int victim_main(void *arg)
{
	struct oom_victim *v = arg;
	struct mm_struct *mm = v->share ? v->share->mm : victim_mm(v);

	if (!mm) {
		v->err = -1;
		complete(&v->ready);
		return -1;
	}
	if (v->share)
		mmget(mm);
	task_lock(current);
	current->mm = mm;
	current->active_mm = mm;
	task_unlock(current);
	if (!mm->owner)
		mm->owner = current;
	current->oom_score_adj = v->adj;
	current->flags &= ~(unsigned int)PF_KTHREAD; /* a process now, as after exec */
	v->mm = mm;
	complete(&v->ready);
	if (v->body) {
		v->body(v);
		return 0;
	}
	if (v->wait == VICTIM_STUCK_D) {
		wait_for_completion(&v->release);
		return 0;
	}
	while (!fatal_signal_pending(current) && !completion_done(&v->release))
		schedule_timeout_killable(HZ / 10);
	return 0;
}

bool victim_start(struct oom_victim *v)
{
	init_completion(&v->ready);
	init_completion(&v->release);
	v->err = 0;
	v->mm = NULL;
	v->p = test_thread_run(victim_main, v, v->name);
	if (!v->p)
		return false;
	if (!wait_for_completion_timeout(&v->ready, msecs_to_jiffies(TEST_WAIT_TIMEOUT_MS)))
		return false;
	return v->err == 0;
}

bool victim_killed(const struct oom_victim *v)
{
	return fatal_signal_pending(v->p) || v->p->exit_state || v->p->group_exiting;
}

void victim_release(struct oom_victim *v)
{
	complete_all(&v->release);
}

bool victim_wait_gone(struct oom_victim *v)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(TEST_WAIT_TIMEOUT_MS);
	struct task_struct *p = v->p;

	if (!p)
		return true;
	victim_release(v);
	if (!wait_for_completion_timeout(&p->kthread->exited,
					 msecs_to_jiffies(TEST_WAIT_TIMEOUT_MS)))
		return false;
	while (!p->exit_state || p->mm) {
		if (time_after(jiffies, deadline))
			return false;
		schedule_timeout_uninterruptible(1);
	}
	/* The scheduler's last reference (and the reaper's) go soon after:
	 * wait a little for ours to be the last, so that the task's stack is
	 * freed by our put below and page counts after this are exact. A
	 * reaper timer still pending (a long oom.reaper_delay_ms) keeps one. */
	deadline = jiffies + msecs_to_jiffies(LAST_REF_WAIT_MS);
	while (__atomic_load_n(&p->refcount, __ATOMIC_SEQ_CST) > 1 &&
	       !time_after(jiffies, deadline))
		schedule_timeout_uninterruptible(1);
	v->p = NULL;
	return test_thread_join(p, TEST_WAIT_TIMEOUT_MS, NULL);
}

bool run_out_of_memory(gfp_t gfp_mask, int order)
{
	struct oom_control oc = {.gfp_mask = gfp_mask, .order = order};
	bool ret;

	mutex_lock(&oom_lock);
	ret = out_of_memory(&oc);
	mutex_unlock(&oom_lock);
	return ret;
}

bool wait_for_mm_flag(struct mm_struct *mm, int bit, unsigned int timeout_ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);

	while (!mm_flag_test(mm, bit)) {
		if (time_after(jiffies, deadline))
			return false;
		schedule_timeout_uninterruptible(1);
	}
	return true;
}

void oom_switches_save(struct oom_switches *s)
{
	*s = (struct oom_switches){
		.reaper = oom_reaper_enabled,
		.reap_mlocked = oom_reap_mlocked,
		.reaper_delay_ms = oom_reaper_delay_ms,
		.reap_timeout_ms = oom_reap_timeout_ms,
		.kill_reserves = oom_kill_reserves,
		.lock_mode = oom_lock_mode,
		.dump_tasks = sysctl_oom_dump_tasks,
	};
}

void oom_switches_restore(const struct oom_switches *s)
{
	oom_reaper_enabled = s->reaper;
	oom_reap_mlocked = s->reap_mlocked;
	oom_reaper_delay_ms = s->reaper_delay_ms;
	oom_reap_timeout_ms = s->reap_timeout_ms;
	oom_kill_reserves = s->kill_reserves;
	oom_lock_mode = s->lock_mode;
	sysctl_oom_dump_tasks = s->dump_tasks;
}
