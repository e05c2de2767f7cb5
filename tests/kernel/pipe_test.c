/* Pipes as a specification: bytes come out in order, a reader waits for a
 * writer and a writer for room, end of file once every writer is gone,
 * EPIPE and SIGPIPE once every reader is, O_NONBLOCK's EAGAIN, PIPE_BUF
 * atomicity, and a signal ending a blocked read. Read first: blocking is
 * observed from the test thread by waiting for a helper thread to sleep. */
#include "kernel/fs/fs.h"
#include "kernel/fs/pipe_fs.h"
#include "kernel/ktest.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "mm/slab.h"
#include "tests/kernel/sched_test_helpers.h"

#define BIG_TRANSFER (3 * PIPE_SIZE + 100)
#define O_DIRECT 00040000 /* a flag pipe2 does not take */

struct pipe_pair {
	struct file *r, *w;
};

static bool make_pipe(struct pipe_pair *p, int flags)
{
	struct file *files[2] = {0};

	if (create_pipe_files(files, flags))
		return false;
	p->r = files[0];
	p->w = files[1];
	return true;
}

static void close_pipe(struct pipe_pair *p)
{
	fput(p->r);
	fput(p->w);
}

static long pwrite(struct file *f, const void *buf, size_t n)
{
	loff_t pos = 0;

	return kernel_write(f, buf, n, &pos);
}

static long pread(struct file *f, void *buf, size_t n)
{
	loff_t pos = 0;

	return kernel_read(f, buf, n, &pos);
}

static void bytes_come_out_in_order(struct kunit *test)
{
	struct pipe_pair p = {0};
	char buf[16] = {0};

	KUNIT_ASSERT_TRUE(test, make_pipe(&p, 0));
	KUNIT_EXPECT_EQ(test, pwrite(p.w, "hello ", 6), 6);
	KUNIT_EXPECT_EQ(test, pwrite(p.w, "pipe", 4), 4);
	KUNIT_EXPECT_EQ(test, pread(p.r, buf, 3), 3);
	KUNIT_EXPECT_EQ(test, pread(p.r, buf + 3, sizeof(buf) - 4), 7);
	KUNIT_EXPECT_STREQ(test, buf, "hello pipe");
	/* The ends are one-way. */
	KUNIT_EXPECT_EQ(test, pread(p.w, buf, 1), -EBADF);
	KUNIT_EXPECT_EQ(test, pwrite(p.r, "x", 1), -EBADF);
	KUNIT_EXPECT_EQ(test, vfs_llseek(p.r, 0, SEEK_SET), -ESPIPE);
	KUNIT_EXPECT_EQ(test, p.r->f_inode->i_mode & S_IFMT, S_IFIFO);
	close_pipe(&p);
}

