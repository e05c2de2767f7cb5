/* The calls the fuzzer makes: every system call in kernel/syscall_table.c,
 * each with its arguments' meanings, plus numbers the kernel does not
 * implement. Read first: the deny-list lives here, as the "special"
 * functions: each one names what it refuses and why; anything a special
 * does not touch is passed to the kernel exactly as drawn. */
#include <signal.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "fuzz.h"

#define SYS_ioctl 16
#define SYS_pipe 22
#define SYS_vfork 58
#define SYS_reboot 169
#define SYS_set_tid_address 218

#define LINUX_REBOOT_MAGIC1 0xfee1deadl
#define SCHED_RESET_ON_FORK 0x40000000l
#define SCHED_FIFO 1
#define SCHED_RR 2
#define PRIO_PROCESS 0
#define CLONE_VM 0x100l
#define NOT_A_PID (0x40000000l + 12345) /* above Linux's PID_MAX_LIMIT */
#define MAX_FORK_DEPTH 2
#define MAX_FORKS 2
/* Numbers no kernel implements, in both Linux and oomlab (whose
 * NR_syscalls is 335): the gap after rseq (334) up to 424, and from 1024
 * up, where the low 30 bits stay unused whatever a kernel does with the
 * higher ones (x32's 0x40000000, bit 31, bits above 32). */
#define GAP_FIRST_NR 335
#define GAP_SPAN 89
#define HIGH_FIRST_NR 1024
#define HIGH_SPAN (0x40000000l - HIGH_FIRST_NR)

/* Keeps a process id argument to ourselves, our children or no process:
 * a random pid could be the shell, init or the fuzzer itself, and
 * killing those ends the test for an uninteresting reason. */
static long own_pid_or_none(struct child *c, long pid)
{
	if (pid == syscall0(SYS_getpid))
		return pid;
	for (int i = 0; i < c->nr_pids; i++)
		if (pid == c->pids[i])
			return pid;
	return pid >= NOT_A_PID || pid == -2147483647l - 1 ? pid : NOT_A_PID;
}

/* kill(0) and kill(-1) signal a process group and every process on
 * Linux (the fuzzer, the shell, init): refused here, though oomlab
 * answers EINVAL to both today. */
static long sp_kill(struct child *c, const struct fuzz_call *call, long a[MAX_ARGS])
{
	(void)call;
	a[0] = own_pid_or_none(c, a[0]);
	return syscall2(SYS_kill, a[0], a[1]);
}

/* tgkill: the same rule for both ids (and so no tgkill at a kernel
 * thread, issue 16's defect 4: it is accepted and khungtaskd then spins;
 * known bug, fixed by the syscalls branch). */
static long sp_tgkill(struct child *c, const struct fuzz_call *call, long a[MAX_ARGS])
{
	(void)call;
	a[0] = own_pid_or_none(c, a[0]);
	a[1] = own_pid_or_none(c, a[1]);
	return syscall3(SYS_tgkill, a[0], a[1], a[2]);
}

/* Never both magic numbers: with them reboot powers the machine off. */
static long sp_reboot(struct child *c, const struct fuzz_call *call, long a[MAX_ARGS])
{
	(void)c;
	(void)call;
	if (a[0] == LINUX_REBOOT_MAGIC1)
		a[0] = ~a[0];
	return syscall4(SYS_reboot, a[0], a[1], a[2], a[3]);
}

/* No SCHED_FIFO or SCHED_RR: oomlab has no RT throttling, so a real-time
 * child that loops starves the fuzzer, the shell and the runner. Other
 * policies, bad ones included, pass. Only for ourselves or no one. */
static long sp_sched_setscheduler(struct child *c, const struct fuzz_call *call, long a[MAX_ARGS])
{
	long policy = a[1] & ~SCHED_RESET_ON_FORK;

	(void)call;
	if (policy == SCHED_FIFO || policy == SCHED_RR)
		a[1] ^= policy; /* SCHED_NORMAL, with the other bits kept */
	a[0] = a[0] == 0 ? 0 : own_pid_or_none(c, a[0]);
	return syscall3(SYS_sched_setscheduler, a[0], a[1], a[2]);
}

/* Nice values only for ourselves or no one (PRIO_USER would reach the
 * shell and init). */
