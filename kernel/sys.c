/* Small system calls about the calling task and the machine: ids, uname,
 * time, sleeping, scheduling policy and priority (Linux's kernel/sys.c,
 * sched/syscalls.c, time/). Read first: ids are Linux's: getpid is the
 * thread group (process) id, gettid the thread's own. */
#include "kernel/errno.h"
#include "kernel/power.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"

#define UTS_LEN 65
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_BOOTTIME 7
#define PRIO_PROCESS 0
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define MSR_FS_BASE 0xc0000100
#define NSEC_PER_SEC_L 1000000000l

struct new_utsname {
	char sysname[UTS_LEN], nodename[UTS_LEN], release[UTS_LEN];
	char version[UTS_LEN], machine[UTS_LEN], domainname[UTS_LEN];
};

struct timespec64 {
	long tv_sec;
	long tv_nsec;
};

long sys_getpid(const struct pt_regs *regs);
long sys_getpid(const struct pt_regs *regs)
{
	(void)regs;
	return current->tgid;
}

long sys_gettid(const struct pt_regs *regs);
long sys_gettid(const struct pt_regs *regs)
{
	(void)regs;
	return current->pid;
}

long sys_getppid(const struct pt_regs *regs);
long sys_getppid(const struct pt_regs *regs)
{
	(void)regs;
	return current->group_leader->parent ? current->group_leader->parent->tgid : 0;
}

long sys_sched_yield(const struct pt_regs *regs);
long sys_sched_yield(const struct pt_regs *regs)
{
	(void)regs;
	yield();
	return 0;
}

long sys_uname(const struct pt_regs *regs);
long sys_uname(const struct pt_regs *regs)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strscpy(u.sysname, "Linux", UTS_LEN); /* what programs test for; see release */
	strscpy(u.nodename, "oomlab", UTS_LEN);
	strscpy(u.release, "6.6.0-oomlab", UTS_LEN);
	strscpy(u.version, "#1 oomlab teaching kernel", UTS_LEN);
	strscpy(u.machine, "x86_64", UTS_LEN);
	strscpy(u.domainname, "(none)", UTS_LEN);
	return copy_to_user((void *)syscall_arg(regs, 0), &u, sizeof(u)) ? -EFAULT : 0;
}

long sys_clock_gettime(const struct pt_regs *regs);
long sys_clock_gettime(const struct pt_regs *regs)
{
	int clock = (int)syscall_arg(regs, 0);
	uint64_t ns = ktime_get_ns();
	struct timespec64 ts;

	/* No wall clock: CLOCK_REALTIME counts from boot too. */
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME)
		return -EINVAL;
	ts.tv_sec = (long)(ns / NSEC_PER_SEC);
	ts.tv_nsec = (long)(ns % NSEC_PER_SEC);
	return copy_to_user((void *)syscall_arg(regs, 1), &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* Ticks covering ns, plus one: the current tick is already part gone. */
static long ns_to_sleep_ticks(uint64_t ns)
{
	return (long)((ns * HZ + NSEC_PER_SEC - 1) / NSEC_PER_SEC) + 1;
}

/* POSIX: never less than asked, by the clock clock_gettime reads (the
 * TSC); the tick that wakes us is the PIT's, so check and sleep again. */
long sys_nanosleep(const struct pt_regs *regs);
long sys_nanosleep(const struct pt_regs *regs)
{
	struct timespec64 req, rem;
	uint64_t deadline, now, ns;

	if (copy_from_user(&req, (const void *)syscall_arg(regs, 0), sizeof(req)))
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= NSEC_PER_SEC_L)
		return -EINVAL;
	deadline = ktime_get_ns() + (uint64_t)req.tv_sec * NSEC_PER_SEC + (uint64_t)req.tv_nsec;
	for (now = ktime_get_ns(); now < deadline; now = ktime_get_ns()) {
		schedule_timeout_interruptible(ns_to_sleep_ticks(deadline - now));
		if (signal_pending(current))
			break;
	}
	if (now >= deadline)
		return 0;
	ns = deadline - now;
	rem.tv_sec = (long)(ns / NSEC_PER_SEC);
	rem.tv_nsec = (long)(ns % NSEC_PER_SEC);
	if (syscall_arg(regs, 1) && copy_to_user((void *)syscall_arg(regs, 1), &rem, sizeof(rem)))
		return -EFAULT;
	return -EINTR;
}

static struct task_struct *task_by_pid_or_self(int pid)
{
	return pid == 0 ? current : find_task_by_pid(pid);
}

