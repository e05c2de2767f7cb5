/* System calls: Linux's x86_64 numbers and calling convention (number in
 * rax; arguments in rdi, rsi, rdx, r10, r8, r9; result or -errno in rax).
 * Read first: every handler takes the saved user registers and reads its
 * own arguments with syscall_arg(), as Linux's __x64_sys_* wrappers do;
 * numbers without a handler return -ENOSYS. */
#ifndef OOMLAB_KERNEL_SYSCALL_H
#define OOMLAB_KERNEL_SYSCALL_H
#include "kernel/ptrace.h"

#define __NR_read 0
#define __NR_write 1
#define __NR_open 2
#define __NR_close 3
#define __NR_fstat 5
#define __NR_lseek 8
#define __NR_mmap 9
#define __NR_mprotect 10
#define __NR_munmap 11
#define __NR_brk 12
#define __NR_rt_sigaction 13
#define __NR_rt_sigprocmask 14
#define __NR_rt_sigreturn 15
#define __NR_ioctl 16
#define __NR_readv 19
#define __NR_writev 20
#define __NR_pipe 22
#define __NR_sched_yield 24
#define __NR_mremap 25
#define __NR_madvise 28
#define __NR_dup 32
#define __NR_dup2 33
#define __NR_nanosleep 35
#define __NR_getpid 39
#define __NR_clone 56
#define __NR_fork 57
#define __NR_vfork 58
#define __NR_execve 59
#define __NR_exit 60
#define __NR_wait4 61
#define __NR_kill 62
#define __NR_fcntl 72
#define __NR_uname 63
#define __NR_getppid 110
#define __NR_getpriority 140
#define __NR_setpriority 141
#define __NR_sched_setscheduler 144
#define __NR_sched_getscheduler 145
#define __NR_mlock 149
#define __NR_munlock 150
#define __NR_mlockall 151
#define __NR_munlockall 152
#define __NR_prctl 157
#define __NR_arch_prctl 158
#define __NR_mount 165
#define __NR_umount2 166
#define __NR_reboot 169
#define __NR_gettid 186
#define __NR_tkill 200
#define __NR_tgkill 234
#define __NR_getdents64 217
#define __NR_set_tid_address 218
#define __NR_clock_gettime 228
#define __NR_exit_group 231
#define __NR_openat 257
#define __NR_dup3 292
#define __NR_pipe2 293
#define __NR_preadv 295
#define __NR_pwritev 296
#define NR_syscalls 335

typedef long (*sys_call_ptr_t)(const struct pt_regs *regs);

/* Argument n (0..5) of the system call in regs. */
static inline unsigned long syscall_arg(const struct pt_regs *regs, int n)
{
	switch (n) {
	case 0: return regs->rdi;
	case 1: return regs->rsi;
	case 2: return regs->rdx;
	case 3: return regs->r10;
	case 4: return regs->r8;
	default: return regs->r9;
	}
}

extern const sys_call_ptr_t sys_call_table[NR_syscalls];
void syscall_init(void);
#endif
