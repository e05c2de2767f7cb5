/* Trace events and tracefs as a specification: a disabled event records
 * nothing, an enabled one records Linux's line in /sys/kernel/tracing/trace,
 * the enable files switch one event, a system or all of them (0 or 1, else
 * EINVAL), set_event and trace_event= take Linux's event names, the ring
 * keeps the newest lines, "> trace" clears it and SysRq-z dumps it. Read first: every case starts from all events off, tracing on
 * and an empty buffer (trace_init), and leaves it that way (trace_exit). */
#include "kernel/fs/fs.h"
#include "kernel/ktest.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/sysrq.h"
#include "kernel/trace/trace.h"
#include "kernel/vsprintf.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "tests/kernel/fs_test_helpers.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/report_test_helpers.h"

#define TRACING "/sys/kernel/tracing"
#define TRACE_FILE TRACING "/trace"
#define WHOLE_CHUNK 4096
#define NEEDLE_MAX 160

static char *read_file(const char *path)
{
	long err = 0;

	return read_whole(path, WHOLE_CHUNK, &err);
}

static bool file_has(const char *path, const char *needle)
{
	char *text = read_file(path);
	bool found = text && strstr(text, needle);

	kfree(text);
	return found;
}

/* Did text go into path whole, as one write? */
static bool write_all(const char *path, const char *text)
{
	return write_string(path, text) == (long)strlen(text);
}

static int trace_init(struct kunit *test)
{
	trace_system_enable(NULL, false);
	tracing_on();
	tracing_reset();
	return 0;
}

static void trace_exit(struct kunit *test)
{
	trace_init(test);
}

static void a_disabled_event_records_nothing(struct kunit *test)
{
	trace_wake_reaper(42);
	trace_oom_score_adj_update(current);
	KUNIT_EXPECT_EQ(test, trace_entries_in_buffer(), 0);
	KUNIT_EXPECT_EQ(test, trace_entries_written(), 0);
	KUNIT_EXPECT_TRUE(test, file_has(TRACE_FILE, "entries-in-buffer/entries-written: 0/0"));
	KUNIT_EXPECT_FALSE(test, file_has(TRACE_FILE, "wake_reaper"));
}

static void an_enabled_event_records_linux_s_line_under_linux_s_header(struct kunit *test)
{
	char needle[NEEDLE_MAX];
	char *text;

	KUNIT_ASSERT_EQ(test, write_string(TRACING "/events/oom/wake_reaper/enable", "1\n"), 2);
	trace_wake_reaper(42);
	trace_start_task_reaping(42); /* still off */
	text = read_file(TRACE_FILE);
	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_EXPECT_TRUE(test, strncmp(text, "# tracer: nop\n#\n", 16) == 0);
	KUNIT_EXPECT_NOT_NULL(test,
			      strstr(text, "# entries-in-buffer/entries-written: 1/1   #P:1\n"));
	KUNIT_EXPECT_NOT_NULL(
		test, strstr(text, "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"));
	/* "%16s-%-7d [000] flags  secs.usecs: wake_reaper: pid=42" */
	snprintf(needle, sizeof(needle), "%16s-%-7d [000] ", current->comm, current->pid);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, needle));
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, ": wake_reaper: pid=42\n"));
	KUNIT_EXPECT_NULL(test, strstr(text, "start_task_reaping"));
	kfree(text);
}

static void oom_score_adj_writes_record_oom_score_adj_update(struct kunit *test)
{
	int saved = current->oom_score_adj;
	char needle[NEEDLE_MAX];

	KUNIT_ASSERT_EQ(test, write_string(TRACING "/events/oom/enable", "1"), 1);
	KUNIT_EXPECT_EQ(test, write_string("/proc/self/oom_score_adj", "-17"), 3);
	snprintf(needle, sizeof(needle),
		 ": oom_score_adj_update: pid=%d comm=%s oom_score_adj=-17\n", current->pid,
		 current->comm);
	KUNIT_EXPECT_TRUE(test, file_has(TRACE_FILE, needle));
	current->oom_score_adj = saved;
}

