/* The trace events oomlab emits, with Linux's names and the fields of
 * Linux's TP_printk (include/trace/events/{oom,vmscan,kmem}.h). Read first:
 * callers only call the trace_<event>() functions; each is an inline test
 * of its event's enable byte, so a disabled event costs one load and a
 * branch. The formatting and the ring buffer are kernel/trace/'s business
 * (trace.h); the host-built mm/ tests have no tracing, so there every
 * event is a no-op. */
#ifndef OOMLAB_KERNEL_TRACE_EVENTS_H
#define OOMLAB_KERNEL_TRACE_EVENTS_H
#include <stdbool.h>

struct task_struct;
struct zone;

/* One id per event, grouped by system as in /sys/kernel/tracing/events. */
enum trace_event_id {
	/* oom: */
	TRACE_OOM_SCORE_ADJ_UPDATE,
	TRACE_RECLAIM_RETRY_ZONE,
	TRACE_MARK_VICTIM,
	TRACE_WAKE_REAPER,
	TRACE_START_TASK_REAPING,
	TRACE_FINISH_TASK_REAPING,
	TRACE_SKIP_TASK_REAPING,
	/* vmscan: */
	TRACE_MM_VMSCAN_KSWAPD_SLEEP,
	TRACE_MM_VMSCAN_KSWAPD_WAKE,
	TRACE_MM_VMSCAN_WAKEUP_KSWAPD,
	TRACE_MM_VMSCAN_DIRECT_RECLAIM_BEGIN,
	TRACE_MM_VMSCAN_DIRECT_RECLAIM_END,
	/* kmem: */
	TRACE_MM_PAGE_ALLOC,
	TRACE_MM_PAGE_FREE,
	NR_TRACE_EVENTS
};

#ifdef HOST_TEST
#define TRACE_EVENT_ON(id) ((void)(id), false)
#else
/* 1 while the event is enabled (events/<system>/<event>/enable). */
extern unsigned char trace_event_enabled[NR_TRACE_EVENTS];
#define TRACE_EVENT_ON(id) (__atomic_load_n(&trace_event_enabled[id], __ATOMIC_RELAXED) != 0)
#endif

/* The recorders (trace_events.c): only ever called through the wrappers. */
void __trace_oom_score_adj_update(struct task_struct *task);
void __trace_reclaim_retry_zone(struct zone *zone, int order, unsigned long reclaimable,
				unsigned long available, unsigned long min_wmark,
				int no_progress_loops, bool wmark_check);
void __trace_mark_victim(struct task_struct *task, unsigned int uid);
void __trace_oom_pid_event(enum trace_event_id id, int pid);
void __trace_mm_vmscan_kswapd_sleep(int nid);
void __trace_mm_vmscan_kswapd_wake(int nid, int zid, int order);
void __trace_mm_vmscan_wakeup_kswapd(int nid, int zid, int order, unsigned int gfp_flags);
void __trace_mm_vmscan_direct_reclaim_begin(int order, unsigned int gfp_flags);
void __trace_mm_vmscan_direct_reclaim_end(unsigned long nr_reclaimed);
void __trace_mm_page_alloc(const void *page, unsigned int order, unsigned int gfp_flags,
			   int migratetype);
void __trace_mm_page_free(const void *page, unsigned int order);

/* oom: */
static inline void trace_oom_score_adj_update(struct task_struct *task)
{
	if (TRACE_EVENT_ON(TRACE_OOM_SCORE_ADJ_UPDATE))
		__trace_oom_score_adj_update(task);
}
static inline void trace_reclaim_retry_zone(struct zone *zone, int order, unsigned long reclaimable,
					    unsigned long available, unsigned long min_wmark,
					    int no_progress_loops, bool wmark_check)
{
	if (TRACE_EVENT_ON(TRACE_RECLAIM_RETRY_ZONE))
		__trace_reclaim_retry_zone(zone, order, reclaimable, available, min_wmark,
					   no_progress_loops, wmark_check);
}
/* mark_victim: pid, comm, total_vm, anon_rss, file_rss, shmem_rss, uid,
 * pgtables, oom_score_adj are read from task and its mm by the event, so
 * the caller must keep task->mm stable (task_lock, as Linux's caller). */
static inline void trace_mark_victim(struct task_struct *task, unsigned int uid)
{
	if (TRACE_EVENT_ON(TRACE_MARK_VICTIM))
		__trace_mark_victim(task, uid);
}
static inline void trace_wake_reaper(int pid)
{
	if (TRACE_EVENT_ON(TRACE_WAKE_REAPER))
		__trace_oom_pid_event(TRACE_WAKE_REAPER, pid);
}
static inline void trace_start_task_reaping(int pid)
{
	if (TRACE_EVENT_ON(TRACE_START_TASK_REAPING))
		__trace_oom_pid_event(TRACE_START_TASK_REAPING, pid);
}
static inline void trace_finish_task_reaping(int pid)
{
	if (TRACE_EVENT_ON(TRACE_FINISH_TASK_REAPING))
		__trace_oom_pid_event(TRACE_FINISH_TASK_REAPING, pid);
}
static inline void trace_skip_task_reaping(int pid)
{
	if (TRACE_EVENT_ON(TRACE_SKIP_TASK_REAPING))
		__trace_oom_pid_event(TRACE_SKIP_TASK_REAPING, pid);
}

/* vmscan: */
static inline void trace_mm_vmscan_kswapd_sleep(int nid)
{
	if (TRACE_EVENT_ON(TRACE_MM_VMSCAN_KSWAPD_SLEEP))
		__trace_mm_vmscan_kswapd_sleep(nid);
}
static inline void trace_mm_vmscan_kswapd_wake(int nid, int zid, int order)
{
	if (TRACE_EVENT_ON(TRACE_MM_VMSCAN_KSWAPD_WAKE))
		__trace_mm_vmscan_kswapd_wake(nid, zid, order);
}
static inline void trace_mm_vmscan_wakeup_kswapd(int nid, int zid, int order,
						 unsigned int gfp_flags)
{
	if (TRACE_EVENT_ON(TRACE_MM_VMSCAN_WAKEUP_KSWAPD))
		__trace_mm_vmscan_wakeup_kswapd(nid, zid, order, gfp_flags);
}
static inline void trace_mm_vmscan_direct_reclaim_begin(int order, unsigned int gfp_flags)
{
	if (TRACE_EVENT_ON(TRACE_MM_VMSCAN_DIRECT_RECLAIM_BEGIN))
		__trace_mm_vmscan_direct_reclaim_begin(order, gfp_flags);
}
static inline void trace_mm_vmscan_direct_reclaim_end(unsigned long nr_reclaimed)
{
	if (TRACE_EVENT_ON(TRACE_MM_VMSCAN_DIRECT_RECLAIM_END))
		__trace_mm_vmscan_direct_reclaim_end(nr_reclaimed);
}

/* kmem: page is a struct page * (NULL when an allocation failed). */
static inline void trace_mm_page_alloc(const void *page, unsigned int order, unsigned int gfp_flags,
				       int migratetype)
{
	if (TRACE_EVENT_ON(TRACE_MM_PAGE_ALLOC))
		__trace_mm_page_alloc(page, order, gfp_flags, migratetype);
}
static inline void trace_mm_page_free(const void *page, unsigned int order)
{
	if (TRACE_EVENT_ON(TRACE_MM_PAGE_FREE))
		__trace_mm_page_free(page, order);
}
#endif
