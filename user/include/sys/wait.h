/* sys/wait.h: wait4/waitpid and the status macros (Linux's encoding:
 * exit code in bits 8..15, terminating signal in bits 0..6, and the
 * stopped and continued reports of WUNTRACED and WCONTINUED). */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H

#include <sys/types.h>

#define WNOHANG 1
#define WUNTRACED 2
#define WCONTINUED 8
#define __WNOTHREAD 0x20000000 /* only the caller's own children, not its threads' */
#define __WALL 0x40000000
#define __WCLONE 0x80000000

#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WTERMSIG(s) ((s)&0x7f)
#define WIFEXITED(s) (WTERMSIG(s) == 0)
#define WIFSIGNALED(s) (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)
#define WCOREDUMP(s) ((s)&0x80)
/* Stopped: (sig << 8) | 0x7f; continued by SIGCONT: 0xffff. */
#define WIFSTOPPED(s) (((s)&0xff) == 0x7f)
#define WSTOPSIG(s) WEXITSTATUS(s)
#define WIFCONTINUED(s) ((s) == 0xffff)

struct rusage;

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);

#endif
