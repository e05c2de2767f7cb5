/* The user-stack signal frame (Linux's arch/x86/kernel/signal_64.c):
 * rt_sigframe = return address, ucontext, siginfo, then the FPU image.
 * Read first: the layout is Linux's x86_64 ABI to the byte, so a handler
 * written for Linux (SA_SIGINFO, reading uc_mcontext) works here; and
 * everything read back by rt_sigreturn is sanitised, because the user
 * owns that memory between delivery and return. */
#include "kernel/errno.h"
#include "kernel/gdt.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"

#define EFLAGS_USER_CHANGEABLE 0x00000dd5ul /* CF PF AF ZF SF TF DF OF */
#define EFLAGS_IF (1ul << 9)
#define RED_ZONE 128
#define FRAME_ALIGN 16
#define FPSTATE_ALIGN 64
#define USER_VA_END (1ul << 47) /* 4-level paging: the canonical lower half */
#define UC_SIGCONTEXT_SS 0x2
#define UC_STRICT_RESTORE_SS 0x4
#define SIGINFO_BYTES 128

/* Linux's struct sigcontext (x86_64), field for field. */
struct sigcontext_64 {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate; /* user address of the fxsave image */
	uint64_t reserved1[8];
};

struct user_stack_t {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

struct ucontext_64 {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct user_stack_t uc_stack;
	struct sigcontext_64 uc_mcontext;
	uint64_t uc_sigmask;
};

struct siginfo_64 {
	int32_t si_signo, si_errno, si_code, pad;
	union {
		struct {
			int32_t si_pid, si_uid;
		} kill;
		uint64_t si_addr;
		uint8_t bytes[SIGINFO_BYTES - 16];
	};
};

struct rt_sigframe {
	uint64_t pretcode; /* sa_restorer: the handler's return address */
	struct ucontext_64 uc;
	struct siginfo_64 info;
};

_Static_assert(sizeof(struct sigcontext_64) == 256, "Linux's sigcontext is 256 bytes");
_Static_assert(sizeof(struct siginfo_64) == SIGINFO_BYTES, "siginfo_t is 128 bytes");
_Static_assert(__builtin_offsetof(struct ucontext_64, uc_mcontext) == 40, "uc_mcontext at 40");
_Static_assert(__builtin_offsetof(struct rt_sigframe, info) == 8 + 304, "info after uc");

static void save_sigcontext(struct sigcontext_64 *sc, const struct pt_regs *regs,
			    unsigned long fpstate, unsigned long mask)
{
	sc->r8 = regs->r8, sc->r9 = regs->r9, sc->r10 = regs->r10, sc->r11 = regs->r11;
	sc->r12 = regs->r12, sc->r13 = regs->r13, sc->r14 = regs->r14, sc->r15 = regs->r15;
	sc->rdi = regs->rdi, sc->rsi = regs->rsi, sc->rbp = regs->rbp, sc->rbx = regs->rbx;
	sc->rdx = regs->rdx, sc->rax = regs->rax, sc->rcx = regs->rcx, sc->rsp = regs->rsp;
	sc->rip = regs->rip;
	sc->eflags = regs->rflags;
	sc->cs = (uint16_t)regs->cs;
	sc->ss = (uint16_t)regs->ss;
	sc->err = regs->error_code;
	sc->trapno = regs->vector;
	sc->oldmask = mask;
	sc->cr2 = current->fault_address;
	sc->fpstate = fpstate;
}

/* Never let a user frame choose the privilege level or IF. */
static void restore_sigcontext(struct pt_regs *regs, const struct sigcontext_64 *sc)
{
	regs->r8 = sc->r8, regs->r9 = sc->r9, regs->r10 = sc->r10, regs->r11 = sc->r11;
	regs->r12 = sc->r12, regs->r13 = sc->r13, regs->r14 = sc->r14, regs->r15 = sc->r15;
	regs->rdi = sc->rdi, regs->rsi = sc->rsi, regs->rbp = sc->rbp, regs->rbx = sc->rbx;
	regs->rdx = sc->rdx, regs->rax = sc->rax, regs->rcx = sc->rcx, regs->rsp = sc->rsp;
	regs->rip = sc->rip;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->rflags = (regs->rflags & ~EFLAGS_USER_CHANGEABLE) |
		       (sc->eflags & EFLAGS_USER_CHANGEABLE) | EFLAGS_IF;
}

/* What the handler's siginfo_t says: the fault's address for a SIGSEGV
 * or SIGBUS the CPU raised, the sender for kill and tgkill. */
static void copy_siginfo_to_frame(struct siginfo_64 *to, const struct kernel_siginfo *from)
{
	to->si_signo = from->si_signo;
	to->si_code = from->si_code;
	if (from->si_signo == SIGSEGV || from->si_signo == SIGBUS) {
		to->si_addr = from->si_addr;
	} else if (from->si_code == SI_USER || from->si_code == SI_TKILL) {
		to->kill.si_pid = from->si_pid;
		to->kill.si_uid = from->si_uid;
	}
}

int setup_rt_frame(const struct kernel_siginfo *info, const struct k_sigaction *ka,
		   struct pt_regs *regs)
{
	uint8_t fpu[FXSAVE_AREA_SIZE] __attribute__((aligned(16)));
	unsigned long fp = (regs->rsp - RED_ZONE - FXSAVE_AREA_SIZE) & ~(FPSTATE_ALIGN - 1);
	unsigned long sp = ((fp - sizeof(struct rt_sigframe)) & ~(FRAME_ALIGN - 1)) - 8;
	struct rt_sigframe frame;
	int sig = info->si_signo;