static void mark_victim_prints_every_field_linux_prints(struct kunit *test)
{
	char needle[NEEDLE_MAX];

	trace_event_enable(TRACE_MARK_VICTIM, true);
	trace_mark_victim(current, 0); /* a kernel thread: no mm, so zeros */
	snprintf(needle, sizeof(needle),
		 ": mark_victim: pid=%d comm=%s total-vm=0kB anon-rss=0kB file-rss:0kB "
		 "shmem-rss:0kB uid=0 pgtables=0kB oom_score_adj=%d\n",
		 current->pid, current->comm, current->oom_score_adj);
	KUNIT_EXPECT_TRUE(test, file_has(TRACE_FILE, needle));
}

static void a_system_enable_switches_that_system_only(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, write_string(TRACING "/events/oom/enable", "1\n"), 2);
	KUNIT_EXPECT_TRUE(test, TRACE_EVENT_ON(TRACE_MARK_VICTIM));
	KUNIT_EXPECT_TRUE(test, TRACE_EVENT_ON(TRACE_FINISH_TASK_REAPING));
	KUNIT_EXPECT_FALSE(test, TRACE_EVENT_ON(TRACE_MM_PAGE_ALLOC));
	KUNIT_EXPECT_FALSE(test, TRACE_EVENT_ON(TRACE_MM_VMSCAN_KSWAPD_WAKE));
	KUNIT_EXPECT_TRUE(test, file_has(TRACING "/events/oom/enable", "1\n"));
	KUNIT_EXPECT_TRUE(test, file_has(TRACING "/events/oom/mark_victim/enable", "1\n"));
	KUNIT_EXPECT_TRUE(test, file_has(TRACING "/events/kmem/enable", "0\n"));
	KUNIT_EXPECT_TRUE(test, file_has(TRACING "/events/enable", "X\n"));
	KUNIT_ASSERT_EQ(test, write_string(TRACING "/events/oom/mark_victim/enable", "0"), 1);
	KUNIT_EXPECT_TRUE(test, file_has(TRACING "/events/oom/enable", "X\n"));
	KUNIT_ASSERT_EQ(test, write_string(TRACING "/events/oom/enable", "0"), 1);
	KUNIT_EXPECT_FALSE(test, TRACE_EVENT_ON(TRACE_WAKE_REAPER));
	KUNIT_EXPECT_TRUE(test, file_has(TRACING "/events/enable", "0\n"));
}

static void enable_files_refuse_anything_but_0_and_1(struct kunit *test)
{
	static const char *const bad[] = {"2", "-1", "abc", "", "1 1", "0x1"};
	static char long_text[1000]; /* longer than any tracefs file takes */
	static const char *const files[] = {TRACING "/events/enable", TRACING "/events/oom/enable",
					    TRACING "/events/oom/wake_reaper/enable"};

	memset(long_text, '1', sizeof(long_text) - 1);
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++)
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			KUNIT_EXPECT_EQ(test, write_string(files[f], bad[i]), -EINVAL);
	KUNIT_EXPECT_EQ(test, trace_system_enabled(NULL), 0);
	KUNIT_EXPECT_EQ(test, write_string(TRACING "/tracing_on", "abc"), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_string(TRACING "/set_event", long_text), -EINVAL);
	KUNIT_EXPECT_TRUE(test, tracing_is_on());
	KUNIT_EXPECT_EQ(test, write_string(TRACING "/events/oom/wake_reaper/format", "1"), -EACCES);
}

