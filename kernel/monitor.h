/* The boot-time kernel monitor on the serial console (prompt "oomlab> "),
 * until user space and its shell exist. */
#ifndef OOMLAB_KERNEL_MONITOR_H
#define OOMLAB_KERNEL_MONITOR_H
void monitor_run(void) __attribute__((noreturn));
/* Run one command line; returns 0, or -1 for an unknown command. */
int monitor_exec(char *line);
#endif
