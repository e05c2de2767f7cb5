/* The OOM killer's interface (Linux's include/linux/oom.h). Read first:
 * badness is in pages, LONG_MIN for a task that must never be chosen;
 * out_of_memory() runs with oom_lock held and returns true when it made
 * progress (killed, or found a victim already on its way out). */
#ifndef OOMLAB_MM_OOM_H
#define OOMLAB_MM_OOM_H
#include "kernel/locking/mutex.h"
#include "mm/gfp_types.h"
#include <stdbool.h>

struct task_struct;
struct mm_struct;
struct vm_area_struct;

/* uapi/linux/oom.h */
#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000

enum oom_constraint { CONSTRAINT_NONE };

/* What one OOM invocation is about, as Linux's (no memcg, no nodemask:
 * every OOM here is global). order -1: a manual kill (SysRq f). */
struct oom_control {
	gfp_t gfp_mask;
	int order;
	enum oom_constraint constraint;
	unsigned long totalpages;   /* RAM (+ swap, none here), for oom_badness */
	struct task_struct *chosen; /* pinned; OOM_ABORT_CHOSEN: a kill in flight */
	long chosen_points;
	/* oom_skip_count() just before the allocator's last look at the free
	 * lists at its own watermark; meaningful only when looked is set (the
	 * count is 0 until the boot's first victim finishes, so 0 cannot mean
	 * "no look": SysRq f and pagefault_out_of_memory leave looked clear). */
	unsigned long skips_at_last_look;
	bool looked;
};
#define OOM_ABORT_CHOSEN ((struct task_struct *)-1l)

/* Serialises OOM kills; the allocator trylocks it (mm/alloc_slowpath.c). */
extern struct mutex oom_lock;
/* Tasks marked TIF_MEMDIE that have not yet left their mm. */
extern int oom_victims;

/* vm.* sysctls, as Linux's */
extern long sysctl_panic_on_oom, sysctl_oom_kill_allocating_task, sysctl_oom_dump_tasks;

/* pid 1 and kernel threads: never OOM victims. */
bool oom_unkillable_task(const struct task_struct *p);
/* A thread of p's process that still has an mm, returned task_lock()ed
 * (the caller task_unlock()s it); NULL when every thread has left it. */
struct task_struct *find_lock_task_mm(struct task_struct *p);
/* Pages the kill would free (rss, swap entries, page tables) plus
 * oom_score_adj thousandths of totalpages; LONG_MIN: not a candidate. */
long oom_badness(struct task_struct *p, unsigned long totalpages);
/* What /proc/<pid>/oom_score prints. */
unsigned long oom_score_show_value(struct task_struct *p);

/* Set MMF_OOM_SKIP (the OOM killer may look past this mm now) and count
 * it: exit_mmap, the oom_reaper and an mm shared with init. */
void mm_set_oom_skip(struct mm_struct *mm);
/* How many mms have been given MMF_OOM_SKIP since boot (from 1). */
unsigned long oom_skip_count(void);
/* Caller holds oom_lock. */
bool out_of_memory(struct oom_control *oc);
/* Has p's process been chosen by the OOM killer (signal->oom_mm)? */
bool tsk_is_oom_victim(const struct task_struct *p);
void mark_oom_victim(struct task_struct *tsk);
/* tsk leaves its mm: one victim fewer (called from exit_mm). */
void exit_oom_victim(struct task_struct *tsk);
/* Is tsk (and every other user of its mm) already on its way out? */
bool task_will_free_mem(struct task_struct *task);
/* A user fault ended in VM_FAULT_OOM (mm/fault.c). */
void pagefault_out_of_memory(void);
/* SysRq f: a manual kill from a worker thread, as Linux's moom_callback. */
void sysrq_oom_request(void);
/* Boot: the oom_reaper and the SysRq worker threads. */
void oom_init(void);

/* mm/oom_reaper.c */
void queue_oom_reaper(struct task_struct *tsk);
void oom_reaper_init(void);
/* Unmap what can be unmapped of a victim's mm (mmap_lock held for read);
 * returns false when it must be tried again. */
bool __oom_reap_task_mm(struct mm_struct *mm);
/* May the reaper unmap vma? (mlocked memory: oom.reap_mlocked) */
bool oom_reap_vma(const struct vm_area_struct *vma);

/* Seed switches (oom.*, see docs/design.md section 5). */
enum oom_kill_reserves { OOM_RESERVES_VICTIM, OOM_RESERVES_KILLER, OOM_RESERVES_NONE };
enum oom_lock_mode { OOM_LOCK_TRYLOCK, OOM_LOCK_TRYLOCK_SLEEP, OOM_LOCK_KILLABLE };
extern int oom_kill_reserves, oom_lock_mode;
extern bool oom_reaper_enabled, oom_reap_mlocked;
extern long oom_reaper_delay_ms, oom_reap_timeout_ms;
/* The allocation-stall watchdog (mm/alloc_slowpath.c), ms; 0: off. */
extern long oom_stall_warn_ms;
/* Stand-in for direct reclaim's CPU cost (mm/alloc_slowpath.c), us. */
extern long oom_reclaim_cost_us;
#endif

/* OOM notifiers (mm/oom_notify.c). Read first: a callback gets a pointer
 * to an unsigned long and adds the pages it freed to it; Linux calls the
 * chain from out_of_memory() under oom_lock, the seed-3 patch before it,
 * and the oom.notifier switch chooses. */
struct notifier_block;
int register_oom_notifier(struct notifier_block *nb);
int unregister_oom_notifier(struct notifier_block *nb);
/* Runs the chain once; the pages the callbacks freed. */
unsigned long oom_notify_call(void);
/* The allocator's slow path, just before __alloc_pages_may_oom: with
 * oom.notifier=outside, the chain as the last form of reclaim; true when
 * it freed pages (retry the allocation). False at once with "inside". */
bool oom_notify_outside_lock(void);
/* out_of_memory(), under oom_lock: with oom.notifier=inside (Linux), the
 * chain; true when it freed pages (progress: no kill). False at once with
 * "outside". */
bool oom_notify_inside_lock(void);

enum oom_notifier_place { OOM_NOTIFIER_INSIDE, OOM_NOTIFIER_OUTSIDE };
extern int sysctl_oom_notifier; /* enum oom_notifier_place */
