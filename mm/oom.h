/* The OOM killer's view of tasks (Linux's include/linux/oom.h). Read
 * first: badness is in pages, LONG_MIN for a task that must never be
 * chosen; /proc/<pid>/oom_score shows it scaled to 0..2000. */
#ifndef OOMLAB_MM_OOM_H
#define OOMLAB_MM_OOM_H
#include <stdbool.h>

struct task_struct;

/* uapi/linux/oom.h */
#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000

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
