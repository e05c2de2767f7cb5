/* echo: prints its arguments separated by spaces. Read first: -n leaves
 * out the newline; the whole line goes out in one write(), since a /proc
 * or tracefs file takes one write as one value. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LINE_MAX_LEN 4096

int main(int argc, char **argv)
{
	char line[LINE_MAX_LEN];
	size_t len = 0;
	int newline = 1, i = 1;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		newline = 0;
		i = 2;
	}
	for (; i < argc; i++) {
		int n = snprintf(line + len, sizeof(line) - len, "%s%s", argv[i],
				 i + 1 < argc ? " " : "");

		len += (size_t)n < sizeof(line) - len ? (size_t)n : sizeof(line) - len - 1;
	}
	if (newline && len < sizeof(line))
		line[len++] = '\n';
	/* A /proc or tracefs file refuses a bad value here: say why, as
	 * coreutils' echo does. */
	if (write(STDOUT_FILENO, line, len) != (ssize_t)len) {
		fprintf(stderr, "echo: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
