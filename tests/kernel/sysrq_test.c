/* The task dumps as a specification: SysRq-t shows every task with its
 * line and a readable call trace (a switched-out task's goes through the
 * scheduler), SysRq-w only the blocked ones with the locks they hold, ps
 * a line per task, and Ctrl-\ then a key on the serial line runs the same
 * dumps. Read first: the sleepers here are parked on one wait queue in
 * the state under test, and released at the end of each case. */
#include "kernel/ktest.h"
#include "kernel/locking/mutex.h"
#include "kernel/sched_debug.h"
#include "kernel/string.h"
#include "kernel/sysrq.h"
#include "kernel/vsprintf.h"
#include "kernel/wait.h"
#include "kernel/x86.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/report_test_helpers.h"
#include "tests/kernel/sched_test_helpers.h"

#define NEEDLE_MAX 64
#define MAX_CHECKED_TASKS 64
#define PS_OUT_MAX 4096

enum park_kind { PARK_S, PARK_D_HOLDING, PARK_IDLE, NR_PARK_KINDS };

static DEFINE_MUTEX(sysrq_test_held);

struct parking {
	struct wait_queue_head wq;
	bool done;
	struct task_struct *tasks[NR_PARK_KINDS];
};

struct park_arg {
	struct parking *park;
	enum park_kind kind;
};

static int park_fn(void *arg)
{
	const struct park_arg *a = arg;
	struct parking *park = a->park;

	switch (a->kind) {
	case PARK_D_HOLDING:
		mutex_lock(&sysrq_test_held);
		wait_event(park->wq, park->done);
		mutex_unlock(&sysrq_test_held);
		break;
	case PARK_IDLE: wait_event_idle(park->wq, park->done); break;
	default: (void)wait_event_interruptible(park->wq, park->done); break;
	}
	return 0;
}

static const char *const park_names[NR_PARK_KINDS] = {"sysrq_s", "sysrq_d", "sysrq_idle"};
static const unsigned int park_states[NR_PARK_KINDS] = {TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE,
							TASK_IDLE};

static bool park_tasks(struct kunit *test, struct parking *park, struct park_arg *args)
{
	init_waitqueue_head(&park->wq);
	park->done = false;
	for (int k = 0; k < NR_PARK_KINDS; k++) {
		args[k] = (struct park_arg){.park = park, .kind = (enum park_kind)k};
		park->tasks[k] = test_thread_run(park_fn, &args[k], park_names[k]);
		KUNIT_EXPECT_NOT_NULL(test, park->tasks[k]);
		if (!park->tasks[k])
			return false;
	}
	for (int k = 0; k < NR_PARK_KINDS; k++)
		if (!wait_for_task_state(park->tasks[k], park_states[k], TEST_WAIT_TIMEOUT_MS))
			return false;
	return true;
}

static void unpark_tasks(struct kunit *test, struct parking *park)
{
	park->done = true;
	wake_up_all(&park->wq);
	for (int k = 0; k < NR_PARK_KINDS; k++)
		if (park->tasks[k])
			KUNIT_EXPECT_TRUE(
				test, test_thread_join(park->tasks[k], TEST_WAIT_TIMEOUT_MS, NULL));
}

struct task_id {
	int pid;
	char comm[TASK_COMM_LEN];
};

static size_t list_tasks(struct task_id *ids, size_t max)
{
	struct task_struct *p;
	size_t n = 0;

	preempt_disable();
	for (p = next_task_stable(NULL); p; p = next_task_stable(p)) {
		if (n == max)
			break;
		ids[n].pid = p->pid;
		strscpy(ids[n].comm, p->comm, sizeof(ids[n].comm));
		n++;
	}
	preempt_enable();
	return n;
}

static void task_line(char *buf, const struct task_id *id)
{
	snprintf(buf, NEEDLE_MAX, "task:%-15.15s", id->comm);
}

static void pid_field(char *buf, const struct task_id *id)
{
	snprintf(buf, NEEDLE_MAX, " pid:%-5d ", id->pid);
}

static void task_dump_shows_every_task_with_a_call_trace(struct kunit *test)
{
	struct task_id ids[MAX_CHECKED_TASKS];
	char line[NEEDLE_MAX], pid[NEEDLE_MAX];
	struct park_arg args[NR_PARK_KINDS];
	struct parking park = {0};
	unsigned long mark;
	size_t n;

	if (park_tasks(test, &park, args)) {
		n = list_tasks(ids, MAX_CHECKED_TASKS);
		mark = log_mark();
		handle_sysrq('t');
		KUNIT_EXPECT_TRUE(test, log_find_since(mark, "sysrq: Show State", NULL, 0));
		KUNIT_EXPECT_GE(test, n, NR_PARK_KINDS + 2);
		for (size_t i = 0; i < n; i++) {
			bool self = ids[i].pid == current->pid;

			task_line(line, &ids[i]);
			pid_field(pid, &ids[i]);
			KUNIT_EXPECT_TRUE(test, log_section_has(mark, line, "Call Trace:", pid));
			KUNIT_EXPECT_TRUE(test,
					  log_section_has(mark, line, "</TASK>", "Call Trace:"));
			/* Switched out, a task's trace starts in the scheduler;
			 * the dumping task's own goes through the dump. */
			KUNIT_EXPECT_TRUE(test, log_section_has(mark, line, "</TASK>",
								self ? " show_state_filter+"
								     : " __schedule+"));
		}
		KUNIT_EXPECT_TRUE(test,
				  log_section_has(mark, "task:sysrq_d", "</TASK>", "state:D"));
		KUNIT_EXPECT_TRUE(test,
				  log_section_has(mark, "task:sysrq_s", "</TASK>", "state:S"));
		KUNIT_EXPECT_TRUE(test,
				  log_section_has(mark, "task:sysrq_idle", "</TASK>", "state:I"));
		KUNIT_EXPECT_TRUE(test,
				  log_section_has(mark, "task:sysrq_d", "</TASK>", " park_fn+"));
		KUNIT_EXPECT_TRUE(
			test,
			log_find_since(mark, "Showing all locks held in the system:", NULL, 0));
	}
	unpark_tasks(test, &park);
}