static void nonblocking_ends_say_eagain(struct kunit *test)
{
	struct pipe_pair p = {0};
	char *page = kzalloc(PIPE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_TRUE(test, make_pipe(&p, O_NONBLOCK));
	KUNIT_EXPECT_EQ(test, pread(p.r, page, 1), -EAGAIN);
	KUNIT_EXPECT_EQ(test, pwrite(p.w, page, PIPE_SIZE - 10), PIPE_SIZE - 10);
	/* Up to PIPE_BUF bytes go in whole or not at all... */
	KUNIT_EXPECT_EQ(test, pwrite(p.w, page, 11), -EAGAIN);
	/* ...a bigger write takes what fits. */
	KUNIT_EXPECT_EQ(test, pwrite(p.w, page, PIPE_BUF + 1), 10);
	KUNIT_EXPECT_EQ(test, pwrite(p.w, page, 1), -EAGAIN);
	close_pipe(&p);
	kfree(page);
}

static void closed_write_end_reads_as_end_of_file(struct kunit *test)
{
	struct pipe_pair p = {0};
	char buf[8];

	KUNIT_ASSERT_TRUE(test, make_pipe(&p, 0));
	KUNIT_EXPECT_EQ(test, pwrite(p.w, "ab", 2), 2);
	fput(p.w);
	KUNIT_EXPECT_EQ(test, pread(p.r, buf, sizeof(buf)), 2);
	KUNIT_EXPECT_EQ(test, pread(p.r, buf, sizeof(buf)), 0);
	fput(p.r);
}

static void closed_read_end_gives_epipe_and_sigpipe(struct kunit *test)
{
	struct pipe_pair p = {0};

	KUNIT_ASSERT_TRUE(test, make_pipe(&p, 0));
	fput(p.r);
	allow_signal(SIGPIPE);
	KUNIT_EXPECT_EQ(test, pwrite(p.w, "x", 1), -EPIPE);
	KUNIT_EXPECT_TRUE(test, sigismember_pending(current, SIGPIPE));
	/* Leave no signal behind to end the test thread's next sleep. */
	__atomic_and_fetch(&current->pending_signals, ~sigmask(SIGPIPE), __ATOMIC_SEQ_CST);
	__atomic_and_fetch(&current->kthread_signals, ~sigmask(SIGPIPE), __ATOMIC_SEQ_CST);
	fput(p.w);
}

static void bad_flags_are_refused(struct kunit *test)
{
	struct file *files[2] = {0};

	KUNIT_EXPECT_EQ(test, create_pipe_files(files, O_DIRECT), -EINVAL);
	KUNIT_EXPECT_EQ(test, create_pipe_files(files, O_CLOEXEC), 0);
	fput(files[0]);
	fput(files[1]);
}

struct reader {
	struct file *r;
	char *buf;
	size_t want;
	long got;
	int sig; /* a signal the reader lets end its sleep */
};

static int reader_fn(void *arg)
{
	struct reader *rd = arg;

	if (rd->sig)
		allow_signal(rd->sig);
	rd->got = 0;
	while ((size_t)rd->got < rd->want) {
		long n = pread(rd->r, rd->buf + rd->got, rd->want - (size_t)rd->got);

		if (n <= 0) {
			if (rd->got == 0)
				rd->got = n;
			break;
		}
		rd->got += n;
	}
	return 0;
}

static void reader_sleeps_until_a_writer_writes(struct kunit *test)
{
	struct reader rd = {.want = 5};
	struct task_struct *t;
	struct pipe_pair p = {0};
	char buf[8] = {0};

	KUNIT_ASSERT_TRUE(test, make_pipe(&p, 0));
	rd.r = p.r;
	rd.buf = buf;
	t = test_thread_run(reader_fn, &rd, "pipe_reader");
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(t, TASK_INTERRUPTIBLE, TEST_WAIT_TIMEOUT_MS));
	KUNIT_EXPECT_EQ(test, pwrite(p.w, "12345", 5), 5);
	KUNIT_ASSERT_TRUE(test, test_thread_join(t, TEST_WAIT_TIMEOUT_MS, NULL));
	KUNIT_EXPECT_EQ(test, rd.got, 5);
	KUNIT_EXPECT_STREQ(test, buf, "12345");
	close_pipe(&p);
}

/* More than the ring holds: the writer must sleep for room, the reader
 * must get every byte in order. */
static void big_write_waits_for_room_and_arrives_whole(struct kunit *test)
{
	char *src = kmalloc(BIG_TRANSFER, GFP_KERNEL), *dst = kzalloc(BIG_TRANSFER, GFP_KERNEL);
	struct reader rd = {.want = BIG_TRANSFER};
	struct task_struct *t;
	struct pipe_pair p = {0};

	KUNIT_ASSERT_TRUE(test, src && dst);
	for (size_t i = 0; i < BIG_TRANSFER; i++)
		src[i] = (char)(i * 13 + i / 4096);
	KUNIT_ASSERT_TRUE(test, make_pipe(&p, 0));
	rd.r = p.r;
	rd.buf = dst;
	t = test_thread_run(reader_fn, &rd, "pipe_reader");
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, pwrite(p.w, src, BIG_TRANSFER), BIG_TRANSFER);
	KUNIT_ASSERT_TRUE(test, test_thread_join(t, TEST_WAIT_TIMEOUT_MS, NULL));
	KUNIT_EXPECT_EQ(test, rd.got, BIG_TRANSFER);
	KUNIT_EXPECT_EQ(test, memcmp(src, dst, BIG_TRANSFER), 0);
	close_pipe(&p);
	kfree(src);
	kfree(dst);
}

