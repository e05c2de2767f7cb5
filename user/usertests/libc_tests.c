/* libc_tests.c: our libc checking itself: printf formats, string and
 * number functions, getopt, and malloc under churn and threads. Read
 * first: the expected strings are what glibc prints for the same calls. */
#include "usertests.h"
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHECK_STR(got, want)                                                                  \
	do {                                                                                  \
		if (strcmp((got), (want)) != 0) {                                             \
			diag("%s:%d: got \"%s\", expected \"%s\"", __FILE__, __LINE__, (got), \
			     (want));                                                         \
			return 1;                                                             \
		}                                                                             \
	} while (0)

#define FMT(want, ...)                                          \
	do {                                                    \
		char _b[128];                                   \
		int _n = snprintf(_b, sizeof(_b), __VA_ARGS__); \
		CHECK_STR(_b, want);                            \
		CHECK_EQ(_n, (int)strlen(want));                \
	} while (0)

int test_printf(void)
{
	char small[8];

	FMT("42 -7 +5 3000000000", "%d %i %+d %u", 42, -7, 5, 3000000000U);
	FMT("[   42][42   ][00042][-0042]", "[%5d][%-5d][%05d][%05d]", 42, 42, 42, -42);
	FMT("ff FF 0xff 777 0", "%x %X %#x %o %x", 255, 255, 255, 0777, 0);
	FMT("deadbeefcafe 18446744073709551615", "%lx %llu", 0xdeadbeefcafeUL, ULLONG_MAX);
	FMT("-9223372036854775808", "%ld", LONG_MIN);
	FMT("0x1000 (nil)", "%p %p", (void *)0x1000, NULL);
	FMT("[abc][  abc][abc  ][ab]", "[%s][%5s][%-5s][%.2s]", "abc", "abc", "abc", "abc");
	FMT("x|%|c", "%c|%%|%c", 'x', 'c');
	FMT("[  7][7  ][007]", "[%*d][%-*d][%.3d]", 3, 7, 3, 7, 7);
	FMT("255 -1 65535 42", "%hhu %hhd %hu %zu", (unsigned char)255, (signed char)-1,
	    (unsigned short)65535, (size_t)42);
	/* Truncation: the return value is the length that would have been. */
	CHECK_EQ(snprintf(small, sizeof(small), "%s", "0123456789"), 10);
	CHECK_STR(small, "0123456");
	CHECK_EQ(snprintf(NULL, 0, "%d", 12345), 5);
	return 0;
}

static int check_strtol(void)
{
	char *end;

	CHECK_EQ(strtol("  -123xyz", &end, 10), -123);
	CHECK_STR(end, "xyz");
	CHECK_EQ(strtol("0x1F", NULL, 0), 31);
	CHECK_EQ(strtol("0755", NULL, 0), 0755);
	CHECK_EQ(strtol("ff", NULL, 16), 255);
	CHECK_EQ(strtol("z", NULL, 36), 35);
	CHECK_EQ(strtol("abc", &end, 10), 0);
	CHECK_STR(end, "abc");
	errno = 0;
	CHECK(strtol("99999999999999999999", NULL, 10) == LONG_MAX && errno == ERANGE);
	errno = 0;
	CHECK(strtol("-9223372036854775808", NULL, 10) == LONG_MIN && errno == 0);
	CHECK(strtoul("18446744073709551615", NULL, 10) == ULONG_MAX);
	CHECK_EQ(atoi("-42"), -42);
	return 0;
}

static int check_getopt(void)
{
	char *argv[] = {"prog", "-lx", "-m8M", "-t", "4", "--", "-rest", NULL};
	int argc = 7, c;
	char seen[16] = "";
	size_t n = 0;

	optind = 0;
	opterr = 0;
	while ((c = getopt(argc, argv, "lxm:t:")) != -1) {
		seen[n++] = (char)c;
		if (c == 'm')
			CHECK_STR(optarg, "8M");
		if (c == 't')
			CHECK_STR(optarg, "4");
	}
	seen[n] = '\0';
	CHECK_STR(seen, "lxmt");
	CHECK_EQ(optind, 6);
	CHECK_STR(argv[optind], "-rest");
	optind = 0;
	CHECK_EQ(getopt(argc, argv, "l"), 'l');
	CHECK_EQ(getopt(argc, argv, "l"), '?');
	CHECK_EQ(optopt, 'x');
	optind = 1;
	opterr = 1;
	return 0;
}

