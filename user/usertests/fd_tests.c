/* fd_tests.c: descriptors as Linux has them: the dup family, fcntl, and
 * close-on-exec. Read first: FD_CLOEXEC belongs to one descriptor (dup
 * does not copy it), O_NONBLOCK to the open file (every dup shares it);
 * the exec case sees what the new program holds through pipe ends. */
#include "usertests.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define HIGH_FD 10
#define EXEC_FAILED 100

int test_fcntl_dup(void)
{
	int p[2], d, high;

	CHECK_EQ(pipe2(p, O_CLOEXEC), 0);
	CHECK_EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
	d = dup(p[0]);
	CHECK(d >= 0);
	CHECK_EQ(fcntl(d, F_GETFD), 0); /* dup's copy does not inherit it */
	CHECK_EQ(fcntl(d, F_SETFD, FD_CLOEXEC), 0);
	CHECK_EQ(fcntl(d, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(dup2(p[1], d), d); /* dup2 onto an open fd replaces it, flag cleared */
	CHECK_EQ(fcntl(d, F_GETFD), 0);
	CHECK_EQ(dup3(p[0], d, O_CLOEXEC), d);
	CHECK_EQ(fcntl(d, F_GETFD), FD_CLOEXEC);
	CHECK_ERR(dup3(d, d, 0), EINVAL);
	CHECK_ERR(dup3(p[0], d, O_NONBLOCK), EINVAL);
	high = fcntl(p[0], F_DUPFD_CLOEXEC, HIGH_FD);
	CHECK(high >= HIGH_FD);
	CHECK_EQ(fcntl(high, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	/* Status flags are the file's: set on one fd, seen on its dup. */
	CHECK_EQ(fcntl(d, F_SETFL, O_NONBLOCK), 0);
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	CHECK(fcntl(high, F_GETFL) & O_NONBLOCK);
	CHECK_ERR(fcntl(-1, F_GETFD), EBADF);
	CHECK_ERR(dup(-1), EBADF);
	CHECK_EQ(close(high), 0);
	CHECK_EQ(close(d), 0);
	CHECK_ERR(fcntl(d, F_GETFD), EBADF);
	CHECK_EQ(close(p[0]), 0);
	CHECK_EQ(close(p[1]), 0);
	return 0;
}

/* A child execs sleep(1) holding the write ends of two pipes: the
 * O_CLOEXEC one is gone at the exec (EOF), the other stays (EAGAIN). */
int test_close_on_exec(void)
{
	int closed[2], kept[2], status;
	char c;
	pid_t pid;

	CHECK_EQ(pipe2(closed, O_CLOEXEC), 0);
	CHECK_EQ(pipe2(kept, O_NONBLOCK), 0);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		char *argv[] = {"sleep", "1000", NULL}, *envp[] = {NULL};

		execve("/bin/sleep", argv, envp);
		_exit(EXEC_FAILED);
	}
	CHECK_EQ(close(closed[1]), 0);
	CHECK_EQ(close(kept[1]), 0);
	CHECK_EQ(read(closed[0], &c, 1), 0); /* blocks until the exec */
	CHECK_ERR(read(kept[0], &c, 1), EAGAIN);
	CHECK_EQ(kill(pid, SIGKILL), 0);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL); /* the exec worked */
	CHECK_EQ(read(kept[0], &c, 1), 0);
	CHECK_EQ(close(closed[0]), 0);
	CHECK_EQ(close(kept[0]), 0);
	return 0;
}
