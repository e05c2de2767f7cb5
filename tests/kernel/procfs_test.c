/* /proc as a specification: the memory views in Linux's format, the
 * process directories and their files, /proc/self, the oom_score_adj
 * writer's validation, the /proc/sys/oomlab switches' round trip, and what
 * reads of a process that has gone give. Read first: writes go through
 * filp_open and kernel_write, the very path write(2) takes after copying
 * the user's bytes. */
#include "kernel/cmdline.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/proc_task.h"
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/setup.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/slab.h"
#include "tests/kernel/fs_test_helpers.h"
#include "tests/kernel/sched_test_helpers.h"

#define PATH_BUF 64
#define WHOLE_CHUNK 4096
#define ODD_CHUNK 7
#define LOGLEVEL_PATH "/proc/sys/oomlab/loglevel"

static char *proc_text(const char *path)
{
	long err;

	return read_whole(path, WHOLE_CHUNK, &err);
}

static bool has_line_starting(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');

		if (!strncmp(line, prefix, n))
			return true;
		line = end ? end + 1 : NULL;
	}
	return false;
}

static void meminfo_is_in_linux_format(struct kunit *test)
{
	char *text = proc_text("/proc/meminfo");

	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_EXPECT_EQ(test, strncmp(text, "MemTotal:", 9), 0);
	KUNIT_EXPECT_TRUE(test, has_line_starting(text, "MemFree:"));
	KUNIT_EXPECT_TRUE(test, has_line_starting(text, "MemAvailable:"));
	KUNIT_EXPECT_TRUE(test, has_line_starting(text, "Cached:"));
	/* "MemTotal:" padded to 16, the number in 8, then " kB". */
	KUNIT_EXPECT_EQ(test, strchr(text, '\n') - text, 27);
	KUNIT_EXPECT_EQ(test, strncmp(text + 24, " kB\n", 4), 0);
	kfree(text);
}

/* Each label at the start of a line, in the order given. */
static bool lines_in_order(const char *text, const char *const labels[], size_t n)
{
	const char *at = text;

	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(labels[i]);

		while (at && strncmp(at, labels[i], len) != 0) {
			at = strchr(at, '\n');
			at = at ? at + 1 : NULL;
		}
		if (!at)
			return false;
	}
	return true;
}

/* Linux's fs/proc/meminfo.c order, as far as this kernel keeps them. */
static void meminfo_lines_follow_linux_order(struct kunit *test)
{
	static const char *const labels[] = {
		"MemTotal:",	 "MemFree:",	    "MemAvailable:", "Buffers:",
		"Cached:",	 "SwapCached:",	    "Active:",	     "Inactive:",
		"Active(anon):", "Inactive(anon):", "Active(file):", "Inactive(file):",
		"Unevictable:",	 "Mlocked:",	    "SwapTotal:",    "SwapFree:",
		"Dirty:",	 "Writeback:",	    "AnonPages:",    "Mapped:",
		"Shmem:",	 "KReclaimable:",   "Slab:",	     "SReclaimable:",
		"SUnreclaim:",	 "KernelStack:",    "PageTables:",
	};
	char *text = proc_text("/proc/meminfo");

	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_EXPECT_TRUE(test, lines_in_order(text, labels, sizeof(labels) / sizeof(labels[0])));
	kfree(text);
}

/* Linux's vmstat names for the LRU and mapped-page counters, in its order. */
static void vmstat_has_linux_mapped_page_counters_in_order(struct kunit *test)
{
	static const char *const names[] = {
		"nr_free_pages ",
		"nr_zone_inactive_anon ",
		"nr_zone_active_anon ",
		"nr_mlock ",
		"nr_inactive_anon ",
		"nr_active_anon ",
		"nr_inactive_file ",
		"nr_active_file ",
		"nr_unevictable ",
		"nr_anon_pages ",
		"nr_mapped ",
		"nr_file_pages ",
		"nr_shmem ",
		"nr_kernel_stack ",
		"nr_page_table_pages ",
	};
	char *text = proc_text("/proc/vmstat");

	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_EXPECT_TRUE(test, lines_in_order(text, names, sizeof(names) / sizeof(names[0])));
	kfree(text);
}

static void memory_views_are_all_there(struct kunit *test)
{
	static const char *const files[] = {"/proc/buddyinfo", "/proc/zoneinfo", "/proc/vmstat",
					    "/proc/slabinfo"};
	static const char *const first_words[] = {"Node 0, zone", "Node 0, zone", "nr_free_pages",
						  "slabinfo - version: 2.1"};

	for (unsigned int i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *text = proc_text(files[i]);

		KUNIT_EXPECT_NOT_NULL(test, text);
		if (text)
			KUNIT_EXPECT_EQ(test, strncmp(text, first_words[i], strlen(first_words[i])),
					0);
		kfree(text);
	}
	{
		char *text = proc_text("/proc/vmstat");

		KUNIT_EXPECT_TRUE(test, text && strstr(text, "\nnr_file_pages "));
		kfree(text);
	}
}

