/* sh.h: what the shell's files share. Read first: parse.c turns text into
 * struct pipeline, jobs.c owns every wait4 (reap) and the builtins,
 * redir.c applies a command's redirections, and main.c forks and execs;
 * last_status is $? for all of them. */
#ifndef SH_H
#define SH_H

#include <stddef.h>
#include <sys/types.h>

#define PROMPT "oomlab$ "
#define LINE_LEN 1024
#define POOL_LEN 4096
#define MAX_TOKENS 128
#define MAX_ARGS 64
#define MAX_PIPE 8
#define MAX_REDIRS 8 /* per command */
#define DEFAULT_PATH "/bin"

/* What a redirection does to its fd: open the target word for reading
 * (<), for writing from empty (>) or at the end (>>), or make the fd a
 * copy of the fd the target names (>&N, <&N). */
enum redir_kind { REDIR_NONE, REDIR_IN, REDIR_OUT, REDIR_APPEND, REDIR_DUP };

struct token {
	char *word;	       /* NULL for an operator */
	char op;	       /* ';', '&', '|', or '<' / '>' for a redirection */
	enum redir_kind redir; /* REDIR_NONE unless a redirection */
	int fd;		       /* the fd a redirection changes */
};

struct redir {
	enum redir_kind kind;
	int fd;
	char *target; /* a file name, or for REDIR_DUP an fd number */
};

struct command {
	char *argv[MAX_ARGS + 1];
	int argc;
	struct redir redirs[MAX_REDIRS]; /* applied in order, after any pipe */
	int nredirs;
};

struct pipeline {
	struct command cmds[MAX_PIPE];
	int ncmds;
	int background;
};

struct reader {
	int fd;
	size_t start, len;
	char buf[LINE_LEN];
};

struct pool {
	char *buf;
	size_t used, size;
};

extern int last_status; /* $? */
extern int interactive;
extern int script_fd; /* closed in every child; -1 if none */

/* parse.c */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int read_line(struct reader *r, char *line, size_t size);
int tokenize(const char **sp, struct token *toks, struct pool *p);
int parse_pipeline(struct token *toks, int ntoks, struct pipeline *pl);

/* jobs.c */
int status_code(int status);
void reap(pid_t pid, int status);
void report_done_jobs(void);
int wait_for(const pid_t *pids, int n);
void add_job(const struct pipeline *pl, const pid_t *pids);
int is_builtin(const struct command *c);
int run_builtin(struct command *c);

/* redir.c */
/* Apply c's redirections in order: 0, or -1 after "sh: FILE: why". With
 * saved, each fd changed is first copied there so restore_redirs can
 * put it back (for builtins, which run in the shell itself). */
struct saved_fds {
	int fd[MAX_REDIRS], copy[MAX_REDIRS]; /* copy -1: fd was closed */
	int n;
};
int apply_redirs(const struct command *c, struct saved_fds *saved);
void restore_redirs(struct saved_fds *saved);

#endif
