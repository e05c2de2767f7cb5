/* signal_tests.c: the signal frame as a handler sees it: the FPU state
 * of the interrupted code survives the handler, siginfo says where a
 * fault was, and ucontext holds the registers and mask rt_sigreturn will
 * restore. Read first: every case runs the same on Linux, whose frame
 * layout this kernel follows to the byte. */
#include "usertests.h"
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define XMM_LOW 0x1122334455667788UL
#define XMM_HIGH 0x99aabbccddeeff00UL
#define NR_XMM 16
#define MXCSR_DEFAULT 0x1f80u		/* all exceptions masked, round to nearest */
#define MXCSR_ROUND_TOWARD_ZERO 0x7f80u /* all exceptions masked, RC = 11 */
#define MXCSR_RESERVED_BIT (1u << 31)	/* reserved on every x86_64 CPU */
#define FXSAVE_MXCSR 24			/* offsets in the fxsave image */
#define FXSAVE_XMM0 160
#define HANDLER_RAX 42
#define EFLAGS_IF (1UL << 9)
#define EFLAGS_IOPL (3UL << 12)
/* Not canonical with 4- or 5-level paging: iretq cannot go there. */
#define NON_CANONICAL 0x8000000000000000UL

static volatile int handled;

#define XMM_SET_ONES(n) "pcmpeqd %%xmm" #n ", %%xmm" #n "\n\t"
#define XMM_LOAD(n) "movdqu " #n "*16(%[in]), %%xmm" #n "\n\t"
#define XMM_STORE(n) "movdqu %%xmm" #n ", " #n "*16(%[out])\n\t"
#define XMM_ALL(op)                                                                             \
	op(0) op(1) op(2) op(3) op(4) op(5) op(6) op(7) op(8) op(9) op(10) op(11) op(12) op(13) \
		op(14) op(15)
#define XMM_CLOBBERS                                                                             \
	"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", \
		"xmm11", "xmm12", "xmm13", "xmm14", "xmm15"

/* Everything a compiled handler might leave behind in SSE state. */
static void clobber_sse(int sig)
{
	unsigned int mxcsr = MXCSR_ROUND_TOWARD_ZERO;

	(void)sig;
	__asm__ volatile(XMM_ALL(XMM_SET_ONES) "ldmxcsr %0" ::"m"(mxcsr) : XMM_CLOBBERS);
	handled++;
}

/* A handler that overwrites xmm0-15 and MXCSR changes none of them for
 * the code it interrupted. */
int test_signal_keeps_sse(void)
{
	struct sigaction act = {.sa_handler = clobber_sse};
	unsigned long in[NR_XMM][2], out[NR_XMM][2];
	unsigned int mxcsr_before, mxcsr_after;
	long nr = SYS_kill;
	pid_t pid = getpid();

	for (int i = 0; i < NR_XMM; i++) {
		in[i][0] = XMM_LOW + (unsigned long)i;
		in[i][1] = XMM_HIGH ^ (unsigned long)i;
	}
	memset(out, 0, sizeof(out));
	CHECK_EQ(sigaction(SIGUSR1, &act, NULL), 0);
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr_before));
	/* kill(getpid(), SIGUSR1) by hand, so nothing between the loads and
	 * the stores can touch an xmm register: the handler runs on the way
	 * out of the system call. */
	__asm__ volatile(XMM_ALL(XMM_LOAD) "syscall\n\t" XMM_ALL(XMM_STORE)
			 : "+a"(nr)
			 : [in] "r"(in), [out] "r"(out), "D"((long)pid), "S"((long)SIGUSR1)
			 : "rcx", "r11", "memory", XMM_CLOBBERS);
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr_after));
	CHECK_EQ(nr, 0);
	CHECK_EQ(handled, 1);
	for (int i = 0; i < NR_XMM; i++) {
		if (out[i][0] != in[i][0] || out[i][1] != in[i][1]) {
			diag("xmm%d: %016lx%016lx after the handler, expected %016lx%016lx", i,
			     out[i][1], out[i][0], in[i][1], in[i][0]);
			return 1;
		}
	}
	CHECK_EQ(mxcsr_after, mxcsr_before);
	act.sa_handler = SIG_DFL;
	CHECK_EQ(sigaction(SIGUSR1, &act, NULL), 0);
	return 0;
}

static unsigned int handler_mxcsr, frame_mxcsr;
static unsigned long frame_xmm7[2], fpregs_misalign;

static void inspect_fpregs(int sig, siginfo_t *info, void *ucontext)
{
	const char *fx = ((ucontext_t *)ucontext)->uc_mcontext.fpregs;

	(void)sig;
	(void)info;
	__asm__ volatile("stmxcsr %0" : "=m"(handler_mxcsr));
	memcpy(&frame_mxcsr, fx + FXSAVE_MXCSR, sizeof(frame_mxcsr));
	memcpy(frame_xmm7, fx + FXSAVE_XMM0 + 7 * 16, sizeof(frame_xmm7));
	fpregs_misalign = (unsigned long)fx % 16;
}

