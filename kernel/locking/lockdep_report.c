/* Lockdep's reports, worded and laid out as Linux's so that its docs and
 * mailing-list answers apply. Read first: these run after the graph lock
 * is dropped, from copies; Linux's usage bits "{+.+.}" are left out
 * because interrupt-context usage is not tracked here. */
#include "kernel/kallsyms.h"
#include "kernel/locking/lockdep_internals.h"
#include "kernel/printk.h"
#include "kernel/sched_debug.h"
#include "kernel/stacktrace.h"
#include "kernel/vsprintf.h"

#define SYMBOL_BUF 128
#define CHAIN_TRACE_INDENT 7

static void print_kernel_ident(void)
{
	pr_warn("oomlab Not tainted");
}

/* "ffff888000123450 (&a), at: fn+0x1d/0x40", after prefix. */
static void print_lock(const char *prefix, const struct held_lock *hl)
{
	char sym[SYMBOL_BUF];

	sprint_symbol(sym, sizeof(sym), hl->acquire_ip);
	pr_warn("%s%016lx (%s), at: %s", prefix, (unsigned long)hl->instance, hl->name, sym);
}

/* Linux: with a task running elsewhere its stack may be changing; here a
 * dump runs with preemption off on the only CPU, so it is always still. */
void lockdep_print_held_locks(const struct task_struct *p)
{
	int depth = p->lockdep_depth;
	char prefix[16];

	if (!depth)
		pr_warn("no locks held by %s/%d.", p->comm, p->pid);
	else
		pr_warn("%d lock%s held by %s/%d:", depth, depth > 1 ? "s" : "", p->comm, p->pid);
	for (int i = 0; i < depth && i < MAX_HELD_LOCKS; i++) {
		snprintf(prefix, sizeof(prefix), " #%d: ", i);
		print_lock(prefix, &p->held_locks[i]);
	}
}

/* Every task's held locks even when checking is off (Linux then prints
 * "INFO: lockdep is turned off."): the stacks are still kept here. */
void debug_show_all_locks(void)
{
	struct task_struct *p;

	pr_warn("Showing all locks held in the system:");
	preempt_disable();
	for (p = next_task_stable(NULL); p; p = next_task_stable(p))
		if (p->lockdep_depth)
			lockdep_print_held_locks(p);
	preempt_enable();
	pr_warn("=============================================");
}

static void print_stack_backtrace(void)
{
	pr_warn("stack backtrace:");
	dump_stack();
}

void print_lockdep_off(const char *bug_msg)
{
	pr_warn("%s", bug_msg);
	pr_warn("turning off the locking correctness validator.");
	dump_stack();
}

static const char *class_name(int idx)
{
	return lock_classes[idx].name;
}

/* The two-CPU picture. With a longer chain, "parent" is the lock taken
 * just before prev on the way round, as Linux shows it. */
static void print_circular_lock_scenario(const struct circular_bug *bug)
{
	const struct lock_list *last = &list_entries[bug->path[bug->depth - 1]];
	const char *source = bug->next.name, *target = bug->prev.name;
	const char *parent = bug->depth == 1 ? source : class_name(last->from);

	if (parent != source) {
		pr_warn("Chain exists of:");
		pr_warn("  %s --> %s --> %s", source, parent, target);
	}
	pr_warn(" Possible unsafe locking scenario:");
	pr_warn("       CPU0                    CPU1");
	pr_warn("       ----                    ----");
	pr_warn("  lock(%s);", target);
	pr_warn("                               lock(%s);", parent);
	pr_warn("                               lock(%s);", target);
	pr_warn("  lock(%s);", source);
	pr_warn(" *** DEADLOCK ***");
}

/* The chain printed newest first: "-> #N" is prev, taken (trace) while
 * the lock one step nearer next was held; "-> #0" is next, now. */
void print_circular_bug(const struct circular_bug *bug)
{
	const struct task_struct *curr = current;

	pr_warn("======================================================");
	pr_warn("WARNING: possible circular locking dependency detected");
	print_kernel_ident();
	pr_warn("------------------------------------------------------");
	pr_warn("%s/%d is trying to acquire lock:", curr->comm, curr->pid);
	print_lock("", &bug->next);
	pr_warn("but task is already holding lock:");
	print_lock("", &bug->prev);
	pr_warn("which lock already depends on the new lock.");
	pr_warn("the existing dependency chain (in reverse order) is:");
	for (int i = bug->depth - 1; i >= 0; i--) {
		const struct lock_list *edge = &list_entries[bug->path[i]];

		pr_warn("-> #%d (%s):", i + 1, class_name(edge->to));
		stack_trace_print(edge->trace, edge->nr_entries, CHAIN_TRACE_INDENT);
	}
	pr_warn("-> #0 (%s):", bug->next.name);
	stack_trace_print(bug->trace, bug->nr_entries, CHAIN_TRACE_INDENT);
	pr_warn("other info that might help us debug this:");
	print_circular_lock_scenario(bug);
	lockdep_print_held_locks(curr);
	print_stack_backtrace();
}

void print_deadlock_bug(const struct held_lock *prev, const struct held_lock *next)
{
	const struct task_struct *curr = current;

	pr_warn("============================================");
	pr_warn("WARNING: possible recursive locking detected");
	print_kernel_ident();
	pr_warn("--------------------------------------------");
	pr_warn("%s/%d is trying to acquire lock:", curr->comm, curr->pid);
	print_lock("", next);
	pr_warn("but task is already holding lock:");
	print_lock("", prev);
	pr_warn("other info that might help us debug this:");
	pr_warn(" Possible unsafe locking scenario:");
	pr_warn("       CPU0");
	pr_warn("       ----");
	pr_warn("  lock(%s);", prev->name);
	pr_warn("  lock(%s);", next->name);
	pr_warn(" *** DEADLOCK ***");
	pr_warn(" May be due to missing lock nesting notation");
	lockdep_print_held_locks(curr);
	print_stack_backtrace();
}

void print_unlock_imbalance_bug(const struct lockdep_map *map, unsigned long ip)
{
	const struct task_struct *curr = current;
	char sym[SYMBOL_BUF];

	sprint_symbol(sym, sizeof(sym), ip);
	pr_warn("=====================================");
	pr_warn("WARNING: bad unlock balance detected!");
	print_kernel_ident();
	pr_warn("-------------------------------------");
	pr_warn("%s/%d is trying to release lock (%s) at:", curr->comm, curr->pid, map->name);
	pr_warn("[<%016lx>] %s", ip, sym);
	pr_warn("but there are no more locks to release!");
	pr_warn("other info that might help us debug this:");
	lockdep_print_held_locks(curr);
	print_stack_backtrace();
}
