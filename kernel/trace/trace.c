/* The trace ring buffer: recording lines, reading them back as the trace
 * file, clearing, and dumping them on SysRq-z (Linux's kernel/trace/
 * trace.c and ring_buffer.c, for one CPU). Read first: slots are named by
 * a sequence number that only grows (written); slot seq lives at
 * ring[seq % TRACE_BUF_ENTRIES] and is still there while seq >= written -
 * TRACE_BUF_ENTRIES and seq >= head (the first one not cleared). */
#include "kernel/trace/trace.h"
#include "kernel/fs/seq_file.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"
#include <stdarg.h>

#define TRACE_FLAGS_LEN 5 /* irqs-off, need-resched, hardirq, preempt-depth, migrate */
#define TRACE_LINE_MAX (TRACE_TEXT_MAX + 96)
#define TRACE_CPU 0 /* one CPU */

struct trace_entry {
	uint64_t ts_ns;
	int pid;
	enum trace_event_id id;
	char comm[TRACE_COMM_LEN];
	char flags[TRACE_FLAGS_LEN + 1];
	char text[TRACE_TEXT_MAX];
};

static struct trace_entry ring[TRACE_BUF_ENTRIES];
static DEFINE_SPINLOCK(trace_lock); /* ring, written, head, reset_base; interrupts off */
static unsigned long written;	    /* sequence number of the next line */
static unsigned long head;	    /* the oldest line not cleared or dumped */
static unsigned long reset_base;    /* written at the last reset */
static bool trace_on = true;	    /* tracing_on: Linux boots with it on */

bool tracing_is_on(void)
{
	return __atomic_load_n(&trace_on, __ATOMIC_RELAXED);
}

void tracing_on(void)
{
	__atomic_store_n(&trace_on, true, __ATOMIC_RELAXED);
}

void tracing_off(void)
{
	__atomic_store_n(&trace_on, false, __ATOMIC_RELAXED);
}

/* The oldest sequence number still held. */
static unsigned long first_held(void)
{
	unsigned long oldest = written > TRACE_BUF_ENTRIES ? written - TRACE_BUF_ENTRIES : 0;

	return head > oldest ? head : oldest;
}

static char hex_digit(unsigned int v)
{
	return (char)(v < 10 ? '0' + v : 'a' + v - 10);
}

/* Linux's latency columns: irqs-off, need-resched, hardirq, preempt depth,
 * migrate-disable. Taken before the trace lock changes them. */
static void fill_flags(char *flags, bool irqs_off)
{
	unsigned int depth = (unsigned int)preempt_count() & 0xff;

	flags[0] = irqs_off ? 'd' : '.';
	flags[1] = need_resched() ? 'N' : '.';
	flags[2] = in_interrupt() ? 'h' : '.';
	flags[3] = depth ? hex_digit(depth > 15 ? 15 : depth) : '.';
	flags[4] = '.';
	flags[TRACE_FLAGS_LEN] = '\0';
}

void trace_event_printf(enum trace_event_id id, const char *fmt, ...)
{
	struct task_struct *p = current;
	char flags[TRACE_FLAGS_LEN + 1];
	struct trace_entry *e;
	uint64_t irqflags;
	va_list ap;

	if (!tracing_is_on())
		return;
	fill_flags(flags, irqs_disabled());
	spin_lock_irqsave(&trace_lock, irqflags);
	e = &ring[written % TRACE_BUF_ENTRIES];
	written++;
	e->ts_ns = local_clock();
	e->id = id;
	e->pid = p ? p->pid : 0;
	/* As Linux, the idle task shows as <idle>. */
	strscpy(e->comm, !p || p->pid == 0 ? "<idle>" : p->comm, sizeof(e->comm));
	memcpy(e->flags, flags, sizeof(e->flags));
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
	spin_unlock_irqrestore(&trace_lock, irqflags);
}

/* Copy line seq out of the ring: false when it has been overwritten or
 * cleared meanwhile. */
