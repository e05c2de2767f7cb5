/* sh: the oomlab shell. Reads lines from the console (prompt "oomlab$ "),
 * from a script file (sh FILE) or from -c TEXT, and runs them. Read first:
 * a line becomes words (quotes, $? and $$ expanded, # to the end is a
 * comment), redirections and the operators ; & |; every child is reaped by wait4 in
 * one place (reap), which also keeps the background job table current.
 * Ctrl-C: the shell and its background jobs ignore SIGINT, foreground
 * commands get the default action, as in a shell without job control. */
#include "sh.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int last_status;
int interactive;
int script_fd = -1;

/* Runs argv[0] from PATH (or as given if it holds a '/'); never returns. */
static void exec_command(char **argv)
{
	const char *path = getenv("PATH");
	char file[512];
	int err = ENOENT;

	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, environ);
		err = errno;
	}
	for (const char *dir = path ? path : DEFAULT_PATH; !strchr(argv[0], '/') && *dir;) {
		size_t len = strcspn(dir, ":");

		snprintf(file, sizeof(file), "%.*s/%s", (int)len, dir, argv[0]);
		execve(file, argv, environ);
		if (errno != ENOENT)
			err = errno; /* found, but not runnable: worth reporting */
		dir += len + (dir[len] == ':');
	}
	if (err == ENOENT)
		fprintf(stderr, "sh: %s: not found\n", argv[0]);
	else
		fprintf(stderr, "sh: %s: %s\n", argv[0], strerror(err));
	_exit(err == ENOENT ? 127 : 126);
}

static void setup_child(int in, int out, int background)
{
	if (in != STDIN_FILENO) {
		dup2(in, STDIN_FILENO);
		close(in);
	}
	if (out != STDOUT_FILENO) {
		dup2(out, STDOUT_FILENO);
		close(out);
	}
	if (script_fd >= 0)
		close(script_fd);
	signal(SIGINT, background && interactive ? SIG_IGN : SIG_DFL);
}

static void run_pipeline(struct pipeline *pl)
{
	pid_t pids[MAX_PIPE];
	int in = STDIN_FILENO, fds[2], n = 0, status;

	for (; n < pl->ncmds; n++) {
		int last = n == pl->ncmds - 1;

		if (!last && pipe2(fds, 0) < 0) {
			fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
			break;
		}
		pids[n] = fork();
		if (pids[n] == 0) {
			if (!last)
				close(fds[0]);
			setup_child(in, last ? STDOUT_FILENO : fds[1], pl->background);
			if (apply_redirs(&pl->cmds[n], NULL) < 0)
				_exit(1);
			if (pl->cmds[n].argc == 0) /* only redirections: "> file" */
				_exit(0);
			exec_command(pl->cmds[n].argv);
		}
		if (in != STDIN_FILENO)
			close(in);
		if (!last) {
			close(fds[1]);
			in = fds[0];
		}
		if (pids[n] < 0) {
			fprintf(stderr, "sh: fork: %s\n", strerror(errno));
			break;
		}
	}
	if (n < pl->ncmds) { /* a pipe or fork failed: collect what did start */
		if (in != STDIN_FILENO)
			close(in);
		wait_for(pids, n);
		last_status = 1;
		return;
	}
	if (pl->background) {
		add_job(pl, pids);
		last_status = 0;
		return;
	}
	status = wait_for(pids, n);
	last_status = status_code(status);
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGINT && WTERMSIG(status) != SIGPIPE)
		fprintf(stderr, "%s\n", strsignal(WTERMSIG(status)));
}

/* A builtin, or a command of redirections only ("> file" empties file),
 * runs in the shell: its redirections are undone afterwards. A failed
 * redirection runs nothing and sets $? to 1. */
static void run_in_shell(struct command *c)
{
	struct saved_fds saved;

	fflush(stdout);
	if (apply_redirs(c, &saved) < 0) {
		restore_redirs(&saved);
		last_status = 1;
		return;
	}
	if (c->argc == 0)
		last_status = 0;
	else
		run_builtin(c);
	restore_redirs(&saved);
}

static void run_line(const char *line)
{
	static char pool_buf[POOL_LEN];
	struct token toks[MAX_TOKENS];
	struct pipeline pl;

	while (*line) {
		struct pool pool = {.buf = pool_buf, .size = sizeof(pool_buf)};
		int ntoks = tokenize(&line, toks, &pool);

		if (ntoks == 0)
			break;
		if (ntoks < 0 || parse_pipeline(toks, ntoks, &pl) < 0) {
			last_status = 2;
			return;
		}
		if (pl.ncmds == 1 && !pl.background &&
		    (is_builtin(&pl.cmds[0]) || pl.cmds[0].argc == 0)) {
			run_in_shell(&pl.cmds[0]);
			continue;
		}
		run_pipeline(&pl);
	}
}

static int run_input(int fd)
{
	static struct reader r;
	char line[LINE_LEN];

	r.fd = fd;
	for (;;) {
		report_done_jobs();
		if (interactive)
			fputs(PROMPT, stdout);
		if (read_line(&r, line, sizeof(line)) < 0)
			break;
		run_line(line);
	}
	if (interactive)
		fputs("exit\n", stdout);
	return last_status;
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "-c") == 0) {
		run_line(argv[2]);
		return last_status;
	}
	if (argc > 1) {
		script_fd = open(argv[1], O_RDONLY);
		if (script_fd < 0) {
			fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
			return 127;
		}
		return run_input(script_fd);
	}
	interactive = 1;
	signal(SIGINT, SIG_IGN);
	return run_input(STDIN_FILENO);
}
