/* The events themselves: their table (system, name, Linux's print format),
 * their enable switches, and one recorder per event that turns its
 * arguments into Linux's TP_printk text (include/trace/events/oom.h,
 * vmscan.h, kmem.h). Read first: a recorder runs only when its event is
 * enabled (the inline test in events.h), and must not sleep or allocate:
 * page allocation and freeing call it with zone locks held. */
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/trace/trace.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/mmzone.h"

#define GFP_TEXT_MAX 96
#define KB_PER_PAGE_SHIFT (PAGE_SHIFT - 10)
#define NO_PFN (~0ul) /* Linux's pfn for a failed allocation */

unsigned char trace_event_enabled[NR_TRACE_EVENTS];

const char *const trace_system_names[NR_TRACE_SYSTEMS] = {"oom", "vmscan", "kmem"};

#define EVENT(id, sys, nm, fmt) [id] = {.system = sys, .name = nm, .print_fmt = fmt}
const struct trace_event_call trace_event_calls[NR_TRACE_EVENTS] = {
	EVENT(TRACE_OOM_SCORE_ADJ_UPDATE, "oom", "oom_score_adj_update",
	      "pid=%d comm=%s oom_score_adj=%hd"),
	EVENT(TRACE_RECLAIM_RETRY_ZONE, "oom", "reclaim_retry_zone",
	      "node=%d zone=%-8s order=%d reclaimable=%lu available=%lu min_wmark=%lu "
	      "no_progress_loops=%d wmark_check=%d"),
	EVENT(TRACE_MARK_VICTIM, "oom", "mark_victim",
	      "pid=%d comm=%s total-vm=%lukB anon-rss=%lukB file-rss:%lukB shmem-rss:%lukB "
	      "uid=%u pgtables=%lukB oom_score_adj=%hd"),
	EVENT(TRACE_WAKE_REAPER, "oom", "wake_reaper", "pid=%d"),
	EVENT(TRACE_START_TASK_REAPING, "oom", "start_task_reaping", "pid=%d"),
	EVENT(TRACE_FINISH_TASK_REAPING, "oom", "finish_task_reaping", "pid=%d"),
	EVENT(TRACE_SKIP_TASK_REAPING, "oom", "skip_task_reaping", "pid=%d"),
	EVENT(TRACE_MM_VMSCAN_KSWAPD_SLEEP, "vmscan", "mm_vmscan_kswapd_sleep", "nid=%d"),
	EVENT(TRACE_MM_VMSCAN_KSWAPD_WAKE, "vmscan", "mm_vmscan_kswapd_wake", "nid=%d order=%d"),
	EVENT(TRACE_MM_VMSCAN_WAKEUP_KSWAPD, "vmscan", "mm_vmscan_wakeup_kswapd",
	      "nid=%d order=%d gfp_flags=%s"),
	EVENT(TRACE_MM_VMSCAN_DIRECT_RECLAIM_BEGIN, "vmscan", "mm_vmscan_direct_reclaim_begin",
	      "order=%d gfp_flags=%s"),
	EVENT(TRACE_MM_VMSCAN_DIRECT_RECLAIM_END, "vmscan", "mm_vmscan_direct_reclaim_end",
	      "nr_reclaimed=%lu"),
	EVENT(TRACE_MM_PAGE_ALLOC, "kmem", "mm_page_alloc",
	      "page=%p pfn=0x%lx order=%d migratetype=%d gfp_flags=%s"),
	EVENT(TRACE_MM_PAGE_FREE, "kmem", "mm_page_free", "page=%p pfn=0x%lx order=%d"),
};

static bool in_system(enum trace_event_id id, const char *system)
{
	return !system || strcmp(trace_event_calls[id].system, system) == 0;
}

void trace_event_enable(enum trace_event_id id, bool on)
{
	__atomic_store_n(&trace_event_enabled[id], on ? 1 : 0, __ATOMIC_RELAXED);
}

void trace_system_enable(const char *system, bool on)
{
	for (int id = 0; id < NR_TRACE_EVENTS; id++)
		if (in_system((enum trace_event_id)id, system))
			trace_event_enable((enum trace_event_id)id, on);
}

int trace_system_enabled(const char *system)
{
	bool seen_on = false, seen_off = false;

	for (int id = 0; id < NR_TRACE_EVENTS; id++) {
		if (!in_system((enum trace_event_id)id, system))
			continue;
		if (TRACE_EVENT_ON(id))
			seen_on = true;
		else
			seen_off = true;
	}
	return seen_on && seen_off ? -1 : seen_on;
}

/* Does want[0..len) name have? Empty or "*" names anything. */
static bool part_matches(const char *want, size_t len, const char *have, bool wildcard)
{
	if (wildcard && (len == 0 || (len == 1 && want[0] == '*')))
		return true;
	return strlen(have) == len && strncmp(want, have, len) == 0;
}

/* As Linux's ftrace_set_clr_event: "system:event", "system:*" (or
 * "system:"), "*:event", or one word naming a system or an event. */
int trace_set_event(const char *spec, size_t len, bool on)
{
	const char *colon = NULL;
	int matched = 0;

	for (size_t i = 0; i < len && !colon; i++)
		if (spec[i] == ':')
			colon = spec + i;
	for (int id = 0; id < NR_TRACE_EVENTS; id++) {
		const struct trace_event_call *call = &trace_event_calls[id];
		bool hit;

		if (colon)
			hit = part_matches(spec, (size_t)(colon - spec), call->system, true) &&
			      part_matches(colon + 1, len - (size_t)(colon + 1 - spec), call->name,
					   true);
		else
			hit = len && (part_matches(spec, len, call->system, false) ||
				      part_matches(spec, len, call->name, false));
		if (hit) {
			trace_event_enable((enum trace_event_id)id, on);
			matched++;
		}
	}
	return matched ? matched : -EINVAL;
}

