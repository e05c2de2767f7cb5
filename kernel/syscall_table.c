/* The system call table: number -> handler. Read first: each subsystem
 * implements its handlers in its own file and lists them here, in number
 * order; anything not listed is -ENOSYS (Linux's sys_ni_syscall). */
#include "kernel/errno.h"
#include "kernel/syscall.h"

/* kernel/sys.c, exit.c, fork.c, exec.c, signal.c and mm/: the lead's */
long sys_brk(const struct pt_regs *regs);
long sys_mmap(const struct pt_regs *regs);
long sys_mprotect(const struct pt_regs *regs);
long sys_munmap(const struct pt_regs *regs);
long sys_rt_sigaction(const struct pt_regs *regs);
long sys_rt_sigprocmask(const struct pt_regs *regs);
long sys_rt_sigreturn(const struct pt_regs *regs);
long sys_sched_yield(const struct pt_regs *regs);
long sys_madvise(const struct pt_regs *regs);
long sys_mremap(const struct pt_regs *regs);
long sys_nanosleep(const struct pt_regs *regs);
long sys_getpid(const struct pt_regs *regs);
long sys_clone(const struct pt_regs *regs);
long sys_fork(const struct pt_regs *regs);
long sys_vfork(const struct pt_regs *regs);
long sys_execve(const struct pt_regs *regs);
long sys_exit(const struct pt_regs *regs);
long sys_wait4(const struct pt_regs *regs);
long sys_kill(const struct pt_regs *regs);
long sys_uname(const struct pt_regs *regs);
long sys_getppid(const struct pt_regs *regs);
long sys_getpriority(const struct pt_regs *regs);
long sys_setpriority(const struct pt_regs *regs);
long sys_sched_setscheduler(const struct pt_regs *regs);
long sys_sched_getscheduler(const struct pt_regs *regs);
long sys_mlock(const struct pt_regs *regs);
long sys_munlock(const struct pt_regs *regs);
long sys_mlockall(const struct pt_regs *regs);
long sys_munlockall(const struct pt_regs *regs);
long sys_arch_prctl(const struct pt_regs *regs);
long sys_prctl(const struct pt_regs *regs);
long sys_reboot(const struct pt_regs *regs);
long sys_gettid(const struct pt_regs *regs);
long sys_set_tid_address(const struct pt_regs *regs);
long sys_clock_gettime(const struct pt_regs *regs);
long sys_exit_group(const struct pt_regs *regs);
long sys_tgkill(const struct pt_regs *regs);
long sys_tkill(const struct pt_regs *regs);

/* kernel/fs/: files (the VFS engineer's) */
long sys_mount(const struct pt_regs *regs);
long sys_umount2(const struct pt_regs *regs);
long sys_read(const struct pt_regs *regs);
long sys_write(const struct pt_regs *regs);
long sys_open(const struct pt_regs *regs);
long sys_close(const struct pt_regs *regs);
long sys_fstat(const struct pt_regs *regs);
long sys_lseek(const struct pt_regs *regs);
long sys_ioctl(const struct pt_regs *regs);
long sys_pipe(const struct pt_regs *regs);
long sys_dup(const struct pt_regs *regs);
long sys_dup2(const struct pt_regs *regs);
long sys_dup3(const struct pt_regs *regs);
long sys_fcntl(const struct pt_regs *regs);
long sys_getdents64(const struct pt_regs *regs);
long sys_openat(const struct pt_regs *regs);
long sys_pipe2(const struct pt_regs *regs);
long sys_readv(const struct pt_regs *regs);
long sys_writev(const struct pt_regs *regs);
long sys_preadv(const struct pt_regs *regs);
long sys_pwritev(const struct pt_regs *regs);

const sys_call_ptr_t sys_call_table[NR_syscalls] = {
	[__NR_read] = sys_read,
	[__NR_write] = sys_write,
	[__NR_open] = sys_open,
	[__NR_close] = sys_close,
	[__NR_fstat] = sys_fstat,
	[__NR_lseek] = sys_lseek,
	[__NR_mmap] = sys_mmap,
	[__NR_mprotect] = sys_mprotect,
	[__NR_munmap] = sys_munmap,
	[__NR_brk] = sys_brk,
	[__NR_rt_sigaction] = sys_rt_sigaction,
	[__NR_rt_sigprocmask] = sys_rt_sigprocmask,
	[__NR_rt_sigreturn] = sys_rt_sigreturn,
	[__NR_ioctl] = sys_ioctl,
	[__NR_readv] = sys_readv,
	[__NR_writev] = sys_writev,
	[__NR_pipe] = sys_pipe,
	[__NR_sched_yield] = sys_sched_yield,
	[__NR_mremap] = sys_mremap,
	[__NR_madvise] = sys_madvise,
	[__NR_dup] = sys_dup,
	[__NR_dup2] = sys_dup2,
	[__NR_dup3] = sys_dup3,
	[__NR_fcntl] = sys_fcntl,
	[__NR_nanosleep] = sys_nanosleep,
	[__NR_getpid] = sys_getpid,
	[__NR_clone] = sys_clone,
	[__NR_fork] = sys_fork,
	[__NR_vfork] = sys_vfork,
	[__NR_execve] = sys_execve,
	[__NR_exit] = sys_exit,
	[__NR_wait4] = sys_wait4,
	[__NR_kill] = sys_kill,
	[__NR_uname] = sys_uname,
	[__NR_getppid] = sys_getppid,
	[__NR_getpriority] = sys_getpriority,
	[__NR_setpriority] = sys_setpriority,
	[__NR_sched_setscheduler] = sys_sched_setscheduler,
	[__NR_sched_getscheduler] = sys_sched_getscheduler,
	[__NR_mlock] = sys_mlock,
	[__NR_munlock] = sys_munlock,
	[__NR_mlockall] = sys_mlockall,
	[__NR_munlockall] = sys_munlockall,
	[__NR_prctl] = sys_prctl,
	[__NR_arch_prctl] = sys_arch_prctl,
	[__NR_mount] = sys_mount,
	[__NR_umount2] = sys_umount2,
	[__NR_reboot] = sys_reboot,
	[__NR_gettid] = sys_gettid,
	[__NR_getdents64] = sys_getdents64,
	[__NR_set_tid_address] = sys_set_tid_address,
	[__NR_clock_gettime] = sys_clock_gettime,
	[__NR_exit_group] = sys_exit_group,
	[__NR_tkill] = sys_tkill,
	[__NR_tgkill] = sys_tgkill,
	[__NR_openat] = sys_openat,
	[__NR_pipe2] = sys_pipe2,
	[__NR_preadv] = sys_preadv,
	[__NR_pwritev] = sys_pwritev,
};
