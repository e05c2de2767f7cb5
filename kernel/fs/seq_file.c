/* seq_file buffers: print into a bounded buffer, notice overflow, retry
 * bigger. Read first: an overflowing print leaves the buffer full and sets
 * overflow; seq_generate then throws the text away and starts again. */
#include "kernel/fs/seq_file.h"
#include "kernel/errno.h"
#include "kernel/paging.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/slab.h"
#include <stdarg.h>

void seq_write(struct seq_file *m, const void *data, size_t len)
{
	if (m->overflow || len > m->size - m->count) {
		m->overflow = true;
		return;
	}
	memcpy(m->buf + m->count, data, len);
	m->count += len;
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	size_t room = m->size - m->count;
	va_list ap;
	int n;

	if (m->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(m->buf + m->count, room, fmt, ap);
	va_end(ap);
	/* vsnprintf needs room for its NUL too: a fit fills at most room - 1. */
	if (n < 0 || (size_t)n >= room) {
		m->overflow = true;
		return;
	}
	m->count += (size_t)n;
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_write(m, s, strlen(s));
}

void seq_putc(struct seq_file *m, char c)
{
	seq_write(m, &c, 1);
}

void seq_pad(struct seq_file *m, size_t col, char c)
{
	size_t line_start = m->count;

	while (line_start > 0 && m->buf[line_start - 1] != '\n')
		line_start--;
	while (!m->overflow && m->count - line_start < col)
		seq_putc(m, ' ');
	if (c)
		seq_putc(m, c);
}

void seq_emit_line(void *ctx, const char *line)
{
	struct seq_file *m = ctx;

	seq_puts(m, line);
	seq_putc(m, '\n');
}

void seq_release_buf(struct seq_file *m)
{
	kfree(m->buf);
	m->buf = NULL;
	m->size = m->count = 0;
}

int seq_generate(struct seq_file *m, int (*show)(struct seq_file *m))
{
	size_t size = PAGE_SIZE;

	seq_release_buf(m);
	for (;;) {
		int err;

		m->buf = kmalloc(size, GFP_KERNEL);
		if (!m->buf)
			return -ENOMEM;
		m->size = size;
		m->count = 0;
		m->overflow = false;
		err = show(m);
		if (err || !m->overflow) {
			if (err)
				seq_release_buf(m);
			return err;
		}
		seq_release_buf(m);
		if (size >= SEQ_BUF_MAX)
			return -ENOMEM;
		size *= 2;
	}
}