/* uc_mcontext.fpregs is the interrupted code's FPU image (fxsave layout,
 * 16-aligned); the handler itself starts with a clean FPU. */
int test_signal_frame_fpu_image(void)
{
	struct sigaction act = {.sa_sigaction = inspect_fpregs, .sa_flags = SA_SIGINFO};
	unsigned long xmm7[2] = {XMM_LOW, XMM_HIGH};
	unsigned int rz = MXCSR_ROUND_TOWARD_ZERO, dfl = MXCSR_DEFAULT;
	long nr = SYS_kill;

	CHECK_EQ(sigaction(SIGUSR1, &act, NULL), 0);
	__asm__ volatile("movdqu (%[x]), %%xmm7\n\t"
			 "ldmxcsr %[rz]\n\t"
			 "syscall\n\t"
			 "ldmxcsr %[dfl]"
			 : "+a"(nr)
			 : [x] "r"(xmm7), [rz] "m"(rz), [dfl] "m"(dfl), "D"((long)getpid()),
			   "S"((long)SIGUSR1)
			 : "rcx", "r11", "xmm7", "memory");
	CHECK_EQ(nr, 0);
	CHECK_EQ(frame_mxcsr, MXCSR_ROUND_TOWARD_ZERO);
	CHECK(frame_xmm7[0] == XMM_LOW && frame_xmm7[1] == XMM_HIGH);
	CHECK_EQ(fpregs_misalign, 0);
	CHECK_EQ(handler_mxcsr, MXCSR_DEFAULT);
	act.sa_handler = SIG_DFL;
	act.sa_flags = 0;
	CHECK_EQ(sigaction(SIGUSR1, &act, NULL), 0);
	return 0;
}

static siginfo_t info_seen;

static void keep_info(int sig, siginfo_t *info, void *ucontext)
{
	(void)sig;
	(void)ucontext;
	info_seen = *info;
}

/* siginfo names the sender: kill is SI_USER, tgkill SI_TKILL, and both
 * carry the sending process's pid. */
int test_siginfo_sender(void)
{
	struct sigaction act = {.sa_sigaction = keep_info, .sa_flags = SA_SIGINFO};

	CHECK_EQ(sigaction(SIGUSR2, &act, NULL), 0);
	memset(&info_seen, 0xff, sizeof(info_seen));
	CHECK_EQ(kill(getpid(), SIGUSR2), 0);
	CHECK_EQ(info_seen.si_signo, SIGUSR2);
	CHECK_EQ(info_seen.si_errno, 0);
	CHECK_EQ(info_seen.si_code, SI_USER);
	CHECK_EQ(info_seen.si_pid, getpid());
	memset(&info_seen, 0xff, sizeof(info_seen));
	CHECK_EQ(tgkill(getpid(), gettid(), SIGUSR2), 0);
	CHECK_EQ(info_seen.si_signo, SIGUSR2);
	CHECK_EQ(info_seen.si_code, SI_TKILL);
	CHECK_EQ(info_seen.si_pid, getpid());
	act.sa_handler = SIG_DFL;
	act.sa_flags = 0;
	CHECK_EQ(sigaction(SIGUSR2, &act, NULL), 0);
	return 0;
}

static void *fault_expected;
static int code_expected;

static void check_fault_info(int sig, siginfo_t *info, void *ucontext)
{
	ucontext_t *uc = ucontext;

	_exit(sig == SIGSEGV && info->si_signo == SIGSEGV && info->si_addr == fault_expected &&
			      info->si_code == code_expected &&
			      (void *)uc->uc_mcontext.gregs[REG_CR2] == fault_expected
		      ? 0
		      : 1);
}

static void write_there(void *arg)
{
	struct sigaction act = {.sa_sigaction = check_fault_info, .sa_flags = SA_SIGINFO};

	if (sigaction(SIGSEGV, &act, NULL))
		_exit(2);
	*(volatile char *)arg = 1;
	_exit(3); /* the write must not succeed */
}

/* SA_SIGINFO: si_addr and cr2 are the faulting address; si_code tells
 * "nothing mapped" (SEGV_MAPERR) from "mapped, not writable" (ACCERR). */
int test_siginfo_fault_address(void)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status;

	CHECK(p != MAP_FAILED);
	(void)*(volatile char *)p; /* present, read-only */
	CHECK_EQ(munmap(p + PAGE, PAGE), 0);
	fault_expected = p + PAGE + 8;
	code_expected = SEGV_MAPERR;
	status = run_in_child(write_there, fault_expected);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	fault_expected = p + 16;
	code_expected = SEGV_ACCERR;
	status = run_in_child(write_there, fault_expected);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_EQ(munmap(p, PAGE), 0);
	return 0;
}

static volatile unsigned long mask_seen;

static void edit_context(int sig, siginfo_t *info, void *ucontext)
{
	ucontext_t *uc = ucontext;

	(void)sig;
	(void)info;
	mask_seen = uc->uc_sigmask;
	uc->uc_mcontext.gregs[REG_RAX] = HANDLER_RAX;
	uc->uc_sigmask |= 1UL << (SIGUSR1 - 1); /* blocked after the return */
}

