/* The oom_reaper as a specification (mm/oom_reaper.c): a victim that
 * cannot exit still gives its anonymous memory back; a later fault on the
 * reaped mm is SIGBUS; a busy mmap_lock makes the reaper give up after
 * its retries, and either way the mm ends with MMF_OOM_SKIP so the next
 * victim can be chosen; exit_mmap and the reaper never free a page twice.
 * Read first: the victims are stand-ins (tests/kernel/oom_test_helpers.h);
 * the reaper runs with no delay unless a case says otherwise. */
#include "kernel/ktest.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/vsprintf.h"
#include "mm/internal.h"
#include "mm/mm_struct.h"
#include "mm/oom.h"
#include "mm/vmstat.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/oom_test_helpers.h"

#define SMALL_PAGES 32
#define LARGE_PAGES 512
#define REAP_WAIT_MS 10000
#define NOT_YET_MS 300
#define RACE_ROUNDS 8
#define FAR_AWAY_MS 60000
#define KB_PER_PAGE (PAGE_SIZE >> 10)

static struct oom_switches saved;

static int reaper_suite_init(struct kunit *test)
{
	(void)test;
	oom_switches_save(&saved);
	oom_reaper_enabled = true;
	oom_reaper_delay_ms = 0;
	oom_reap_timeout_ms = 0;
	oom_reap_mlocked = true;
	return 0;
}

static void reaper_suite_exit(struct kunit *test)
{
	(void)test;
	oom_switches_restore(&saved);
}

static long anon_pages(const struct oom_victim *v)
{
	return get_mm_counter(v->mm, MM_ANONPAGES);
}

static bool kill_one(struct kunit *test)
{
	bool ret;

	quietly_begin();
	ret = run_out_of_memory(GFP_KERNEL, 0);
	quietly_end();
	return ret;
}

static long free_pages_now(void)
{
	drain_all_pages(NULL);
	return (long)global_zone_page_state(NR_FREE_PAGES);
}

static void a_stuck_victims_memory_is_reaped(struct kunit *test)
{
	struct oom_victim v = {.name = "stuck", .pages = LARGE_PAGES, .wait = VICTIM_STUCK_D};
	char want[120];
	unsigned long mark;
	long free_before;

	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	free_before = free_pages_now();
	mark = log_mark();
	KUNIT_ASSERT_TRUE(test, kill_one(test));
	KUNIT_EXPECT_TRUE(test, wait_for_mm_flag(v.mm, MMF_OOM_SKIP, REAP_WAIT_MS));
	KUNIT_EXPECT_TRUE(test, mm_flag_test(v.mm, MMF_UNSTABLE));
	KUNIT_EXPECT_EQ(test, anon_pages(&v), 0);
	KUNIT_EXPECT_GE(test, free_pages_now() - free_before, LARGE_PAGES);
	KUNIT_EXPECT_FALSE(test, v.p->exit_state); /* still stuck: the reaper did it */
	snprintf(want, sizeof(want),
		 "oom_reaper: reaped process %d (stuck), now anon-rss:0kB, file-rss:0kB, "
		 "shmem-rss:0kB",
		 v.p->pid);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, want, NULL, 0));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
}

/* MMF_UNSTABLE: data the reaper threw away never comes back as zeroes. */
static void a_fault_after_reaping_is_sigbus(struct kunit *test)
{
	struct oom_victim v = {.name = "stuck", .pages = SMALL_PAGES, .wait = VICTIM_STUCK_D};
	struct vm_area_struct *vma;
	int ret;

	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	KUNIT_ASSERT_TRUE(test, kill_one(test));
	KUNIT_ASSERT_TRUE(test, wait_for_mm_flag(v.mm, MMF_OOM_SKIP, REAP_WAIT_MS));
	mmap_read_lock(v.mm);
	vma = find_vma(v.mm, VICTIM_ADDR);
	ret = vma ? handle_mm_fault(vma, VICTIM_ADDR, FAULT_FLAG_WRITE | FAULT_FLAG_USER) : -1;
	mmap_read_unlock(v.mm);
	KUNIT_EXPECT_EQ(test, ret, VM_FAULT_SIGBUS);
	KUNIT_EXPECT_EQ(test, anon_pages(&v), 0);
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
}

/* The lock holder may itself be waiting for memory: the reaper only
 * trylocks, gives up after its retries, says so with the victim's stack
 * and the locks held, and lets the OOM killer move on. */
static void a_write_held_mmap_lock_makes_the_reaper_give_up(struct kunit *test)
{
	struct oom_victim stuck = {.name = "stuck", .pages = LARGE_PAGES, .wait = VICTIM_STUCK_D};
	struct oom_victim next = {.name = "next", .pages = SMALL_PAGES};
	char want[80];
	unsigned long mark;

	KUNIT_ASSERT_TRUE(test, victim_start(&stuck));
	KUNIT_ASSERT_TRUE(test, victim_start(&next));
	mmap_write_lock(stuck.mm);
	mark = log_mark();
	KUNIT_EXPECT_TRUE(test, kill_one(test));
	KUNIT_EXPECT_TRUE(test, wait_for_mm_flag(stuck.mm, MMF_OOM_SKIP, REAP_WAIT_MS));
	mmap_write_unlock(stuck.mm);
	snprintf(want, sizeof(want), "oom_reaper: unable to reap pid:%d (stuck)", stuck.p->pid);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, want, NULL, 0));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "task:stuck", NULL, 0));
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, "Showing all locks held", NULL, 0));
	KUNIT_EXPECT_FALSE(test, mm_flag_test(stuck.mm, MMF_UNSTABLE));
	KUNIT_EXPECT_EQ(test, anon_pages(&stuck), LARGE_PAGES);
	KUNIT_EXPECT_FALSE(test, victim_killed(&next));
	KUNIT_EXPECT_TRUE(test, kill_one(test)); /* the next OOM picks the next victim */
	KUNIT_EXPECT_TRUE(test, victim_killed(&next));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&next));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&stuck));
}

/* The interleaving that used to free pages twice: a reaper holds the read
 * lock while the victim's exit_mmap unmaps beside it. exit_mmap sets
 * MMF_OOM_SKIP and then waits for the write lock; a reaper pass then
 * finds nothing left, and every page comes back exactly once. */
static void exit_mmap_waits_for_a_reaper_and_no_page_is_freed_twice(struct kunit *test)
{
	struct oom_victim v = {.name = "exiting", .pages = LARGE_PAGES};
	unsigned long bad = bad_page_count();
	long free_before = free_pages_now();

	oom_reaper_enabled = false; /* this test plays the reaper */
	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	mmap_read_lock(v.mm);
	KUNIT_EXPECT_TRUE(test, kill_one(test));
	KUNIT_EXPECT_TRUE(test, wait_for_mm_flag(v.mm, MMF_OOM_SKIP, REAP_WAIT_MS));
	KUNIT_EXPECT_EQ(test, anon_pages(&v), 0);
	KUNIT_EXPECT_TRUE(test, v.mm->map_count > 0); /* VMAs and tables wait for us */
	KUNIT_EXPECT_TRUE(test, __oom_reap_task_mm(v.mm));
	mmap_read_unlock(v.mm);
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
	KUNIT_EXPECT_EQ(test, bad_page_count(), bad);
	KUNIT_EXPECT_EQ(test, free_pages_now(), free_before);
}

/* The same race left to the scheduler: the reaper (no delay) and the
 * exiting victim, round after round; nothing leaks, nothing is freed
 * twice. */
static void reaper_racing_exit_mmap_leaves_memory_at_its_baseline(struct kunit *test)
{
	unsigned long bad = bad_page_count();
	long free_before = free_pages_now();

	for (int i = 0; i < RACE_ROUNDS; i++) {
		struct oom_victim v = {.name = "racer", .pages = LARGE_PAGES};

		KUNIT_ASSERT_TRUE(test, victim_start(&v));
		KUNIT_EXPECT_TRUE(test, kill_one(test));
		KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
	}
	msleep(NOT_YET_MS); /* let the reaper drop its last reference */
	KUNIT_EXPECT_EQ(test, bad_page_count(), bad);
	KUNIT_EXPECT_EQ(test, free_pages_now(), free_before);
	KUNIT_EXPECT_EQ(test, oom_victims, 0);
}

/* ---- the seed switches ---- */

static void oom_reaper_0_leaves_a_stuck_victim_its_memory(struct kunit *test)
{
	struct oom_victim v = {.name = "stuck", .pages = LARGE_PAGES, .wait = VICTIM_STUCK_D};

	oom_reaper_enabled = false;
	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	KUNIT_ASSERT_TRUE(test, kill_one(test));
	msleep(NOT_YET_MS);
	KUNIT_EXPECT_EQ(test, anon_pages(&v), LARGE_PAGES);
	KUNIT_EXPECT_FALSE(test, mm_flag_test(v.mm, MMF_OOM_SKIP));
	KUNIT_EXPECT_FALSE(test, mm_flag_test(v.mm, MMF_OOM_REAP_QUEUED));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
}

