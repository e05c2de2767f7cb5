/* Kernel command-line switches: each subsystem registers typed switches
 * (bool, int with range, enum, string) in the "kparams" section; the parser
 * is pure logic, shared with the host unit tests. A bad value never replaces
 * the default: it is reported in one line and ignored. */
#ifndef OOMLAB_KERNEL_CMDLINE_H
#define OOMLAB_KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

enum kparam_type { KPARAM_BOOL, KPARAM_INT, KPARAM_ENUM, KPARAM_STRING };

struct kernel_param {
	const char *name;
	enum kparam_type type;
	void *value;		    /* bool *, long *, int * (enum index), const char ** */
	long min, max;		    /* KPARAM_INT: allowed range, inclusive */
	const char *const *choices; /* KPARAM_ENUM: NULL-terminated list of names */
	const char *help;	    /* one line for the monitor's "help" */
	void (*changed)(void);	    /* optional: called after a run-time write took */
};

typedef void (*cmdline_report_fn)(const char *msg);

/* Parse a whole command line against a table of switches. Words are separated
 * by spaces; a value may be double-quoted ("name=\"a b\""). A bare bool name
 * means true. Every unknown switch or bad value is reported through report()
 * as one line (no trailing newline) and leaves the switch at its default.
 * Returns the number of problems reported. Lines are cut at CMDLINE_MAX - 1
 * bytes. An accepted STRING value is copied into a static append-only pool
 * of CMDLINE_STRING_POOL bytes and stays valid for good, whatever later
 * calls parse; when the pool is full the value is refused and reported.
 * Not reentrant: one caller at a time (boot, then the monitor or a test). */
#define CMDLINE_MAX 2048
#define CMDLINE_STRING_POOL (2 * CMDLINE_MAX)
int parse_cmdline(const char *line, const struct kernel_param *params, size_t nparams,
		  cmdline_report_fn report);

/* Describe what a switch accepts ("an integer in 0..7", "one of halt|exit"...). */
void kparam_describe(const struct kernel_param *p, char *buf, size_t len);
/* Format the current value of a switch. */
void kparam_format_value(const struct kernel_param *p, char *buf, size_t len);

#define KPARAM_SECTION __attribute__((used, section("kparams"), aligned(8)))

#define core_param_bool(ident, pname, var, helptext)                         \
	static const struct kernel_param __kparam_##ident KPARAM_SECTION = { \
		.name = pname, .type = KPARAM_BOOL, .value = &(var), .help = helptext}
/* A bool whose owner must act when it is written at run time (through
 * /proc/sys/oomlab), e.g. start a thread it did not need at boot. */
#define core_param_bool_cb(ident, pname, var, cb, helptext)                                      \
	static const struct kernel_param __kparam_##ident KPARAM_SECTION = {.name = pname,       \
									    .type = KPARAM_BOOL, \
									    .value = &(var),     \
									    .help = helptext,    \
									    .changed = (cb)}
#define core_param_int(ident, pname, var, lo, hi, helptext)                                     \
	static const struct kernel_param __kparam_##ident KPARAM_SECTION = {.name = pname,      \
									    .type = KPARAM_INT, \
									    .value = &(var),    \
									    .min = (lo),        \
									    .max = (hi),        \
									    .help = helptext}
/* An int whose owner must act on a run-time write (recompute what
 * derives from it, as the watermarks from vm.min_free_kbytes). */
#define core_param_int_cb(ident, pname, var, lo, hi, cb, helptext)                              \
	static const struct kernel_param __kparam_##ident KPARAM_SECTION = {.name = pname,      \
									    .type = KPARAM_INT, \
									    .value = &(var),    \
									    .min = (lo),        \
									    .max = (hi),        \
									    .help = helptext,   \
									    .changed = (cb)}
#define core_param_enum(ident, pname, var, names, helptext)                                      \
	static const struct kernel_param __kparam_##ident KPARAM_SECTION = {.name = pname,       \
									    .type = KPARAM_ENUM, \
									    .value = &(var),     \
									    .choices = (names),  \
									    .help = helptext}
#define core_param_string(ident, pname, var, helptext)                       \
	static const struct kernel_param __kparam_##ident KPARAM_SECTION = { \
		.name = pname, .type = KPARAM_STRING, .value = &(var), .help = helptext}

#endif
