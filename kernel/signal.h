/* Signals a user can see (Linux's kernel/signal.c, a subset): per-process
 * actions, per-thread pending and blocked masks, default actions, handlers
 * with an rt_sigframe on the user stack. Read first: a signal is only acted
 * on when the task returns to user mode (exit_to_user_mode); in the kernel
 * it merely ends sleeps that allow it. */
#ifndef OOMLAB_KERNEL_SIGNAL_H
#define OOMLAB_KERNEL_SIGNAL_H
#include "kernel/ptrace.h"
#include "kernel/sched.h"

#define SIG_DFL 0ul
#define SIG_IGN 1ul
#define SA_NOCLDWAIT 0x00000002ul
/* si_code values, Linux's: who sent it, or which fault it reports. */
#define SI_USER 0      /* kill(2) */
#define SI_KERNEL 0x80 /* the kernel itself */
#define SI_TKILL (-6)  /* tgkill(2) */
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRERR 2
#define SA_RESTORER 0x04000000ul
#define SA_RESTART 0x10000000ul
#define SA_NODEFER 0x40000000ul
#define SA_SIGINFO 0x00000004ul
/* Signals no mask may hold back. */
#define UNBLOCKABLE (sigmask(SIGKILL) | sigmask(SIGSTOP))

/* x86_64 rt_sigaction's layout. */
struct k_sigaction {
	unsigned long handler;
	unsigned long flags;
	unsigned long restorer;
	unsigned long mask;
};

struct sighand_struct {
	int count;
	struct k_sigaction action[_NSIG];
};

static inline unsigned long sigmask(int sig)
{
	return 1ul << (sig - 1);
}

/* Kernel threads ignore signals other than SIGKILL unless they allow them. */
void allow_signal(int sig);
struct sighand_struct *sighand_alloc(void);
struct sighand_struct *sighand_copy(const struct sighand_struct *old);
void sighand_put(struct sighand_struct *sighand);
/* exec: handled signals go back to their default actions. */
void flush_signal_handlers(struct task_struct *p);

/* Mark sig pending in p with info (what its handler's siginfo_t will
 * say). send_sig is the same with SI_KERNEL: the kernel sent it. */
int send_sig_info(int sig, const struct kernel_siginfo *info, struct task_struct *p);
/* Take the next deliverable signal of p off its pending set: its number
 * and info, or 0 when none is deliverable. */
int dequeue_signal(struct task_struct *p, struct kernel_siginfo *info);
/* May a signal sent for user space (kill, tgkill, tkill, Ctrl-C, the OOM
 * killer) reach p? 0, or -EPERM (p is a kernel thread that did not
 * allow_signal it), -ESRCH (p is gone), -EINVAL (no such signal). Every
 * such sender asks this before send_sig_info. */
int check_kill_permission(int sig, const struct task_struct *p);
/* Send to a whole process (its leader), as kill(2) from current: SI_USER. */
int kill_pid(int pid, int sig);
/* Fatal signal: every thread of p's process gets SIGKILL. */
void zap_other_threads(struct task_struct *p);
/* Build the rt_sigframe for a handler on the user stack (signal_frame.c):
 * 0, or -EFAULT when the stack cannot take it. */
int setup_rt_frame(const struct kernel_siginfo *info, const struct k_sigaction *ka,
		   struct pt_regs *regs);
/* The user's live FPU registers into buf (fxsave; the bytes it leaves
 * alone are zeroed), back from buf (-EINVAL, nothing loaded, when its
 * MXCSR sets bits this CPU reserves: fxrstor would #GP), or reset to the
 * clean image of a new process. */
void fpu_save_user(uint8_t *buf);
int fpu_restore_user(const uint8_t *buf);
void fpu_reset_user(void);
/* Job control (signal_stop.c). Is sig one whose default is to stop? */
bool sig_kernel_stop(int sig);
/* At send, whatever the action: a stop signal cancels a pending SIGCONT,
 * SIGCONT cancels pending stops and resumes a stopped process. */
void prepare_signal_stop_cont(int sig, struct task_struct *p);
/* current took a default-action stop signal: stop the process. */
void do_signal_stop(int sig);
/* current counts as stopped, then sleeps in TASK_STOPPED until SIGCONT
 * or SIGKILL. */
void do_jobctl_stop(void);
/* An exiting thread that was asked to stop counts as stopped. */
void jobctl_exit(struct task_struct *p);
/* Before returning to user mode: reschedule, act on signals. */
void exit_to_user_mode(struct pt_regs *regs);
/* A user fault the task cannot survive (SIGSEGV/SIGBUS): deliver it. */
bool unhandled_signal(const struct task_struct *p, int sig);
/* Deliver sig to current even if it blocks or ignores it (SI_KERNEL);
 * force_sig_fault says which fault and where, for the handler. */
void force_sig(int sig);
void force_sig_fault(int sig, int code, unsigned long addr);
#endif
