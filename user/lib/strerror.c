/* strerror.c: the messages for errno values and signals, worded as glibc
 * words them so Linux habits and test expectations carry over. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char *const errno_text[] = {
	[0] = "Success",
	[EPERM] = "Operation not permitted",
	[ENOENT] = "No such file or directory",
	[ESRCH] = "No such process",
	[EINTR] = "Interrupted system call",
	[EIO] = "Input/output error",
	[ENXIO] = "No such device or address",
	[E2BIG] = "Argument list too long",
	[ENOEXEC] = "Exec format error",
	[EBADF] = "Bad file descriptor",
	[ECHILD] = "No child processes",
	[EAGAIN] = "Resource temporarily unavailable",
	[ENOMEM] = "Cannot allocate memory",
	[EACCES] = "Permission denied",
	[EFAULT] = "Bad address",
	[ENOTBLK] = "Block device required",
	[EBUSY] = "Device or resource busy",
	[EEXIST] = "File exists",
	[EXDEV] = "Invalid cross-device link",
	[ENODEV] = "No such device",
	[ENOTDIR] = "Not a directory",
	[EISDIR] = "Is a directory",
	[EINVAL] = "Invalid argument",
	[ENFILE] = "Too many open files in system",
	[EMFILE] = "Too many open files",
	[ENOTTY] = "Inappropriate ioctl for device",
	[ETXTBSY] = "Text file busy",
	[EFBIG] = "File too large",
	[ENOSPC] = "No space left on device",
	[ESPIPE] = "Illegal seek",
	[EROFS] = "Read-only file system",
	[EMLINK] = "Too many links",
	[EPIPE] = "Broken pipe",
	[EDOM] = "Numerical argument out of domain",
	[ERANGE] = "Numerical result out of range",
	[EDEADLK] = "Resource deadlock avoided",
	[ENAMETOOLONG] = "File name too long",
	[ENOLCK] = "No locks available",
	[ENOSYS] = "Function not implemented",
	[ENOTEMPTY] = "Directory not empty",
	[ELOOP] = "Too many levels of symbolic links",
	[EOVERFLOW] = "Value too large for defined data type",
	[EOPNOTSUPP] = "Operation not supported",
	[ETIMEDOUT] = "Connection timed out",
	[ESTALE] = "Stale file handle",
	[EUCLEAN] = "Structure needs cleaning",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Unknown numbers get a per-thread-unsafe static buffer, as in glibc. */
static char unknown[32];

char *strerror(int errnum)
{
	if (errnum >= 0 && (size_t)errnum < ARRAY_SIZE(errno_text) && errno_text[errnum])
		return (char *)errno_text[errnum];
	snprintf(unknown, sizeof(unknown), "Unknown error %d", errnum);
	return unknown;
}

struct signal_desc {
	const char *name; /* without "SIG" */
	const char *text;
};

static const struct signal_desc signals[] = {
	[SIGHUP] = {"HUP", "Hangup"},
	[SIGINT] = {"INT", "Interrupt"},
	[SIGQUIT] = {"QUIT", "Quit"},
	[SIGILL] = {"ILL", "Illegal instruction"},
	[SIGTRAP] = {"TRAP", "Trace/breakpoint trap"},
	[SIGABRT] = {"ABRT", "Aborted"},
	[SIGBUS] = {"BUS", "Bus error"},
	[SIGFPE] = {"FPE", "Floating point exception"},
	[SIGKILL] = {"KILL", "Killed"},
	[SIGUSR1] = {"USR1", "User defined signal 1"},
	[SIGSEGV] = {"SEGV", "Segmentation fault"},
	[SIGUSR2] = {"USR2", "User defined signal 2"},
	[SIGPIPE] = {"PIPE", "Broken pipe"},
	[SIGALRM] = {"ALRM", "Alarm clock"},
	[SIGTERM] = {"TERM", "Terminated"},
	[SIGSTKFLT] = {"STKFLT", "Stack fault"},
	[SIGCHLD] = {"CHLD", "Child exited"},
	[SIGCONT] = {"CONT", "Continued"},
	[SIGSTOP] = {"STOP", "Stopped (signal)"},
	[SIGTSTP] = {"TSTP", "Stopped"},
	[SIGTTIN] = {"TTIN", "Stopped (tty input)"},
	[SIGTTOU] = {"TTOU", "Stopped (tty output)"},
	[SIGURG] = {"URG", "Urgent I/O condition"},
	[SIGXCPU] = {"XCPU", "CPU time limit exceeded"},
	[SIGXFSZ] = {"XFSZ", "File size limit exceeded"},
	[SIGVTALRM] = {"VTALRM", "Virtual timer expired"},
	[SIGPROF] = {"PROF", "Profiling timer expired"},
	[SIGWINCH] = {"WINCH", "Window changed"},
	[SIGIO] = {"IO", "I/O possible"},
	[SIGPWR] = {"PWR", "Power failure"},
	[SIGSYS] = {"SYS", "Bad system call"},
};

static int known_signal(int sig)
{
	return sig >= 1 && sig < (int)ARRAY_SIZE(signals);
}

char *strsignal(int sig)
{
	if (known_signal(sig))
		return (char *)signals[sig].text;
	snprintf(unknown, sizeof(unknown), "Unknown signal %d", sig);
	return unknown;
}

int sig2str(int sig, char *str)
{
	if (known_signal(sig)) {
		strcpy(str, signals[sig].name);
		return 0;
	}
	if (sig > 0 && sig < NSIG) {
		snprintf(str, SIG2STR_MAX, "%d", sig);
		return 0;
	}
	return -1;
}

/* Accepts "KILL", "SIGKILL", any case, or a number. */
int str2sig(const char *str, int *sig)
{
	char upper[SIG2STR_MAX];
	size_t i;

	if (isdigit(*str)) {
		int n = 0;

		for (; isdigit(*str) && n < NSIG; str++)
			n = n * 10 + (*str - '0');
		if (*str || n < 1 || n >= NSIG)
			return -1;
		*sig = n;
		return 0;
	}
	for (i = 0; i < sizeof(upper) - 1 && str[i]; i++)
		upper[i] = (char)toupper(str[i]);
	upper[i] = '\0';
	str = strncmp(upper, "SIG", 3) == 0 ? upper + 3 : upper;
	for (i = 1; i < ARRAY_SIZE(signals); i++) {
		if (strcmp(str, signals[i].name) == 0) {
			*sig = (int)i;
			return 0;
		}
	}
	return -1;
}
