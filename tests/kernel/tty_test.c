/* The console's line discipline as a specification: whole lines only,
 * backspace and Ctrl-U editing, Ctrl-D's push and end of file, reads
 * shorter than the line, and Ctrl-C's SIGINT to the foreground process.
 * Read first: characters are fed as the serial interrupt would, with
 * interrupts off and echo off (so no stray text lands in the KTAP). */
#include "kernel/err.h"
#include "kernel/fs/fs.h"
#include "kernel/ktest.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "kernel/tty/tty.h"
#include "kernel/x86.h"
#include "mm/slab.h"
#include "tests/kernel/sched_test_helpers.h"

#define BUF 64
#define SIGNAL_WAIT_TICKS (10 * HZ)

static void type(const char *s)
{
	uint64_t flags = local_irq_save();

	for (; *s; s++)
		n_tty_receive_char(*s);
	local_irq_restore(flags);
}

static int tty_test_init(struct kunit *test)
{
	n_tty_set_echo(false);
	n_tty_flush();
	return 0;
}

static void tty_test_exit(struct kunit *test)
{
	n_tty_flush();
	n_tty_set_echo(true);
}

static long read_str(char *buf, size_t size)
{
	long n = n_tty_read(buf, size);

	buf[n > 0 ? n : 0] = '\0';
	return n;
}

static void a_line_is_read_whole_with_its_newline(struct kunit *test)
{
	char buf[BUF];

	type("echo hi\r");
	KUNIT_EXPECT_EQ(test, read_str(buf, sizeof(buf) - 1), 8);
	KUNIT_EXPECT_STREQ(test, buf, "echo hi\n");
	type("one\ntwo\r");
	KUNIT_EXPECT_EQ(test, read_str(buf, sizeof(buf) - 1), 4);
	KUNIT_EXPECT_STREQ(test, buf, "one\n");
	KUNIT_EXPECT_EQ(test, read_str(buf, sizeof(buf) - 1), 4);
	KUNIT_EXPECT_STREQ(test, buf, "two\n");
}

static void backspace_and_ctrl_u_edit_the_line(struct kunit *test)
{
	char buf[BUF];

	type("cat\x7f\x7fp\b\bls\r");
	KUNIT_EXPECT_EQ(test, read_str(buf, sizeof(buf) - 1), 3);
	KUNIT_EXPECT_STREQ(test, buf, "ls\n");
	type("rm -rf /\x15ps\r");
	KUNIT_EXPECT_EQ(test, read_str(buf, sizeof(buf) - 1), 3);
	KUNIT_EXPECT_STREQ(test, buf, "ps\n");
	/* Backspace on an empty line does nothing; controls are not input. */
	type("\x7f\x01x\r");
	KUNIT_EXPECT_EQ(test, read_str(buf, sizeof(buf) - 1), 2);
	KUNIT_EXPECT_STREQ(test, buf, "x\n");
}

static void ctrl_d_pushes_the_line_or_ends_the_file(struct kunit *test)
{
	char buf[BUF];

	type("abc\x04");
	KUNIT_EXPECT_EQ(test, read_str(buf, sizeof(buf) - 1), 3);
	KUNIT_EXPECT_STREQ(test, buf, "abc");
	type("\x04");
	KUNIT_EXPECT_EQ(test, read_str(buf, sizeof(buf) - 1), 0);
}

static void a_short_read_leaves_the_rest_of_the_line(struct kunit *test)
{
	char buf[BUF];

	type("abcdef\r");
	KUNIT_EXPECT_EQ(test, read_str(buf, 4), 4);
	KUNIT_EXPECT_STREQ(test, buf, "abcd");
	KUNIT_EXPECT_EQ(test, read_str(buf, 2), 2);
	KUNIT_EXPECT_STREQ(test, buf, "ef");
	KUNIT_EXPECT_EQ(test, read_str(buf, 2), 1);
	KUNIT_EXPECT_STREQ(test, buf, "\n");
}

