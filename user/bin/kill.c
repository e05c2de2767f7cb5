/* kill: sends a signal (SIGTERM unless told) to processes. Read first: the
 * signal may be a name or a number, "-KILL", "-9", "-s KILL"; "kill -l"
 * lists the names. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(void)
{
	fprintf(stderr, "usage: kill [-SIGNAL | -s SIGNAL] PID...\n       kill -l\n");
	return 2;
}

/* "0" is allowed: kill -0 PID only checks that PID exists. */
static int parse_signal(const char *name, int *sig)
{
	if (strcmp(name, "0") == 0) {
		*sig = 0;
		return 0;
	}
	return str2sig(name, sig);
}

static int unknown_signal(const char *name)
{
	fprintf(stderr, "kill: unknown signal '%s'\n", name);
	return usage();
}

static void list_signals(void)
{
	char name[SIG2STR_MAX];

	for (int sig = 1; sig < 32; sig++) {
		if (sig2str(sig, name) < 0)
			continue;
		if (sig % 4 == 0 || sig == 31)
			printf("%2d) SIG%s\n", sig, name);
		else
			printf("%2d) SIG%-8s ", sig, name);
	}
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;

	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		list_signals();
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "-s") == 0) {
		if (parse_signal(argv[2], &sig) < 0)
			return unknown_signal(argv[2]);
		i = 3;
	} else if (argc > 1 && argv[1][0] == '-') {
		if (parse_signal(argv[1] + 1, &sig) < 0)
			return unknown_signal(argv[1] + 1);
		i = 2;
	}
	if (i >= argc)
		return usage();
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);

		if (*end || end == argv[i]) {
			fprintf(stderr, "kill: '%s' is not a process id\n", argv[i]);
			status = 1;
		} else if (kill((pid_t)pid, sig) < 0) {
			fprintf(stderr, "kill: (%ld): %s\n", pid, strerror(errno));
			status = 1;
		}
	}
	return status;
}
