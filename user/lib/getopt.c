/* getopt.c: POSIX getopt. Read first: the position inside a group of
 * flags ("-lx") is kept in optpos; setting optind to 0 (glibc) or 1 with a
 * fresh argv starts over. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1, opterr = 1, optopt;
static int optpos; /* index in argv[optind] of the next flag; 0: a new word */

static int complain(const char *optstring, const char *prog, const char *what, int c)
{
	if (opterr && optstring[0] != ':')
		dprintf(STDERR_FILENO, "%s: %s -- '%c'\n", prog, what, c);
	optopt = c;
	return '?';
}

int getopt(int argc, char *const argv[], const char *optstring)
{
	const char *word, *spec;
	int c;

	if (optind == 0) {
		optind = 1;
		optpos = 0;
	}
	if (optind >= argc || !argv[optind])
		return -1;
	word = argv[optind];
	if (optpos == 0) {
		if (word[0] != '-' || word[1] == '\0')
			return -1;
		if (strcmp(word, "--") == 0) {
			optind++;
			return -1;
		}
		optpos = 1;
	}
	c = word[optpos++];
	if (word[optpos] == '\0') {
		optind++;
		optpos = 0;
	}
	spec = c == ':' ? NULL : strchr(optstring, c);
	if (!spec)
		return complain(optstring, argv[0], "invalid option", c);
	if (spec[1] != ':')
		return c;
	if (optpos) { /* "-m8M": the rest of this word */
		optarg = (char *)word + optpos;
		optind++;
		optpos = 0;
	} else if (optind < argc) {
		optarg = argv[optind++];
	} else {
		if (optstring[0] == ':') {
			optopt = c;
			return ':';
		}
		return complain(optstring, argv[0], "option requires an argument", c);
	}
	return c;
}