struct writer {
	struct file *w;
	const char *buf;
	size_t n;
	long ret;
};

static int writer_fn(void *arg)
{
	struct writer *wr = arg;

	wr->ret = pwrite(wr->w, wr->buf, wr->n);
	return 0;
}

/* A full ring: a PIPE_BUF write waits until all of it fits, then lands
 * in one piece. */
static void atomic_write_waits_for_all_its_room(struct kunit *test)
{
	char *fill = kzalloc(PIPE_SIZE, GFP_KERNEL), *atom = kmalloc(PIPE_BUF, GFP_KERNEL);
	struct writer wr = {.n = PIPE_BUF};
	struct task_struct *t;
	struct pipe_pair p = {0};

	KUNIT_ASSERT_TRUE(test, fill && atom);
	memset(atom, 'A', PIPE_BUF);
	KUNIT_ASSERT_TRUE(test, make_pipe(&p, 0));
	KUNIT_EXPECT_EQ(test, pwrite(p.w, fill, PIPE_SIZE), PIPE_SIZE);
	wr.w = p.w;
	wr.buf = atom;
	t = test_thread_run(writer_fn, &wr, "pipe_writer");
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(t, TASK_INTERRUPTIBLE, TEST_WAIT_TIMEOUT_MS));
	/* Half the room is not enough: it keeps sleeping. */
	KUNIT_EXPECT_EQ(test, pread(p.r, fill, PIPE_SIZE / 2), PIPE_SIZE / 2);
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(t, TASK_INTERRUPTIBLE, TEST_WAIT_TIMEOUT_MS));
	KUNIT_EXPECT_EQ(test, pread(p.r, fill, PIPE_SIZE / 2), PIPE_SIZE / 2);
	KUNIT_ASSERT_TRUE(test, test_thread_join(t, TEST_WAIT_TIMEOUT_MS, NULL));
	KUNIT_EXPECT_EQ(test, wr.ret, PIPE_BUF);
	KUNIT_EXPECT_EQ(test, pread(p.r, fill, PIPE_SIZE), PIPE_BUF);
	KUNIT_EXPECT_EQ(test, memcmp(fill, atom, PIPE_BUF), 0);
	close_pipe(&p);
	kfree(fill);
	kfree(atom);
}

static void signal_ends_a_blocked_read(struct kunit *test)
{
	struct reader rd = {.want = 1, .sig = SIGUSR1};
	struct task_struct *t;
	struct pipe_pair p = {0};
	char c;

	KUNIT_ASSERT_TRUE(test, make_pipe(&p, 0));
	rd.r = p.r;
	rd.buf = &c;
	t = test_thread_run(reader_fn, &rd, "pipe_reader");
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_TRUE(test, wait_for_task_state(t, TASK_INTERRUPTIBLE, TEST_WAIT_TIMEOUT_MS));
	send_sig(SIGUSR1, t);
	KUNIT_ASSERT_TRUE(test, test_thread_join(t, TEST_WAIT_TIMEOUT_MS, NULL));
	KUNIT_EXPECT_EQ(test, rd.got, -EINTR);
	close_pipe(&p);
}

static struct kunit_case pipe_cases[] = {
	KUNIT_CASE(bytes_come_out_in_order),
	KUNIT_CASE(nonblocking_ends_say_eagain),
	KUNIT_CASE(closed_write_end_reads_as_end_of_file),
	KUNIT_CASE(closed_read_end_gives_epipe_and_sigpipe),
	KUNIT_CASE(bad_flags_are_refused),
	KUNIT_CASE(reader_sleeps_until_a_writer_writes),
	KUNIT_CASE(big_write_waits_for_room_and_arrives_whole),
	KUNIT_CASE(atomic_write_waits_for_all_its_room),
	KUNIT_CASE(signal_ends_a_blocked_read),
	{},
};

static struct kunit_suite pipe_suite = {
	.name = "pipe",
	.test_cases = pipe_cases,
};
kunit_test_suite(pipe_suite);
