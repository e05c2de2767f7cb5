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
#define MXCSR_ROUND_TOWARD_ZERO 0x7f80u /* all exceptions masked, RC = 11 */
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define HANDLER_RAX 42

static volatile int handled;

/* Everything a compiled handler might leave behind in SSE state. */
static void clobber_sse(int sig)
{
	unsigned int mxcsr = MXCSR_ROUND_TOWARD_ZERO;

	(void)sig;
	__asm__ volatile("pcmpeqd %%xmm0, %%xmm0\n\t"
			 "pcmpeqd %%xmm7, %%xmm7\n\t"
			 "pcmpeqd %%xmm15, %%xmm15\n\t"
			 "ldmxcsr %0" ::"m"(mxcsr)
			 : "xmm0", "xmm7", "xmm15");
	handled++;
}

int test_signal_keeps_sse(void)
{
	struct sigaction act = {.sa_handler = clobber_sse};
	unsigned long in[2] = {XMM_LOW, XMM_HIGH}, out[2] = {0, 0};
	unsigned int mxcsr_before, mxcsr_after;
	pid_t pid = getpid();

	CHECK_EQ(sigaction(SIGUSR1, &act, NULL), 0);
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr_before));
	/* kill(getpid(), SIGUSR1) by hand, so nothing between the load and
	 * the store can touch xmm7: the handler runs on the way out. */
	__asm__ volatile("movdqu (%[in]), %%xmm7\n\t"
			 "syscall\n\t"
			 "movdqu %%xmm7, (%[out])"
			 :
			 : [in] "r"(in), [out] "r"(out), "a"((long)SYS_kill), "D"((long)pid),
			   "S"((long)SIGUSR1)
			 : "rcx", "r11", "xmm7", "memory");
	__asm__ volatile("stmxcsr %0" : "=m"(mxcsr_after));
	CHECK_EQ(handled, 1);
	CHECK(out[0] == XMM_LOW && out[1] == XMM_HIGH);
	CHECK_EQ(mxcsr_after, mxcsr_before);
	act.sa_handler = SIG_DFL;
	CHECK_EQ(sigaction(SIGUSR1, &act, NULL), 0);
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
