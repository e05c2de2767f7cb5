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
/* si_code values for fault signals, Linux's. */
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRERR 2
#define SA_RESTORER 0x04000000ul
#define SA_RESTART 0x10000000ul
#define SA_NODEFER 0x40000000ul
#define SA_SIGINFO 0x00000004ul

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

/* Send to a whole process (its leader), as kill(2). */
int kill_pid(int pid, int sig);
/* Fatal signal: every thread of p's process gets SIGKILL. */
void zap_other_threads(struct task_struct *p);
/* Build the rt_sigframe for a handler on the user stack (signal_frame.c):
 * 0, or -EFAULT when the stack cannot take it. */
int setup_rt_frame(int sig, const struct k_sigaction *ka, struct pt_regs *regs);
/* The user's live FPU registers into buf (fxsave), back (MXCSR made
 * valid first), or reset to the clean image of a new process. */
void fpu_save_user(uint8_t *buf);
void fpu_restore_user(uint8_t *buf);
void fpu_reset_user(void);
/* Before returning to user mode: reschedule, act on signals. */
void exit_to_user_mode(struct pt_regs *regs);
/* A user fault the task cannot survive (SIGSEGV/SIGBUS): deliver it. */
bool unhandled_signal(const struct task_struct *p, int sig);
void force_sig(int sig);
#endif
