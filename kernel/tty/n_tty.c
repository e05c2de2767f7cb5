/* n_tty: canonical-mode line editing for the console (Linux's
 * drivers/tty/n_tty.c, cut down to what a serial shell needs). Read
 * first: the interrupt handler edits the current line and, at Enter,
 * moves it into the read ring as one record ending in '\n' (or in an EOF
 * mark for Ctrl-D); everything here runs with interrupts off, so the two
 * sides never race on one CPU. */
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/serial.h"
#include "kernel/signal.h"
#include "kernel/tty/tty.h"
#include "kernel/wait.h"
#include "kernel/x86.h"

#ifndef SIGINT
#define SIGINT 2
#endif

#define FG_GROUP_MAX 64 /* processes one Ctrl-C reaches */
#define FG_DEPTH_MAX 64 /* parent links followed looking for the leader */

/* Ends a record without being read: Ctrl-D's "push" (alone: end of file). */
#define EOF_MARK '\0'

static char read_buf[N_TTY_BUF_SIZE];
static unsigned int read_head, read_tail; /* free-running; head - tail bytes queued */
static unsigned int canon_records;	  /* whole records in read_buf */
static char line[N_TTY_LINE_MAX];
static unsigned int line_len;
static unsigned long intr_count; /* Ctrl-C presses, for the monitor's reader */
static bool echo_on = true;
static int fg_pid;
static DECLARE_WAIT_QUEUE_HEAD(tty_read_wait);

int console_foreground(void)
{
	return __atomic_load_n(&fg_pid, __ATOMIC_RELAXED);
}

void console_set_foreground(int pid)
{
	__atomic_store_n(&fg_pid, pid, __ATOMIC_RELAXED);
}

void n_tty_set_echo(bool on)
{
	echo_on = on;
}

static void echo(const char *s, size_t n)
{
	if (echo_on)
		serial_write(s, n);
}

static void erase(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		echo("\b \b", 3);
}

/* Queue the edited line and its terminator as one record; a line that
 * does not fit is dropped whole, as a full Linux tty drops input. */
static void commit_line(char terminator)
{
	if (line_len + 1 > N_TTY_BUF_SIZE - (read_head - read_tail)) {
		line_len = 0;
		return;
	}
	for (unsigned int i = 0; i < line_len; i++)
		read_buf[read_head++ % N_TTY_BUF_SIZE] = line[i];
	read_buf[read_head++ % N_TTY_BUF_SIZE] = terminator;
	line_len = 0;
	canon_records++;
	wake_up_interruptible_all(&tty_read_wait);
}

struct fg_group {
	int leader;
	int n;
	int pids[FG_GROUP_MAX];
};

static bool descends_from(const struct task_struct *p, int pid)
{
	for (int depth = 0; p && depth < FG_DEPTH_MAX; depth++, p = p->parent)
		if (p->pid == pid)
			return true;
	return false;
}

static void collect_fg(struct task_struct *p, void *ctx)
{
	struct fg_group *g = ctx;

	if (g->n < FG_GROUP_MAX && (p->pid == g->leader || (p->mm && descends_from(p, g->leader))))
		g->pids[g->n++] = p->pid;
}

/* Ctrl-C: drop the line and send SIGINT to the foreground process and
 * every user process below it, which is what the foreground process
 * group holds under a shell without job control: the shell and its
 * background jobs ignore SIGINT, the command it waits for dies. Called
 * from the interrupt handler: the tasklist lock is only ever taken with
 * interrupts off, so the walk cannot deadlock against its holder; the
 * signals go out after the walk, outside that lock. */
static void isig(void)
{
	struct fg_group g = {.leader = console_foreground()};

	echo("^C\n", 3);
	line_len = 0;
	intr_count++;
	if (g.leader)
		for_each_task(collect_fg, &g);
	for (int i = 0; i < g.n; i++) {
		struct task_struct *p = find_task_by_pid(g.pids[i]);

		if (p && !check_kill_permission(SIGINT, p))
			send_sig(SIGINT, p);
	}
	wake_up_interruptible_all(&tty_read_wait);
}

void n_tty_receive_char(char c)
{
	switch (c) {
	case '\r':
	case '\n':
		echo("\n", 1);
		commit_line('\n');
		break;
	case CHAR_BACKSPACE:
	case CHAR_DELETE:
		if (line_len) {
			line_len--;
			erase(1);
		}
		break;
	case CHAR_CTRL_U:
		erase(line_len);
		line_len = 0;
		break;
	case CHAR_CTRL_C: isig(); break;
	case CHAR_CTRL_D: commit_line(EOF_MARK); break;
	default:
		if (((unsigned char)c >= ' ' || c == '\t') && line_len < N_TTY_LINE_MAX) {
			line[line_len++] = c;
			echo(&c, 1);
		}
		break;
	}
}

void n_tty_flush(void)
{
	uint64_t flags = local_irq_save();

	read_tail = read_head;
	canon_records = 0;
	line_len = 0;
	local_irq_restore(flags);
}

/* Interrupts off. Move up to size bytes of the first record into buf; a
 * '\n' is part of the data, an EOF mark is not. *ended: the record's
 * terminator was reached (and consumed). With discard, bytes beyond size
 * are thrown away so the record always ends. */
static size_t take_record(char *buf, size_t size, bool discard, bool *ended)
{
	size_t n = 0;

	*ended = false;
	while (read_tail != read_head) {
		char c = read_buf[read_tail % N_TTY_BUF_SIZE];

		if (c == EOF_MARK || c == '\n') {
			if (c == '\n' && n == size && !discard)
				break; /* the newline goes with the next read */
			if (c == '\n' && n < size)
				buf[n++] = c;
			read_tail++;
			canon_records--;
			*ended = true;
			break;
		}
		if (n < size)
			buf[n++] = c;
		else if (!discard)
			break;
		read_tail++;
	}
	return n;
}

static bool record_ready(void)
{
	return __atomic_load_n(&canon_records, __ATOMIC_RELAXED) != 0;
}

long n_tty_read(char *buf, size_t size)
{
	for (;;) {
		bool ended;
		size_t n;
		uint64_t flags;

		if (wait_event_interruptible(tty_read_wait, record_ready()))
			return -EINTR;
		flags = local_irq_save();
		if (!canon_records) { /* another reader took it */
			local_irq_restore(flags);
			continue;
		}
		n = take_record(buf, size, false, &ended);
		local_irq_restore(flags);
		return (long)n;
	}
}

/* The kernel monitor's reader: before tasks exist, or in the idle task,
 * it halts between interrupts instead of sleeping on the wait queue. */
static bool monitor_may_sleep(void)
{
	return current && !is_idle_task(current);
}

size_t console_readline(char *buf, size_t size)
{
	unsigned long intr_seen = intr_count;

	for (;;) {
		bool ended;
		size_t n;

		local_irq_disable();
		serial_poll_rx(); /* anything that arrived while IRQs were off */
		if (canon_records) {
			n = take_record(buf, size ? size - 1 : 0, true, &ended);
			local_irq_enable();
			if (n && buf[n - 1] == '\n')
				n--;
			if (size)
				buf[n] = '\0';
			return n;
		}
		if (intr_count != intr_seen) { /* Ctrl-C abandons the line */
			local_irq_enable();
			if (size)
				buf[0] = '\0';
			return 0;
		}
		if (!monitor_may_sleep()) {
			safe_halt();
			continue;
		}
		local_irq_enable();
		(void)wait_event_interruptible(tty_read_wait,
					       record_ready() || intr_count != intr_seen);
	}
}