	/* sp + 8 is 16-aligned at the handler's entry, as after a call. */
	memset(&frame, 0, sizeof(frame));
	frame.pretcode = ka->restorer;
	frame.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	save_sigcontext(&frame.uc.uc_mcontext, regs, fp, current->blocked);
	frame.uc.uc_sigmask = current->blocked;
	copy_siginfo_to_frame(&frame.info, info);
	fpu_save_user(fpu);
	if (copy_to_user((void *)fp, fpu, sizeof(fpu)) ||
	    copy_to_user((void *)sp, &frame, sizeof(frame)))
		return -EFAULT;
	/* The handler starts from a clean FPU, as in Linux. */
	fpu_reset_user();
	regs->rsp = sp;
	regs->rip = ka->handler;
	regs->rdi = (uint64_t)sig;
	regs->rsi = sp + __builtin_offsetof(struct rt_sigframe, info);
	regs->rdx = sp + __builtin_offsetof(struct rt_sigframe, uc);
	regs->rax = 0;
	current->blocked |= ka->mask | (ka->flags & SA_NODEFER ? 0 : sigmask(sig));
	current->blocked &= ~UNBLOCKABLE;
	return 0;
}

/* The FPU image sigcontext points to, loaded; none (NULL) is a clean
 * FPU, as in Linux. Nonzero: unreadable, or fxrstor would fault on it. */
static int restore_fpstate(unsigned long fpstate)
{
	uint8_t fpu[FXSAVE_AREA_SIZE] __attribute__((aligned(16)));

	if (!fpstate) {
		fpu_reset_user();
		return 0;
	}
	if (copy_from_user(fpu, (const void *)fpstate, sizeof(fpu)))
		return -EFAULT;
	return fpu_restore_user(fpu);
}

long sys_rt_sigreturn(const struct pt_regs *cregs);
long sys_rt_sigreturn(const struct pt_regs *cregs)
{
	struct pt_regs *regs = (struct pt_regs *)cregs;
	struct rt_sigframe frame;
	/* The handler's ret popped pretcode: the frame starts 8 below rsp. */
	unsigned long sp = regs->rsp - 8;

	if (copy_from_user(&frame, (const void *)sp, sizeof(frame)))
		goto badframe;
	/* iretq to a non-canonical rip faults in the kernel, on iretq. */
	if (frame.uc.uc_mcontext.rip >= USER_VA_END)
		goto badframe;
	if (restore_fpstate(frame.uc.uc_mcontext.fpstate))
		goto badframe;
	restore_sigcontext(regs, &frame.uc.uc_mcontext);
	current->blocked = frame.uc.uc_sigmask & ~UNBLOCKABLE;
	return (long)regs->rax;
badframe:
	/* As Linux's signal_fault: the registers stay as the syscall left
	 * them, and the task gets SIGSEGV. */
	force_sig(SIGSEGV);
	return 0;
}
