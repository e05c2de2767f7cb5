/* The OOM killer as a specification (mm/oom_kill.c): which process dies,
 * when nobody does, and what a kill leaves behind. Read first: the
 * victims are stand-ins (tests/kernel/oom_test_helpers.h) holding a known
 * number of anonymous pages; out_of_memory() is called as the allocator
 * calls it, and the oom_reaper is off so each case decides alone. */
#include "kernel/ktest.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/sysrq.h"
#include "kernel/timer.h"
#include "kernel/vsprintf.h"
#include "mm/internal.h"
#include "mm/mm_struct.h"
#include "mm/oom.h"
#include "mm/slab.h"
#include "mm/vmstat.h"
#include "tests/kernel/fs_test_helpers.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/oom_test_helpers.h"
#include <limits.h>

#define SMALL_PAGES 32
#define MEDIUM_PAGES 128
#define LARGE_PAGES 512
#define OOM_CYCLES 1000
#define STATUS_CHUNK 4096
#define LOG_WAIT_MS 10000

static struct oom_switches saved;

static int oom_kill_init(struct kunit *test)
{
	(void)test;
	oom_switches_save(&saved);
	oom_reaper_enabled = false;
	return 0;
}

static void oom_kill_exit(struct kunit *test)
{
	(void)test;
	oom_switches_restore(&saved);
}

static bool killed_line(unsigned long mark, const struct oom_victim *v)
{
	char want[80];

	snprintf(want, sizeof(want), "Out of memory: Killed process %d (%s)", v->p->pid, v->name);
	return log_find_since(mark, want, NULL, 0);
}

/* Start n victims, run one OOM kill, check that exactly `expected` died. */
static void expect_choice(struct kunit *test, struct oom_victim *v, int n, int expected)
{
	unsigned long kills = vm_event_states[OOM_KILL], mark;
	int started = 0;

	for (; started < n; started++)
		if (!victim_start(&v[started]))
			break;
	KUNIT_ASSERT_EQ(test, started, n);
	mark = log_mark();
	quietly_begin();
	KUNIT_EXPECT_TRUE(test, run_out_of_memory(GFP_KERNEL, 0));
	quietly_end();
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills + 1);
	for (int i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, victim_killed(&v[i]), i == expected);
		KUNIT_EXPECT_EQ(test, killed_line(mark, &v[i]), i == expected);
	}
	for (int i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v[i]));
	KUNIT_EXPECT_EQ(test, oom_victims, 0);
}

static void the_process_with_the_largest_rss_is_killed(struct kunit *test)
{
	struct oom_victim v[3] = {
		{.name = "small", .pages = SMALL_PAGES},
		{.name = "large", .pages = LARGE_PAGES},
		{.name = "medium", .pages = MEDIUM_PAGES},
	};

	expect_choice(test, v, 3, 1);
}

static void oom_score_adj_1000_is_killed_first(struct kunit *test)
{
	struct oom_victim v[2] = {
		{.name = "large", .pages = LARGE_PAGES},
		{.name = "preferred", .pages = SMALL_PAGES, .adj = OOM_SCORE_ADJ_MAX},
	};

	expect_choice(test, v, 2, 1);
}

static void oom_score_adj_min_is_never_killed(struct kunit *test)
{
	struct oom_victim v[2] = {
		{.name = "protected", .pages = LARGE_PAGES, .adj = OOM_SCORE_ADJ_MIN},
		{.name = "small", .pages = SMALL_PAGES},
	};

	expect_choice(test, v, 2, 1);
}

static void of_equal_scores_the_newest_process_is_killed(struct kunit *test)
{
	struct oom_victim v[2] = {
		{.name = "older", .pages = MEDIUM_PAGES},
		{.name = "newer", .pages = MEDIUM_PAGES},
	};

	expect_choice(test, v, 2, 1);
}

static void kernel_threads_and_init_are_never_candidates(struct kunit *test)
{
	struct task_struct *init = find_task_by_pid(1);

	KUNIT_EXPECT_TRUE(test, oom_unkillable_task(current));
	KUNIT_EXPECT_EQ(test, oom_badness(current, totalram_pages), LONG_MIN);
	KUNIT_ASSERT_NOT_NULL(test, init);
	KUNIT_EXPECT_TRUE(test, oom_unkillable_task(init));
	KUNIT_EXPECT_EQ(test, oom_badness(init, totalram_pages), LONG_MIN);
	KUNIT_EXPECT_EQ(test, oom_score_show_value(current), 0);
}

/* A victim still holding its memory (no MMF_OOM_SKIP): wait for it, kill
 * nobody else; once its mm is given up on, the next one goes. */
