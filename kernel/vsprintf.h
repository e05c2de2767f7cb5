/* Kernel string formatting. Supports %d %i %u %x %X %o %c %s %p %% with
 * flags '-', '0', ' ', '+', '#', width and precision (also '*'), and the
 * length modifiers hh h l ll z t j. %p prints 0x followed by 16 hex digits.
 * Output is always NUL-terminated when size > 0; the return value is the
 * length the full output would have had, as C's vsnprintf. */
#ifndef OOMLAB_KERNEL_VSPRINTF_H
#define OOMLAB_KERNEL_VSPRINTF_H
#include <stdarg.h>
#include <stddef.h>
#ifdef HOST_TEST
#define vsnprintf kvsnprintf
#define snprintf ksnprintf
#endif
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif
