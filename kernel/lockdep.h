/* Lock-order checking (a small lockdep): the interface the sleeping locks
 * call. Read first: a lock class is its init site (a static
 * lock_class_key), not the lock instance; every acquisition while holding
 * other locks teaches "held before this", and a new edge that closes a
 * cycle is reported once, even if no deadlock happens this time. */
#ifndef OOMLAB_KERNEL_LOCKDEP_H
#define OOMLAB_KERNEL_LOCKDEP_H
#include "kernel/sched.h"
#include <stdbool.h>

struct lockdep_map {
	const struct lock_class_key *key;
	const char *name;
};

void lockdep_init_map(struct lockdep_map *map, const char *name, const struct lock_class_key *key);
/* Before the lock is taken (so a cycle is reported before it deadlocks);
 * trylock: the acquisition cannot block, so it adds no order edge, as in
 * Linux. read: a shared (reader) acquisition. */
void lock_acquire(struct lockdep_map *map, bool trylock, bool read, unsigned long ip);
/* The acquisition failed (trylock, killable wait interrupted): forget it. */
void lock_acquire_failed(struct lockdep_map *map);
void lock_release(struct lockdep_map *map, unsigned long ip);
/* "N locks held by comm/pid:" and one line per lock, as Linux. */
void lockdep_print_held_locks(const struct task_struct *p);
void debug_show_all_locks(void);
/* Reports so far, for tests. */
unsigned long lockdep_report_count(void);
extern bool debug_locks; /* lockdep.prove_locking= (as Linux); off after the first report */

#define _RET_IP_ ((unsigned long)__builtin_return_address(0))
#endif
