/* process.c: process, scheduling and time system calls. Read first: fork
 * and wait4 are Linux's own calls (57 and 61); waitpid and wait are
 * wait4 with no rusage, as in every Linux libc. */
#include <errno.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

pid_t fork(void)
{
	return (pid_t)__syscall_ret(syscall0(SYS_fork));
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)__syscall_ret(syscall3(SYS_execve, (long)path, (long)argv, (long)envp));
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	return (pid_t)__syscall_ret(syscall4(SYS_wait4, pid, (long)status, options, (long)ru));
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return wait4(pid, status, options, NULL);
}

pid_t wait(int *status)
{
	return wait4(-1, status, 0, NULL);
}

pid_t getpid(void)
{
	return (pid_t)syscall0(SYS_getpid);
}

pid_t getppid(void)
{
	return (pid_t)syscall0(SYS_getppid);
}

pid_t gettid(void)
{
	return (pid_t)syscall0(SYS_gettid);
}

int sched_yield(void)
{
	return (int)__syscall_ret(syscall0(SYS_sched_yield));
}

int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param)
{
	return (int)__syscall_ret(syscall3(SYS_sched_setscheduler, pid, policy, (long)param));
}

int sched_getscheduler(pid_t pid)
{
	return (int)__syscall_ret(syscall1(SYS_sched_getscheduler, pid));
}

/* The kernel returns 20 - nice so that a valid answer is never negative. */
#define NICE_BIAS 20

int getpriority(int which, id_t who)
{
	long ret = __syscall_ret(syscall2(SYS_getpriority, which, who));

	return ret < 0 ? -1 : NICE_BIAS - (int)ret;
}

int setpriority(int which, id_t who, int prio)
{
	return (int)__syscall_ret(syscall3(SYS_setpriority, which, who, prio));
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	return (int)__syscall_ret(syscall2(SYS_clock_gettime, clk, (long)ts));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return (int)__syscall_ret(syscall2(SYS_nanosleep, (long)req, (long)rem));
}

unsigned int sleep(unsigned int seconds)
{
	struct timespec ts = {.tv_sec = seconds}, rem = {0};

	if (nanosleep(&ts, &rem) < 0 && errno == EINTR)
		return (unsigned int)rem.tv_sec + (rem.tv_nsec > 0);
	return 0;
}

int usleep(unsigned long usec)
{
	struct timespec ts = {.tv_sec = (time_t)(usec / 1000000),
			      .tv_nsec = (long)(usec % 1000000) * 1000};

	return nanosleep(&ts, NULL);
}