static void no_second_kill_while_a_victim_is_in_flight(struct kunit *test)
{
	struct oom_victim stuck = {.name = "stuck", .pages = LARGE_PAGES, .wait = VICTIM_STUCK_D};
	struct oom_victim next = {.name = "next", .pages = MEDIUM_PAGES};
	unsigned long kills;

	KUNIT_ASSERT_TRUE(test, victim_start(&stuck));
	KUNIT_ASSERT_TRUE(test, victim_start(&next));
	quietly_begin();
	KUNIT_EXPECT_TRUE(test, run_out_of_memory(GFP_KERNEL, 0));
	KUNIT_EXPECT_TRUE(test, victim_killed(&stuck));
	KUNIT_EXPECT_TRUE(test, tsk_is_oom_victim(stuck.p));
	kills = vm_event_states[OOM_KILL];
	KUNIT_EXPECT_TRUE(test, run_out_of_memory(GFP_KERNEL, 0));
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills);
	KUNIT_EXPECT_FALSE(test, victim_killed(&next));
	mm_flag_set(stuck.mm, MMF_OOM_SKIP); /* what the oom_reaper ends with */
	KUNIT_EXPECT_TRUE(test, run_out_of_memory(GFP_KERNEL, 0));
	quietly_end();
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills + 1);
	KUNIT_EXPECT_TRUE(test, victim_killed(&next));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&next));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&stuck));
}

/* Killing one user of an mm frees nothing while another holds it: every
 * process sharing the mm gets SIGKILL. */
static void every_process_sharing_the_mm_is_killed(struct kunit *test)
{
	struct oom_victim owner = {.name = "owner", .pages = LARGE_PAGES};
	struct oom_victim sharer = {.name = "sharer", .share = &owner};
	struct oom_victim bystander = {.name = "bystander", .pages = SMALL_PAGES};

	KUNIT_ASSERT_TRUE(test, victim_start(&owner));
	KUNIT_ASSERT_TRUE(test, victim_start(&sharer));
	KUNIT_ASSERT_TRUE(test, victim_start(&bystander));
	quietly_begin();
	KUNIT_EXPECT_TRUE(test, run_out_of_memory(GFP_KERNEL, 0));
	quietly_end();
	KUNIT_EXPECT_TRUE(test, victim_killed(&owner) && victim_killed(&sharer));
	KUNIT_EXPECT_FALSE(test, victim_killed(&bystander));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&owner));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&sharer));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&bystander));
}

/* An allocation that may not use the filesystem must not kill: the
 * victim might need a lock that allocation holds. */
static void gfp_nofs_never_kills(struct kunit *test)
{
	struct oom_victim v = {.name = "large", .pages = LARGE_PAGES};
	unsigned long kills = vm_event_states[OOM_KILL];

	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	KUNIT_EXPECT_TRUE(test, run_out_of_memory(GFP_NOFS, 0));
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills);
	KUNIT_EXPECT_FALSE(test, victim_killed(&v));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
}

static void call_oom_while_dying(struct oom_victim *v)
{
	send_sig(SIGKILL, current);
	v->result[0] = run_out_of_memory(GFP_KERNEL, 0);
	v->result[1] = tsk_is_oom_victim(current);
}

/* The caller is already dying: it becomes the victim (and so gets the
 * reserves to finish dying); nobody else is killed. */
static void a_dying_caller_is_marked_instead_of_killing(struct kunit *test)
{
	struct oom_victim big = {.name = "big", .pages = LARGE_PAGES};
	struct oom_victim dying = {
		.name = "dying", .pages = SMALL_PAGES, .body = call_oom_while_dying};
	unsigned long kills = vm_event_states[OOM_KILL];

	KUNIT_ASSERT_TRUE(test, victim_start(&big));
	KUNIT_ASSERT_TRUE(test, victim_start(&dying));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&dying));
	KUNIT_EXPECT_TRUE(test, dying.result[0]);
	KUNIT_EXPECT_TRUE(test, dying.result[1]);
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills);
	KUNIT_EXPECT_FALSE(test, victim_killed(&big));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&big));
	KUNIT_EXPECT_EQ(test, oom_victims, 0);
}

static bool status_says(const struct oom_victim *v, const char *line)
{
	char path[32];
	long err;
	char *text;
	bool found;

	snprintf(path, sizeof(path), "/proc/%d/status", v->p->pid);
	text = read_whole(path, STATUS_CHUNK, &err);
	found = text && strstr(text, line);
	kfree(text);
	return found;
}