static const struct {
	const char *a, *b;
	size_t n; /* 0: strcmp, else strncmp(a, b, n) */
	int sign;
} compares[] = {
	{"abc", "abd", 0, -1},	{"b", "a", 0, 1},	 {"x", "x", 0, 0},
	{"ab", "abc", 0, -1},	{"\xff", "a", 0, 1}, /* bytes compare as unsigned */
	{"abcX", "abcY", 3, 0}, {"abcX", "abcY", 4, -1},
};

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

int test_string(void)
{
	char buf[32] = "abcdefghij";

	CHECK_EQ(strlen(buf), 10);
	for (size_t i = 0; i < sizeof(compares) / sizeof(compares[0]); i++) {
		int got = compares[i].n ? strncmp(compares[i].a, compares[i].b, compares[i].n)
					: strcmp(compares[i].a, compares[i].b);

		CHECK_EQ(sign(got), compares[i].sign);
	}
	CHECK_STR(strchr("a,b,c", ','), ",b,c");
	CHECK_STR(strrchr("a,b,c", ','), ",c");
	CHECK_STR(strstr("needle in haystack", "hay"), "haystack");
	CHECK(strstr("abc", "abd") == NULL);
	memmove(buf + 2, buf, 5); /* overlapping, forwards */
	CHECK_STR(buf, "ababcdehij");
	memmove(buf, buf + 2, 5); /* overlapping, backwards */
	CHECK_STR(buf, "abcdedehij");
	CHECK_EQ(strspn("aabbc", "ab"), 4);
	CHECK_EQ(strcspn("abc;d", ";"), 3);
	CHECK_EQ(strlcpy(buf, "truncate me", 5), 11);
	CHECK_STR(buf, "trun");
	CHECK_STR(strerror(ENOENT), "No such file or directory");
	CHECK_STR(strsignal(SIGKILL), "Killed");
	return check_strtol() || check_getopt();
}

/* A tiny generator, so the churn is the same on every run. */
static unsigned long next_random(unsigned long *state)
{
	*state = *state * 6364136223846793005UL + 1442695040888963407UL;
	return *state >> 33;
}

#define SLOTS 64
#define ROUNDS 2000
#define BIG 300000 /* above the mmap threshold */

static int churn(unsigned long seed)
{
	unsigned char *p[SLOTS] = {0};
	size_t len[SLOTS] = {0};

	for (int r = 0; r < ROUNDS; r++) {
		int i = (int)(next_random(&seed) % SLOTS);
		size_t want = next_random(&seed) % 8 ? next_random(&seed) % 2048 + 1
						     : next_random(&seed) % BIG + 1;

		for (size_t k = 0; k < len[i]; k++) {
			if (p[i][k] != (unsigned char)(i + k))
				return 1; /* someone else wrote into this block */
		}
		if (p[i] && next_random(&seed) % 2) {
			unsigned char *q = realloc(p[i], want);

			if (!q)
				return 1;
			p[i] = q;
			len[i] = want < len[i] ? want : len[i];
		} else {
			free(p[i]);
			p[i] = malloc(want);
			len[i] = 0;
			if (!p[i])
				return 1;
		}
		for (size_t k = len[i]; k < want; k++)
			p[i][k] = (unsigned char)(i + k);
		len[i] = want;
	}
	for (int i = 0; i < SLOTS; i++)
		free(p[i]);
	return 0;
}

static void *churn_thread(void *arg)
{
	return (void *)(long)churn((unsigned long)arg);
}

int test_malloc(void)
{
	pthread_t t[4];
	void *result;
	int *z;

	CHECK(((unsigned long)malloc(1) & 15) == 0);
	z = calloc(1000, sizeof(int));
	CHECK(z != NULL);
	for (int i = 0; i < 1000; i++)
		CHECK_EQ(z[i], 0);
	free(z);
	z = calloc(ULONG_MAX / 2, 4); /* the product overflows */
	CHECK(z == NULL);
	z = malloc(ULONG_MAX - 8);
	CHECK(z == NULL);
	CHECK_EQ(churn(1), 0);
	for (long i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, churn_thread, (void *)(i + 2)), 0);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(pthread_join(t[i], &result), 0);
		CHECK_EQ((long)result, 0);
	}
	return 0;
}