static long sp_priority(struct child *c, const struct fuzz_call *call, long a[MAX_ARGS])
{
	if (a[0] != PRIO_PROCESS)
		a[1] = NOT_A_PID;
	else if (a[1] != 0)
		a[1] = own_pid_or_none(c, a[1]);
	return syscall3(call->nr, a[0], a[1], a[2]);
}

static void remember_child(struct child *c, long pid)
{
	if (pid > 0 && c->nr_pids < (int)(sizeof(c->pids) / sizeof(c->pids[0])))
		c->pids[c->nr_pids++] = (int)pid;
}

/* A fork goes on fuzzing with its own stream, at most MAX_FORKS per
 * process and MAX_FORK_DEPTH deep: a fork bomb would only measure RAM. */
static long sp_fork(struct child *c, const struct fuzz_call *call, long a[MAX_ARGS])
{
	long pid;

	(void)call;
	(void)a;
	if (c->depth >= MAX_FORK_DEPTH || c->forks >= MAX_FORKS)
		return syscall0(SYS_getpid);
	c->forks++;
	pid = syscall0(SYS_fork);
	if (pid == 0)
		child_continue_after_fork(c, 1);
	remember_child(c, pid);
	return pid;
}

/* A vfork child shares our stack: it may only exec or exit, so it does
 * both with raw system calls and returns from nothing. */
static long sp_vfork(struct child *c, const struct fuzz_call *call, long a[MAX_ARGS])
{
	const char *path = pool_safe_exec_path(c);
	long pid;

	(void)call;
	if (c->depth >= MAX_FORK_DEPTH || c->forks >= MAX_FORKS)
		return syscall0(SYS_getpid);
	c->forks++;
	pid = syscall0(SYS_vfork);
	if (pid == 0) {
		syscall3(SYS_execve, (long)path, a[1], a[2]);
		syscall1(SYS_exit, 127);
	}
	remember_child(c, pid);
	return pid;
}

/* clone with random flags, stack, tids and TLS. A child that shares our
 * memory exits at once, before touching a stack (it may have been given
 * none, or ours); one that does not goes on like a fork, or faults on the
 * stack it was given. Both branches are decided in registers only. */
static long sp_clone(struct child *c, const struct fuzz_call *call, long a[MAX_ARGS])
{
	long ret, ctid = a[3], tls = a[4];

	(void)call;
	if (c->depth >= MAX_FORK_DEPTH || c->forks >= MAX_FORKS)
		return syscall0(SYS_getpid);
	c->forks++;
	/* A fork-like child returns into C code: it gets our stack (0) or one
	 * that faults at once, never a random one that might hold a
	 * plausible return address. */
	if (!(a[0] & CLONE_VM) && a[1] && rng_chance(&c->rng, 70))
		a[1] = 0;
	else if (!(a[0] & CLONE_VM) && a[1])
		a[1] = (long)0xffffffff80000000;
	/* Nothing may run between the register variables and the asm. */
	register long r10 __asm__("r10") = ctid;
	register long r8 __asm__("r8") = tls;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "test $0x100, %%edi\n\t" /* CLONE_VM, still in rdi */
			 "jz 1f\n\t"
			 "mov $60, %%eax\n\t" /* exit(0): this thread only */
			 "xor %%edi, %%edi\n\t"
			 "syscall\n"
			 "1:"
			 : "=a"(ret)
			 : "a"((long)SYS_clone), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	if (ret == 0)
		child_continue_after_fork(c, 2);
	remember_child(c, ret);
	return ret;
}

/* Only programs that end by themselves (or none: a bad ELF or a
 * directory), with random argv and envp; never sh, init, fuzz, hog,
 * oomctl or poweroff, which would outlive the run or stop the machine. */
static long sp_execve(struct child *c, const struct fuzz_call *call, long a[MAX_ARGS])
{
	(void)call;
	if (rng_chance(&c->rng, 70))
		a[0] = (long)pool_safe_exec_path(c);
	else if (a[0] > 0 && a[0] < 0x800000000000l)
		a[0] = (long)"/nonexistent"; /* a bad pointer stays a bad pointer */
	return syscall3(SYS_execve, a[0], a[1], a[2]);
}

/* rt_sigreturn from a frame of random words: the kernel must refuse or
 * sanitize every field (segments, flags, the fpstate pointer). Where it
 * lets us return, the new rip is one of a few chosen values and every one
 * of them ends the process: 0, kernel and non-canonical addresses fault;
 * the exit stub exits. */