static void blocked_dump_shows_only_d_state_tasks_and_their_locks(struct kunit *test)
{
	struct park_arg args[NR_PARK_KINDS];
	struct parking park = {0};
	char locks[NEEDLE_MAX];
	unsigned long mark;

	if (park_tasks(test, &park, args)) {
		mark = log_mark();
		handle_sysrq('w');
		snprintf(locks, sizeof(locks),
			 "1 lock held by sysrq_d/%d:", park.tasks[PARK_D_HOLDING]->pid);
		KUNIT_EXPECT_TRUE(test, log_find_since(mark, "sysrq: Show Blocked State", NULL, 0));
		KUNIT_EXPECT_TRUE(test, log_find_since(mark, "task:sysrq_d", NULL, 0));
		KUNIT_EXPECT_TRUE(test, log_section_has(mark, "task:sysrq_d", NULL, locks));
		KUNIT_EXPECT_TRUE(test,
				  log_section_has(mark, locks, NULL, "(sysrq_test_held), at: "));
		KUNIT_EXPECT_FALSE(test, log_find_since(mark, "task:sysrq_s", NULL, 0));
		KUNIT_EXPECT_FALSE(test, log_find_since(mark, "task:sysrq_idle", NULL, 0));
	}
	unpark_tasks(test, &park);
}

/* Ctrl-\ and its key arrive from the receive interrupt, interrupts off. */
static bool serial_bytes(const char *bytes)
{
	uint64_t flags = local_irq_save();
	bool eaten = true;

	for (const char *c = bytes; *c; c++)
		eaten = sysrq_serial_input(*c) && eaten;
	local_irq_restore(flags);
	return eaten;
}

static void ctrl_backslash_then_key_runs_the_dump_from_the_serial_line(struct kunit *test)
{
	unsigned long mark = log_mark();

	KUNIT_EXPECT_FALSE(test, serial_bytes("w"));
	KUNIT_EXPECT_FALSE(test, log_find_since(mark, "sysrq: Show Blocked State", NULL, 0));
	KUNIT_EXPECT_TRUE(test, serial_bytes("\x1cw"));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "sysrq: Show Blocked State", NULL, 0));
	KUNIT_EXPECT_TRUE(test, serial_bytes("\x1ch"));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "sysrq: HELP : show-all-locks(d)", NULL, 0));
	/* The sequence is over: the next byte is input again. */
	KUNIT_EXPECT_FALSE(test, serial_bytes("t"));
}

struct ps_out {
	char text[PS_OUT_MAX];
	size_t len;
};

static void ps_collect(void *ctx, const char *line)
{
	struct ps_out *out = ctx;
	int n = snprintf(out->text + out->len, sizeof(out->text) - out->len, "%s\n", line);

	if (n > 0 && out->len + (size_t)n < sizeof(out->text))
		out->len += (size_t)n;
}

static void ps_shows_one_line_per_task(struct kunit *test)
{
	static struct ps_out out;
	struct task_id ids[MAX_CHECKED_TASKS];
	char line[NEEDLE_MAX];
	size_t n = list_tasks(ids, MAX_CHECKED_TASKS);

	out.len = 0;
	out.text[0] = '\0';
	show_task_list(ps_collect, &out);
	KUNIT_EXPECT_TRUE(test,
			  strstr(out.text, "  PID  PPID S POLICY  NI        TIME COMMAND\n") ==
				  out.text);
	for (size_t i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "%5d ", ids[i].pid);
		KUNIT_EXPECT_NOT_NULL(test, strstr(out.text, line));
		snprintf(line, sizeof(line), " %s\n", ids[i].comm);
		KUNIT_EXPECT_NOT_NULL(test, strstr(out.text, line));
	}
	snprintf(line, sizeof(line), "%5d     0 R TS       0 ", current->pid);
	KUNIT_EXPECT_NOT_NULL(test, strstr(out.text, line));
	KUNIT_EXPECT_NOT_NULL(test, strstr(out.text, " S TS       0 ")); /* khungtaskd */
}

static struct kunit_case sysrq_cases[] = {
	KUNIT_CASE(task_dump_shows_every_task_with_a_call_trace),
	KUNIT_CASE(blocked_dump_shows_only_d_state_tasks_and_their_locks),
	KUNIT_CASE(ctrl_backslash_then_key_runs_the_dump_from_the_serial_line),
	KUNIT_CASE(ps_shows_one_line_per_task),
	{},
};
static struct kunit_suite sysrq_suite = {.name = "sysrq", .test_cases = sysrq_cases};
kunit_test_suite(sysrq_suite);
