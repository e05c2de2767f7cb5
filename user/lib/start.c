/* start.c: from _start to main and back out through exit. Read first: the
 * main thread's control block is static; arch_prctl(ARCH_SET_FS) points
 * %fs at it so errno and pthread_self work the same in every thread. */
#include "libc.h"
#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ARCH_SET_FS 0x1002

int main(int argc, char **argv, char **envp);
__attribute__((noreturn)) void __libc_start_main(long *sp);

char **environ;
struct pthread __main_thread;
int __tls_ready;

void __init_tls(void)
{
	__main_thread.self = &__main_thread;
	__main_thread.tid = (int)syscall0(SYS_gettid);
	__tls_ready = syscall2(SYS_arch_prctl, ARCH_SET_FS, (long)&__main_thread) == 0;
}

void __libc_start_main(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	environ = argv + argc + 1;
	__init_tls();
	exit(main(argc, argv, environ));
}

/* Output is unbuffered (see stdio.h), so there is nothing to flush. */
void exit(int status)
{
	_exit(status);
}

void _exit(int status)
{
	for (;;)
		syscall1(SYS_exit_group, status);
}

void _Exit(int status)
{
	_exit(status);
}

int *__errno_location(void)
{
	return &__self()->errno_val;
}

long __syscall_ret(long ret)
{
	if ((unsigned long)ret > -4096UL) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

char *getenv(const char *name)
{
	size_t len = 0;

	while (name[len] && name[len] != '=')
		len++;
	for (char **e = environ; e && *e; e++) {
		const char *s = *e;
		size_t i = 0;

		while (i < len && s[i] == name[i])
			i++;
		if (i == len && s[i] == '=')
			return (char *)s + len + 1;
	}
	return NULL;
}