static long sp_rt_sigreturn(struct child *c, const struct fuzz_call *call, long a[MAX_ARGS])
{
	static uint64_t frame[128] __attribute__((aligned(16)));
	static const long rips[] = {0, (long)0xffffffff80000000, 0x800000000000, 0};
	/* frame[0] is the return address the handler's ret popped; the
	 * ucontext follows: uc_flags, uc_link, uc_stack (3 words), gregs[]. */
	long rip_slot = 1 + 5 + 16; /* gregs[REG_RIP] */

	(void)call;
	(void)a;
	for (unsigned int i = 0; i < sizeof(frame) / sizeof(frame[0]); i++)
		frame[i] = rng_chance(&c->rng, 50) ? rng_next(&c->rng) : rng_below(&c->rng, 0x100);
	frame[rip_slot] = (uint64_t)rips[rng_below(&c->rng, 4)];
	if (frame[rip_slot] == 0 && rng_chance(&c->rng, 50)) {
		extern char fuzz_exit_stub[];

		frame[rip_slot] = (uint64_t)fuzz_exit_stub;
	}
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "mov $15, %%eax\n\t"
			 "syscall\n"
			 ".globl fuzz_exit_stub\n"
			 "fuzz_exit_stub:\n\t"
			 "mov $231, %%eax\n\t" /* exit_group(0) */
			 "xor %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "ud2"
			 :
			 : "r"(&frame[1])
			 : "memory");
	__builtin_unreachable();
}

