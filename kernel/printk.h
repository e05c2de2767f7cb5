/* printk: Linux's levels and "[    1.234567] " timestamps into a ring buffer
 * that dmesg replays; lines below the console log level also go out on the
 * serial console. One printk call is one record (no KERN_CONT). */
#ifndef OOMLAB_KERNEL_PRINTK_H
#define OOMLAB_KERNEL_PRINTK_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define LOGLEVEL_DEFAULT 4 /* for a printk without a level, as Linux */
#define CONSOLE_LOGLEVEL_DEFAULT 7
#define CONSOLE_LOGLEVEL_MOTORMOUTH 15 /* Linux's: every level reaches the console */

void console_verbose(void);

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);
#define pr_emerg(...) printk(KERN_EMERG __VA_ARGS__)
#define pr_alert(...) printk(KERN_ALERT __VA_ARGS__)
#define pr_crit(...) printk(KERN_CRIT __VA_ARGS__)
#define pr_err(...) printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...) printk(KERN_WARNING __VA_ARGS__)
#define pr_notice(...) printk(KERN_NOTICE __VA_ARGS__)
#define pr_info(...) printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...) printk(KERN_DEBUG __VA_ARGS__)

/* Raw console output without timestamp or log record (KTAP, the monitor). */
void console_write(const char *s, size_t n);
int console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Replay the log; each line is "[    s.uuuuuu] text". */
void dmesg_print(void);
/* Iterate records: returns 0 and fills buf with the formatted line for
 * record number *seq (then advanced), -1 at the end. *seq starting at 0 is
 * moved to the oldest record still kept. */
int printk_get_record(unsigned long *seq, char *buf, size_t len, int *level);
unsigned long printk_records_dropped(void);
/* Record *seq unformatted (moved up to the oldest kept, not advanced): 0,
 * or -1 when it is not written yet. For /dev/kmsg. */
int printk_get_raw(unsigned long *seq, uint64_t *ts_nsec, int *level, char *text, size_t len);
unsigned long printk_next_seq(void);
/* Panic path: forget any console lock so the last words get out. */
void console_force_unlock(void);
extern long console_loglevel;
#endif
