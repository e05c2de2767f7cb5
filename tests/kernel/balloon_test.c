/* The balloon as a specification: inflating takes exactly its pages from
 * free memory and deflating gives them back; /proc/balloon takes a target
 * in pages or sizes; the OOM notifier deflates at most
 * VIRTIO_BALLOON_OOM_NR_PAGES under balloon_lock, and that is enough to
 * save an allocation at the OOM point whichever side of oom_lock the
 * chain runs; the fill path never reaches the OOM path, except with the
 * lab's knob, where it does so holding balloon_lock. Read first: every
 * case starts and ends with an empty balloon and the switches restored. */
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/notifier.h"
#include "kernel/string.h"
#include "mm/balloon.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/oom.h"
#include "mm/slab.h"
#include "mm/vmstat.h"
#include "tests/kernel/fs_test_helpers.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/sched_test_helpers.h"

#define SOME_PAGES 1000
#define OOM_ROUNDS_LEFT 44 /* pages left after one OOM round of 300 */
/* The kernel-mode case's own reserve: given back at its first OOM call,
 * more than the watermarks keep back, so the fill then completes. */
#define RESERVE_PAGES 2048
/* Wide enough that the test sees the notifier asleep even on a slow host. */
#define SLOW_HOST_ACK_MS 5000

struct saved_switches {
	int notifier, inflate_gfp;
	bool deflate_on_oom;
	long host_ack_ms;
};
static struct saved_switches saved;

static struct balloon_stats stats(void)
{
	struct balloon_stats s;

	balloon_get_stats(&s);
	return s;
}

static int balloon_test_init(struct kunit *test)
{
	saved = (struct saved_switches){sysctl_oom_notifier, balloon_inflate_gfp,
					balloon_deflate_on_oom, balloon_host_ack_ms};
	return stats().size ? -EBUSY : 0;
}

static void balloon_test_exit(struct kunit *test)
{
	balloon_host_ack_ms = 0;
	balloon_set_target(0);
	balloon_host_ack_ms = saved.host_ack_ms;
	sysctl_oom_notifier = saved.notifier;
	balloon_inflate_gfp = saved.inflate_gfp;
	balloon_deflate_on_oom = saved.deflate_on_oom;
}

static long free_after_drain(void)
{
	drain_all_pages(NULL);
	return (long)nr_free_pages();
}

static void inflating_takes_exactly_its_pages_from_free_memory(struct kunit *test)
{
	unsigned long inflates = vm_event_states[BALLOON_INFLATE];
	long free_before = free_after_drain(),
	     balloon_before = global_zone_page_state(NR_BALLOON_PAGES);

	KUNIT_ASSERT_EQ(test, balloon_set_target(SOME_PAGES), 0);
	KUNIT_EXPECT_EQ(test, stats().size, SOME_PAGES);
	KUNIT_EXPECT_EQ(test, stats().target, SOME_PAGES);
	KUNIT_EXPECT_EQ(test, free_before - free_after_drain(), SOME_PAGES);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_BALLOON_PAGES) - balloon_before,
			SOME_PAGES);
	KUNIT_EXPECT_EQ(test, vm_event_states[BALLOON_INFLATE] - inflates, SOME_PAGES);
}

static void deflating_gives_every_page_back(struct kunit *test)
{
	unsigned long deflates = vm_event_states[BALLOON_DEFLATE];
	long free_before = free_after_drain();

	KUNIT_ASSERT_EQ(test, balloon_set_target(SOME_PAGES), 0);
	KUNIT_ASSERT_EQ(test, balloon_set_target(SOME_PAGES / 4), 0);
	KUNIT_EXPECT_EQ(test, stats().size, SOME_PAGES / 4);
	KUNIT_EXPECT_EQ(test, free_before - free_after_drain(), SOME_PAGES / 4);
	KUNIT_ASSERT_EQ(test, balloon_set_target(0), 0);
	KUNIT_EXPECT_EQ(test, stats().size, 0);
	KUNIT_EXPECT_EQ(test, free_after_drain(), free_before);
	KUNIT_EXPECT_EQ(test, vm_event_states[BALLOON_DEFLATE] - deflates, SOME_PAGES);
}

