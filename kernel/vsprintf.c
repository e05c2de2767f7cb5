/* vsnprintf for the kernel: the C conversions printk needs, nothing more.
 * Read first: every output byte goes through emit(), which always counts it
 * but stores it only while it fits, so the return value is the untruncated
 * length (as C's vsnprintf) and the buffer can never overrun. */
#include "kernel/vsprintf.h"
#include <stdbool.h>
#include <stdint.h>

#define FLAG_LEFT 0x01	/* '-' */
#define FLAG_ZERO 0x02	/* '0' */
#define FLAG_SPACE 0x04 /* ' ' */
#define FLAG_PLUS 0x08	/* '+' */
#define FLAG_ALT 0x10	/* '#' */

#define NO_PRECISION (-1)
#define FIELD_MAX 4096 /* larger widths and precisions are clamped */
#define DIGITS_MAX 24  /* 64 bits in octal is 22 digits */
#define POINTER_DIGITS 16

enum length_mod { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T, LEN_J };

struct spec {
	unsigned int flags;
	int width;
	int precision;
	enum length_mod length;
};

struct outbuf {
	char *buf;
	size_t size;
	size_t len; /* bytes produced so far, stored or not */
};

static void emit(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void emit_repeat(struct outbuf *o, char c, int n)
{
	for (int i = 0; i < n; i++)
		emit(o, c);
}

static void emit_string(struct outbuf *o, const char *s)
{
	while (*s)
		emit(o, *s++);
}

/* Digits of mag, least significant first; returns how many. Zero has one
 * digit here; the caller drops it for a zero precision. */
static int to_digits(uint64_t mag, unsigned int base, bool upper, char *out)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		out[n++] = set[mag % base];
		mag /= base;
	} while (mag);
	return n;
}

/* Layout of a number: [spaces][sign][prefix][zeros][digits][spaces]. */
static void format_number(struct outbuf *o, const struct spec *sp, uint64_t mag, char sign,
			  unsigned int base, bool upper, const char *prefix)
{
	char digits[DIGITS_MAX];
	int ndigits = to_digits(mag, base, upper, digits);
	int zeros, pad, body;
	int prefix_len = 0;

	while (prefix[prefix_len])
		prefix_len++;
	if (sp->precision == 0 && mag == 0)
		ndigits = 0;
	zeros = sp->precision > ndigits ? sp->precision - ndigits : 0;
	/* '#' with %o promises a leading zero, added only when none is there. */
	if ((sp->flags & FLAG_ALT) && base == 8 && zeros == 0 &&
	    (ndigits == 0 || digits[ndigits - 1] != '0'))
		zeros = 1;
	body = (sign ? 1 : 0) + prefix_len + zeros + ndigits;
	pad = sp->width > body ? sp->width - body : 0;
	if ((sp->flags & FLAG_ZERO) && !(sp->flags & FLAG_LEFT) && sp->precision == NO_PRECISION) {
		zeros += pad;
		pad = 0;
	}
	if (!(sp->flags & FLAG_LEFT))
		emit_repeat(o, ' ', pad);
	if (sign)
		emit(o, sign);
	emit_string(o, prefix);
	emit_repeat(o, '0', zeros);
	while (ndigits > 0)
		emit(o, digits[--ndigits]);
	if (sp->flags & FLAG_LEFT)
		emit_repeat(o, ' ', pad);
}

/* A string, cut at the precision; never reads past it (it may be unterminated). */
static void format_string(struct outbuf *o, const struct spec *sp, const char *s)
{
	size_t len = 0;
	size_t width = (size_t)sp->width;

	if (!s)
		s = "(null)";
	while ((sp->precision == NO_PRECISION || len < (size_t)sp->precision) && s[len])
		len++;
	if (!(sp->flags & FLAG_LEFT) && width > len)
		emit_repeat(o, ' ', (int)(width - len));
	for (size_t i = 0; i < len; i++)
		emit(o, s[i]);
	if ((sp->flags & FLAG_LEFT) && width > len)
		emit_repeat(o, ' ', (int)(width - len));
}

static void format_char(struct outbuf *o, const struct spec *sp, char c)
{
	int pad = sp->width > 1 ? sp->width - 1 : 0;

	if (!(sp->flags & FLAG_LEFT))
		emit_repeat(o, ' ', pad);
	emit(o, c);
	if (sp->flags & FLAG_LEFT)
		emit_repeat(o, ' ', pad);
}