static void odd_sized_reads_give_the_same_text(struct kunit *test)
{
	long err;
	char *whole = read_whole("/proc/zoneinfo", WHOLE_CHUNK, &err);
	char *bits = read_whole("/proc/zoneinfo", ODD_CHUNK, &err);

	KUNIT_ASSERT_TRUE(test, whole && bits);
	KUNIT_EXPECT_STREQ(test, whole, bits);
	kfree(whole);
	kfree(bits);
}

static void dmesg_holds_the_log_one_record_a_line(struct kunit *test)
{
	char *text;

	pr_info("procfs_test: marker 4a7c");
	text = proc_text("/proc/dmesg");
	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_EXPECT_TRUE(test, strstr(text, "] procfs_test: marker 4a7c\n") != NULL);
	KUNIT_EXPECT_EQ(test, text[0], '[');
	kfree(text);
}

struct listing {
	struct dir_context ctx;
	bool meminfo, self, sys, my_pid, init;
	int my_pid_nr;
};

static bool note_entry(struct dir_context *ctx, const char *name, size_t len, loff_t pos,
		       unsigned long ino, unsigned int d_type)
{
	struct listing *l = container_of(ctx, struct listing, ctx);
	char buf[16];

	snprintf(buf, sizeof(buf), "%d", l->my_pid_nr);
	l->meminfo |= len == 7 && !memcmp(name, "meminfo", 7) && d_type == DT_REG;
	l->self |= len == 4 && !memcmp(name, "self", 4) && d_type == DT_LNK;
	l->sys |= len == 3 && !memcmp(name, "sys", 3) && d_type == DT_DIR;
	l->init |= len == 1 && name[0] == '1' && d_type == DT_DIR;
	l->my_pid |= len == strlen(buf) && !memcmp(name, buf, len);
	return true;
}

static void root_lists_files_and_processes(struct kunit *test)
{
	struct listing l = {.ctx.actor = note_entry, .my_pid_nr = current->pid};
	struct file *f = filp_open("/proc", O_RDONLY | O_DIRECTORY);

	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_EXPECT_EQ(test, iterate_dir(f, &l.ctx), 0);
	KUNIT_EXPECT_TRUE(test, l.meminfo && l.self && l.sys);
	KUNIT_EXPECT_TRUE(test, l.init);
	KUNIT_EXPECT_TRUE(test, l.my_pid);
	fput(f);
}

static void self_status_names_the_reader(struct kunit *test)
{
	char *status = proc_text("/proc/self/status"), want[PATH_BUF], *comm;

	KUNIT_ASSERT_NOT_NULL(test, status);
	snprintf(want, sizeof(want), "Name:\t%s\n", current->comm);
	KUNIT_EXPECT_EQ(test, strncmp(status, want, strlen(want)), 0);
	snprintf(want, sizeof(want), "\nPid:\t%d\n", current->pid);
	KUNIT_EXPECT_TRUE(test, strstr(status, want) != NULL);
	KUNIT_EXPECT_TRUE(test, strstr(status, "\nState:\tR (running)\n") != NULL);
	/* A kernel thread has no memory lines, as in Linux. */
	KUNIT_EXPECT_TRUE(test, strstr(status, "VmSize:") == NULL);
	KUNIT_EXPECT_TRUE(test, strstr(status, "\nKthread:\t1\n") != NULL);
	kfree(status);
	comm = proc_text("/proc/1/comm");
	KUNIT_ASSERT_NOT_NULL(test, comm);
	KUNIT_EXPECT_STREQ(test, comm, "init\n");
	kfree(comm);
}

static void stat_and_maps_follow_linux(struct kunit *test)
{
	char *stat = proc_text("/proc/self/stat"), *maps = proc_text("/proc/self/maps");
	char want[PATH_BUF];
	int fields = 0;

	KUNIT_ASSERT_TRUE(test, stat && maps);
	snprintf(want, sizeof(want), "%d (%s) R ", current->pid, current->comm);
	KUNIT_EXPECT_EQ(test, strncmp(stat, want, strlen(want)), 0);
	for (const char *c = stat; *c; c++)
		fields += *c == ' ';
	KUNIT_EXPECT_EQ(test, fields + 1, 52);
	KUNIT_EXPECT_STREQ(test, maps, ""); /* a kernel thread maps nothing */
	kfree(stat);
	kfree(maps);
}

