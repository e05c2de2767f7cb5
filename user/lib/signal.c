/* signal.c: sigaction over rt_sigaction, kill, and the sigset helpers.
 * Read first: the kernel's struct sigaction is not the user's (handler,
 * flags, restorer, mask, in that order), and every handler is given
 * SA_RESTORER with __restore_rt, because x86_64 has no default return
 * path from a handler. */
#include "libc.h"
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct kernel_sigaction {
	void *handler;
	unsigned long flags;
	void (*restorer)(void);
	sigset_t mask;
};

static int bad_signal(int sig)
{
	return sig < 1 || sig >= NSIG;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct kernel_sigaction kact, kold;
	long ret;

	if (act) {
		kact.handler = (void *)act->sa_handler;
		kact.flags = (unsigned long)(unsigned int)act->sa_flags | SA_RESTORER;
		kact.restorer = __restore_rt;
		kact.mask = act->sa_mask;
	}
	ret = syscall4(SYS_rt_sigaction, sig, act ? (long)&kact : 0, old ? (long)&kold : 0,
		       sizeof(sigset_t));
	if (ret < 0)
		return (int)__syscall_ret(ret);
	if (old) {
		memset(old, 0, sizeof(*old));
		old->sa_handler = (sighandler_t)kold.handler;
		old->sa_flags = (int)kold.flags;
		old->sa_restorer = kold.restorer;
		old->sa_mask = kold.mask;
	}
	return 0;
}

/* BSD semantics, as glibc's signal(): the handler stays installed and
 * interrupted system calls restart. */
sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction act = {.sa_handler = handler, .sa_flags = SA_RESTART}, old;

	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	return (int)__syscall_ret(
		syscall4(SYS_rt_sigprocmask, how, (long)set, (long)old, sizeof(sigset_t)));
}

int kill(pid_t pid, int sig)
{
	return (int)__syscall_ret(syscall2(SYS_kill, pid, sig));
}

int tgkill(pid_t tgid, pid_t tid, int sig)
{
	return (int)__syscall_ret(syscall3(SYS_tgkill, tgid, tid, sig));
}

int raise(int sig)
{
	return tgkill(getpid(), gettid(), sig);
}

void abort(void)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};

	raise(SIGABRT);
	/* A handler returned, or the signal was ignored: force the default. */
	sigaction(SIGABRT, &dfl, NULL);
	raise(SIGABRT);
	_exit(127);
}

int sigemptyset(sigset_t *set)
{
	*set = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	*set = ~0UL;
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (bad_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	*set |= 1UL << (sig - 1);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (bad_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	*set &= ~(1UL << (sig - 1));
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (bad_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	return (*set >> (sig - 1)) & 1;
}
