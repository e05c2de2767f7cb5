/* spinlock_t with Linux's API. Read first: holding a spinlock disables
 * preemption (a task holding one is never switched out); the _irqsave
 * forms also keep interrupt handlers out. On one CPU the lock word mostly
 * catches misuse; the atomic exchange keeps it correct when SMP comes. */
#ifndef OOMLAB_KERNEL_SPINLOCK_H
#define OOMLAB_KERNEL_SPINLOCK_H
#include "kernel/preempt.h"
#include "kernel/x86.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name) \
	{                          \
		0                  \
	}
#define DEFINE_SPINLOCK(name) spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

static inline void spin_lock_init(spinlock_t *lock)
{
	lock->locked = 0;
}

static inline bool arch_spin_trylock(spinlock_t *lock)
{
	return __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

/* The raw lock, without preemption counting: for the scheduler's own run
 * queue, which is always taken with interrupts off. */
static inline void arch_spin_lock(spinlock_t *lock)
{
	while (!arch_spin_trylock(lock))
		cpu_relax();
}

static inline void arch_spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

static inline bool spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	if (arch_spin_trylock(lock))
		return true;
	preempt_enable();
	return false;
}

static inline void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	while (!arch_spin_trylock(lock))
		cpu_relax();
}

static inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
	preempt_enable();
}

static inline void spin_lock_irq(spinlock_t *lock)
{
	local_irq_disable();
	spin_lock(lock);
}

static inline void spin_unlock_irq(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
	preempt_enable_no_resched();
	local_irq_enable();
	if (preempt_count() == 0 && need_resched())
		preempt_schedule();
}

static inline bool spin_is_locked(const spinlock_t *lock)
{
	return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) != 0;
}

#define spin_lock_irqsave(lock, flags)      \
	do {                                \
		(flags) = local_irq_save(); \
		spin_lock(lock);            \
	} while (0)

/* Interrupts come back before the preemption point, so a reschedule
 * waiting for the lock to drop is taken with interrupts in their old state. */
static inline void spin_unlock_irqrestore(spinlock_t *lock, uint64_t flags)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
	preempt_enable_no_resched();
	local_irq_restore(flags);
	if (preempt_count() == 0 && need_resched() && !irqs_disabled())
		preempt_schedule();
}
#endif