static void lookups_of_what_is_not_there_fail(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, PTR_ERR(filp_open("/proc/nonexistent", O_RDONLY)), -ENOENT);
	KUNIT_EXPECT_EQ(test, PTR_ERR(filp_open("/proc/99999/status", O_RDONLY)), -ENOENT);
	KUNIT_EXPECT_EQ(test, PTR_ERR(filp_open("/proc/01/status", O_RDONLY)), -ENOENT);
	KUNIT_EXPECT_EQ(test, PTR_ERR(filp_open("/proc/self/bogus", O_RDONLY)), -ENOENT);
	KUNIT_EXPECT_EQ(test, PTR_ERR(filp_open("/proc/meminfo", O_WRONLY)), -EACCES);
	KUNIT_EXPECT_EQ(test, PTR_ERR(filp_open("/proc/self/status", O_RDWR)), -EACCES);
}

static int quit_at_once(void *unused)
{
	return 0;
}

/* Files stay open after their process exits; reading them then is ESRCH. */
static void a_process_that_exits_leaves_esrch_behind(struct kunit *test)
{
	struct task_struct *t = test_thread_run(quit_at_once, NULL, "procfs_quitter");
	char path[PATH_BUF], buf[16];
	struct file *f;
	int pid;

	KUNIT_ASSERT_NOT_NULL(test, t);
	pid = t->pid;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = filp_open(path, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, test_thread_join(t, TEST_WAIT_TIMEOUT_MS, NULL));
	/* The task is freed by whoever runs after it: give it the CPU. */
	for (int i = 0; i < 100 && find_task_by_pid(pid); i++)
		yield();
	if (!IS_ERR(f)) {
		KUNIT_EXPECT_EQ(test, kernel_read(f, buf, sizeof(buf), &f->f_pos), -ESRCH);
		fput(f);
	}
	snprintf(path, sizeof(path), "/proc/%d", pid);
	KUNIT_EXPECT_EQ(test, PTR_ERR(filp_open(path, O_RDONLY)), -ENOENT);
}

/* As Linux's oom_score_adj_write: every malformed value is refused with
 * Linux's errno and the old value kept; white space around a number and
 * a base prefix are accepted, as they are there. */
static void oom_score_adj_rejects_malformed_values(struct kunit *test)
{
	static const char *const bad[] = {"1001", "-1001", "abc", "", "12abc", "1 2", "--5", "0x"};
	static const char *const too_big[] = {"99999999999999999999", "2147483648", "-2147483649"};
	static const char *const good[] = {"-1000", "0",  "1000", "17\n", "-3",
					   " 5",    "5 ", "0x10", "1\n\n"};
	static const int good_value[] = {-1000, 0, 1000, 17, -3, 5, 5, 16, 1};
	int saved = current->oom_score_adj;
	char *text;

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		current->oom_score_adj = 123;
		KUNIT_EXPECT_EQ(test, write_string("/proc/self/oom_score_adj", bad[i]), -EINVAL);
		KUNIT_EXPECT_EQ(test, current->oom_score_adj, 123);
	}
	for (unsigned int i = 0; i < sizeof(too_big) / sizeof(too_big[0]); i++) {
		current->oom_score_adj = 123;
		KUNIT_EXPECT_EQ(test, write_string("/proc/self/oom_score_adj", too_big[i]),
				-ERANGE);
		KUNIT_EXPECT_EQ(test, current->oom_score_adj, 123);
	}
	for (unsigned int i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		KUNIT_EXPECT_EQ(test, write_string("/proc/self/oom_score_adj", good[i]),
				(long)strlen(good[i]));
		KUNIT_EXPECT_EQ(test, current->oom_score_adj, good_value[i]);
	}
	KUNIT_EXPECT_EQ(test, write_string("/proc/self/oom_score_adj", "-3"), 2);
	text = proc_text("/proc/self/oom_score_adj");
	KUNIT_EXPECT_TRUE(test, text && !strcmp(text, "-3\n"));
	kfree(text);
	text = proc_text("/proc/self/oom_score");
	KUNIT_EXPECT_TRUE(test, text && !strcmp(text, "0\n"));
	kfree(text);
	current->oom_score_adj = saved;
}

/* Linux reads at most PROC_NUMBUF - 1 bytes of a write and says so in
 * the count it returns: the rest is never looked at. */
static void oom_score_adj_reads_one_number_buffer(struct kunit *test)
{
	int saved = current->oom_score_adj;

	KUNIT_EXPECT_EQ(test, write_string("/proc/self/oom_score_adj", "7           garbage"),
			PROC_NUMBUF - 1);
	KUNIT_EXPECT_EQ(test, current->oom_score_adj, 7);
	KUNIT_EXPECT_EQ(test, write_string("/proc/self/oom_score_adj", "7          garbage"),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, current->oom_score_adj, 7);
	current->oom_score_adj = saved;
}

