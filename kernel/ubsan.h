/* The UBSan runtime (kernel/ubsan.c), for the sanitize build: GCC's
 * -fsanitize=undefined calls __ubsan_handle_* where C's behaviour would be
 * undefined; each call prints one Linux-format "UBSAN:" report and goes on. */
#ifndef OOMLAB_KERNEL_UBSAN_H
#define OOMLAB_KERNEL_UBSAN_H

/* Reports printed since boot (each source location reports once). */
unsigned long ubsan_report_count(void);
#endif