static bool copy_entry(unsigned long seq, struct trace_entry *out)
{
	uint64_t irqflags;
	bool held;

	spin_lock_irqsave(&trace_lock, irqflags);
	held = seq >= first_held() && seq < written;
	if (held)
		*out = ring[seq % TRACE_BUF_ENTRIES];
	spin_unlock_irqrestore(&trace_lock, irqflags);
	return held;
}

/* "            hog-42      [000] d..1.    12.345678: mark_victim: pid=42 ..." */
static void format_line(const struct trace_entry *e, char *buf, size_t size)
{
	unsigned long usecs = (unsigned long)(e->ts_ns / NSEC_PER_USEC);

	snprintf(buf, size, "%16s-%-7d [%03d] %s %5lu.%06lu: %s: %s", e->comm, e->pid, TRACE_CPU,
		 e->flags, usecs / 1000000, usecs % 1000000, trace_event_calls[e->id].name,
		 e->text);
}

unsigned long trace_entries_in_buffer(void)
{
	uint64_t irqflags;
	unsigned long n;

	spin_lock_irqsave(&trace_lock, irqflags);
	n = written - first_held();
	spin_unlock_irqrestore(&trace_lock, irqflags);
	return n;
}

unsigned long trace_entries_written(void)
{
	return __atomic_load_n(&written, __ATOMIC_RELAXED) - reset_base;
}

static const char *const trace_header[] = {
	"#                                _-----=> irqs-off/BH-disabled",
	"#                               / _----=> need-resched",
	"#                              | / _---=> hardirq/softirq",
	"#                              || / _--=> preempt-depth",
	"#                              ||| / _-=> migrate-disable",
	"#                              |||| /     delay",
	"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION",
	"#              | |         |   |||||     |         |",
};

void trace_show(struct seq_file *m)
{
	char line[TRACE_LINE_MAX];
	unsigned long seq, end = __atomic_load_n(&written, __ATOMIC_RELAXED);
	struct trace_entry e;

	seq_puts(m, "# tracer: nop\n#\n");
	seq_printf(m, "# entries-in-buffer/entries-written: %lu/%lu   #P:1\n#\n",
		   trace_entries_in_buffer(), trace_entries_written());
	for (size_t i = 0; i < sizeof(trace_header) / sizeof(trace_header[0]); i++)
		seq_printf(m, "%s\n", trace_header[i]);
	for (seq = first_held(); seq < end; seq++) {
		if (!copy_entry(seq, &e))
			continue;
		format_line(&e, line, sizeof(line));
		seq_printf(m, "%s\n", line);
	}
}

void tracing_reset(void)
{
	uint64_t irqflags;

	spin_lock_irqsave(&trace_lock, irqflags);
	head = written;
	reset_base = written;
	spin_unlock_irqrestore(&trace_lock, irqflags);
}

/* Linux prints the dump at KERN_EMERG, so the console shows it at any
 * loglevel; it consumes what it prints. */
void ftrace_dump(void)
{
	static char line[TRACE_LINE_MAX];
	static bool dumping;
	unsigned long seq, end;
	struct trace_entry e;
	uint64_t irqflags;
	bool any = false;

	if (__atomic_exchange_n(&dumping, true, __ATOMIC_ACQUIRE))
		return; /* one dump at a time */
	tracing_off();
	printk(KERN_EMERG "Dumping ftrace buffer:");
	printk(KERN_EMERG "---------------------------------");
	end = __atomic_load_n(&written, __ATOMIC_RELAXED);
	for (seq = first_held(); seq < end; seq++) {
		if (!copy_entry(seq, &e))
			continue;
		format_line(&e, line, sizeof(line));
		printk(KERN_EMERG "%s", line);
		any = true;
	}
	if (!any)
		printk(KERN_EMERG "   (ftrace buffer empty)");
	printk(KERN_EMERG "---------------------------------");
	spin_lock_irqsave(&trace_lock, irqflags);
	if (head < end)
		head = end;
	spin_unlock_irqrestore(&trace_lock, irqflags);
	__atomic_store_n(&dumping, false, __ATOMIC_RELEASE);
}
