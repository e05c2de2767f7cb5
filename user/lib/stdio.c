/* stdio.c: the three standard streams and the calls over vdprintf. Read
 * first: a FILE is only a file descriptor here; nothing is buffered beyond
 * one call, so fflush has nothing to do. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static FILE streams[3] = {{0}, {1}, {2}};
FILE *const stdin = &streams[0];
FILE *const stdout = &streams[1];
FILE *const stderr = &streams[2];

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	return vdprintf(f->fd, fmt, ap);
}

int vprintf(const char *fmt, va_list ap)
{
	return vdprintf(STDOUT_FILENO, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(f->fd, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(STDOUT_FILENO, fmt, ap);
	va_end(ap);
	return n;
}

int fputs(const char *s, FILE *f)
{
	size_t len = strlen(s);

	return write(f->fd, s, len) == (ssize_t)len ? 0 : EOF;
}

int puts(const char *s)
{
	return printf("%s\n", s) < 0 ? EOF : 0;
}

int putchar(int c)
{
	char ch = (char)c;

	return write(STDOUT_FILENO, &ch, 1) == 1 ? (unsigned char)c : EOF;
}

int fflush(FILE *f)
{
	(void)f;
	return 0;
}

void perror(const char *msg)
{
	const char *text = strerror(errno);

	if (msg && *msg)
		dprintf(STDERR_FILENO, "%s: %s\n", msg, text);
	else
		dprintf(STDERR_FILENO, "%s\n", text);
}
