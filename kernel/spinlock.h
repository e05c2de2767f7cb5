/* spinlock_t with Linux's API. Read first: on one CPU the lock word only
 * catches misuse; what protects is the interrupt flag (the _irqsave forms).
 * The atomic exchange keeps it correct when a second CPU comes; preemption
 * control joins when the scheduler does. */
#ifndef OOMLAB_KERNEL_SPINLOCK_H
#define OOMLAB_KERNEL_SPINLOCK_H
#include "kernel/x86.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name) {0}
#define DEFINE_SPINLOCK(name) spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

static inline void spin_lock_init(spinlock_t *lock)
{
	lock->locked = 0;
}

static inline bool spin_trylock(spinlock_t *lock)
{
	return __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline void spin_lock(spinlock_t *lock)
{
	while (!spin_trylock(lock))
		cpu_relax();
}

static inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *lock)
{
	return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) != 0;
}

#define spin_lock_irqsave(lock, flags)     \
	do {                               \
		(flags) = local_irq_save(); \
		spin_lock(lock);           \
	} while (0)

static inline void spin_unlock_irqrestore(spinlock_t *lock, uint64_t flags)
{
	spin_unlock(lock);
	local_irq_restore(flags);
}
#endif
