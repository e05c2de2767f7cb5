/* sleep: sleeps for N seconds; N may have a fraction ("0.25"). Read
 * first: nanosleep is restarted with what remains if a signal cuts it
 * short and the handler returns. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NSEC_PER_SEC 1000000000L

/* "1.5" -> {1, 500000000}; returns -1 for anything but digits[.digits]. */
static int parse_seconds(const char *s, struct timespec *ts)
{
	long scale = NSEC_PER_SEC / 10;
	char *end;

	if (!isdigit(*s))
		return -1;
	errno = 0;
	ts->tv_sec = strtol(s, &end, 10);
	ts->tv_nsec = 0;
	if (errno)
		return -1;
	if (*end == '.') {
		for (end++; isdigit(*end); end++, scale /= 10)
			ts->tv_nsec += (*end - '0') * scale;
	}
	return *end ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct timespec ts;

	if (argc != 2 || parse_seconds(argv[1], &ts) < 0) {
		fprintf(stderr, "usage: sleep SECONDS[.FRACTION]\n");
		return 1;
	}
	while (nanosleep(&ts, &ts) < 0) {
		if (errno != EINTR) {
			perror("sleep");
			return 1;
		}
	}
	return 0;
}
