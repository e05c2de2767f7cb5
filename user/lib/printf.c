/* printf.c: the one formatter behind every printf-family function. Read
 * first: output goes through a struct sink that either fills the caller's
 * buffer (snprintf) or a stack buffer written to a file descriptor when
 * full (printf), so there is one conversion loop for both. Supported:
 * flags "-0+ #", width and precision (also "*"), lengths hh h l ll z t j,
 * conversions d i u x X o c s p %. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SINK_BUF 256

struct sink {
	char *buf;
	size_t size;  /* capacity of buf */
	size_t used;  /* bytes in buf */
	size_t total; /* bytes produced, the return value */
	int fd;	      /* >= 0: flush buf to this fd when full */
	int error;
};

static void sink_flush(struct sink *s)
{
	size_t off = 0;

	while (s->fd >= 0 && off < s->used) {
		ssize_t n = write(s->fd, s->buf + off, s->used - off);

		if (n <= 0) {
			s->error = 1;
			break;
		}
		off += (size_t)n;
	}
	s->used = 0;
}

static void put(struct sink *s, char c)
{
	s->total++;
	if (s->fd >= 0 && s->used == s->size)
		sink_flush(s);
	if (s->used < s->size)
		s->buf[s->used++] = c;
}

static void put_n(struct sink *s, char c, int n)
{
	while (n-- > 0)
		put(s, c);
}

struct spec {
	int left, zero, plus, space, alt;
	int width, prec; /* prec < 0: none given */
	int length;	 /* 'H' hh, 'h', 'l', 'L' ll, 'z', 't', 'j' */
	char conv;
};

/* Emits body (len bytes) after prefix, padded to the width. */
static void put_field(struct sink *s, const struct spec *sp, const char *prefix, const char *body,
		      int len, int zeros)
{
	int plen = (int)strlen(prefix);
	int pad = sp->width - plen - zeros - len;

	if (!sp->left && !sp->zero)
		put_n(s, ' ', pad);
	while (*prefix)
		put(s, *prefix++);
	if (!sp->left && sp->zero)
		put_n(s, '0', pad);
	put_n(s, '0', zeros);
	while (len-- > 0)
		put(s, *body++);
	if (sp->left)
		put_n(s, ' ', pad);
}

static void put_number(struct sink *s, struct spec *sp, unsigned long v, int negative)
{
	const char *digits = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned int base = 10;
	char tmp[24], *p = tmp + sizeof(tmp);
	const char *prefix = "";
	int len, zeros;

	if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p')
		base = 16;
	else if (sp->conv == 'o')
		base = 8;
	do {
		*--p = digits[v % base];
		v /= base;
	} while (v);
	len = (int)(tmp + sizeof(tmp) - p);
	if (sp->prec == 0 && len == 1 && *p == '0' && sp->conv != 'p')
		len = 0; /* "%.0d" of 0 prints nothing, per C */
	if (negative)
		prefix = "-";
	else if (sp->plus)
		prefix = "+";
	else if (sp->space)
		prefix = " ";
	if (sp->conv == 'p' || (sp->alt && base == 16 && len && *p != '0'))
		prefix = sp->conv == 'X' ? "0X" : "0x";
	zeros = sp->prec > len ? sp->prec - len : 0;
	if (sp->alt && base == 8 && !zeros && (len == 0 || *p != '0'))
		zeros = 1;
	if (sp->prec >= 0)
		sp->zero = 0; /* a precision overrides the 0 flag, per C */
	put_field(s, sp, prefix, p, len, zeros);
}

static unsigned long arg_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned int);
	case 'h': return (unsigned short)va_arg(*ap, unsigned int);
	case 'l':
	case 'L':
	case 'z':
	case 't':
	case 'j': return va_arg(*ap, unsigned long);
	default: return va_arg(*ap, unsigned int);
	}
}

static long arg_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l':
	case 'L':
	case 'z':
	case 't':
	case 'j': return va_arg(*ap, long);
	default: return va_arg(*ap, int);
	}
}

/* Parses flags, width, precision and length; returns the conversion. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	memset(sp, 0, sizeof(*sp));
	sp->prec = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = 1;
		else if (*f == '0')
			sp->zero = 1;
		else if (*f == '+')
			sp->plus = 1;
		else if (*f == ' ')
			sp->space = 1;
		else if (*f == '#')
			sp->alt = 1;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = 1;
			sp->width = -sp->width;
		}
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			sp->prec = sp->prec * 10 + (*f - '0');
	}
	if (f[0] == 'h' && f[1] == 'h')
		sp->length = 'H', f += 2;
	else if (f[0] == 'l' && f[1] == 'l')
		sp->length = 'L', f += 2;
	else if (*f == 'h' || *f == 'l' || *f == 'z' || *f == 't' || *f == 'j')
		sp->length = *f++;
	if (sp->left)
		sp->zero = 0;
	sp->conv = *f;
	return f;
}

static void convert(struct sink *s, struct spec *sp, va_list *ap)
{
	const char *str;
	char c;
	long v;

	switch (sp->conv) {
	case 'd':
	case 'i':
		v = arg_signed(sp, ap);
		put_number(s, sp, v < 0 ? -(unsigned long)v : (unsigned long)v, v < 0);
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o': put_number(s, sp, arg_unsigned(sp, ap), 0); break;
	case 'p':
		str = va_arg(*ap, const char *);
		if (!str) {
			sp->zero = 0;
			put_field(s, sp, "", "(nil)", 5, 0);
		} else {
			put_number(s, sp, (unsigned long)str, 0);
		}
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		sp->zero = 0;
		put_field(s, sp, "", &c, 1, 0);
		break;
	case 's':
		str = va_arg(*ap, const char *);
		if (!str)
			str = "(null)";
		sp->zero = 0;
		put_field(s, sp, "", str,
			  (int)strnlen(str, sp->prec >= 0 ? (size_t)sp->prec : (size_t)INT_MAX), 0);
		break;
	default: /* "%%", or an unknown conversion printed as it stands */
		put(s, '%');
		if (sp->conv && sp->conv != '%')
			put(s, sp->conv);
		break;
	}
}

static void format(struct sink *s, const char *fmt, va_list ap)
{
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(s, *fmt);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &args);
		convert(s, &sp, &args);
		if (!*fmt)
			break;
	}
	va_end(args);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = {.buf = buf, .size = size ? size - 1 : 0, .fd = -1};

	format(&s, fmt, ap);
	if (size)
		buf[s.used] = '\0';
	return s.total > INT_MAX ? -1 : (int)s.total;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[SINK_BUF];
	struct sink s = {.buf = buf, .size = sizeof(buf), .fd = fd};

	format(&s, fmt, ap);
	sink_flush(&s);
	return s.error ? -1 : (int)s.total;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}
