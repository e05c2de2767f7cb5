/* The stack protector (-fstack-protector-strong in the sanitize build): a
 * canary below each protected frame's return address, checked on return
 * against one global guard. Read first: the guard may change only while no
 * protected frame is live, so it is set once, first thing in kmain. */
#ifndef OOMLAB_KERNEL_STACKPROTECTOR_H
#define OOMLAB_KERNEL_STACKPROTECTOR_H
#include <stdint.h>

/* The value GCC compares canaries with (-mstack-protector-guard=global). */
extern uint64_t __stack_chk_guard;
/* Pick a random guard, as Linux's boot_init_stack_canary. */
void boot_init_stack_canary(void);
/* Called by a protected function whose canary changed: panics. */
void __stack_chk_fail(void) __attribute__((noreturn));
#endif