/* trace_event=oom,kmem:mm_page_free: events on from boot, before anything
 * can open tracefs (Linux's switch and its message for a bad name). */
static const char *boot_events;
core_param_string(trace_event, "trace_event", boot_events,
		  "trace events on from boot (oom, oom:mark_victim, kmem:*), read once at boot");

void trace_enable_boot_events(void)
{
	const char *s = boot_events;

	while (s && *s) {
		size_t len = 0;

		while (s[len] && s[len] != ',')
			len++;
		if (len && trace_set_event(s, len, true) < 0)
			pr_warn("Failed to enable trace event: %.*s", (int)len, s);
		s += len + (s[len] == ',');
	}
}

/* --- oom: --- */

void __trace_oom_score_adj_update(struct task_struct *task)
{
	trace_event_printf(TRACE_OOM_SCORE_ADJ_UPDATE, "pid=%d comm=%s oom_score_adj=%d", task->pid,
			   task->comm, __atomic_load_n(&task->oom_score_adj, __ATOMIC_RELAXED));
}

void __trace_reclaim_retry_zone(struct zone *zone, int order, unsigned long reclaimable,
				unsigned long available, unsigned long min_wmark,
				int no_progress_loops, bool wmark_check)
{
	trace_event_printf(TRACE_RECLAIM_RETRY_ZONE,
			   "node=%d zone=%-8s order=%d reclaimable=%lu available=%lu "
			   "min_wmark=%lu no_progress_loops=%d wmark_check=%d",
			   0, zone->name, order, reclaimable, available, min_wmark,
			   no_progress_loops, wmark_check ? 1 : 0);
}

static unsigned long pages_kb(long pages)
{
	return pages > 0 ? (unsigned long)pages << KB_PER_PAGE_SHIFT : 0;
}

void __trace_mark_victim(struct task_struct *task, unsigned int uid)
{
	const struct mm_struct *mm = task->mm;

	trace_event_printf(
		TRACE_MARK_VICTIM,
		"pid=%d comm=%s total-vm=%lukB anon-rss=%lukB file-rss:%lukB shmem-rss:%lukB "
		"uid=%u pgtables=%lukB oom_score_adj=%d",
		task->pid, task->comm, mm ? pages_kb((long)mm->total_vm) : 0,
		mm ? pages_kb(get_mm_counter(mm, MM_ANONPAGES)) : 0,
		mm ? pages_kb(get_mm_counter(mm, MM_FILEPAGES)) : 0,
		mm ? pages_kb(get_mm_counter(mm, MM_SHMEMPAGES)) : 0, uid,
		mm && mm->pgtables_bytes > 0 ? (unsigned long)mm->pgtables_bytes >> 10 : 0,
		__atomic_load_n(&task->oom_score_adj, __ATOMIC_RELAXED));
}

/* wake_reaper, start_task_reaping, finish_task_reaping, skip_task_reaping:
 * Linux's one "pid=%d" class. */
void __trace_oom_pid_event(enum trace_event_id id, int pid)
{
	trace_event_printf(id, "pid=%d", pid);
}

/* --- vmscan: --- */

void __trace_mm_vmscan_kswapd_sleep(int nid)
{
	trace_event_printf(TRACE_MM_VMSCAN_KSWAPD_SLEEP, "nid=%d", nid);
}

void __trace_mm_vmscan_kswapd_wake(int nid, int zid, int order)
{
	(void)zid; /* recorded by Linux, not printed */
	trace_event_printf(TRACE_MM_VMSCAN_KSWAPD_WAKE, "nid=%d order=%d", nid, order);
}

void __trace_mm_vmscan_wakeup_kswapd(int nid, int zid, int order, unsigned int gfp_flags)
{
	char gfp[GFP_TEXT_MAX];

	(void)zid;
	format_gfp_flags((gfp_t)gfp_flags, gfp, sizeof(gfp));
	trace_event_printf(TRACE_MM_VMSCAN_WAKEUP_KSWAPD, "nid=%d order=%d gfp_flags=%s", nid,
			   order, gfp);
}

void __trace_mm_vmscan_direct_reclaim_begin(int order, unsigned int gfp_flags)
{
	char gfp[GFP_TEXT_MAX];

	format_gfp_flags((gfp_t)gfp_flags, gfp, sizeof(gfp));
	trace_event_printf(TRACE_MM_VMSCAN_DIRECT_RECLAIM_BEGIN, "order=%d gfp_flags=%s", order,
			   gfp);
}

void __trace_mm_vmscan_direct_reclaim_end(unsigned long nr_reclaimed)
{
	trace_event_printf(TRACE_MM_VMSCAN_DIRECT_RECLAIM_END, "nr_reclaimed=%lu", nr_reclaimed);
}

/* --- kmem: --- */

void __trace_mm_page_alloc(const void *page, unsigned int order, unsigned int gfp_flags,
			   int migratetype)
{
	char gfp[GFP_TEXT_MAX];

	format_gfp_flags((gfp_t)gfp_flags, gfp, sizeof(gfp));
	trace_event_printf(TRACE_MM_PAGE_ALLOC,
			   "page=%p pfn=0x%lx order=%u migratetype=%d gfp_flags=%s", page,
			   page ? page_to_pfn(page) : NO_PFN, order, migratetype, gfp);
}

void __trace_mm_page_free(const void *page, unsigned int order)
{
	trace_event_printf(TRACE_MM_PAGE_FREE, "page=%p pfn=0x%lx order=%u", page,
			   page_to_pfn(page), order);
}
