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