/* A number no kernel implements, sometimes with high bits set. */
static long sp_unknown(struct child *c, const struct fuzz_call *call, long a[MAX_ARGS])
{
	long nr = rng_chance(&c->rng, 50) ? GAP_FIRST_NR + (long)rng_below(&c->rng, GAP_SPAN)
					  : HIGH_FIRST_NR + (long)rng_below(&c->rng, HIGH_SPAN);

	(void)call;
	if (rng_chance(&c->rng, 20))
		nr |= 0x40000000l;
	if (rng_chance(&c->rng, 20))
		nr |= 0x80000000l;
	if (rng_chance(&c->rng, 20))
		nr |= (long)(rng_next(&c->rng) << 32);
	if (rng_chance(&c->rng, 10))
		nr = -1;
	return syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* The touch's two loads and stores, in assembly so that the fault
 * handler knows their addresses: a fault there returns -EFAULT from
 * fuzz_touch_fault instead (no register is pushed before the access, so
 * its ret finds the caller's return address). */
long fuzz_touch_read(volatile char *p);
long fuzz_touch_write(volatile char *p, long value);
extern char fuzz_touch_read_insn[], fuzz_touch_write_insn[], fuzz_touch_fault[];
__asm__(".text\n"
	"fuzz_touch_read:\n"
	"fuzz_touch_read_insn: movzbl (%rdi), %eax\n"
	"	ret\n"
	"fuzz_touch_write:\n"
	"fuzz_touch_write_insn: movb %sil, (%rdi)\n"
	"	xor %eax, %eax\n"
	"	ret\n"
	"fuzz_touch_fault: mov $-14, %rax\n"
	"	ret\n");

static void touch_fault(int sig, siginfo_t *info, void *ucontext)
{
	greg_t *rip = &((ucontext_t *)ucontext)->uc_mcontext.gregs[REG_RIP];

	(void)info;
	if (*rip == (greg_t)fuzz_touch_read_insn || *rip == (greg_t)fuzz_touch_write_insn)
		*rip = (greg_t)fuzz_touch_fault;
	else
		signal(sig, SIG_DFL); /* not ours: the fault comes again and kills */
}

/* Not a system call: a read or a write of one byte of one of our
 * mappings, so that the fault paths (demand-zero, COW, file pages, past
 * the end of a file, PROT_NONE) run too. The child survives a SIGSEGV or
 * SIGBUS here, unless a fuzzed rt_sigaction changed the handler since. */
static long sp_touch(struct child *c, const struct fuzz_call *call, long a[MAX_ARGS])
{
	volatile char *p = (volatile char *)pool_mapping_byte(c);
	struct sigaction sa = {.sa_sigaction = touch_fault, .sa_flags = SA_SIGINFO | SA_NODEFER};

	(void)call;
	(void)a;
	if (!p)
		return -1;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	if (rng_chance(&c->rng, 50))
		return fuzz_touch_read(p);
	return fuzz_touch_write(p, (long)rng_next(&c->rng));
}

#define A(...)              \
	{                   \
		__VA_ARGS__ \
	}

/* Weights: how often each call is drawn; the calls that end the process
 * (exit, exit_group, rt_sigreturn, execve, kill of itself) are rare, so
 * that a child lives long enough to build up state. */
const struct fuzz_call fuzz_calls[] = {
	{"read", SYS_read, 3, A(ARG_FD, ARG_BUF, ARG_LEN), 20, NULL},
	{"write", SYS_write, 3, A(ARG_FD, ARG_BUF, ARG_LEN), 20, NULL},
	{"open", SYS_open, 3, A(ARG_PATH, ARG_OPEN_FLAGS, ARG_MODE), 16, NULL},
	{"close", SYS_close, 1, A(ARG_FD), 8, NULL},
	{"fstat", SYS_fstat, 2, A(ARG_FD, ARG_BUF), 10, NULL},
	{"lseek", SYS_lseek, 3, A(ARG_FD, ARG_OFFSET, ARG_SMALL), 10, NULL},
	{"mmap", SYS_mmap, 6,
	 A(ARG_MAP_ADDR, ARG_MAP_LEN, ARG_PROT, ARG_MAP_FLAGS, ARG_FD, ARG_OFFSET), 24, NULL},
	{"mprotect", SYS_mprotect, 3, A(ARG_MAP_ADDR, ARG_MAP_LEN, ARG_PROT), 12, NULL},
	{"munmap", SYS_munmap, 2, A(ARG_MAP_ADDR, ARG_MAP_LEN), 10, NULL},
	{"brk", SYS_brk, 1, A(ARG_MAP_ADDR), 8, NULL},
	{"rt_sigaction", SYS_rt_sigaction, 4, A(ARG_SIG, ARG_SIGACT, ARG_BUF, ARG_SMALL), 10, NULL},
	{"rt_sigprocmask", SYS_rt_sigprocmask, 4, A(ARG_SMALL, ARG_SIGSET, ARG_BUF, ARG_SMALL), 8,
	 NULL},
	{"rt_sigreturn", SYS_rt_sigreturn, 0, A(ARG_ANY), 1, sp_rt_sigreturn},
	{"ioctl", SYS_ioctl, 3, A(ARG_FD, ARG_ANY, ARG_BUF), 10, NULL},
	{"pipe", SYS_pipe, 1, A(ARG_BUF), 6, NULL},
	{"sched_yield", SYS_sched_yield, 0, A(ARG_ANY), 4, NULL},
	{"madvise", SYS_madvise, 3, A(ARG_MAP_ADDR, ARG_MAP_LEN, ARG_SMALL), 12, NULL},
	{"mremap", SYS_mremap, 5,
	 A(ARG_MAP_ADDR, ARG_MAP_LEN, ARG_MAP_LEN, ARG_MREMAP_FLAGS, ARG_MAP_ADDR), 10, NULL},
	{"readv", SYS_readv, 3, A(ARG_FD, ARG_IOVEC, ARG_IOVCNT), 10, NULL},
	{"writev", SYS_writev, 3, A(ARG_FD, ARG_IOVEC, ARG_IOVCNT), 10, NULL},
	{"preadv", SYS_preadv, 5, A(ARG_FD, ARG_IOVEC, ARG_IOVCNT, ARG_OFFSET, ARG_ANY), 6, NULL},
	{"pwritev", SYS_pwritev, 5, A(ARG_FD, ARG_IOVEC, ARG_IOVCNT, ARG_OFFSET, ARG_ANY), 6, NULL},
	{"dup", SYS_dup, 1, A(ARG_FD), 6, NULL},
	{"dup2", SYS_dup2, 2, A(ARG_FD, ARG_FD), 6, NULL},
	{"dup3", SYS_dup3, 3, A(ARG_FD, ARG_FD, ARG_FLAGS), 6, NULL},
	{"fcntl", SYS_fcntl, 3, A(ARG_FD, ARG_SMALL, ARG_ANY), 10, NULL},
	{"nanosleep", SYS_nanosleep, 2, A(ARG_TIMESPEC, ARG_BUF), 6, NULL},
	{"getpid", SYS_getpid, 0, A(ARG_ANY), 2, NULL},
	{"clone", SYS_clone, 5, A(ARG_FLAGS, ARG_BUF, ARG_BUF, ARG_BUF, ARG_ANY), 6, sp_clone},
	{"fork", SYS_fork, 0, A(ARG_ANY), 4, sp_fork},
	{"vfork", SYS_vfork, 3, A(ARG_ANY, ARG_BUF, ARG_BUF), 2, sp_vfork},
	{"execve", SYS_execve, 3, A(ARG_PATH, ARG_BUF, ARG_BUF), 1, sp_execve},
	{"exit", SYS_exit, 1, A(ARG_ANY), 1, NULL},
	{"wait4", SYS_wait4, 4, A(ARG_PID, ARG_BUF, ARG_FLAGS, ARG_BUF), 6, NULL},
	{"kill", SYS_kill, 2, A(ARG_PID, ARG_SIG), 3, sp_kill},
	{"uname", SYS_uname, 1, A(ARG_BUF), 4, NULL},
	{"getppid", SYS_getppid, 0, A(ARG_ANY), 2, NULL},
	{"getpriority", SYS_getpriority, 2, A(ARG_SMALL, ARG_PID), 4, sp_priority},
	{"setpriority", SYS_setpriority, 3, A(ARG_SMALL, ARG_PID, ARG_ANY), 4, sp_priority},
	{"sched_setscheduler", SYS_sched_setscheduler, 3, A(ARG_PID, ARG_SMALL, ARG_SIGSET), 4,
	 sp_sched_setscheduler},
	{"sched_getscheduler", SYS_sched_getscheduler, 1, A(ARG_PID), 2, NULL},
	{"mlock", SYS_mlock, 2, A(ARG_MAP_ADDR, ARG_MAP_LEN), 8, NULL},
	{"munlock", SYS_munlock, 2, A(ARG_MAP_ADDR, ARG_MAP_LEN), 6, NULL},
	{"mlockall", SYS_mlockall, 1, A(ARG_FLAGS), 4, NULL},
	{"munlockall", SYS_munlockall, 0, A(ARG_ANY), 4, NULL},
	{"arch_prctl", SYS_arch_prctl, 2, A(ARG_ANY, ARG_BUF), 4, NULL},
	{"reboot", SYS_reboot, 4, A(ARG_ANY, ARG_ANY, ARG_ANY, ARG_BUF), 2, sp_reboot},
	{"gettid", SYS_gettid, 0, A(ARG_ANY), 2, NULL},
	{"getdents64", SYS_getdents64, 3, A(ARG_FD, ARG_BUF, ARG_LEN), 10, NULL},
	{"set_tid_address", SYS_set_tid_address, 1, A(ARG_BUF), 4, NULL},
	{"clock_gettime", SYS_clock_gettime, 2, A(ARG_SMALL, ARG_BUF), 6, NULL},
	{"exit_group", SYS_exit_group, 1, A(ARG_ANY), 1, NULL},
	{"tgkill", SYS_tgkill, 3, A(ARG_PID, ARG_PID, ARG_SIG), 6, sp_tgkill},
	{"openat", SYS_openat, 4, A(ARG_FD, ARG_PATH, ARG_OPEN_FLAGS, ARG_MODE), 12, NULL},
	{"pipe2", SYS_pipe2, 2, A(ARG_BUF, ARG_FLAGS), 6, NULL},
	{"touch", -1, 0, A(ARG_ANY), 16, sp_touch},
	{"unknown", -1, 6, A(ARG_ANY, ARG_ANY, ARG_ANY, ARG_ANY, ARG_ANY, ARG_ANY), 4, sp_unknown},
};
const int nr_fuzz_calls = sizeof(fuzz_calls) / sizeof(fuzz_calls[0]);

const struct fuzz_call *pick_call(struct child *c)
{
	static int total;
	int w;

	if (!total)
		for (int i = 0; i < nr_fuzz_calls; i++)
			total += fuzz_calls[i].weight;
	w = (int)rng_below(&c->rng, (uint64_t)total);
	for (int i = 0; i < nr_fuzz_calls; i++) {
		if (w < fuzz_calls[i].weight)
			return &fuzz_calls[i];
		w -= fuzz_calls[i].weight;
	}
	return &fuzz_calls[0];
}