/* ps and /proc/PID/status tell a victim from a bystander. */
static void a_victim_says_so_in_its_status(struct kunit *test)
{
	struct oom_victim stuck = {.name = "stuck", .pages = LARGE_PAGES, .wait = VICTIM_STUCK_D};
	struct oom_victim other = {.name = "other", .pages = SMALL_PAGES};

	KUNIT_ASSERT_TRUE(test, victim_start(&stuck));
	KUNIT_ASSERT_TRUE(test, victim_start(&other));
	KUNIT_EXPECT_TRUE(test, status_says(&stuck, "OomVictim:\t0\n"));
	quietly_begin();
	KUNIT_EXPECT_TRUE(test, run_out_of_memory(GFP_KERNEL, 0));
	quietly_end();
	KUNIT_EXPECT_TRUE(test, status_says(&stuck, "OomVictim:\t1\n"));
	KUNIT_EXPECT_TRUE(test, status_says(&other, "OomVictim:\t0\n"));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&stuck));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&other));
}

static bool oom_after_look(unsigned long look)
{
	struct oom_control oc = {
		.gfp_mask = GFP_KERNEL, .skips_at_last_look = look, .looked = true};
	bool ret;

	mutex_lock(&oom_lock);
	ret = out_of_memory(&oc);
	mutex_unlock(&oom_lock);
	return ret;
}

/* A victim that finished between the allocator's last look at the free
 * lists and the choice must not cost a second process its life. */
static void a_victim_finishing_after_the_last_look_means_look_again(struct kunit *test)
{
	struct oom_victim done = {.name = "done", .pages = LARGE_PAGES, .wait = VICTIM_STUCK_D};
	struct oom_victim other = {.name = "other", .pages = SMALL_PAGES};
	unsigned long kills = vm_event_states[OOM_KILL], look;

	KUNIT_ASSERT_TRUE(test, victim_start(&done));
	KUNIT_ASSERT_TRUE(test, victim_start(&other));
	look = oom_skip_count();
	mm_set_oom_skip(done.mm); /* as exit_mmap or the reaper would */
	quietly_begin();
	KUNIT_EXPECT_TRUE(test, oom_after_look(look));
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills);
	KUNIT_EXPECT_FALSE(test, victim_killed(&other));
	KUNIT_EXPECT_TRUE(test, oom_after_look(oom_skip_count())); /* a fresh look: kill */
	quietly_end();
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills + 1);
	KUNIT_EXPECT_TRUE(test, victim_killed(&other));
	KUNIT_EXPECT_FALSE(test, victim_killed(&done));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&other));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&done));
}

/* The same when the count was 0 at the look, as it is until the boot's
 * first mm finishes: 0 was once read as "no look", so the first victim
 * finishing late cost a second process its life or, with nobody else
 * left, panicked "System is deadlocked on memory". */
static void the_boots_first_victim_finishing_after_the_look_means_look_again(struct kunit *test)
{
	struct oom_victim done = {.name = "done", .pages = LARGE_PAGES, .wait = VICTIM_STUCK_D};
	struct oom_victim other = {.name = "other", .pages = SMALL_PAGES};
	unsigned long kills = vm_event_states[OOM_KILL];

	KUNIT_ASSERT_TRUE(test, victim_start(&done));
	KUNIT_ASSERT_TRUE(test, victim_start(&other));
	mm_set_oom_skip(done.mm); /* the count is now at least 1 */
	quietly_begin();
	KUNIT_EXPECT_TRUE(test, oom_after_look(0));
	quietly_end();
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills);
	KUNIT_EXPECT_FALSE(test, victim_killed(&other));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&other));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&done));
}

static bool wait_for_log(unsigned long mark, const char *needle)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(LOG_WAIT_MS);

	while (!log_find_since(mark, needle, NULL, 0)) {
		if (time_after(jiffies, deadline))
			return false;
		msleep(10);
	}
	return true;
}

/* SysRq f, as Linux's moom_callback: a worker kills the biggest process,
 * without waiting for a victim already in flight, and never panics. */
static void sysrq_f_kills_the_biggest_even_with_a_victim_in_flight(struct kunit *test)
{
	struct oom_victim stuck = {.name = "stuck", .pages = SMALL_PAGES, .wait = VICTIM_STUCK_D};
	struct oom_victim big = {.name = "big", .pages = LARGE_PAGES};
	unsigned long mark;

	KUNIT_ASSERT_TRUE(test, victim_start(&stuck));
	KUNIT_ASSERT_TRUE(test, victim_start(&big));
	mark_oom_victim(stuck.p); /* a kill in flight the allocator would wait for */
	mark = log_mark();
	quietly_begin();
	handle_sysrq('f');
	KUNIT_EXPECT_TRUE(test, wait_for_log(mark, "Out of memory: Killed process"));
	quietly_end();
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "sysrq: Manual OOM execution", NULL, 0));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark,
					       "invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), "
					       "order=-1",
					       NULL, 0));
	KUNIT_EXPECT_TRUE(test, killed_line(mark, &big));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&big));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&stuck));
}

