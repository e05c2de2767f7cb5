/* init: process 1. Gives itself /dev/console as fds 0, 1 and 2, starts
 * /bin/sh, and then only waits: for orphans the kernel hands it (reaped
 * and forgotten) and for the shell (started again when it dies). Read
 * first: if init ever returned, the kernel would have nothing to run. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CONSOLE "/dev/console"
#define SHELL "/bin/sh"
#define QUICK_DEATH_SEC 2 /* a shell that dies sooner is restarted after a pause */

#define DISK "/dev/vda"
#define DISK_MOUNT_POINT "/mnt"

static char *const shell_argv[] = {"sh", NULL};
static char *const shell_envp[] = {"PATH=/bin", "HOME=/", NULL};

static void open_console(void)
{
	int fd = open(CONSOLE, O_RDWR);

	if (fd < 0)
		return; /* keep whatever the kernel gave us, even nothing */
	for (int i = 0; i < 3; i++) {
		if (fd != i)
			dup2(fd, i);
	}
	if (fd > 2)
		close(fd);
}

/* The virtio disk, when the machine has one (no /dev/vda: ENOENT, fine),
 * at /mnt, read-only ext2. */
static void mount_disk(void)
{
	if (mount(DISK, DISK_MOUNT_POINT, "ext2", MS_RDONLY, NULL) && errno != ENOENT)
		fprintf(stderr, "init: mount %s on %s: %s\n", DISK, DISK_MOUNT_POINT,
			strerror(errno));
}

static time_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static pid_t start_shell(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		signal(SIGINT, SIG_DFL); /* the shell decides for itself */
		execve(SHELL, shell_argv, shell_envp);
		fprintf(stderr, "init: %s: %s\n", SHELL, strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
	return pid;
}

static void describe_death(pid_t pid, int status)
{
	if (WIFSIGNALED(status))
		fprintf(stderr, "init: sh (pid %d) killed by signal %d (%s); restarting\n", pid,
			WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		fprintf(stderr, "init: sh (pid %d) exited with status %d; restarting\n", pid,
			WEXITSTATUS(status));
}

int main(void)
{
	pid_t shell = -1;
	time_t started;
	int status;

	open_console();
	mount_disk();
	started = now() - QUICK_DEATH_SEC; /* no pause before the first shell */
	/* Ctrl-C on the console is for the programs the shell runs. */
	signal(SIGINT, SIG_IGN);
	for (;;) {
		pid_t pid;

		if (shell < 0) {
			if (now() - started < QUICK_DEATH_SEC)
				sleep(1); /* a broken shell must not make init spin */
			started = now();
			shell = start_shell();
			if (shell < 0)
				continue;
		}
		pid = wait4(-1, &status, 0, NULL);
		if (pid == shell) {
			describe_death(pid, status);
			shell = -1;
		} else if (pid < 0 && errno == ECHILD) {
			shell = -1; /* cannot happen with a live shell; start one */
		}
	}
}
