/* ucontext.h: what an SA_SIGINFO handler's third argument points to,
 * Linux's x86_64 layout (gregs in sigcontext order). Read first: writing
 * uc_mcontext.gregs changes the registers the interrupted code resumes
 * with, once the handler returns through rt_sigreturn. */
#ifndef _UCONTEXT_H
#define _UCONTEXT_H
#include <signal.h>
#include <stddef.h>

enum {
	REG_R8,
	REG_R9,
	REG_R10,
	REG_R11,
	REG_R12,
	REG_R13,
	REG_R14,
	REG_R15,
	REG_RDI,
	REG_RSI,
	REG_RBP,
	REG_RBX,
	REG_RDX,
	REG_RAX,
	REG_RCX,
	REG_RSP,
	REG_RIP,
	REG_EFL,
	REG_CSGSFS,
	REG_ERR,
	REG_TRAPNO,
	REG_OLDMASK,
	REG_CR2,
	NGREG
};

typedef long long greg_t;

typedef struct {
	greg_t gregs[NGREG];
	void *fpregs; /* the fxsave image (512 bytes) */
	unsigned long long __reserved1[8];
} mcontext_t;

typedef struct {
	void *ss_sp;
	int ss_flags;
	size_t ss_size;
} stack_t;

typedef struct ucontext_t {
	unsigned long uc_flags;
	struct ucontext_t *uc_link;
	stack_t uc_stack;
	mcontext_t uc_mcontext;
	sigset_t uc_sigmask;
} ucontext_t;
#endif
