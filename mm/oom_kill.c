/* The OOM killer (Linux's mm/oom_kill.c): when the allocator has nothing
 * left to try, pick the process whose death frees the most memory and kill
 * it. Read first: out_of_memory() runs under oom_lock and never kills a
 * second process while an earlier victim's mm is still being freed (no
 * MMF_OOM_SKIP yet): it waits for that kill to finish instead. */
#include "kernel/cmdline.h"
#include "kernel/kthread.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/ratelimit.h"
#include "kernel/sched.h"
#include "kernel/sched_debug.h"
#include "kernel/signal.h"
#include "kernel/stacktrace.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/trace/events.h"
#include "kernel/wait.h"
#include "mm/internal.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/oom.h"
#include "mm/vmstat.h"
#include <limits.h>

#define OOM_SCORE_SCALE 1000
#define K(pages) ((unsigned long)(pages) << (PAGE_SHIFT - 10))
/* Linux's DEFAULT_RATELIMIT_INTERVAL and _BURST (5 s, 10). */
#define OOM_RS_INTERVAL_NS (5 * NSEC_PER_SEC)
#define OOM_RS_BURST 10
#define GFP_NAMES_MAX 200

DEFINE_MUTEX(oom_lock);
int oom_victims;
static unsigned long oom_skip_events = 1; /* 0 means "not counted" in oom_control */
static DECLARE_WAIT_QUEUE_HEAD(oom_victims_wait);
static struct ratelimit_state oom_rs = RATELIMIT_STATE_INIT(OOM_RS_INTERVAL_NS, OOM_RS_BURST);

/* vm.panic_on_oom: 0 kill, 1 panic (unless constrained), 2 always panic. */
long sysctl_panic_on_oom;
/* vm.oom_kill_allocating_task: kill the task that ran out, no scan. */
long sysctl_oom_kill_allocating_task;
/* vm.oom_dump_tasks: print the task table with every kill (Linux: 1). */
long sysctl_oom_dump_tasks = 1;
core_param_int(panic_on_oom, "vm.panic_on_oom", sysctl_panic_on_oom, 0, 2,
	       "on OOM: 0 kill a task, 1 panic, 2 panic even when constrained");
core_param_int(oom_kill_allocating_task, "vm.oom_kill_allocating_task",
	       sysctl_oom_kill_allocating_task, INT_MIN, INT_MAX,
	       "non-zero: kill the allocating task instead of scanning");
core_param_int(oom_dump_tasks, "vm.oom_dump_tasks", sysctl_oom_dump_tasks, INT_MIN, INT_MAX,
	       "non-zero: list every task's memory in the OOM report");

static const char *const oom_constraint_text[] = {"CONSTRAINT_NONE"};

bool oom_unkillable_task(const struct task_struct *p)
{
	return p->tgid == 1 || (p->flags & PF_KTHREAD);
}

static struct task_struct *leader_of(const struct task_struct *p)
{
	return p->group_leader ? p->group_leader : (struct task_struct *)p;
}

void mm_set_oom_skip(struct mm_struct *mm)
{
	if (!mm_flag_test_and_set(mm, MMF_OOM_SKIP))
		__atomic_add_fetch(&oom_skip_events, 1, __ATOMIC_SEQ_CST);
}

unsigned long oom_skip_count(void)
{
	return __atomic_load_n(&oom_skip_events, __ATOMIC_SEQ_CST);
}

bool tsk_is_oom_victim(const struct task_struct *p)
{
	return __atomic_load_n(&leader_of(p)->oom_mm, __ATOMIC_ACQUIRE) != NULL;
}

