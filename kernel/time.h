/* The boot clock: the TSC, calibrated once against the PIT. Until
 * calibration local_clock() reads 0, which is why the first printk lines
 * carry [    0.000000] as on Linux. */
#ifndef OOMLAB_KERNEL_TIME_H
#define OOMLAB_KERNEL_TIME_H
#include <stdint.h>
#define NSEC_PER_SEC 1000000000ull
#define NSEC_PER_USEC 1000ull
void tsc_calibrate(void);
uint64_t tsc_khz_get(void);
/* Nanoseconds since the TSC was calibrated (0 before). */
uint64_t local_clock(void);
void ndelay_busy(uint64_t ns);
#endif