static void set_event_takes_linux_s_event_names(struct kunit *test)
{
	struct file *f;

	KUNIT_ASSERT_TRUE(test,
			  write_all(TRACING "/set_event", "oom:mark_victim kmem:mm_page_free\n"));
	KUNIT_EXPECT_TRUE(test, TRACE_EVENT_ON(TRACE_MARK_VICTIM));
	KUNIT_EXPECT_TRUE(test, TRACE_EVENT_ON(TRACE_MM_PAGE_FREE));
	KUNIT_EXPECT_FALSE(test, TRACE_EVENT_ON(TRACE_WAKE_REAPER));
	KUNIT_EXPECT_TRUE(test,
			  file_has(TRACING "/set_event", "oom:mark_victim\nkmem:mm_page_free\n"));
	KUNIT_EXPECT_TRUE(test, write_all(TRACING "/set_event", "!kmem:mm_page_free"));
	KUNIT_EXPECT_FALSE(test, TRACE_EVENT_ON(TRACE_MM_PAGE_FREE));
	KUNIT_EXPECT_TRUE(test, write_all(TRACING "/set_event", "*:wake_reaper"));
	KUNIT_EXPECT_TRUE(test, TRACE_EVENT_ON(TRACE_WAKE_REAPER));
	KUNIT_EXPECT_TRUE(test, write_all(TRACING "/set_event", "vmscan"));
	KUNIT_EXPECT_EQ(test, trace_system_enabled("vmscan"), 1);
	KUNIT_EXPECT_TRUE(test, file_has(TRACING "/available_events",
					 "oom:oom_score_adj_update\noom:reclaim_retry_zone\n"));
	KUNIT_EXPECT_TRUE(test, file_has(TRACING "/available_events", "\nkmem:mm_page_free\n"));
	KUNIT_EXPECT_EQ(test, write_string(TRACING "/set_event", "oom:nosuch"), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_string(TRACING "/set_event", "nosuch"), -EINVAL);
	/* As Linux, "> set_event" (an O_TRUNC open) turns every event off. */
	f = filp_open(TRACING "/set_event", O_WRONLY | O_TRUNC);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	fput(f);
	KUNIT_EXPECT_EQ(test, trace_system_enabled(NULL), 0);
}

static void the_trace_event_switch_enables_events_and_names_bad_ones(struct kunit *test)
{
	unsigned long mark = log_mark();

	KUNIT_ASSERT_TRUE(test,
			  write_all("/proc/sys/oomlab/trace_event", "oom:wake_reaper,nosuch,kmem"));
	trace_enable_boot_events();
	KUNIT_EXPECT_TRUE(test, TRACE_EVENT_ON(TRACE_WAKE_REAPER));
	KUNIT_EXPECT_FALSE(test, TRACE_EVENT_ON(TRACE_MARK_VICTIM));
	KUNIT_EXPECT_EQ(test, trace_system_enabled("kmem"), 1);
	KUNIT_EXPECT_EQ(test, log_count_since(mark, "Failed to enable trace event: nosuch"), 1);
	KUNIT_EXPECT_TRUE(test, write_all("/proc/sys/oomlab/trace_event", ""));
}

static void the_ring_keeps_the_newest_lines_when_it_wraps(struct kunit *test)
{
	const int extra = 10, total = TRACE_BUF_ENTRIES + extra;
	char needle[NEEDLE_MAX];
	char *text;

	trace_event_enable(TRACE_WAKE_REAPER, true);
	for (int pid = 0; pid < total; pid++)
		trace_wake_reaper(pid);
	KUNIT_EXPECT_EQ(test, trace_entries_in_buffer(), TRACE_BUF_ENTRIES);
	KUNIT_EXPECT_EQ(test, trace_entries_written(), total);
	text = read_file(TRACE_FILE);
	KUNIT_ASSERT_NOT_NULL(test, text);
	snprintf(needle, sizeof(needle), "entries-in-buffer/entries-written: %d/%d ",
		 TRACE_BUF_ENTRIES, total);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, needle));
	snprintf(needle, sizeof(needle), ": wake_reaper: pid=%d\n", extra - 1);
	KUNIT_EXPECT_NULL(test, strstr(text, needle)); /* overwritten */
	snprintf(needle, sizeof(needle), ": wake_reaper: pid=%d\n", extra);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, needle)); /* the oldest kept */
	snprintf(needle, sizeof(needle), ": wake_reaper: pid=%d\n", total - 1);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, needle));
	kfree(text);
}

static void opening_trace_with_o_trunc_clears_it(struct kunit *test)
{
	struct file *f;

	trace_event_enable(TRACE_SKIP_TASK_REAPING, true);
	trace_skip_task_reaping(7);
	KUNIT_EXPECT_EQ(test, trace_entries_in_buffer(), 1);
	f = filp_open(TRACE_FILE, O_RDONLY); /* reading clears nothing */
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	fput(f);
	KUNIT_EXPECT_EQ(test, trace_entries_in_buffer(), 1);
	f = filp_open(TRACE_FILE, O_WRONLY | O_TRUNC);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_EXPECT_EQ(test, f->f_flags & O_TRUNC, 0); /* dropped after open, as Linux */
	fput(f);
	KUNIT_EXPECT_EQ(test, trace_entries_in_buffer(), 0);
	KUNIT_EXPECT_TRUE(test, file_has(TRACE_FILE, "entries-in-buffer/entries-written: 0/0"));
	KUNIT_EXPECT_FALSE(test, file_has(TRACE_FILE, "skip_task_reaping"));
}

