/* parse.c: from text to pipelines: lines from a file descriptor, words
 * (quotes, backslashes, $? and $$), the operators ; & | and redirections
 * ([N]< [N]> [N]>> [N]>&M [N]<&M). Read first: tokenize stops after each
 * ; or &, so $? in a later command on the same line is expanded only
 * after the earlier command has run. */
#include "sh.h"
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Larger fd numbers stop growing (dup2 then says EBADF), never overflow. */
#define FD_NUMBER_MAX 100000

/* One line without its newline into line; -1 at end of input. A line
 * longer than the buffer is cut and its rest skipped. */
int read_line(struct reader *r, char *line, size_t size)
{
	size_t n = 0;
	int newline = 0;

	while (!newline) {
		if (r->start == r->len) {
			ssize_t got = read(r->fd, r->buf, sizeof(r->buf));

			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				break;
			r->start = 0;
			r->len = (size_t)got;
		}
		newline = r->buf[r->start] == '\n';
		if (!newline && n + 1 < size)
			line[n++] = r->buf[r->start];
		r->start++;
	}
	if (!newline && n == 0)
		return -1;
	while (n && line[n - 1] == '\r')
		n--;
	line[n] = '\0';
	return (int)n;
}

/* Prints "sh: ..." and returns -1, for the parser's many ways to fail. */
int error(const char *fmt, ...)
{
	va_list ap;

	fputs("sh: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	return -1;
}

static int pool_put(struct pool *p, char c)
{
	if (p->used + 1 >= p->size)
		return -1;
	p->buf[p->used++] = c;
	return 0;
}

static int pool_puts(struct pool *p, const char *s)
{
	while (*s) {
		if (pool_put(p, *s++) < 0)
			return -1;
	}
	return 0;
}

/* $? and $$; *s points at the '$'. Returns the characters consumed. */
static int expand_dollar(const char *s, struct pool *p)
{
	char num[16];

	if (s[1] == '?' || s[1] == '$') {
		snprintf(num, sizeof(num), "%d", s[1] == '?' ? last_status : getpid());
		return pool_puts(p, num) < 0 ? -1 : 2;
	}
	return pool_put(p, '$') < 0 ? -1 : 1;
}

/* Copies one word from *sp into the pool, handling quotes and $. */
static int scan_word(const char **sp, struct pool *p)
{
	const char *s = *sp;
	char quote = 0;
	int n;

	for (; *s; s += n) {
		n = 1;
		if (quote && *s == quote) {
			quote = 0;
		} else if (!quote && (*s == '\'' || *s == '"')) {
			quote = *s;
		} else if (!quote && (isspace(*s) || strchr(";&|<>", *s))) {
			break;
		} else if (*s == '$' && quote != '\'') {
			n = expand_dollar(s, p);
		} else if (*s == '\\' && s[1] &&
			   (!quote || (quote == '"' && strchr("\"\\$", s[1])))) {
			n = pool_put(p, s[1]) < 0 ? -1 : 2;
		} else if (pool_put(p, *s) < 0) {
			n = -1;
		}
		if (n < 0)
			return error("line too long");
	}
	if (quote)
		return error("unterminated %c", quote);
	*sp = s;
	return pool_put(p, '\0');
}

/* A redirection operator at s, as POSIX: digits are its fd only when
 * they run straight into < or > ("2>" but not "2 >"); ">" and ">>" default
 * to fd 1, "<" to fd 0; ">&" and "<&" copy an fd. Returns the length
 * read with *t filled in, or 0 when s starts none. */
static int scan_redir(const char *s, struct token *t)
{
	const char *p = s;
	int fd = -1;

	for (; isdigit(*p); p++)
		fd = fd < 0 ? *p - '0' : fd < FD_NUMBER_MAX ? fd * 10 + (*p - '0') : fd;
	if (*p != '<' && *p != '>')
		return 0;
	*t = (struct token){.op = *p};
	if (p[0] == '>' && p[1] == '>')
		t->redir = REDIR_APPEND;
	else if (p[1] == '&')
		t->redir = REDIR_DUP;
	else
		t->redir = *p == '<' ? REDIR_IN : REDIR_OUT;
	p += t->redir == REDIR_APPEND || t->redir == REDIR_DUP ? 2 : 1;
	t->fd = fd >= 0 ? fd : t->op == '<' ? 0 : 1;
	return (int)(p - s);
}

/* Tokens up to and including the next ; or &, so that $? in a later
 * command sees the status of an earlier one on the same line. *sp moves
 * past what was read; at the end of the line it points at the NUL. */
int tokenize(const char **sp, struct token *toks, struct pool *p)
{
	const char *s = *sp;
	int n = 0, len;

	for (;;) {
		while (isspace(*s))
			s++;
		if (*s == '#')
			s += strlen(s);
		*sp = s;
		if (!*s)
			return n;
		if (n == MAX_TOKENS)
			return error("too many words");
		if ((len = scan_redir(s, &toks[n])) > 0) {
			s += len;
			n++;
			continue;
		}
		if (strchr(";&|", *s)) {
			toks[n++] = (struct token){.op = *s++};
			*sp = s;
			if (s[-1] != '|')
				return n;
			continue;
		}
		toks[n].word = p->buf + p->used;
		toks[n++].op = 0;
		if (scan_word(&s, p) < 0)
			return -1;
	}
}

/* Fills pl from the tokens of one pipeline (ending in ; & or nothing).
 * Returns 0, or -1 for a syntax error. */
int parse_pipeline(struct token *toks, int ntoks, struct pipeline *pl)
{
	struct command *c;

	memset(pl, 0, sizeof(*pl));
	c = &pl->cmds[pl->ncmds++];
	for (int i = 0; i < ntoks; i++) {
		struct token *t = &toks[i];

		if (t->word) {
			if (c->argc == MAX_ARGS)
				return error("too many arguments");
			c->argv[c->argc++] = t->word;
			continue;
		}
		if (t->redir != REDIR_NONE) {
			if (i + 1 == ntoks || !toks[i + 1].word)
				return error("syntax error: %c without a file", t->op);
			if (c->nredirs == MAX_REDIRS)
				return error("too many redirections");
			c->redirs[c->nredirs++] = (struct redir){
				.kind = t->redir, .fd = t->fd, .target = toks[++i].word};
			continue;
		}
		if (c->argc == 0 && c->nredirs == 0)
			return error("syntax error near '%c'", t->op);
		if (t->op != '|') {
			pl->background = t->op == '&';
			return 0;
		}
		if (pl->ncmds == MAX_PIPE)
			return error("pipeline too long");
		c = &pl->cmds[pl->ncmds++];
	}
	if (c->argc == 0 && c->nredirs == 0)
		return error("syntax error at end of line");
	return 0;
}