long sys_sched_setscheduler(const struct pt_regs *regs);
long sys_sched_setscheduler(const struct pt_regs *regs)
{
	struct task_struct *p = task_by_pid_or_self((int)syscall_arg(regs, 0));
	struct sched_param param;

	if ((int)syscall_arg(regs, 0) < 0)
		return -EINVAL;
	if (copy_from_user(&param, (const void *)syscall_arg(regs, 2), sizeof(param)))
		return -EFAULT;
	if (!p)
		return -ESRCH;
	return sched_setscheduler(p, (int)syscall_arg(regs, 1), &param);
}

long sys_sched_getscheduler(const struct pt_regs *regs);
long sys_sched_getscheduler(const struct pt_regs *regs)
{
	struct task_struct *p = task_by_pid_or_self((int)syscall_arg(regs, 0));

	if ((int)syscall_arg(regs, 0) < 0)
		return -EINVAL;
	return p ? (long)p->policy : -ESRCH;
}

/* getpriority returns 20 - nice (1..40), as the Linux system call does. */
long sys_getpriority(const struct pt_regs *regs);
long sys_getpriority(const struct pt_regs *regs)
{
	struct task_struct *p = task_by_pid_or_self((int)syscall_arg(regs, 1));

	if (syscall_arg(regs, 0) != PRIO_PROCESS)
		return -EINVAL;
	return p ? 20 - task_nice(p) : -ESRCH;
}

long sys_setpriority(const struct pt_regs *regs);
long sys_setpriority(const struct pt_regs *regs)
{
	struct task_struct *p = task_by_pid_or_self((int)syscall_arg(regs, 1));

	if (syscall_arg(regs, 0) != PRIO_PROCESS)
		return -EINVAL;
	if (!p)
		return -ESRCH;
	set_user_nice(p, (long)(int)syscall_arg(regs, 2));
	return 0;
}

long sys_arch_prctl(const struct pt_regs *regs);
long sys_arch_prctl(const struct pt_regs *regs)
{
	unsigned long addr = syscall_arg(regs, 1);

	switch (syscall_arg(regs, 0)) {
	case ARCH_SET_FS:
		if (!fsbase_ok(addr))
			return -EPERM;
		current->thread.fsbase = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return copy_to_user((void *)addr, &current->thread.fsbase, sizeof(unsigned long))
			       ? -EFAULT
			       : 0;
	default: return -EINVAL;
	}
}

#define PR_SET_NAME 15
#define PR_GET_NAME 16

/* prctl(2), the two options the labs use: a forked scenario process names
 * itself (its comm shows in the OOM report and khungtaskd's lines). */
long sys_prctl(const struct pt_regs *regs);
long sys_prctl(const struct pt_regs *regs)
{
	void __user *name = (void __user *)syscall_arg(regs, 1);
	char comm[TASK_COMM_LEN] = {0};

	switch (syscall_arg(regs, 0)) {
	case PR_SET_NAME:
		if (strncpy_from_user(comm, name, sizeof(comm) - 1) < 0)
			return -EFAULT;
		comm[sizeof(comm) - 1] = '\0';
		strscpy(current->comm, comm, sizeof(current->comm));
		return 0;
	case PR_GET_NAME:
		return copy_to_user(name, current->comm, sizeof(current->comm)) ? -EFAULT : 0;
	default: return -EINVAL;
	}
}

long sys_set_tid_address(const struct pt_regs *regs);
long sys_set_tid_address(const struct pt_regs *regs)
{
	current->clear_child_tid = syscall_arg(regs, 0);
	return current->pid;
}

#define LINUX_REBOOT_MAGIC1 0xfee1deadul
#define LINUX_REBOOT_MAGIC2 672274793ul
#define LINUX_REBOOT_CMD_RESTART 0x01234567ul
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcul

/* reboot(2) with Linux's magic numbers: power off or restart. */
long sys_reboot(const struct pt_regs *regs);
long sys_reboot(const struct pt_regs *regs)
{
	if (syscall_arg(regs, 0) != LINUX_REBOOT_MAGIC1 ||
	    syscall_arg(regs, 1) != LINUX_REBOOT_MAGIC2)
		return -EINVAL;
	switch (syscall_arg(regs, 2)) {
	case LINUX_REBOOT_CMD_POWER_OFF: machine_power_off(); break;
	case LINUX_REBOOT_CMD_RESTART: machine_restart(); break;
	default: return -EINVAL;
	}
	return -EIO; /* the machine did not stop */
}
