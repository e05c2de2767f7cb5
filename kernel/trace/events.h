/* The trace events oomlab emits, with Linux's names and the fields of
 * Linux's TP_printk (include/trace/events/{oom,vmscan,kmem}.h). Read first:
 * callers only call these functions; whether an event is enabled and where
 * its text goes (the tracefs ring buffer) is kernel/trace/'s business.
 * Until the tracing core lands these are no-ops that keep the call sites. */
#ifndef OOMLAB_KERNEL_TRACE_EVENTS_H
#define OOMLAB_KERNEL_TRACE_EVENTS_H
#include <stdbool.h>

struct task_struct;
struct zone;

/* oom: */
static inline void trace_oom_score_adj_update(struct task_struct *task) { (void)task; }
static inline void trace_reclaim_retry_zone(struct zone *zone, int order,
					    unsigned long reclaimable,
					    unsigned long available,
					    unsigned long min_wmark,
					    int no_progress_loops, bool wmark_check)
{
	(void)zone, (void)order, (void)reclaimable, (void)available;
	(void)min_wmark, (void)no_progress_loops, (void)wmark_check;
}
/* mark_victim: pid, comm, total_vm, anon_rss, file_rss, shmem_rss, uid,
 * pgtables, oom_score_adj are read from task and its mm by the event. */
static inline void trace_mark_victim(struct task_struct *task, unsigned int uid)
{
	(void)task, (void)uid;
}
static inline void trace_wake_reaper(int pid) { (void)pid; }
static inline void trace_start_task_reaping(int pid) { (void)pid; }
static inline void trace_finish_task_reaping(int pid) { (void)pid; }
static inline void trace_skip_task_reaping(int pid) { (void)pid; }

/* kmem: */
static inline void trace_mm_page_alloc(const void *page, unsigned int order,
				       unsigned int gfp_flags, int migratetype)
{
	(void)page, (void)order, (void)gfp_flags, (void)migratetype;
}
static inline void trace_mm_page_free(const void *page, unsigned int order)
{
	(void)page, (void)order;
}
#endif