static void oom_score_adj_parser_alone(struct kunit *test)
{
	int v = 7;

	KUNIT_EXPECT_EQ(test, oom_score_adj_parse("1001", &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, oom_score_adj_parse("-1001", &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, oom_score_adj_parse("abc", &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, oom_score_adj_parse("", &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, oom_score_adj_parse("12abc", &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, oom_score_adj_parse("99999999999", &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, v, 7);
	KUNIT_EXPECT_EQ(test, oom_score_adj_parse("-1000", &v), 0);
	KUNIT_EXPECT_EQ(test, v, -1000);
	KUNIT_EXPECT_EQ(test, oom_score_adj_parse("1000", &v), 0);
	KUNIT_EXPECT_EQ(test, v, 1000);
	KUNIT_EXPECT_EQ(test, oom_score_adj_parse("0", &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0);
	KUNIT_EXPECT_EQ(test, oom_score_adj_parse(" -5 \n", &v), 0);
	KUNIT_EXPECT_EQ(test, v, -5);
	KUNIT_EXPECT_EQ(test, oom_score_adj_parse("0x10", &v), 0);
	KUNIT_EXPECT_EQ(test, v, 16);
}

/* loglevel: an integer switch in 0..8; every value the command line
 * refuses, the file refuses, and the switch keeps its value. */
static void sysctl_switch_round_trips(struct kunit *test)
{
	long saved = console_loglevel;
	char *text;

	KUNIT_EXPECT_EQ(test, write_string(LOGLEVEL_PATH, "5\n"), 2);
	KUNIT_EXPECT_EQ(test, console_loglevel, 5);
	text = proc_text(LOGLEVEL_PATH);
	KUNIT_EXPECT_TRUE(test, text && !strcmp(text, "5\n"));
	kfree(text);
	KUNIT_EXPECT_EQ(test, write_string(LOGLEVEL_PATH, "9"), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_string(LOGLEVEL_PATH, "abc"), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_string(LOGLEVEL_PATH, ""), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_string(LOGLEVEL_PATH, "4 ktest=x"), -EINVAL);
	KUNIT_EXPECT_EQ(test, write_string(LOGLEVEL_PATH, "\"6\""), -EINVAL);
	KUNIT_EXPECT_EQ(test, console_loglevel, 5);
	console_loglevel = saved;
}

/* Every registered switch has its file, and it reads as the monitor
 * would print the value. */
static void every_switch_has_a_file(struct kunit *test)
{
	char path[PATH_BUF + 64], value[80];
	int n = 0;

	for (const struct kernel_param *p = kparams_begin(); p < kparams_end(); p++) {
		char *text;

		snprintf(path, sizeof(path), "/proc/sys/oomlab/%s", p->name);
		text = proc_text(path);
		kparam_format_value(p, value, sizeof(value));
		KUNIT_EXPECT_NOT_NULL(test, text);
		if (text) {
			KUNIT_EXPECT_EQ(test, strncmp(text, value, strlen(value)), 0);
			KUNIT_EXPECT_EQ(test, text[strlen(value)], '\n');
		}
		kfree(text);
		n++;
	}
	KUNIT_EXPECT_GT(test, n, 0);
}

static struct kunit_case procfs_cases[] = {
	KUNIT_CASE(meminfo_is_in_linux_format),
	KUNIT_CASE(meminfo_lines_follow_linux_order),
	KUNIT_CASE(vmstat_has_linux_mapped_page_counters_in_order),
	KUNIT_CASE(memory_views_are_all_there),
	KUNIT_CASE(odd_sized_reads_give_the_same_text),
	KUNIT_CASE(dmesg_holds_the_log_one_record_a_line),
	KUNIT_CASE(root_lists_files_and_processes),
	KUNIT_CASE(self_status_names_the_reader),
	KUNIT_CASE(stat_and_maps_follow_linux),
	KUNIT_CASE(lookups_of_what_is_not_there_fail),
	KUNIT_CASE(a_process_that_exits_leaves_esrch_behind),
	KUNIT_CASE(oom_score_adj_rejects_malformed_values),
	KUNIT_CASE(oom_score_adj_reads_one_number_buffer),
	KUNIT_CASE(oom_score_adj_parser_alone),
	KUNIT_CASE(sysctl_switch_round_trips),
	KUNIT_CASE(every_switch_has_a_file),
	{},
};

static struct kunit_suite procfs_suite = {
	.name = "procfs",
	.test_cases = procfs_cases,
};
kunit_test_suite(procfs_suite);
