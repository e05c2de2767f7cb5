/* seq_file: a /proc file's text, produced whole by a show function into
 * a buffer that reads then copy from (Linux's include/linux/seq_file.h,
 * single_open style). Read first: when the text outgrows the buffer, the
 * buffer doubles and show runs again from the start, so show must only
 * print, never change anything. */
#ifndef OOMLAB_KERNEL_FS_SEQ_FILE_H
#define OOMLAB_KERNEL_FS_SEQ_FILE_H
#include <stdbool.h>
#include <stddef.h>

#define SEQ_BUF_MAX (1ul << 20) /* the longest text a proc file may have */

struct seq_file {
	char *buf;
	size_t size;  /* of buf */
	size_t count; /* bytes produced */
	bool overflow;
	void *private;
};

void seq_printf(struct seq_file *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
void seq_write(struct seq_file *m, const void *data, size_t len);
/* Pad with spaces to column col (maps's name column), then print c. */
void seq_pad(struct seq_file *m, size_t col, char c);
/* A seq_emit_fn (mm/vmstat.h) whose ctx is the seq_file: one line each. */
void seq_emit_line(void *ctx, const char *line);

/* Run show(m) into a buffer big enough for all of it (up to SEQ_BUF_MAX):
 * 0, show's error, or -ENOMEM. The previous text is freed first. */
int seq_generate(struct seq_file *m, int (*show)(struct seq_file *m));
void seq_release_buf(struct seq_file *m);
#endif
