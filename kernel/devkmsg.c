/* /dev/kmsg (char 1:11), Linux's structured view of the kernel log: each
 * read returns one record as "level,seq,usec,-;text\n", a write logs a line.
 * Read first: the file position is the record's sequence number and no step
 * allocates, so a lab can follow the log while the allocator is stuck. */
#include "kernel/devkmsg.h"
#include "kernel/errno.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/fs/uio.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/vsprintf.h"

#define KMSG_MINOR 11
#define KMSG_TEXT_MAX 400
#define KMSG_LINE_MAX (KMSG_TEXT_MAX + 64)
#define KMSG_POLL_JIFFIES 1 /* a reader sees a record within a tick */
#define SEEK_SET 0
#define SEEK_END 2

/* As Linux's devkmsg_read: one whole record per read, -EINVAL when the
 * buffer is too small for it, and a blocking reader waits for the next. */
static ssize_t devkmsg_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	char text[KMSG_TEXT_MAX], line[KMSG_LINE_MAX];
	unsigned long seq = (unsigned long)*pos;
	uint64_t ts;
	int level, n;

	while (printk_get_raw(&seq, &ts, &level, text, sizeof(text)) < 0) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		/* A poll, not a wait queue: printk may run with interrupts off. */
		schedule_timeout_interruptible(KMSG_POLL_JIFFIES);
		if (signal_pending(current))
			return -EINTR;
	}
	n = snprintf(line, sizeof(line), "%d,%lu,%lu,-;%s\n", level, seq,
		     (unsigned long)(ts / NSEC_PER_USEC), text);
	if ((size_t)n > iov_iter_count(to))
		return -EINVAL;
	if (copy_to_iter(line, (size_t)n, to) != (size_t)n)
		return -EFAULT;
	*pos = (loff_t)(seq + 1);
	return n;
}

/* "<N>text" logs text at level N (0-7); without a prefix at Linux's
 * default level, 4. One record per write, cut at the ring's line size. */
static ssize_t devkmsg_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	char text[KMSG_TEXT_MAX];
	size_t want = iov_iter_count(from), n = want < sizeof(text) - 1 ? want : sizeof(text) - 1;
	const char *s = text;
	int level = LOGLEVEL_DEFAULT;

	if (copy_from_iter(text, n, from) != n)
		return -EFAULT;
	from->count = 0;
	text[n] = '\0';
	while (n && text[n - 1] == '\n')
		text[--n] = '\0';
	if (s[0] == '<' && s[1] >= '0' && s[1] <= '7' && s[2] == '>') {
		level = s[1] - '0';
		s += 3;
	}
	printk("\001%c%s", '0' + level, s);
	return (ssize_t)want;
}

/* SEEK_SET 0: the oldest record kept; SEEK_END: only records to come. */
static loff_t devkmsg_llseek(struct file *file, loff_t offset, int whence)
{
	if (offset)
		return -ESPIPE;
	if (whence == SEEK_SET)
		file->f_pos = 0;
	else if (whence == SEEK_END)
		file->f_pos = (loff_t)printk_next_seq();
	else
		return -EINVAL;
	return 0;
}

static const struct file_operations devkmsg_fops = {
	.llseek = devkmsg_llseek,
	.read_iter = devkmsg_read,
	.write_iter = devkmsg_write,
};

void devkmsg_init(void)
{
	register_chrdev(MKDEV(MEM_MAJOR, KMSG_MINOR), "kmsg", &devkmsg_fops);
}

dev_t devkmsg_dev(void)
{
	return MKDEV(MEM_MAJOR, KMSG_MINOR);
}