static long meminfo_balloon_kb(void)
{
	long err, kb = -1;
	char *text = read_whole("/proc/meminfo", 4096, &err), *line;

	line = text ? strstr(text, "\nBalloon:") : NULL;
	if (line) {
		char *end;

		line += strlen("\nBalloon:");
		while (*line == ' ')
			line++;
		end = strchr(line, ' ');
		if (end) {
			*end = '\0';
			kstrtol(line, 10, &kb);
		}
	}
	kfree(text);
	return kb;
}

static void proc_balloon_takes_pages_or_sizes_and_shows_the_figures(struct kunit *test)
{
	static const char *const bad[] = {"", "lots", "-1", "12Q", "1.5M", "99999999999G"};
	char *text;
	long err;

	KUNIT_EXPECT_EQ(test, write_string("/proc/balloon", "4M\n"), 3);
	KUNIT_EXPECT_EQ(test, stats().size, 1024);
	KUNIT_EXPECT_EQ(test, meminfo_balloon_kb(), 4096);
	KUNIT_EXPECT_EQ(test, write_string("/proc/balloon", "100"), 3);
	KUNIT_EXPECT_EQ(test, stats().size, 100);
	text = read_whole("/proc/balloon", 4096, &err);
	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_EXPECT_TRUE(test, !strncmp(text, "size 100\ntarget 100\ninflated ", 29));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "\noom_deflated "));
	kfree(text);
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		KUNIT_EXPECT_EQ(test, write_string("/proc/balloon", bad[i]), -EINVAL);
		KUNIT_EXPECT_EQ(test, stats().target, 100);
	}
	/* More than all of RAM is no target a hypervisor can mean. */
	KUNIT_EXPECT_EQ(test, balloon_set_target(totalram_pages + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, stats().target, 100);
}

static int oom_notify_fn(void *unused)
{
	return (int)oom_notify_call();
}

static void the_oom_notifier_deflates_a_bounded_amount_under_balloon_lock(struct kunit *test)
{
	unsigned long oom_deflated = stats().oom_deflated;
	struct task_struct *caller;
	int freed = -1;

	KUNIT_ASSERT_EQ(test, balloon_set_target(VIRTIO_BALLOON_OOM_NR_PAGES + OOM_ROUNDS_LEFT), 0);
	mutex_lock(&balloon_lock);
	caller = test_thread_run(oom_notify_fn, NULL, "oom-notify");
	if (!caller)
		mutex_unlock(&balloon_lock);
	KUNIT_ASSERT_NOT_NULL(test, caller);
	KUNIT_EXPECT_TRUE(test,
			  wait_for_task_state(caller, TASK_UNINTERRUPTIBLE, TEST_WAIT_TIMEOUT_MS));
	mutex_unlock(&balloon_lock);
	KUNIT_ASSERT_TRUE(test, test_thread_join(caller, TEST_WAIT_TIMEOUT_MS, &freed));
	KUNIT_EXPECT_EQ(test, freed, VIRTIO_BALLOON_OOM_NR_PAGES);
	KUNIT_EXPECT_EQ(test, stats().size, OOM_ROUNDS_LEFT);
	KUNIT_EXPECT_EQ(test, stats().oom_deflated - oom_deflated, VIRTIO_BALLOON_OOM_NR_PAGES);
	/* The next round gives what is left; the target stays the host's. */
	KUNIT_EXPECT_EQ(test, oom_notify_call(), OOM_ROUNDS_LEFT);
	KUNIT_EXPECT_EQ(test, stats().size, 0);
	KUNIT_EXPECT_EQ(test, stats().target, VIRTIO_BALLOON_OOM_NR_PAGES + OOM_ROUNDS_LEFT);
}

