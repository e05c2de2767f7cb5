/* Call traces by walking frame pointers (the kernel is built with
 * -fno-omit-frame-pointer). Every stack read goes through
 * get_kernel_nofault, so a corrupt chain ends the trace, not the kernel. */
#ifndef OOMLAB_KERNEL_STACKTRACE_H
#define OOMLAB_KERNEL_STACKTRACE_H
#include "kernel/ptrace.h"
#include <stddef.h>
#include <stdint.h>
#define STACKTRACE_MAX_DEPTH 32
/* Return addresses from frame rbp upwards; returns how many were stored. */
size_t stack_trace_save_fp(uint64_t rbp, uint64_t *entries, size_t max);
/* Saved return addresses, one a line after `spaces` blanks (Linux's
 * stack_trace_print): for traces kept to be shown later, as lockdep's. */
void stack_trace_print(const uint64_t *entries, size_t n, int spaces);
/* "Call Trace:" block starting at the faulting instruction of regs. */
void show_trace_regs(const struct pt_regs *regs);
/* "Call Trace:" block of the caller, as Linux's dump_stack. */
void dump_stack(void);
struct task_struct;
/* "Call Trace:" of any task: the current one, or one switched out. */
void show_task_stack(const struct task_struct *p);
#endif