static void sysrq_f_with_nothing_killable_is_ignored(struct kunit *test)
{
	unsigned long kills = vm_event_states[OOM_KILL], mark = log_mark();

	handle_sysrq('f');
	KUNIT_EXPECT_TRUE(test, wait_for_log(mark, "OOM request ignored. No task eligible"));
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills);
}

static long slab_pages(void)
{
	return global_zone_page_state(NR_SLAB_RECLAIMABLE) +
	       global_zone_page_state(NR_SLAB_UNRECLAIMABLE);
}

/* Kill after kill, every page and every slab page comes back: the victim
 * marks, the pinned mm and the reaper's queue all let go. */
static void oom_cycles_leave_free_memory_and_slabs_at_their_baseline(struct kunit *test)
{
	unsigned long kills = vm_event_states[OOM_KILL];
	long free_before, slab_before;
	int cycles = 0;

	oom_reaper_enabled = true;
	oom_reaper_delay_ms = 0;
	for (int warmup = 0; warmup < 2; warmup++) {
		struct oom_victim v = {.name = "cycle", .pages = SMALL_PAGES};

		KUNIT_ASSERT_TRUE(test, victim_start(&v));
		quietly_begin();
		run_out_of_memory(GFP_KERNEL, 0);
		quietly_end();
		KUNIT_ASSERT_TRUE(test, victim_wait_gone(&v));
	}
	msleep(100); /* the reaper lets go of the last one */
	drain_all_pages(NULL);
	free_before = (long)nr_free_pages();
	slab_before = slab_pages();
	for (; cycles < OOM_CYCLES; cycles++) {
		struct oom_victim v = {.name = "cycle",
				       .pages = SMALL_PAGES,
				       .wait = cycles % 2 ? VICTIM_STUCK_D : VICTIM_KILLABLE};

		if (!victim_start(&v))
			break;
		quietly_begin();
		run_out_of_memory(GFP_KERNEL, 0);
		quietly_end();
		if (v.wait == VICTIM_STUCK_D)
			wait_for_mm_flag(v.mm, MMF_OOM_SKIP, 10000);
		if (!victim_wait_gone(&v))
			break;
	}
	KUNIT_EXPECT_EQ(test, cycles, OOM_CYCLES);
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_KILL], kills + 2 + OOM_CYCLES);
	msleep(100);
	drain_all_pages(NULL);
	KUNIT_EXPECT_EQ(test, (long)nr_free_pages(), free_before);
	KUNIT_EXPECT_EQ(test, slab_pages(), slab_before);
	KUNIT_EXPECT_EQ(test, oom_victims, 0);
}

static struct kunit_case oom_kill_cases[] = {
	KUNIT_CASE(the_boots_first_victim_finishing_after_the_look_means_look_again),
	KUNIT_CASE(the_process_with_the_largest_rss_is_killed),
	KUNIT_CASE(oom_score_adj_1000_is_killed_first),
	KUNIT_CASE(oom_score_adj_min_is_never_killed),
	KUNIT_CASE(of_equal_scores_the_newest_process_is_killed),
	KUNIT_CASE(kernel_threads_and_init_are_never_candidates),
	KUNIT_CASE(no_second_kill_while_a_victim_is_in_flight),
	KUNIT_CASE(every_process_sharing_the_mm_is_killed),
	KUNIT_CASE(gfp_nofs_never_kills),
	KUNIT_CASE(a_dying_caller_is_marked_instead_of_killing),
	KUNIT_CASE(a_victim_says_so_in_its_status),
	KUNIT_CASE(a_victim_finishing_after_the_last_look_means_look_again),
	KUNIT_CASE(sysrq_f_kills_the_biggest_even_with_a_victim_in_flight),
	KUNIT_CASE(sysrq_f_with_nothing_killable_is_ignored),
	KUNIT_CASE(oom_cycles_leave_free_memory_and_slabs_at_their_baseline),
	{}};

static struct kunit_suite oom_kill_suite = {
	.name = "oom_kill",
	.test_cases = oom_kill_cases,
	.init = oom_kill_init,
	.exit = oom_kill_exit,
};
kunit_test_suite(oom_kill_suite);