/* balloon.host_ack_ms: the OOM notifier waits for the host's answer with
 * balloon_lock held, and the pages stay in the balloon until it comes. */
static void a_slow_host_keeps_the_oom_notifier_asleep_under_balloon_lock(struct kunit *test)
{
	long held = global_zone_page_state(NR_BALLOON_PAGES);
	struct task_struct *caller;
	int freed = -1;

	KUNIT_ASSERT_EQ(test, balloon_set_target(SOME_PAGES), 0);
	balloon_host_ack_ms = SLOW_HOST_ACK_MS;
	caller = test_thread_run(oom_notify_fn, NULL, "oom-notify");
	KUNIT_ASSERT_NOT_NULL(test, caller);
	KUNIT_EXPECT_TRUE(test,
			  wait_for_task_state(caller, TASK_UNINTERRUPTIBLE, TEST_WAIT_TIMEOUT_MS));
	KUNIT_EXPECT_TRUE(test, mutex_owner(&balloon_lock) == caller);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_BALLOON_PAGES) - held, SOME_PAGES);
	KUNIT_ASSERT_TRUE(test, test_thread_join(caller, TEST_WAIT_TIMEOUT_MS, &freed));
	KUNIT_EXPECT_EQ(test, freed, VIRTIO_BALLOON_OOM_NR_PAGES);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_BALLOON_PAGES) - held,
			SOME_PAGES - VIRTIO_BALLOON_OOM_NR_PAGES);
}

static void without_deflate_on_oom_the_balloon_gives_nothing(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, balloon_set_target(SOME_PAGES), 0);
	balloon_deflate_on_oom = false;
	KUNIT_EXPECT_EQ(test, oom_notify_call(), 0);
	KUNIT_EXPECT_EQ(test, stats().size, SOME_PAGES);
}

/* A notifier that only watches: how often the OOM path reached the chain. */
static int watcher_calls;
static bool watcher_saw_balloon_lock_held;
static struct page_stash watcher_reserve;

static int watcher_call(struct notifier_block *nb, unsigned long action, void *data)
{
	unsigned long *freed = data;

	watcher_calls++;
	watcher_saw_balloon_lock_held = mutex_owner(&balloon_lock) == current;
	*freed += watcher_reserve.blocks;
	stash_free_all(&watcher_reserve);
	return NOTIFY_OK;
}
static struct notifier_block watcher_nb = {.notifier_call = watcher_call};

static void noretry_inflation_stops_short_without_reaching_the_oom_path(struct kunit *test)
{
	unsigned long mark = log_mark(), oom_deflated = stats().oom_deflated;
	char line[MM_TEST_LOG_LINE];

	watcher_calls = 0;
	stash_init(&watcher_reserve, 0);
	KUNIT_ASSERT_EQ(test, register_oom_notifier(&watcher_nb), 0);
	KUNIT_EXPECT_EQ(test, balloon_set_target(totalram_pages), 0);
	unregister_oom_notifier(&watcher_nb);
	KUNIT_EXPECT_GT(test, stats().size, 0);
	KUNIT_EXPECT_LT(test, stats().size, totalram_pages);
	KUNIT_EXPECT_EQ(test, stats().oom_deflated, oom_deflated);
	KUNIT_EXPECT_EQ(test, watcher_calls, 0);
	KUNIT_EXPECT_TRUE(test,
			  log_find_since(mark, "virtio_balloon: Out of puff! Can't get 1 pages",
					 line, sizeof(line)));
}

/* The lab's knob: the fill reaches the OOM notifiers while it holds
 * balloon_lock (the balloon's own notifier is off here: it would wait for
 * this very task). The watcher frees its reserve, so the fill completes. */
