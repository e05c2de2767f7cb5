/* redir.c: a command's redirections ([N]< [N]> [N]>> [N]>&M [N]<&M), in
 * the child before exec or around a builtin in the shell itself. Read
 * first: they apply left to right, so "cmd > f 2>&1" sends both to f but
 * "cmd 2>&1 > f" sends errors where output went before; the first one
 * that fails stops the command, with "sh: TARGET: reason". */
#include "sh.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NEW_FILE_MODE 0666 /* less the umask, as every shell */
#define SAVED_FD_MIN 10	   /* shells keep their own copies at 10 and up */

static int open_flags(enum redir_kind kind)
{
	switch (kind) {
	case REDIR_IN: return O_RDONLY;
	case REDIR_APPEND: return O_WRONLY | O_CREAT | O_APPEND;
	default: return O_WRONLY | O_CREAT | O_TRUNC;
	}
}

/* ">&N": N must be a plain fd number. */
static int parse_fd(const char *s)
{
	char *end;
	long n;

	if (!*s)
		return -1;
	n = strtol(s, &end, 10);
	return *end || n < 0 || n > 0x7fffffff ? -1 : (int)n;
}

/* Copy fd aside (once per command) so that restore_redirs can bring it
 * back; a closed fd is remembered as closed. */
static void save_fd(struct saved_fds *saved, int fd)
{
	for (int i = 0; i < saved->n; i++)
		if (saved->fd[i] == fd)
			return;
	saved->fd[saved->n] = fd;
	saved->copy[saved->n] = fcntl(fd, F_DUPFD_CLOEXEC, SAVED_FD_MIN);
	saved->n++;
}

static int apply_one(const struct redir *r)
{
	int from;

	if (r->kind == REDIR_DUP) {
		from = parse_fd(r->target);
		if (from < 0) {
			error("%s: ambiguous redirect", r->target);
			return -1;
		}
		if (from != r->fd && dup2(from, r->fd) < 0) {
			error("%s: %s", r->target, strerror(errno));
			return -1;
		}
		return 0;
	}
	from = open(r->target, open_flags(r->kind), NEW_FILE_MODE);
	if (from < 0) {
		error("%s: %s", r->target, strerror(errno));
		return -1;
	}
	if (from != r->fd) {
		int ok = dup2(from, r->fd) >= 0;
		int err = errno;

		close(from);
		if (!ok) {
			error("%d: %s", r->fd, strerror(err));
			return -1;
		}
	}
	return 0;
}

int apply_redirs(const struct command *c, struct saved_fds *saved)
{
	if (saved)
		saved->n = 0;
	for (int i = 0; i < c->nredirs; i++) {
		if (saved)
			save_fd(saved, c->redirs[i].fd);
		if (apply_one(&c->redirs[i]) < 0)
			return -1;
	}
	return 0;
}

void restore_redirs(struct saved_fds *saved)
{
	/* Output a builtin buffered belongs to where it was redirected. */
	fflush(stdout);
	for (int i = saved->n - 1; i >= 0; i--) {
		if (saved->copy[i] < 0) {
			close(saved->fd[i]);
			continue;
		}
		dup2(saved->copy[i], saved->fd[i]);
		close(saved->copy[i]);
	}
	saved->n = 0;
}
