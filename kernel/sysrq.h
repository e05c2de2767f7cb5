/* SysRq-style dumps (Linux's include/linux/sysrq.h): one key, one dump,
 * from the monitor ("sysrq t") or the serial line. Read first: on the
 * serial line the sequence is Ctrl-\ then the key, standing in for
 * Linux's BREAK then the key; it is handled inside the receive interrupt,
 * so it works while the monitor is busy or every task is blocked. */
#ifndef OOMLAB_KERNEL_SYSRQ_H
#define OOMLAB_KERNEL_SYSRQ_H
#include <stdbool.h>

#define SYSRQ_SERIAL_PREFIX 0x1c /* Ctrl-\ */

/* t: every task; w: blocked (D) tasks; m: memory; d: held locks;
 * f: a manual OOM kill (queued to a worker thread, as Linux's moom_work);
 * z: the trace buffer (consumed; tracing is left off); any other key:
 * the list of keys. Never sleeps; fine from an interrupt. */
void handle_sysrq(int key);
/* The serial line's byte filter: true when c belongs to a Ctrl-\ sequence
 * (the caller drops it); the key after Ctrl-\ runs handle_sysrq at once. */
bool sysrq_serial_input(char c);
#endif