static void kernel_mode_inflation_reaches_the_oom_path_holding_balloon_lock(struct kunit *test)
{
	unsigned long target;

	balloon_deflate_on_oom = false;
	balloon_inflate_gfp = BALLOON_INFLATE_KERNEL;
	sysctl_oom_notifier = OOM_NOTIFIER_INSIDE;
	watcher_calls = 0;
	watcher_saw_balloon_lock_held = false;
	stash_init(&watcher_reserve, 0);
	for (int i = 0; i < RESERVE_PAGES; i++)
		KUNIT_ASSERT_TRUE(test, stash_alloc(&watcher_reserve, GFP_KERNEL));
	target = (unsigned long)free_after_drain() + RESERVE_PAGES / 2;
	KUNIT_ASSERT_EQ(test, register_oom_notifier(&watcher_nb), 0);
	KUNIT_EXPECT_EQ(test, balloon_set_target(target), 0);
	unregister_oom_notifier(&watcher_nb);
	stash_free_all(&watcher_reserve);
	KUNIT_EXPECT_EQ(test, watcher_calls, 1);
	KUNIT_EXPECT_TRUE(test, watcher_saw_balloon_lock_held);
	KUNIT_EXPECT_EQ(test, stats().size, target);
}

/* Fill the balloon as far as it goes, then ask for one page the way any
 * kernel user would: only the notifier can give it. */
static void the_notifier_saves_an_allocation_at_the_oom_point(struct kunit *test,
							      enum oom_notifier_place place)
{
	unsigned long freed_count = vm_event_states[OOM_NOTIFIER_FREED], full;
	unsigned long oom_deflated = stats().oom_deflated;
	struct page *page;

	sysctl_oom_notifier = place;
	KUNIT_ASSERT_EQ(test, balloon_set_target(totalram_pages), 0);
	full = stats().size;
	KUNIT_ASSERT_GT(test, full, VIRTIO_BALLOON_OOM_NR_PAGES);
	page = alloc_page(GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, page);
	if (page)
		__free_page(page);
	KUNIT_EXPECT_EQ(test, stats().oom_deflated - oom_deflated, VIRTIO_BALLOON_OOM_NR_PAGES);
	KUNIT_EXPECT_EQ(test, stats().size, full - VIRTIO_BALLOON_OOM_NR_PAGES);
	KUNIT_EXPECT_EQ(test, vm_event_states[OOM_NOTIFIER_FREED] - freed_count,
			VIRTIO_BALLOON_OOM_NR_PAGES);
}

static void inside_oom_lock_the_deflated_balloon_saves_the_allocation(struct kunit *test)
{
	the_notifier_saves_an_allocation_at_the_oom_point(test, OOM_NOTIFIER_INSIDE);
}

static void outside_oom_lock_the_deflated_balloon_saves_the_allocation(struct kunit *test)
{
	the_notifier_saves_an_allocation_at_the_oom_point(test, OOM_NOTIFIER_OUTSIDE);
}

static struct kunit_case balloon_cases[] = {
	KUNIT_CASE(inflating_takes_exactly_its_pages_from_free_memory),
	KUNIT_CASE(deflating_gives_every_page_back),
	KUNIT_CASE(proc_balloon_takes_pages_or_sizes_and_shows_the_figures),
	KUNIT_CASE(the_oom_notifier_deflates_a_bounded_amount_under_balloon_lock),
	KUNIT_CASE(a_slow_host_keeps_the_oom_notifier_asleep_under_balloon_lock),
	KUNIT_CASE(without_deflate_on_oom_the_balloon_gives_nothing),
	KUNIT_CASE(noretry_inflation_stops_short_without_reaching_the_oom_path),
	KUNIT_CASE(kernel_mode_inflation_reaches_the_oom_path_holding_balloon_lock),
	KUNIT_CASE(inside_oom_lock_the_deflated_balloon_saves_the_allocation),
	KUNIT_CASE(outside_oom_lock_the_deflated_balloon_saves_the_allocation),
	{0},
};
static struct kunit_suite balloon_suite = {.name = "balloon",
					   .test_cases = balloon_cases,
					   .init = balloon_test_init,
					   .exit = balloon_test_exit,
					   .ram_sizes = "64M"};
kunit_test_suite(balloon_suite);
