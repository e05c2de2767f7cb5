/* Lock-order checking (Linux's kernel/locking/lockdep.c, much reduced):
 * lock classes, each task's held-lock stack and the graph of "held before"
 * edges. Read first: an edge prev -> next is added only after a search
 * from next finds no way back to prev; a way back is the cycle we report.
 * Unlike Linux, the held-lock stacks are kept even with checking off, so
 * the hung-task report and the task dumps can always say who holds what. */
#include "kernel/cmdline.h"
#include "kernel/locking/lockdep_internals.h"
#include "kernel/paging.h"
#include "kernel/spinlock.h"
#include "kernel/stacktrace.h"
#include "kernel/string.h"

#define CLASSHASH_BITS 9 /* twice the classes: probing stays short */
#define CLASSHASH_SIZE (1u << CLASSHASH_BITS)
#define GOLDEN_RATIO_64 0x61c8864680b583ebull
#define UNVISITED (-2)
#define SEARCH_ROOT (-1)

enum lockdep_bug {
	BUG_NONE,
	BUG_CIRCULAR,
	BUG_RECURSIVE,
	BUG_NON_STATIC_KEY,
	BUG_TOO_MANY_CLASSES,
	BUG_TOO_MANY_EDGES,
};

bool debug_locks = true;
core_param_bool(lockdep_prove_locking, "lockdep.prove_locking", debug_locks,
		"lock-order checking (lockdep); it turns itself off after one report");

struct lock_class lock_classes[MAX_LOCKDEP_KEYS];
struct lock_list list_entries[MAX_LOCKDEP_ENTRIES];
static int nr_lock_classes, nr_list_entries;
static int classhash[CLASSHASH_SIZE]; /* class index + 1; 0 is an empty slot */
static spinlock_t lockdep_lock;	      /* the graph; taken with interrupts off */
static unsigned long nr_reports;

/* One report in flight at most: debug_locks_off() lets only one through. */
static struct circular_bug circular;
static struct held_lock recursive_prev, recursive_next;
/* The search's state, under the graph lock: too big for a task's stack. */
static int bfs_parent[MAX_LOCKDEP_KEYS], bfs_queue[MAX_LOCKDEP_KEYS];

/* As Linux's: true only for the caller that turned checking off, so each
 * report is printed once however many tasks trip over the same bug. */
static bool debug_locks_off(void)
{
	return __atomic_exchange_n(&debug_locks, false, __ATOMIC_SEQ_CST);
}

static void lockdep_count_report(void)
{
	__atomic_add_fetch(&nr_reports, 1, __ATOMIC_SEQ_CST);
}

unsigned long lockdep_report_count(void)
{
	return __atomic_load_n(&nr_reports, __ATOMIC_SEQ_CST);
}

void lockdep_init_map(struct lockdep_map *map, const char *name, const struct lock_class_key *key)
{
	map->name = name;
	map->key = key;
}

/* A class key must outlive every lock of its class: a key on a stack or
 * in freed memory would merge unrelated classes later. */
static bool static_obj(const void *obj)
{
	return (const char *)obj >= _stext && (const char *)obj < _end;
}

static unsigned int key_hash(const struct lock_class_key *key)
{
	return (unsigned int)(((uint64_t)key * GOLDEN_RATIO_64) >> (64 - CLASSHASH_BITS));
}

/* Graph lock held. The class of key, registered on first sight; -1 when
 * the table is full. */
static int register_lock_class(const struct lock_class_key *key, const char *name)
{
	unsigned int slot = key_hash(key);
	int idx;

	for (; classhash[slot]; slot = (slot + 1) % CLASSHASH_SIZE)
		if (lock_classes[classhash[slot] - 1].key == key)
			return classhash[slot] - 1;
	if (nr_lock_classes == MAX_LOCKDEP_KEYS)
		return -1;
	idx = nr_lock_classes++;
	lock_classes[idx].key = key;
	lock_classes[idx].name = name ? name : "<unnamed>";
	lock_classes[idx].first_after = NO_EDGE;
	classhash[slot] = idx + 1;
	return idx;
}

static bool edge_exists(int from, int to)
{
	for (int e = lock_classes[from].first_after; e != NO_EDGE; e = list_entries[e].next_after)
		if (list_entries[e].to == to)
			return true;
	return false;
}

