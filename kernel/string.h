/* The C string and memory functions the kernel needs, plus Linux's kstrto*
 * parsers. Read first: under HOST_TEST this header is libc's <string.h> plus
 * the k* extras, so pure files can be unit-tested on the host unchanged. */
#ifndef OOMLAB_KERNEL_STRING_H
#define OOMLAB_KERNEL_STRING_H
#include <stdbool.h>
#include <stddef.h>

#ifdef HOST_TEST
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
/* Copy with truncation, always NUL-terminated when size > 0 (Linux's
 * semantics): the length copied, or -E2BIG when src did not fit. There is
 * deliberately no strncpy: it neither terminates nor reports truncation. */
long strscpy(char *dst, const char *src, size_t size);
/* Linux's strstrip: trailing white space cut in place, and the first
 * character that is not white space returned. */
char *strstrip(char *s);
#endif

/* Whole-string number parsing (kernel/kstrtox.c, also built for the host).
 * kstrtol: optional sign, base 0 autodetects 0x (hex) and 0 (octal); one
 * trailing newline is allowed, as in Linux, so "/proc" writes parse.
 * Returns 0, -EINVAL (not a number) or -ERANGE (does not fit in a long). */
int kstrtol(const char *s, unsigned int base, long *res);
/* The same for an unsigned long: a minus sign is -EINVAL. */
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
/* kstrtol into an int: -ERANGE when the number does not fit. */
int kstrtoint(const char *s, unsigned int base, int *res);
/* 1/0, y/n, on/off, true/false in any letter case (also yes/no); anything
 * else, including Linux's lenient "yellow", is -EINVAL. */
int kstrtobool(const char *s, bool *res);
#endif