static int64_t take_signed(va_list *ap, enum length_mod length)
{
	switch (length) {
	case LEN_HH: return (signed char)va_arg(*ap, int);
	case LEN_H: return (short)va_arg(*ap, int);
	case LEN_L: return va_arg(*ap, long);
	case LEN_LL: return va_arg(*ap, long long);
	case LEN_Z:
	case LEN_T: return va_arg(*ap, ptrdiff_t); /* the signed type as wide as size_t */
	case LEN_J: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

static uint64_t take_unsigned(va_list *ap, enum length_mod length)
{
	switch (length) {
	case LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H: return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L: return va_arg(*ap, unsigned long);
	case LEN_LL: return va_arg(*ap, unsigned long long);
	case LEN_Z: return va_arg(*ap, size_t);
	case LEN_T: return (size_t)va_arg(*ap, ptrdiff_t);
	case LEN_J: return va_arg(*ap, uintmax_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static unsigned int parse_flags(const char **fmt)
{
	unsigned int flags = 0;

	for (;; (*fmt)++) {
		switch (**fmt) {
		case '-': flags |= FLAG_LEFT; break;
		case '0': flags |= FLAG_ZERO; break;
		case ' ': flags |= FLAG_SPACE; break;
		case '+': flags |= FLAG_PLUS; break;
		case '#': flags |= FLAG_ALT; break;
		default: return flags;
		}
	}
}

static int parse_decimal(const char **fmt)
{
	int n = 0;

	while (**fmt >= '0' && **fmt <= '9') {
		if (n <= FIELD_MAX)
			n = n * 10 + (**fmt - '0');
		(*fmt)++;
	}
	return n > FIELD_MAX ? FIELD_MAX : n;
}

/* Width: digits or '*' (a negative '*' width means left-justify). */
static void parse_width(const char **fmt, va_list *ap, struct spec *sp)
{
	if (**fmt == '*') {
		int w = va_arg(*ap, int);

		(*fmt)++;
		if (w < 0) {
			sp->flags |= FLAG_LEFT;
			w = w < -FIELD_MAX ? FIELD_MAX : -w;
		}
		sp->width = w > FIELD_MAX ? FIELD_MAX : w;
	} else {
		sp->width = parse_decimal(fmt);
	}
}

/* Precision: '.', then digits or '*' (a negative '*' precision means none). */
static void parse_precision(const char **fmt, va_list *ap, struct spec *sp)
{
	sp->precision = NO_PRECISION;
	if (**fmt != '.')
		return;
	(*fmt)++;
	if (**fmt == '*') {
		int p = va_arg(*ap, int);

		(*fmt)++;
		sp->precision = p < 0 ? NO_PRECISION : (p > FIELD_MAX ? FIELD_MAX : p);
	} else {
		sp->precision = parse_decimal(fmt);
	}
}

static enum length_mod parse_length(const char **fmt)
{
	const char *f = *fmt;
	enum length_mod length = LEN_NONE;

	switch (*f) {
	case 'h': length = f[1] == 'h' ? LEN_HH : LEN_H; break;
	case 'l': length = f[1] == 'l' ? LEN_LL : LEN_L; break;
	case 'z': length = LEN_Z; break;
	case 't': length = LEN_T; break;
	case 'j': length = LEN_J; break;
	default: return LEN_NONE;
	}
	*fmt += (length == LEN_HH || length == LEN_LL) ? 2 : 1;
	return length;
}

static void format_signed(struct outbuf *o, const struct spec *sp, int64_t v)
{
	/* Negate in unsigned arithmetic: -INT64_MIN does not exist as a signed value. */
	uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	char sign = 0;

	if (v < 0)
		sign = '-';
	else if (sp->flags & FLAG_PLUS)
		sign = '+';
	else if (sp->flags & FLAG_SPACE)
		sign = ' ';
	format_number(o, sp, mag, sign, 10, false, "");
}

static void format_pointer(struct outbuf *o, const struct spec *sp, const void *p)
{
	struct spec fixed = {
		.flags = sp->flags & FLAG_LEFT, .width = sp->width, .precision = POINTER_DIGITS};

	format_number(o, &fixed, (uintptr_t)p, 0, 16, false, "0x");
}

/* One conversion after its '%'; returns the format position after it. */
static const char *format_one(struct outbuf *o, const char *fmt, va_list *ap)
{
	const char *start = fmt - 1;
	struct spec sp = {0};
	uint64_t u;

	sp.flags = parse_flags(&fmt);
	parse_width(&fmt, ap, &sp);
	parse_precision(&fmt, ap, &sp);
	sp.length = parse_length(&fmt);

	switch (*fmt) {
	case 'd':
	case 'i': format_signed(o, &sp, take_signed(ap, sp.length)); break;
	case 'u': format_number(o, &sp, take_unsigned(ap, sp.length), 0, 10, false, ""); break;
	case 'o': format_number(o, &sp, take_unsigned(ap, sp.length), 0, 8, false, ""); break;
	case 'x':
	case 'X':
		u = take_unsigned(ap, sp.length);
		format_number(o, &sp, u, 0, 16, *fmt == 'X',
			      (sp.flags & FLAG_ALT) && u ? (*fmt == 'X' ? "0X" : "0x") : "");
		break;
	case 'c': format_char(o, &sp, (char)va_arg(*ap, int)); break;
	case 's': format_string(o, &sp, va_arg(*ap, const char *)); break;
	case 'p': format_pointer(o, &sp, va_arg(*ap, const void *)); break;
	case '%': emit(o, '%'); break;
	case '\0':
		/* A lone '%' at the end: print what we saw rather than read past the NUL. */
		while (start < fmt)
			emit(o, *start++);
		return fmt;
	default:
		/* Unknown conversion: show it verbatim so the mistake is visible. */
		while (start <= fmt)
			emit(o, *start++);
		break;
	}
	return fmt + 1;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf o = {.buf = buf, .size = size, .len = 0};
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			emit(&o, *fmt++);
			continue;
		}
		fmt = format_one(&o, fmt + 1, &args);
	}
	va_end(args);
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > (size_t)__INT_MAX__ ? __INT_MAX__ : (int)o.len;
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