static bool add_edge(int from, int to, const uint64_t *trace, size_t nr_entries)
{
	struct lock_list *edge;

	if (nr_list_entries == MAX_LOCKDEP_ENTRIES)
		return false;
	edge = &list_entries[nr_list_entries];
	edge->from = from;
	edge->to = to;
	edge->nr_entries = nr_entries;
	memcpy(edge->trace, trace, nr_entries * sizeof(trace[0]));
	edge->next_after = lock_classes[from].first_after;
	lock_classes[from].first_after = nr_list_entries++;
	return true;
}

/* Breadth-first from start: is target reachable? If so, path[] gets the
 * edges in order from start, and *depth their number. */
static bool find_path(int start, int target, int *path, int *depth)
{
	int head = 0, tail = 0, n = 0;

	for (int i = 0; i < nr_lock_classes; i++)
		bfs_parent[i] = UNVISITED;
	bfs_parent[start] = SEARCH_ROOT;
	bfs_queue[tail++] = start;
	while (head < tail) {
		int c = bfs_queue[head++];

		for (int e = lock_classes[c].first_after; e != NO_EDGE;
		     e = list_entries[e].next_after) {
			int to = list_entries[e].to;

			if (bfs_parent[to] != UNVISITED)
				continue;
			bfs_parent[to] = e;
			if (to == target)
				goto found;
			bfs_queue[tail++] = to;
		}
	}
	return false;
found:
	for (int c = target; bfs_parent[c] != SEARCH_ROOT; c = list_entries[bfs_parent[c]].from)
		n++;
	*depth = n;
	for (int c = target; bfs_parent[c] != SEARCH_ROOT; c = list_entries[bfs_parent[c]].from)
		path[--n] = bfs_parent[c];
	return true;
}

/* Where the lock is being taken: from lock_acquire's caller up. */
struct acquire_trace {
	uint64_t frame;
	size_t nr_entries;
	uint64_t entries[LOCK_TRACE_DEPTH];
};

static void save_trace(struct acquire_trace *t)
{
	if (!t->nr_entries)
		t->nr_entries = stack_trace_save_fp(t->frame, t->entries, LOCK_TRACE_DEPTH);
}

/* Same class held already. Readers may share (two down_read of one
 * class); anything else can wait for itself. */
static enum lockdep_bug check_deadlock(const struct task_struct *curr, const struct held_lock *next)
{
	for (int i = curr->lockdep_depth - 1; i >= 0; i--) {
		const struct held_lock *prev = &curr->held_locks[i];

		if (prev->key != next->key || (prev->read && next->read))
			continue;
		if (!debug_locks_off())
			return BUG_NONE;
		recursive_prev = *prev;
		recursive_next = *next;
		return BUG_RECURSIVE;
	}
	return BUG_NONE;
}

/* Learn "prev before next" for every held lock, newest first. Linux adds
 * only the newest (the rest follow by transitivity) but must then treat
 * trylocks apart; every held lock is simpler and the stacks are short. */
static enum lockdep_bug check_prevs_add(const struct task_struct *curr,
					const struct held_lock *next, int next_class,
					struct acquire_trace *t)
{
	for (int i = curr->lockdep_depth - 1; i >= 0; i--) {
		const struct held_lock *prev = &curr->held_locks[i];
		int prev_class;

		if (!prev->key || !static_obj(prev->key))
			continue; /* no class: reported when taken, or a trylock */
		prev_class = register_lock_class(prev->key, prev->name);
		if (prev_class < 0)
			return BUG_TOO_MANY_CLASSES;
		if (prev_class == next_class || edge_exists(prev_class, next_class))
			continue;
		save_trace(t);
		if (find_path(next_class, prev_class, circular.path, &circular.depth)) {
			if (!debug_locks_off())
				return BUG_NONE;
			circular.next = *next;
			circular.prev = *prev;
			circular.nr_entries = t->nr_entries;
			memcpy(circular.trace, t->entries, sizeof(t->entries));
			return BUG_CIRCULAR;
		}
		if (!add_edge(prev_class, next_class, t->entries, t->nr_entries))
			return BUG_TOO_MANY_EDGES;
	}
	return BUG_NONE;
}

/* Graph lock held, checking on. */
static enum lockdep_bug validate(const struct task_struct *curr, const struct held_lock *next,
				 struct acquire_trace *t)
{
	enum lockdep_bug bug;
	int next_class;