struct task_struct *find_lock_task_mm(struct task_struct *p)
{
	struct task_struct *leader = leader_of(p), *t;

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

/* ---- victims ---- */

/* As Linux's SIGNAL_GROUP_EXIT test: the process is dying as a whole
 * (Linux sets that flag when SIGKILL is sent; here a pending SIGKILL
 * says the same). */
static bool process_exiting(const struct task_struct *p)
{
	const struct task_struct *leader = leader_of(p);

	return __atomic_load_n(&leader->group_exiting, __ATOMIC_RELAXED) ||
	       __fatal_signal_pending(p);
}

static bool thread_group_empty(const struct task_struct *p)
{
	return list_empty(&leader_of(p)->thread_group);
}

/* As Linux's __task_will_free_mem. */
static bool __task_will_free_mem(const struct task_struct *task)
{
	if (process_exiting(task))
		return true;
	return thread_group_empty(task) && (task->flags & PF_EXITING);
}

struct shares_mm_ctx {
	const struct mm_struct *mm;
	int tgid;
	bool all_dying;
};

static void check_sharer_dying(struct task_struct *p, void *arg)
{
	struct shares_mm_ctx *ctx = arg;

	if (p->mm == ctx->mm && p->tgid != ctx->tgid && !p->exit_state && !__task_will_free_mem(p))
		ctx->all_dying = false;
}

/* As Linux's task_will_free_mem: task is exiting (or already killed) and
 * so is every other process using its mm, so its memory is coming back
 * without a new kill. An mm the reaper has given up on does not count. */
bool task_will_free_mem(struct task_struct *task)
{
	struct mm_struct *mm = task->mm;
	struct shares_mm_ctx ctx;

	if (!mm || !__task_will_free_mem(task) || mm_flag_test(mm, MMF_OOM_SKIP))
		return false;
	if (__atomic_load_n(&mm->mm_users, __ATOMIC_RELAXED) <= 1)
		return true;
	ctx = (struct shares_mm_ctx){.mm = mm, .tgid = task->tgid, .all_dying = true};
	for_each_task(check_sharer_dying, &ctx);
	return ctx.all_dying;
}

/* As Linux's mark_oom_victim: TIF_MEMDIE for this thread (it may now use
 * ALLOC_OOM), and the mm recorded once for the whole process. */
void mark_oom_victim(struct task_struct *tsk)
{
	struct task_struct *leader = leader_of(tsk);
	struct mm_struct *mm = tsk->mm, *none = NULL;

	if (__atomic_exchange_n(&tsk->oom_memdie, true, __ATOMIC_SEQ_CST))
		return;
	if (__atomic_compare_exchange_n(&leader->oom_mm, &none, mm, false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST))
		mmgrab(mm);
	__atomic_add_fetch(&oom_victims, 1, __ATOMIC_SEQ_CST);
	trace_mark_victim(tsk, 0);
}

void exit_oom_victim(struct task_struct *tsk)
{
	if (!__atomic_exchange_n(&tsk->oom_memdie, false, __ATOMIC_SEQ_CST))
		return;
	if (__atomic_sub_fetch(&oom_victims, 1, __ATOMIC_SEQ_CST) == 0)
		wake_up_all(&oom_victims_wait);
}

/* ---- choosing ---- */

static void oom_evaluate_task(struct task_struct *task, void *arg)
{
	struct oom_control *oc = arg;
	long points;

	if (oc->chosen == OOM_ABORT_CHOSEN || task != leader_of(task) ||
	    task->exit_state == EXIT_DEAD)
		return;
	if (oom_unkillable_task(task))
		return;
	/* A victim whose memory is still on its way back: wait for it rather
	 * than kill another (a manual SysRq kill does not wait). */
	if (oc->order != -1 && tsk_is_oom_victim(task)) {
		if (mm_flag_test(task->oom_mm, MMF_OOM_SKIP))
			return;
		if (oc->chosen)
			put_task_struct(oc->chosen);
		oc->chosen = OOM_ABORT_CHOSEN;
		return;
	}
	points = oom_badness(task, oc->totalpages);
	/* >= : of equal scores the newest process wins, as Linux's walk. */
	if (points == LONG_MIN || points < oc->chosen_points)
		return;
	if (oc->chosen)
		put_task_struct(oc->chosen);
	get_task_struct(task);
	oc->chosen = task;
	oc->chosen_points = points;
}

/* As Linux's select_bad_process: the highest oom_badness wins. */
static void select_bad_process(struct oom_control *oc)
{
	oc->chosen = NULL;
	oc->chosen_points = LONG_MIN;
	for_each_task(oom_evaluate_task, oc);
}

/* ---- the report ---- */

struct task_row {
	int pid, tgid, adj;
	unsigned long total_vm, rss, anon, file, shmem, swapents;
	long pgtables;
	char comm[TASK_COMM_LEN];
};

static bool task_row_fill(struct task_struct *p, struct task_row *row)
{
	struct task_struct *t = find_lock_task_mm(p);

	if (!t)
		return false;
	*row = (struct task_row){
		.pid = t->pid,
		.tgid = t->tgid,
		.adj = t->oom_score_adj,
		.total_vm = t->mm->total_vm,
		.rss = get_mm_rss(t->mm),
		.anon = (unsigned long)get_mm_counter(t->mm, MM_ANONPAGES),
		.file = (unsigned long)get_mm_counter(t->mm, MM_FILEPAGES),
		.shmem = (unsigned long)get_mm_counter(t->mm, MM_SHMEMPAGES),
		.swapents = (unsigned long)get_mm_counter(t->mm, MM_SWAPENTS),
		.pgtables = t->mm->pgtables_bytes,
	};
	memcpy(row->comm, t->comm, TASK_COMM_LEN);
	task_unlock(t);
	return true;
}

/* As Linux's dump_tasks: one line per killable process, in pages. */
static void dump_tasks(void)
{
	struct task_struct *p;
	struct task_row row;

	pr_info("Tasks state (memory values in pages):");
	pr_info("[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem "
		"pgtables_bytes swapents oom_score_adj name");
	preempt_disable();
	for (p = next_task_stable(NULL); p; p = next_task_stable(p)) {
		if (p != leader_of(p) || oom_unkillable_task(p) || !task_row_fill(p, &row))
			continue;
		pr_info("[%7d] %5d %5d %8lu %8lu %8lu %8lu %9lu %8ld %8lu         %5d %s", row.pid,
			0, row.tgid, row.total_vm, row.rss, row.anon, row.file, row.shmem,
			row.pgtables, row.swapents, row.adj, row.comm);
	}
	preempt_enable();
}

static void dump_oom_summary(const struct oom_control *oc, const struct task_struct *victim)
{
	pr_info("oom-kill:constraint=%s,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,"
		"task_memcg=/,task=%s,pid=%d,uid=%d",
		oom_constraint_text[oc->constraint], victim->comm, victim->pid, 0);
}

/* As Linux's dump_header: who asked, from where, the memory picture, the
 * candidates and, when there is one, the victim. */
static void dump_header(const struct oom_control *oc, const struct task_struct *victim)
{
	char names[GFP_NAMES_MAX];

	format_gfp_flags(oc->gfp_mask, names, sizeof(names));
	pr_warn("%s invoked oom-killer: gfp_mask=0x%x(%s), order=%d, oom_score_adj=%d",
		current->comm, oc->gfp_mask, names, oc->order, current->oom_score_adj);
	dump_stack();
	show_mem();
	if (sysctl_oom_dump_tasks)
		dump_tasks();
	if (victim)
		dump_oom_summary(oc, victim);
}

/* ---- killing ---- */

struct kill_ctx {
	struct mm_struct *mm;
	int victim_tgid;
	struct task_struct *init_sharer; /* pid 1 uses the mm too: not reaped */
	int other_processes;
};

/* SIGKILL for one thread of a process, marking the process as exiting as
 * Linux's complete_signal does for a fatal signal. Called from
 * for_each_task, interrupts off: on one CPU, code and flag change
 * together for do_group_exit. */
static void sigkill_thread(struct task_struct *t)
{
	static const struct kernel_siginfo priv = {.si_code = SI_KERNEL};
	struct task_struct *leader = leader_of(t);

	if (!leader->group_exiting) {
		leader->group_exit_code = SIGKILL;
		leader->group_exiting = true;
	}
	send_sig_info(SIGKILL, &priv, t);
}

static void kill_one(struct task_struct *t, void *arg)
{
	struct kill_ctx *ctx = arg;

	if (t->exit_state)
		return;
	if (t->tgid == ctx->victim_tgid) {
		sigkill_thread(t);
		return;
	}
	if (t->mm != ctx->mm)
		return;
	if (t->tgid == 1) {
		ctx->init_sharer = t;
		mm_set_oom_skip(ctx->mm);
		return;
	}
	if (t->flags & PF_KTHREAD)
		return;
	sigkill_thread(t);
	ctx->other_processes++;
}

/* As Linux's __oom_kill_process: SIGKILL the victim's process and every
 * other process using its mm (or its memory would not come back). */
static void __oom_kill_process(struct task_struct *victim, const char *message)
{
	struct task_struct *p = find_lock_task_mm(victim);
	struct kill_ctx ctx;
	struct mm_struct *mm;

	if (!p) {
		pr_info("%s: OOM victim %d (%s) is already exiting. Skip killing the task", message,
			victim->pid, victim->comm);
		put_task_struct(victim);
		return;
	}
	if (p != victim) {
		get_task_struct(p);
		put_task_struct(victim);
		victim = p;
	}
	mm = victim->mm;
	mmgrab(mm);
	count_vm_event(OOM_KILL);
	ctx = (struct kill_ctx){.mm = mm, .victim_tgid = victim->tgid};
	mark_oom_victim(victim);
	pr_err("%s: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, "
	       "shmem-rss:%lukB, UID:%d pgtables:%lukB oom_score_adj:%d",
	       message, victim->pid, victim->comm, K(mm->total_vm),
	       K(get_mm_counter(mm, MM_ANONPAGES)), K(get_mm_counter(mm, MM_FILEPAGES)),
	       K(get_mm_counter(mm, MM_SHMEMPAGES)), 0, (unsigned long)mm->pgtables_bytes >> 10,
	       victim->oom_score_adj);
	task_unlock(victim);
	for_each_task(kill_one, &ctx);
	if (ctx.init_sharer)
		pr_info("oom killer %d (%s) has mm pinned by %d (%s)", victim->pid, victim->comm,
			ctx.init_sharer->pid, ctx.init_sharer->comm);
	else
		queue_oom_reaper(victim);
	mmdrop(mm);
	put_task_struct(victim);
}

/* As Linux's oom_kill_process; consumes the reference on oc->chosen. */
static void oom_kill_process(struct oom_control *oc, const char *message)
{
	struct task_struct *victim = oc->chosen;

	task_lock(victim);
	if (task_will_free_mem(victim)) {
		mark_oom_victim(victim);
		task_unlock(victim);
		queue_oom_reaper(victim);
		put_task_struct(victim);
		return;
	}
	task_unlock(victim);
	if (__ratelimit(&oom_rs))
		dump_header(oc, victim);
	__oom_kill_process(victim, message);
}

static void check_panic_on_oom(const struct oom_control *oc)
{
	if (!sysctl_panic_on_oom)
		return;
	if (sysctl_panic_on_oom != 2 && oc->constraint != CONSTRAINT_NONE)
		return;
	if (oc->order == -1)
		return; /* SysRq f asks for a kill, not a panic */
	dump_header(oc, NULL);
	panic("Out of memory: %s panic_on_oom is enabled",
	      sysctl_panic_on_oom == 2 ? "compulsory" : "system-wide");
}

/* As Linux's out_of_memory, step by step; the caller holds oom_lock. */
bool out_of_memory(struct oom_control *oc)
{
	/* OOM notifiers (mm/oom_notify.c): with oom.notifier=inside, as Linux,
	 * pages they free are progress and nobody is killed; SysRq f (order
	 * -1) asked for a kill and gets one anyway. */
	if (oom_notify_inside_lock() && oc->order != -1)
		return true;

	/* An exiting (or already killed) caller frees memory soon: let it
	 * have the reserves to get there instead of killing someone else. */
	if (task_will_free_mem(current)) {
		mark_oom_victim(current);
		queue_oom_reaper(current);
		return true;
	}
	/* A filesystem allocation may hold locks the victim needs to exit:
	 * it must not kill; it fails or retries instead. */
	if (!(oc->gfp_mask & __GFP_FS))
		return true;
	oc->constraint = CONSTRAINT_NONE;
	oc->totalpages = totalram_pages; /* + total_swap_pages: no swap */
	check_panic_on_oom(oc);
	if (sysctl_oom_kill_allocating_task && current->mm && !oom_unkillable_task(current) &&
	    current->oom_score_adj != OOM_SCORE_ADJ_MIN) {
		get_task_struct(current);
		oc->chosen = current;
		oom_kill_process(oc, "Out of memory (oom_kill_allocating_task)");
		return true;
	}
	/* Not in Linux, which leaves this window open: a victim finished (its
	 * mm got MMF_OOM_SKIP) after the allocator's last look at the free
	 * lists, so that look is stale and the selection below would pass
	 * over the victim and kill a second process (or panic, when it was
	 * the only one). Look again instead. */
	if (oc->looked && oc->skips_at_last_look != oom_skip_count())
		return true;
	select_bad_process(oc);
	if (!oc->chosen) {
		if (oc->order != -1) {
			dump_header(oc, NULL);
			pr_warn("Out of memory and no killable processes...");
			panic("System is deadlocked on memory");
		}
		return false;
	}
	if (oc->chosen != OOM_ABORT_CHOSEN) {
		oom_kill_process(oc, "Out of memory");
		/* LAB oomlock: begin */
		/* Linux before 4.19 slept here, holding oom_lock, to give the
		 * victim a chance to exit (seed 4): every other allocator
		 * waits that long too. The seed's patch changed only how the
		 * others wait for the lock, so killable keeps the sleep. */
		if (oom_lock_mode != OOM_LOCK_TRYLOCK)
			schedule_timeout_killable(1);
		/* LAB oomlock: end */
	}
	return true;
}

/* As Linux since 5.16: the allocator already ran the OOM killer; a fault
 * that still got no page retries, unless the task is dying anyway. */
void pagefault_out_of_memory(void)
{
	static struct ratelimit_state pfoom_rs =
		RATELIMIT_STATE_INIT(OOM_RS_INTERVAL_NS, OOM_RS_BURST);

	if (fatal_signal_pending(current) || process_exiting(current))
		return;
	if (__ratelimit(&pfoom_rs))
		pr_warn("Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF");
}

/* ---- SysRq f ---- */

/* Linux queues moom_callback on the system workqueue; this thread stands
 * in for that kworker (the SysRq key arrives in an interrupt, and the
 * OOM killer sleeps on oom_lock). */
static DECLARE_WAIT_QUEUE_HEAD(moom_wait);
static bool moom_requested;

static void moom_callback(void)
{
	struct oom_control oc = {.gfp_mask = GFP_KERNEL, .order = -1};

	mutex_lock(&oom_lock);
	if (!out_of_memory(&oc))
		pr_info("OOM request ignored. No task eligible");
	mutex_unlock(&oom_lock);
}

static int moom_worker(void *unused)
{
	(void)unused;
	for (;;) {
		wait_event_idle(moom_wait, __atomic_load_n(&moom_requested, __ATOMIC_ACQUIRE));
		__atomic_store_n(&moom_requested, false, __ATOMIC_RELEASE);
		moom_callback();
	}
	return 0;
}

void sysrq_oom_request(void)
{
	__atomic_store_n(&moom_requested, true, __ATOMIC_RELEASE);
	wake_up(&moom_wait);
}

void oom_init(void)
{
	if (!kthread_run(moom_worker, NULL, "kworker/0:moom"))
		pr_err("oom: cannot start the SysRq-f worker");
	oom_reaper_init();
}