static void tracing_on_0_keeps_enabled_events_out_of_the_buffer(struct kunit *test)
{
	trace_event_enable(TRACE_WAKE_REAPER, true);
	KUNIT_ASSERT_EQ(test, write_string(TRACING "/tracing_on", "0\n"), 2);
	KUNIT_EXPECT_TRUE(test, file_has(TRACING "/tracing_on", "0\n"));
	trace_wake_reaper(5);
	KUNIT_EXPECT_EQ(test, trace_entries_in_buffer(), 0);
	KUNIT_ASSERT_EQ(test, write_string(TRACING "/tracing_on", "1"), 1);
	trace_wake_reaper(6);
	KUNIT_EXPECT_EQ(test, trace_entries_in_buffer(), 1);
}

static void sysrq_z_dumps_the_buffer_consumes_it_and_stops_tracing(struct kunit *test)
{
	unsigned long mark;

	trace_event_enable(TRACE_FINISH_TASK_REAPING, true);
	trace_finish_task_reaping(4242);
	mark = log_mark();
	handle_sysrq('z');
	KUNIT_EXPECT_EQ(test, log_count_since(mark, "sysrq: Dump ftrace buffer"), 1);
	KUNIT_EXPECT_TRUE(test, log_section_has(mark, "Dumping ftrace buffer:", NULL,
						": finish_task_reaping: pid=4242"));
	KUNIT_EXPECT_EQ(test, trace_entries_in_buffer(), 0);
	KUNIT_EXPECT_FALSE(test, tracing_is_on());
	mark = log_mark();
	handle_sysrq('z');
	KUNIT_EXPECT_EQ(test, log_count_since(mark, "(ftrace buffer empty)"), 1);
}

static void page_events_name_the_pfn_and_gfp_flags(struct kunit *test)
{
	struct page *page;
	char needle[NEEDLE_MAX];

	trace_system_enable("kmem", true);
	page = alloc_page(GFP_KERNEL);
	trace_system_enable("kmem", false);
	KUNIT_ASSERT_NOT_NULL(test, page);
	snprintf(needle, sizeof(needle), " pfn=0x%lx order=0 migratetype=0 gfp_flags=GFP_KERNEL\n",
		 page_to_pfn(page));
	KUNIT_EXPECT_TRUE(test, file_has(TRACE_FILE, needle));
	trace_event_enable(TRACE_MM_PAGE_FREE, true);
	__free_page(page);
	trace_event_enable(TRACE_MM_PAGE_FREE, false);
	snprintf(needle, sizeof(needle), ": mm_page_free: page=%p pfn=0x%lx order=0\n",
		 (void *)page, page_to_pfn(page));
	KUNIT_EXPECT_TRUE(test, file_has(TRACE_FILE, needle));
}

static struct kunit_case trace_cases[] = {
	KUNIT_CASE(a_disabled_event_records_nothing),
	KUNIT_CASE(an_enabled_event_records_linux_s_line_under_linux_s_header),
	KUNIT_CASE(oom_score_adj_writes_record_oom_score_adj_update),
	KUNIT_CASE(mark_victim_prints_every_field_linux_prints),
	KUNIT_CASE(a_system_enable_switches_that_system_only),
	KUNIT_CASE(enable_files_refuse_anything_but_0_and_1),
	KUNIT_CASE(set_event_takes_linux_s_event_names),
	KUNIT_CASE(the_trace_event_switch_enables_events_and_names_bad_ones),
	KUNIT_CASE(the_ring_keeps_the_newest_lines_when_it_wraps),
	KUNIT_CASE(opening_trace_with_o_trunc_clears_it),
	KUNIT_CASE(tracing_on_0_keeps_enabled_events_out_of_the_buffer),
	KUNIT_CASE(sysrq_z_dumps_the_buffer_consumes_it_and_stops_tracing),
	KUNIT_CASE(page_events_name_the_pfn_and_gfp_flags),
	{}};

static struct kunit_suite trace_suite = {
	.name = "trace",
	.test_cases = trace_cases,
	.init = trace_init,
	.exit = trace_exit,
};
kunit_test_suite(trace_suite);