static void reaper_delay_gives_the_victim_time_to_exit_first(struct kunit *test)
{
	struct oom_victim v = {.name = "stuck", .pages = LARGE_PAGES, .wait = VICTIM_STUCK_D};

	oom_reaper_delay_ms = FAR_AWAY_MS;
	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	KUNIT_ASSERT_TRUE(test, kill_one(test));
	msleep(NOT_YET_MS);
	KUNIT_EXPECT_TRUE(test, mm_flag_test(v.mm, MMF_OOM_REAP_QUEUED));
	KUNIT_EXPECT_FALSE(test, mm_flag_test(v.mm, MMF_UNSTABLE));
	KUNIT_EXPECT_EQ(test, anon_pages(&v), LARGE_PAGES);
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v)); /* exit_mmap frees it, sets MMF_OOM_SKIP */
}

static void mlocked_memory_is_reaped(struct kunit *test)
{
	struct oom_victim v = {
		.name = "locked", .pages = LARGE_PAGES, .mlocked = true, .wait = VICTIM_STUCK_D};

	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	KUNIT_ASSERT_TRUE(test, kill_one(test));
	KUNIT_EXPECT_TRUE(test, wait_for_mm_flag(v.mm, MMF_OOM_SKIP, REAP_WAIT_MS));
	KUNIT_EXPECT_EQ(test, anon_pages(&v), 0);
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
}

/* Seed 5's 2018 reaper: mlocked memory is skipped, and MMF_OOM_SKIP is
 * set anyway, so the killer moves on with nothing freed. */
static void reap_mlocked_0_skips_mlocked_memory_but_sets_oom_skip(struct kunit *test)
{
	struct oom_victim v = {
		.name = "locked", .pages = LARGE_PAGES, .mlocked = true, .wait = VICTIM_STUCK_D};
	char want[120];
	unsigned long mark;

	oom_reap_mlocked = false;
	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	mark = log_mark();
	KUNIT_ASSERT_TRUE(test, kill_one(test));
	KUNIT_EXPECT_TRUE(test, wait_for_mm_flag(v.mm, MMF_OOM_SKIP, REAP_WAIT_MS));
	KUNIT_EXPECT_EQ(test, anon_pages(&v), LARGE_PAGES);
	snprintf(want, sizeof(want), "oom_reaper: reaped process %d (locked), now anon-rss:%lukB",
		 v.p->pid, LARGE_PAGES * KB_PER_PAGE);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, want, NULL, 0));
	KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
}

/* Seed 5's proposal: after reaping, MMF_OOM_SKIP waits for the per-mm
 * timeout or exit_mmap, not for the end of the reaper's pass. */
static void reap_timeout_holds_oom_skip_until_exit(struct kunit *test)
{
	struct oom_victim v = {.name = "stuck", .pages = LARGE_PAGES, .wait = VICTIM_STUCK_D};
	struct mm_struct *mm;

	oom_reap_timeout_ms = FAR_AWAY_MS;
	KUNIT_ASSERT_TRUE(test, victim_start(&v));
	mm = v.mm;
	KUNIT_ASSERT_TRUE(test, kill_one(test));
	KUNIT_EXPECT_TRUE(test, wait_for_mm_flag(mm, MMF_UNSTABLE, REAP_WAIT_MS));
	msleep(NOT_YET_MS);
	KUNIT_EXPECT_EQ(test, anon_pages(&v), 0);
	KUNIT_EXPECT_FALSE(test, mm_flag_test(mm, MMF_OOM_SKIP));
	get_task_struct(v.p); /* keeps oom_mm, hence mm, for the check below */
	{
		struct task_struct *p = v.p;

		KUNIT_EXPECT_TRUE(test, victim_wait_gone(&v));
		KUNIT_EXPECT_TRUE(test, mm_flag_test(mm, MMF_OOM_SKIP)); /* exit_mmap set it */
		put_task_struct(p);
	}
}

static struct kunit_case oom_reaper_cases[] = {
	KUNIT_CASE(a_stuck_victims_memory_is_reaped),
	KUNIT_CASE(a_fault_after_reaping_is_sigbus),
	KUNIT_CASE(a_write_held_mmap_lock_makes_the_reaper_give_up),
	KUNIT_CASE(exit_mmap_waits_for_a_reaper_and_no_page_is_freed_twice),
	KUNIT_CASE(reaper_racing_exit_mmap_leaves_memory_at_its_baseline),
	KUNIT_CASE(oom_reaper_0_leaves_a_stuck_victim_its_memory),
	KUNIT_CASE(reaper_delay_gives_the_victim_time_to_exit_first),
	KUNIT_CASE(mlocked_memory_is_reaped),
	KUNIT_CASE(reap_mlocked_0_skips_mlocked_memory_but_sets_oom_skip),
	KUNIT_CASE(reap_timeout_holds_oom_skip_until_exit),
	{}};

static struct kunit_suite oom_reaper_suite = {
	.name = "oom_reaper",
	.test_cases = oom_reaper_cases,
	.init = reaper_suite_init,
	.exit = reaper_suite_exit,
};
kunit_test_suite(oom_reaper_suite);
