/* /dev/console as a file: reads through the line discipline, writes to
 * the serial console, and the few terminal ioctls a shell uses (Linux's
 * drivers/tty/tty_io.c in miniature). Read first: the foreground process
 * is simply the last user process to read the console, unless a shell
 * names one with TIOCSPGRP (tcsetpgrp); Ctrl-C signals it and every user
 * process below it, as a process group under a shell without job control. */
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/tty/tty.h"
#include <stdint.h>

#define TTY_CHUNK 256 /* bytes moved per copy to or from the user */
#define CONSOLE_ROWS 24
#define CONSOLE_COLS 80

/* Terminal ioctls, x86_64 numbers. */
#define TCGETS 0x5401
#define TIOCGPGRP 0x540f
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413

/* termios bits for TCGETS: canonical mode with echo, signals, \n -> \r\n. */
#define ICRNL 0000400
#define OPOST 0000001
#define ONLCR 0000004
#define B115200 0010002
#define CS8 0000060
#define CREAD 0000200
#define ISIG 0000001
#define ICANON 0000002
#define ECHO 0000010
#define ECHOE 0000020
#define ECHOK 0000040
#define NCCS 19
#define VINTR 0
#define VERASE 2
#define VKILL 3
#define VEOF 4

struct termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
};

struct winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* A user process reading the console is, by this convention, in front. */
static void note_reader(void)
{
	if (current && current->mm)
		console_set_foreground(current->pid);
}

static ssize_t tty_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	char buf[TTY_CHUNK];
	size_t want = iov_iter_count(to) < sizeof(buf) ? iov_iter_count(to) : sizeof(buf);
	long n;

	note_reader();
	n = n_tty_read(buf, want);
	if (n <= 0)
		return n;
	/* A line longer than the chunk is read on by the next call. */
	return copy_to_iter(buf, (size_t)n, to) == (size_t)n ? n : -EFAULT;
}

/* As Linux's iterate_tty_write: a chunk at a time, and between chunks a
 * fatal signal ends the write with what went out so far, so a SIGKILL
 * (the OOM killer's too) never waits for megabytes at serial speed. A bad
 * address ends it at the first byte that cannot be read. */
static ssize_t tty_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	char buf[TTY_CHUNK];
	ssize_t written = 0;

	while (iov_iter_count(from)) {
		size_t want =
			iov_iter_count(from) < sizeof(buf) ? iov_iter_count(from) : sizeof(buf);
		size_t got = copy_from_iter(buf, want, from);

		console_write(buf, got);
		written += (ssize_t)got;
		if (got < want)
			return written ? written : -EFAULT;
		if (iov_iter_count(from) && fatal_signal_pending(current))
			break;
	}
	return written;
}

static long put_user_bytes(unsigned long uaddr, const void *v, size_t n)
{
	return copy_to_user((void __user *)uaddr, v, n) ? -EFAULT : 0;
}

static long tty_tcgets(unsigned long arg)
{
	struct termios t = {
		.c_iflag = ICRNL,
		.c_oflag = OPOST | ONLCR,
		.c_cflag = B115200 | CS8 | CREAD,
		.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK,
	};

	t.c_cc[VINTR] = CHAR_CTRL_C;
	t.c_cc[VERASE] = CHAR_DELETE;
	t.c_cc[VKILL] = CHAR_CTRL_U;
	t.c_cc[VEOF] = CHAR_CTRL_D;
	return put_user_bytes(arg, &t, sizeof(t));
}

static long tty_tiocspgrp(unsigned long arg)
{
	int pid;

	if (copy_from_user(&pid, (const void __user *)arg, sizeof(pid)))
		return -EFAULT;
	if (pid <= 0 || !find_task_by_pid(pid))
		return pid < 0 ? -EINVAL : -EPERM;
	console_set_foreground(pid);
	return 0;
}

long tty_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	int pid;
	struct winsize ws = {.ws_row = CONSOLE_ROWS, .ws_col = CONSOLE_COLS};

	switch (cmd) {
	case TCGETS: return tty_tcgets(arg);
	case TIOCGWINSZ: return put_user_bytes(arg, &ws, sizeof(ws));
	case TIOCGPGRP: pid = console_foreground(); return put_user_bytes(arg, &pid, sizeof(pid));
	case TIOCSPGRP: return tty_tiocspgrp(arg);
	default: return -ENOTTY;
	}
}

static const struct file_operations console_fops = {
	.llseek = no_llseek,
	.read_iter = tty_read,
	.write_iter = tty_write,
	.unlocked_ioctl = tty_ioctl,
};

void tty_init(void)
{
	register_chrdev(MKDEV(TTYAUX_MAJOR, CONSOLE_MINOR), "console", &console_fops);
}
