/* Host tests for kernel/fs/cpio.c, the initramfs parser. Read first: the
 * archive comes from outside the kernel, so besides the named cases every
 * truncation of a good archive and thousands of corrupted copies are
 * parsed from exact-size heap buffers: ASan turns any read past the end
 * into a failure. */
#include "kernel/errno.h"
#include "kernel/fs/cpio.h"
#include "tests/host/hosttest.h"
#include <stdlib.h>

#define ARCHIVE_MAX 1024
#define CORRUPTIONS 5000
#define LCG_MUL 6364136223846793005ull
#define LCG_ADD 1442695040888963407ull

struct archive {
	char buf[ARCHIVE_MAX];
	size_t len;
};

static void add(struct archive *a, const char *name, unsigned int mode, const char *data)
{
	size_t namesize = strlen(name) + 1, dlen = strlen(data);

	a->len += (size_t)sprintf(a->buf + a->len,
				  "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", 1u,
				  mode, 0u, 0u, 1u, 0u, (unsigned int)dlen, 0u, 0u, 0u, 0u,
				  (unsigned int)namesize, 0u);
	memcpy(a->buf + a->len, name, namesize);
	a->len += namesize;
	while (a->len % 4)
		a->buf[a->len++] = '\0';
	memcpy(a->buf + a->len, data, dlen);
	a->len += dlen;
	while (a->len % 4)
		a->buf[a->len++] = '\0';
}

static void sample(struct archive *a)
{
	memset(a, 0, sizeof(*a));
	add(a, "bin", 040755, "");
	add(a, "bin/hello", 0100755, "hello, world\n");
	add(a, "link", 0120777, "bin/hello");
	add(a, CPIO_TRAILER, 0, "");
}

struct count {
	int n;
	size_t bytes;
};

static int counter(const struct cpio_entry *e, void *ctx)
{
	struct count *c = ctx;

	c->n++;
	c->bytes += e->size + e->namelen;
	return 0;
}

/* Parse a heap copy of exactly len bytes, so ASan sees any overrun. */
static int parse_copy(const char *bytes, size_t len, struct count *c, struct cpio_error *err)
{
	char *copy = malloc(len ? len : 1);
	int ret;

	memcpy(copy, bytes, len);
	ret = cpio_parse(copy, len, counter, c, err);
	free(copy);
	return ret;
}

static void good_archive_lists_every_entry(void)
{
	struct archive a;
	struct count c = {0};
	struct cpio_error err = {0};

	sample(&a);
	HT_EXPECT_EQ(parse_copy(a.buf, a.len, &c, &err), 0);
	HT_EXPECT_EQ(c.n, 3);
	HT_EXPECT_EQ(c.bytes, 3 + 9 + 13 + 4 + 9);
}

static int stop_at_second(const struct cpio_entry *e, void *ctx)
{
	int *seen = ctx;

	(void)e;
	return ++*seen == 2 ? -ENOMEM : 0;
}

static void callback_error_stops_the_walk(void)
{
	struct archive a;
	struct cpio_error err = {0};
	int seen = 0;

	sample(&a);
	HT_EXPECT_EQ(cpio_parse(a.buf, a.len, stop_at_second, &seen, &err), -ENOMEM);
	HT_EXPECT_EQ(seen, 2);
}

static void every_truncation_is_refused_cleanly(void)
{
	struct archive a;

	sample(&a);
	for (size_t len = 0; len < a.len; len++) {
		struct count c = {0};
		struct cpio_error err = {0};

		/* Cutting inside the trailer's padding still ends at the trailer. */
		int ret = parse_copy(a.buf, len, &c, &err);

		if (ret == 0)
			HT_EXPECT(len >= a.len - 4);
		else
			HT_EXPECT(ret == -EINVAL && err.reason && err.offset <= len);
	}
}

static void named_damage_has_its_reason(void)
{
	struct archive a;
	struct count c = {0};
	struct cpio_error err = {0};

	sample(&a);
	a.buf[3] = '8';
	HT_EXPECT_EQ(parse_copy(a.buf, a.len, &c, &err), -EINVAL);
	HT_EXPECT_STREQ(err.reason, "no cpio magic");
	sample(&a);
	memcpy(a.buf + 6 + 8 * 6, "FFFFFFF0", 8); /* filesize of "bin" */
	HT_EXPECT_EQ(parse_copy(a.buf, a.len, &c, &err), -EINVAL);
	HT_EXPECT_STREQ(err.reason, "file data runs past the end of the archive");
	sample(&a);
	memcpy(a.buf + 6 + 8 * 11, "00000002", 8); /* namesize: "bi", no NUL */
	HT_EXPECT_EQ(parse_copy(a.buf, a.len, &c, &err), -EINVAL);
	HT_EXPECT_STREQ(err.reason, "name not NUL-terminated where its size says");
	sample(&a);
	a.buf[6 + 8 * 2] = 'z';
	HT_EXPECT_EQ(parse_copy(a.buf, a.len, &c, &err), -EINVAL);
	HT_EXPECT_STREQ(err.reason, "bad hex field in header");
}

static void random_corruption_never_reads_outside(void)
{
	unsigned long long state = 42;
	struct archive a;

	for (int i = 0; i < CORRUPTIONS; i++) {
		struct count c = {0};
		struct cpio_error err = {0};
		int ret;

		sample(&a);
		for (int k = 0; k < 1 + i % 4; k++) {
			state = state * LCG_MUL + LCG_ADD;
			a.buf[(state >> 33) % a.len] = (char)(state >> 13);
		}
		ret = parse_copy(a.buf, a.len, &c, &err);
		HT_EXPECT(ret == 0 || (ret == -EINVAL && err.reason));
	}
}

static const struct ht_case cases[] = {
	HT_CASE(good_archive_lists_every_entry),	HT_CASE(callback_error_stops_the_walk),
	HT_CASE(every_truncation_is_refused_cleanly),	HT_CASE(named_damage_has_its_reason),
	HT_CASE(random_corruption_never_reads_outside),
};

int main(void)
{
	return ht_run(cases, HT_ARRAY_SIZE(cases));
}
