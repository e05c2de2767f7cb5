/* The tracing core behind events.h: the event table with its enable
 * switches, and the ring buffer of recorded lines (Linux's kernel/trace/
 * trace.h, reduced to one CPU and the nop tracer). Read first: an event is
 * formatted when it fires, into a fixed-size slot of a static ring, so
 * recording never allocates and works in any context; when the ring is
 * full the oldest line is overwritten, as Linux's overwrite mode. */
#ifndef OOMLAB_KERNEL_TRACE_TRACE_H
#define OOMLAB_KERNEL_TRACE_TRACE_H
#include "kernel/trace/events.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRACE_BUF_ENTRIES 256 /* lines the ring holds */
#define TRACE_TEXT_MAX 200    /* one event's own text (after "name: ") */
#define TRACE_COMM_LEN 16

struct seq_file;

/* One event as tracefs lists it. */
struct trace_event_call {
	const char *system;    /* "oom", "vmscan", "kmem" */
	const char *name;      /* "mark_victim" */
	const char *print_fmt; /* Linux's TP_printk format, for events/.../format */
};
extern const struct trace_event_call trace_event_calls[NR_TRACE_EVENTS];

/* The systems, in table order, each a run of consecutive ids. */
#define NR_TRACE_SYSTEMS 3
extern const char *const trace_system_names[NR_TRACE_SYSTEMS];

/* Turn one event, every event of a system (NULL: of all systems) on or off. */
void trace_event_enable(enum trace_event_id id, bool on);
void trace_system_enable(const char *system, bool on);
/* 0 or 1 when every event of the system (NULL: all) agrees, -1 when mixed
 * (tracefs shows "X", as Linux). */
int trace_system_enabled(const char *system);

/* Switch the events spec[0..len) names ("oom", "oom:mark_victim",
 * "kmem:*", "*:wake_reaper", as Linux's set_event): how many, or -EINVAL
 * when it names none. */
int trace_set_event(const char *spec, size_t len, bool on);
/* The trace_event= switch, applied once at boot (tracefs_init). */
void trace_enable_boot_events(void);

/* tracing_on: while 0 an enabled event fires but is not recorded. */
bool tracing_is_on(void);
void tracing_on(void);
void tracing_off(void);

/* Record one line for event id; the text after "name: " is fmt's. */
void trace_event_printf(enum trace_event_id id, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The whole trace file, header first (Linux's "trace" text format). */
void trace_show(struct seq_file *m);
/* Drop every recorded line (opening trace with O_TRUNC). */
void tracing_reset(void);
/* Lines in the ring now, and written since the last reset. */
unsigned long trace_entries_in_buffer(void);
unsigned long trace_entries_written(void);
/* SysRq-z: print the ring through printk and empty it, then leave
 * tracing off (Linux's ftrace_dump). Safe from interrupts. */
void ftrace_dump(void);

/* Mount the tracefs on /sys/kernel/tracing (tracefs.c). */
void tracefs_init(void);
#endif
