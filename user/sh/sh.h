/* sh.h: what the shell's files share. Read first: parse.c turns text into
 * struct pipeline, jobs.c owns every wait4 (reap) and the builtins, and
 * main.c forks and execs; last_status is $? for all of them. */
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
#define DEFAULT_PATH "/bin"

struct token {
	char *word; /* NULL for an operator */
	char op;    /* ';', '&' or '|' */
};

struct command {
	char *argv[MAX_ARGS + 1];
	int argc;
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
int run_builtin(struct command *c);

#endif
