/* How bad a task is to keep when memory runs out (Linux's mm/oom_kill.c,
 * oom_badness and its helpers). Read first: the score is the memory a
 * kill would give back, in pages, shifted by oom_score_adj in thousandths
 * of all memory; the killer itself (select_bad_process, oom_kill_process)
 * builds on this and comes with the OOM issue. */
#include "kernel/sched.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/oom.h"
#include <limits.h>

#define OOM_SCORE_SCALE 1000

bool oom_unkillable_task(const struct task_struct *p)
{
	return p->tgid == 1 || (p->flags & PF_KTHREAD);
}

struct task_struct *find_lock_task_mm(struct task_struct *p)
{
	struct task_struct *leader = p->group_leader ? p->group_leader : p, *t;

	task_lock(leader);
	if (leader->mm)
		return leader;
	task_unlock(leader);
	/* One CPU: no preemption, the thread list holds still. */
	preempt_disable();
	list_for_each_entry(t, &leader->thread_group, thread_group) {
		task_lock(t);
		if (t->mm) {
			preempt_enable();
			return t;
		}
		task_unlock(t);
	}
	preempt_enable();
	return NULL;
}

long oom_badness(struct task_struct *p, unsigned long totalpages)
{
	struct task_struct *t;
	long points, adj;

	if (oom_unkillable_task(p))
		return LONG_MIN;
	t = find_lock_task_mm(p);
	if (!t)
		return LONG_MIN;
	adj = __atomic_load_n(&t->oom_score_adj, __ATOMIC_RELAXED);
	if (adj == OOM_SCORE_ADJ_MIN || mm_flag_test(t->mm, MMF_OOM_SKIP)) {
		task_unlock(t);
		return LONG_MIN;
	}
	points = (long)get_mm_rss(t->mm) + get_mm_counter(t->mm, MM_SWAPENTS) +
		 t->mm->pgtables_bytes / (long)PAGE_SIZE;
	task_unlock(t);
	return points + adj * (long)(totalpages / OOM_SCORE_SCALE);
}

/* As Linux's proc_oom_score: badness over all memory, into 0..2000 (the
 * range the older score had, which user space still expects). */
unsigned long oom_score_show_value(struct task_struct *p)
{
	long totalpages = (long)totalram_pages; /* no swap */
	long badness = oom_badness(p, (unsigned long)totalpages);

	if (badness == LONG_MIN || totalpages == 0)
		return 0;
	badness = (OOM_SCORE_SCALE + badness * OOM_SCORE_SCALE / totalpages) * 2 / 3;
	return badness < 0 ? 0 : (unsigned long)badness;
}