/* 1 when SIGINT came within about ten seconds. */
static int wait_for_signal(void *unused)
{
	allow_signal(SIGINT);
	for (int i = 0; i < SIGNAL_WAIT_TICKS && !sigismember_pending(current, SIGINT); i++)
		schedule_timeout_interruptible(1);
	return sigismember_pending(current, SIGINT);
}

static void ctrl_c_signals_the_foreground_and_drops_the_line(struct kunit *test)
{
	int saved = console_foreground(), got = 0;
	struct task_struct *t = test_thread_run(wait_for_signal, NULL, "tty_fg");
	char buf[BUF];

	KUNIT_ASSERT_NOT_NULL(test, t);
	/* Asleep means it has allowed SIGINT (kernel threads drop the rest). */
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(t, TASK_INTERRUPTIBLE, TEST_WAIT_TIMEOUT_MS));
	console_set_foreground(t->pid);
	type("sleep 100\x03");
	KUNIT_EXPECT_TRUE(test, test_thread_join(t, TEST_WAIT_TIMEOUT_MS, &got));
	KUNIT_EXPECT_EQ(test, got, 1);
	console_set_foreground(saved);
	/* The interrupted line never reaches a reader. */
	type("ok\r");
	KUNIT_EXPECT_EQ(test, read_str(buf, sizeof(buf) - 1), 3);
	KUNIT_EXPECT_STREQ(test, buf, "ok\n");
}

#define LONG_WRITE (64u << 10)
#define BLANK_LINE 64	   /* the long write is blank lines: nothing in the KTAP */
#define ONE_CHUNK_MAX 4096 /* what "a chunk" may be at most */

struct long_write {
	char *buf;
	ssize_t written;
};

/* A write that starts with SIGKILL already pending, as one the OOM killer
 * picks while it writes. */
static int write_while_killed(void *arg)
{
	struct long_write *w = arg;
	struct kernel_siginfo info;
	struct file *f = filp_open("/dev/console", O_WRONLY);

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	send_sig(SIGKILL, current);
	w->written = kernel_write(f, w->buf, LONG_WRITE, &f->f_pos);
	while (dequeue_signal(current, &info))
		;
	fput(f);
	return 0;
}

/* Issue 16, defect 2: a 4 MiB console write went on for 16 s after its
 * SIGKILL. As Linux's tty_write, a fatal signal ends it after the chunk
 * in hand, with the count written so far. */
static void a_console_write_stops_at_a_fatal_signal(struct kunit *test)
{
	struct long_write w = {.buf = kmalloc(LONG_WRITE, GFP_KERNEL)};
	struct task_struct *t;
	int err = -1;

	KUNIT_ASSERT_NOT_NULL(test, w.buf);
	for (unsigned int i = 0; i < LONG_WRITE; i++)
		w.buf[i] = i % BLANK_LINE == BLANK_LINE - 1 ? '\n' : ' ';
	t = test_thread_run(write_while_killed, &w, "tty_kill");
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_TRUE(test, test_thread_join(t, TEST_WAIT_TIMEOUT_MS, &err));
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_GT(test, w.written, 0);
	KUNIT_EXPECT_LE(test, w.written, ONE_CHUNK_MAX);
	kfree(w.buf);
}

static struct kunit_case tty_cases[] = {
	KUNIT_CASE(a_line_is_read_whole_with_its_newline),
	KUNIT_CASE(backspace_and_ctrl_u_edit_the_line),
	KUNIT_CASE(ctrl_d_pushes_the_line_or_ends_the_file),
	KUNIT_CASE(a_short_read_leaves_the_rest_of_the_line),
	KUNIT_CASE(ctrl_c_signals_the_foreground_and_drops_the_line),
	KUNIT_CASE(a_console_write_stops_at_a_fatal_signal),
	{},
};

static struct kunit_suite tty_suite = {
	.name = "tty",
	.test_cases = tty_cases,
	.init = tty_test_init,
	.exit = tty_test_exit,
};
kunit_test_suite(tty_suite);