	if (!next->key || !static_obj(next->key))
		return BUG_NON_STATIC_KEY;
	next_class = register_lock_class(next->key, next->name);
	if (next_class < 0)
		return BUG_TOO_MANY_CLASSES;
	bug = check_deadlock(curr, next);
	if (bug == BUG_NONE)
		bug = check_prevs_add(curr, next, next_class, t);
	return bug;
}

static void report(enum lockdep_bug bug)
{
	switch (bug) {
	case BUG_NONE: return;
	case BUG_CIRCULAR: print_circular_bug(&circular); break;
	case BUG_RECURSIVE: print_deadlock_bug(&recursive_prev, &recursive_next); break;
	case BUG_NON_STATIC_KEY:
		if (!debug_locks_off())
			return;
		print_lockdep_off("INFO: trying to register non-static key.\n"
				  "The code is fine but needs lockdep annotation, or maybe\n"
				  "you didn't initialize this object before use?");
		break;
	case BUG_TOO_MANY_CLASSES:
		if (!debug_locks_off())
			return;
		print_lockdep_off("BUG: MAX_LOCKDEP_KEYS too low!");
		break;
	case BUG_TOO_MANY_EDGES:
		if (!debug_locks_off())
			return;
		print_lockdep_off("BUG: MAX_LOCKDEP_ENTRIES too low!");
		break;
	}
	lockdep_count_report();
}

/* The held-lock stack is the owner's alone; interrupts stay off while it
 * changes so a dump from an interrupt never sees it half-written. */
static void push_held_lock(struct task_struct *curr, const struct held_lock *hl)
{
	uint64_t flags = local_irq_save();
	bool full = curr->lockdep_depth >= MAX_HELD_LOCKS;

	if (!full)
		curr->held_locks[curr->lockdep_depth++] = *hl;
	local_irq_restore(flags);
	if (full && debug_locks_off()) {
		print_lockdep_off("BUG: MAX_LOCK_DEPTH too low!");
		lockdep_count_report();
	}
}

static bool remove_held_lock(struct task_struct *curr, const struct lockdep_map *map)
{
	uint64_t flags = local_irq_save();
	bool found = false;

	for (int i = curr->lockdep_depth - 1; i >= 0; i--) {
		if (curr->held_locks[i].instance != map)
			continue;
		for (int j = i; j + 1 < curr->lockdep_depth; j++)
			curr->held_locks[j] = curr->held_locks[j + 1];
		curr->lockdep_depth--;
		found = true;
		break;
	}
	local_irq_restore(flags);
	return found;
}

void lock_acquire(struct lockdep_map *map, bool trylock, bool read, unsigned long ip)
{
	struct acquire_trace t = {.frame = (uint64_t)__builtin_frame_address(0)};
	struct task_struct *curr = current;
	enum lockdep_bug bug = BUG_NONE;
	struct held_lock next;
	uint64_t flags;

	if (!curr)
		return;
	/* As Linux: a statically defined lock with no key is its own class. */
	if (!map->key && static_obj(map))
		map->key = (const struct lock_class_key *)map;
	next = (struct held_lock){.instance = map,
				  .key = map->key,
				  .name = map->name,
				  .acquire_ip = ip,
				  .read = read};
	flags = local_irq_save();
	arch_spin_lock(&lockdep_lock);
	if (debug_locks && !trylock)
		bug = validate(curr, &next, &t);
	arch_spin_unlock(&lockdep_lock);
	local_irq_restore(flags);
	/* Printed before the push, so the report lists what was held before. */
	report(bug);
	push_held_lock(curr, &next);
}

void lock_acquire_failed(struct lockdep_map *map)
{
	if (current)
		remove_held_lock(current, map);
}

void lock_release(struct lockdep_map *map, unsigned long ip)
{
	if (!current || remove_held_lock(current, map))
		return;
	if (debug_locks_off()) {
		print_unlock_imbalance_bug(map, ip);
		lockdep_count_report();
	}
}

void lockdep_reset(void)
{
	uint64_t flags = local_irq_save();

	arch_spin_lock(&lockdep_lock);
	memset(lock_classes, 0, sizeof(lock_classes));
	memset(classhash, 0, sizeof(classhash));
	nr_lock_classes = 0;
	nr_list_entries = 0;
	debug_locks = true;
	arch_spin_unlock(&lockdep_lock);
	local_irq_restore(flags);
}
