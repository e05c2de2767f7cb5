/* newc cpio parsing: a 110-byte header of ASCII hex fields, the name, the
 * data, each padded to 4 bytes. Read first: every length comes from the
 * archive, so each is checked against what is left before it is used. */
#include "kernel/fs/cpio.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include <stdbool.h>

#define MAGIC_LEN 6
#define FIELD_LEN 8
#define NR_FIELDS 13

enum cpio_field {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK,
};

static int fail(struct cpio_error *err, const char *reason, size_t offset)
{
	err->reason = reason;
	err->offset = offset;
	return -EINVAL;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool parse_hex(const char *s, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < FIELD_LEN; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

static size_t align_up(size_t x)
{
	return (x + CPIO_ALIGN - 1) & ~(size_t)(CPIO_ALIGN - 1);
}

/* "070701" (newc) or "070702" (newc with checksums, not checked). */
static bool has_magic(const char *p)
{
	return memcmp(p, "07070", MAGIC_LEN - 1) == 0 && (p[5] == '1' || p[5] == '2');
}

/* Parse the header at off into e; *next gets the offset after the entry. */
static int parse_entry(const char *buf, size_t len, size_t off, struct cpio_entry *e, size_t *next,
		       struct cpio_error *err)
{
	uint32_t f[NR_FIELDS];
	size_t name_off = off + CPIO_HEADER_SIZE, data_off;

	if (len - off < CPIO_HEADER_SIZE)
		return fail(err, "truncated header", off);
	if (!has_magic(buf + off))
		return fail(err, "no cpio magic", off);
	for (int i = 0; i < NR_FIELDS; i++)
		if (!parse_hex(buf + off + MAGIC_LEN + (size_t)i * FIELD_LEN, &f[i]))
			return fail(err, "bad hex field in header", off);
	if (f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > len - name_off)
		return fail(err, "name runs past the end of the archive", off);
	if (buf[name_off + f[F_NAMESIZE] - 1] != '\0' ||
	    strnlen(buf + name_off, f[F_NAMESIZE]) != f[F_NAMESIZE] - 1)
		return fail(err, "name not NUL-terminated where its size says", off);
	data_off = align_up(name_off + f[F_NAMESIZE]);
	if (data_off > len || f[F_FILESIZE] > len - data_off)
		return fail(err, "file data runs past the end of the archive", off);
	*e = (struct cpio_entry){
		.name = buf + name_off,
		.namelen = f[F_NAMESIZE] - 1,
		.ino = f[F_INO],
		.mode = f[F_MODE],
		.uid = f[F_UID],
		.gid = f[F_GID],
		.nlink = f[F_NLINK],
		.mtime = f[F_MTIME],
		.devmajor = f[F_DEVMAJOR],
		.devminor = f[F_DEVMINOR],
		.rdevmajor = f[F_RDEVMAJOR],
		.rdevminor = f[F_RDEVMINOR],
		.data = buf + data_off,
		.size = f[F_FILESIZE],
	};
	*next = align_up(data_off + f[F_FILESIZE]);
	return 0;
}

/* Zero bytes between archives are padding (Linux's initramfs skips them in
 * 4-byte steps). */
static size_t skip_padding(const char *buf, size_t len, size_t off)
{
	while (off + CPIO_ALIGN <= len && !memcmp(buf + off, "\0\0\0\0", CPIO_ALIGN))
		off += CPIO_ALIGN;
	return off;
}

int cpio_parse(const void *archive, size_t len, cpio_entry_fn fn, void *ctx, struct cpio_error *err)
{
	const char *buf = archive;
	size_t off = skip_padding(buf, len, 0);

	if (off >= len)
		return fail(err, "empty archive", 0);
	for (;;) {
		struct cpio_entry e;
		size_t next;
		int ret = parse_entry(buf, len, off, &e, &next, err);

		if (ret)
			return ret;
		if (strcmp(e.name, CPIO_TRAILER) == 0)
			return 0;
		ret = fn(&e, ctx);
		if (ret)
			return ret;
		if (next >= len)
			return fail(err, "no TRAILER!!! entry", len);
		off = next;
	}
}
