/* Linux-style sysctl tables: each entry names a variable and the handler
 * that reads it as text and parses a write into it (kernel/sysctl.c's
 * proc_dointvec family). Read first: a table is registered under a
 * /proc/sys directory ("vm") once at boot; the write handlers validate as
 * Linux's do, so a value Linux refuses is -EINVAL here too. */
#ifndef OOMLAB_KERNEL_SYSCTL_H
#define OOMLAB_KERNEL_SYSCTL_H
#include "kernel/types.h"
#include <stddef.h>

struct ctl_table;

/* Read (write == 0): print the value into buffer, *lenp bytes at most,
 * and set *lenp to the text's length. Write: parse *lenp bytes of buffer
 * (NUL-terminated), set *lenp to the bytes used. 0 or -errno. */
typedef int proc_handler(const struct ctl_table *table, int write, char *buffer, size_t *lenp);

struct ctl_table {
	const char *procname; /* NULL ends a table */
	void *data;	      /* an int or an unsigned long */
	umode_t mode;
	proc_handler *proc_handler;
	const void *extra1, *extra2; /* the minmax handlers' bounds, or NULL */
};

/* As Linux: one integer, optionally bounded by extra1/extra2 (int *). */
int proc_dointvec(const struct ctl_table *table, int write, char *buffer, size_t *lenp);
int proc_dointvec_minmax(const struct ctl_table *table, int write, char *buffer, size_t *lenp);
/* One unsigned long (negative text is -EINVAL), bounded by extra1/extra2. */
int proc_doulongvec_minmax(const struct ctl_table *table, int write, char *buffer, size_t *lenp);

/* Add the table's files under /proc/sys/<path>: "vm" or "fs". The
 * table must live for good. 0, -ENOENT (no such directory) or -ENOMEM. */
int register_sysctl_init(const char *path, const struct ctl_table *table);
#endif
