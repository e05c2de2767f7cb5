/* Lockdep's inside, shared by the checker (lockdep.c) and its reports
 * (lockdep_report.c). Read first: classes and dependency edges live in
 * fixed tables and are only ever added; an edge "from -> to" records that
 * some task took a `to` lock while holding a `from` lock, and where. */
#ifndef OOMLAB_KERNEL_LOCKING_LOCKDEP_INTERNALS_H
#define OOMLAB_KERNEL_LOCKING_LOCKDEP_INTERNALS_H
#include "kernel/lockdep.h"
#include <stddef.h>
#include <stdint.h>

#define MAX_LOCKDEP_KEYS 256	 /* lock classes */
#define MAX_LOCKDEP_ENTRIES 1024 /* dependency edges */
#define LOCK_TRACE_DEPTH 8	 /* return addresses kept per edge */
#define NO_EDGE (-1)

struct lock_class {
	const struct lock_class_key *key;
	const char *name;
	int first_after; /* first edge leaving this class, or NO_EDGE */
};

/* One dependency edge (Linux's struct lock_list). */
struct lock_list {
	int from, to;	/* class indexes */
	int next_after; /* next edge leaving `from` */
	size_t nr_entries;
	uint64_t trace[LOCK_TRACE_DEPTH]; /* where `to` was taken under `from` */
};

extern struct lock_class lock_classes[MAX_LOCKDEP_KEYS];
extern struct lock_list list_entries[MAX_LOCKDEP_ENTRIES];

/* What a report needs once the graph lock is dropped: copies, since the
 * task's held-lock stack may change while it prints. */
struct circular_bug {
	struct held_lock next;	    /* being acquired */
	struct held_lock prev;	    /* held; the new edge would be prev -> next */
	int path[MAX_LOCKDEP_KEYS]; /* edges from next's class to prev's */
	int depth;
	size_t nr_entries; /* where next is being taken now */
	uint64_t trace[LOCK_TRACE_DEPTH];
};

void print_circular_bug(const struct circular_bug *bug);
void print_deadlock_bug(const struct held_lock *prev, const struct held_lock *next);
void print_unlock_imbalance_bug(const struct lockdep_map *map, unsigned long ip);
/* "BUG: MAX_LOCKDEP_KEYS too low!" and the like, then a stack trace. */
void print_lockdep_off(const char *bug_msg);

/* Tests only: forget every class and edge and check again (debug_locks
 * back on), as Linux's lockdep_reset. Held-lock stacks stay. */
void lockdep_reset(void);
#endif