/* ucontext is what rt_sigreturn restores: a register the handler edits
 * is the one the interrupted code sees, and so is the signal mask. */
int test_ucontext_is_restored(void)
{
	struct sigaction act = {.sa_sigaction = edit_context, .sa_flags = SA_SIGINFO};
	sigset_t now, none;
	long rax;

	sigemptyset(&none);
	CHECK_EQ(sigprocmask(SIG_SETMASK, &none, NULL), 0);
	CHECK_EQ(sigaction(SIGUSR2, &act, NULL), 0);
	__asm__ volatile("syscall"
			 : "=a"(rax)
			 : "a"((long)SYS_kill), "D"((long)getpid()), "S"((long)SIGUSR2)
			 : "rcx", "r11", "memory");
	CHECK_EQ(rax, HANDLER_RAX);
	CHECK_EQ(mask_seen, 0); /* the mask before the handler */
	CHECK_EQ(sigprocmask(SIG_SETMASK, NULL, &now), 0);
	CHECK(now == 1UL << (SIGUSR1 - 1));
	CHECK_EQ(sigprocmask(SIG_SETMASK, &none, NULL), 0);
	act.sa_handler = SIG_DFL;
	act.sa_flags = 0;
	CHECK_EQ(sigaction(SIGUSR2, &act, NULL), 0);
	return 0;
}

/* ---- what rt_sigreturn refuses ---- */

static void (*edit_frame)(ucontext_t *uc);

static void call_edit_frame(int sig, siginfo_t *info, void *ucontext)
{
	(void)sig;
	(void)info;
	edit_frame(ucontext);
}

/* In the child: a handler edits the frame with arg, then returns. Exit
 * 0 means the edited state resumed and passed the checks below. */
static void return_through_edited_frame(void *arg)
{
	struct sigaction act = {.sa_sigaction = call_edit_frame, .sa_flags = SA_SIGINFO};
	unsigned long rflags;

	edit_frame = (void (*)(ucontext_t *))arg;
	if (sigaction(SIGUSR1, &act, NULL))
		_exit(2);
	raise(SIGUSR1);
	__asm__ volatile("pushfq\n\tpopq %0" : "=r"(rflags));
	_exit((rflags & EFLAGS_IOPL) || !(rflags & EFLAGS_IF) ? 1 : 0);
}

static int child_ends_with(void (*edit)(ucontext_t *), int sig)
{
	int status = run_in_child(return_through_edited_frame, (void *)edit);
	char what[64];

	if (sig ? WIFSIGNALED(status) && WTERMSIG(status) == sig
		: WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	diag("the child ended with %s, expected %s %d", describe_status(status, what, sizeof(what)),
	     sig ? "signal" : "exit", sig);
	return 1;
}

static void set_noncanonical_rip(ucontext_t *uc)
{
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)NON_CANONICAL;
}

static void set_reserved_mxcsr_bit(ucontext_t *uc)
{
	unsigned int mxcsr;
	char *fx = uc->uc_mcontext.fpregs;

	memcpy(&mxcsr, fx + FXSAVE_MXCSR, sizeof(mxcsr));
	mxcsr |= MXCSR_RESERVED_BIT;
	memcpy(fx + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
}

static void raise_iopl_clear_if(ucontext_t *uc)
{
	uc->uc_mcontext.gregs[REG_EFL] |= (greg_t)EFLAGS_IOPL;
	uc->uc_mcontext.gregs[REG_EFL] &= ~(greg_t)EFLAGS_IF;
}

static void drop_fpregs(ucontext_t *uc)
{
	uc->uc_mcontext.fpregs = NULL;
}

/* A frame the CPU could not resume (a rip that is not canonical, an
 * MXCSR with reserved bits) is SIGSEGV for the task, not a fault in the
 * kernel; IOPL and IF are not the frame's to choose; no FPU image at
 * all is a clean FPU. */
int test_sigreturn_sanitises_frame(void)
{
	if (child_ends_with(set_noncanonical_rip, SIGSEGV) ||
	    child_ends_with(set_reserved_mxcsr_bit, SIGSEGV) ||
	    child_ends_with(raise_iopl_clear_if, 0) || child_ends_with(drop_fpregs, 0))
		return 1;
	return 0;
}

static void sigreturn_on_unmapped_stack(void *arg)
{
	(void)arg;
	/* No handler ran: rsp points at nothing, and so does "the frame". */
	__asm__ volatile("movq $16, %%rsp\n\t"
			 "syscall" ::"a"((long)SYS_rt_sigreturn)
			 : "memory");
	__builtin_unreachable();
}

/* rt_sigreturn with no readable frame kills the caller with SIGSEGV. */
int test_sigreturn_bad_frame(void)
{
	int status = run_in_child(sigreturn_on_unmapped_stack, NULL);
	char what[64];

	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)
		return 0;
	diag("the child ended with %s, not SIGSEGV", describe_status(status, what, sizeof(what)));
	return 1;
}
