/* The initramfs as a specification: the boot-time tree holds what
 * tools/mkinitrd.py put in the archive (directories, files with their
 * sizes and modes, device nodes, symlinks) plus /dev and /proc whatever
 * the archive held, and the cpio parser refuses each kind of damage with
 * its reason instead of reading outside the archive. Read first: the
 * damaged archives are built here, in memory, from one good entry. */
#include "kernel/fs/cpio.h"
#include "kernel/fs/fs.h"
#include "kernel/ktest.h"
#include "kernel/setup.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/slab.h"
#include "tests/kernel/fs_test_helpers.h"

#define ARCHIVE_MAX 512
#define HEADER_FIELDS 13
#define FIELD_FILESIZE 6
#define FIELD_NAMESIZE 11
/* good_archive's file data: after the header and "hello\0" (4-aligned). */
#define GOOD_DATA_OFFSET (CPIO_HEADER_SIZE + 6)

struct archive {
	char buf[ARCHIVE_MAX];
	size_t len;
};

static void pad4(struct archive *a)
{
	while (a->len % CPIO_ALIGN)
		a->buf[a->len++] = '\0';
}

/* One newc entry; fields[] as the header lists them. */
static void add_entry(struct archive *a, const char *name, unsigned int mode, const char *data)
{
	unsigned int f[HEADER_FIELDS] = {0};
	size_t dlen = strlen(data);

	f[1] = mode;
	f[4] = 1;
	f[FIELD_FILESIZE] = (unsigned int)dlen;
	f[FIELD_NAMESIZE] = (unsigned int)strlen(name) + 1;
	a->len += (size_t)snprintf(a->buf + a->len, ARCHIVE_MAX - a->len, "070701");
	for (int i = 0; i < HEADER_FIELDS; i++)
		a->len += (size_t)snprintf(a->buf + a->len, ARCHIVE_MAX - a->len, "%08X", f[i]);
	memcpy(a->buf + a->len, name, f[FIELD_NAMESIZE]);
	a->len += f[FIELD_NAMESIZE];
	pad4(a);
	memcpy(a->buf + a->len, data, dlen);
	a->len += dlen;
	pad4(a);
}

static void good_archive(struct archive *a)
{
	a->len = 0;
	add_entry(a, "hello", S_IFREG | 0644, "hi!\n");
	add_entry(a, CPIO_TRAILER, 0, "");
}

struct seen {
	int entries;
	char name[16];
	size_t size;
};

static int count_entry(const struct cpio_entry *e, void *ctx)
{
	struct seen *s = ctx;

	s->entries++;
	strscpy(s->name, e->name, sizeof(s->name));
	s->size = e->size;
	return 0;
}

static const char *parse_reason(const struct archive *a, size_t len)
{
	struct cpio_error err = {0};
	struct seen s = {0};

	return cpio_parse(a->buf, len, count_entry, &s, &err) == -EINVAL ? err.reason : NULL;
}

static void parser_walks_a_good_archive(struct kunit *test)
{
	struct archive *a = kmalloc(sizeof(*a), GFP_KERNEL);
	struct cpio_error err = {0};
	struct seen s = {0};

	KUNIT_ASSERT_NOT_NULL(test, a);
	good_archive(a);
	KUNIT_EXPECT_EQ(test, cpio_parse(a->buf, a->len, count_entry, &s, &err), 0);
	KUNIT_EXPECT_EQ(test, s.entries, 1);
	KUNIT_EXPECT_STREQ(test, s.name, "hello");
	KUNIT_EXPECT_EQ(test, s.size, 4);
	/* Zero padding after the trailer, as boot loaders add, is fine. */
	memset(a->buf + a->len, 0, 16);
	KUNIT_EXPECT_EQ(test, cpio_parse(a->buf, a->len + 16, count_entry, &s, &err), 0);
	kfree(a);
}

static void parser_names_each_kind_of_damage(struct kunit *test)
{
	struct archive *a = kmalloc(sizeof(*a), GFP_KERNEL);
	size_t good_len;

	KUNIT_ASSERT_NOT_NULL(test, a);
	good_archive(a);
	good_len = a->len;
	KUNIT_EXPECT_STREQ(test, parse_reason(a, 0), "empty archive");
	KUNIT_EXPECT_STREQ(test, parse_reason(a, 50), "truncated header");
	/* Cut inside the first file's data, then just before the trailer. */
	KUNIT_EXPECT_STREQ(test, parse_reason(a, GOOD_DATA_OFFSET + 2),
			   "file data runs past the end of the archive");
	KUNIT_EXPECT_STREQ(test, parse_reason(a, GOOD_DATA_OFFSET + 4), "no TRAILER!!! entry");
	a->buf[0] = 'x';
	KUNIT_EXPECT_STREQ(test, parse_reason(a, good_len), "no cpio magic");
	good_archive(a);
	a->buf[6 + 8 * FIELD_FILESIZE] = 'g';
	KUNIT_EXPECT_STREQ(test, parse_reason(a, good_len), "bad hex field in header");
	good_archive(a);
	/* A file size far beyond the archive must not be believed. */
	memcpy(a->buf + 6 + 8 * FIELD_FILESIZE, "7FFFFFFF", 8);
	KUNIT_EXPECT_STREQ(test, parse_reason(a, good_len),
			   "file data runs past the end of the archive");
	good_archive(a);
	memcpy(a->buf + 6 + 8 * FIELD_NAMESIZE, "00000003", 8); /* "hel", no NUL */
	KUNIT_EXPECT_STREQ(test, parse_reason(a, good_len),
			   "name not NUL-terminated where its size says");
	good_archive(a);
	memcpy(a->buf + 6 + 8 * FIELD_NAMESIZE, "FFFFFFFF", 8);
	KUNIT_EXPECT_STREQ(test, parse_reason(a, good_len),
			   "name runs past the end of the archive");
	good_archive(a);
	memcpy(a->buf + 6 + 8 * FIELD_NAMESIZE, "00000000", 8);
	KUNIT_EXPECT_STREQ(test, parse_reason(a, good_len),
			   "name runs past the end of the archive");
	kfree(a);
}

static umode_t mode_of(const char *path)
{
	struct dentry *d = vfs_path_lookup(NULL, path, false);
	umode_t mode;

	if (IS_ERR(d))
		return 0;
	mode = d->d_inode->i_mode;
	dput(d);
	return mode;
}

static void dev_and_proc_exist_with_or_without_an_archive(struct kunit *test)
{
	struct dentry *d = vfs_path_lookup(NULL, "/dev/console", true);

	KUNIT_ASSERT_TRUE(test, !IS_ERR(d));
	KUNIT_EXPECT_EQ(test, d->d_inode->i_mode & S_IFMT, S_IFCHR);
	KUNIT_EXPECT_EQ(test, MAJOR(d->d_inode->i_rdev), 5);
	KUNIT_EXPECT_EQ(test, MINOR(d->d_inode->i_rdev), 1);
	dput(d);
	KUNIT_EXPECT_EQ(test, mode_of("/dev/null") & S_IFMT, S_IFCHR);
	KUNIT_EXPECT_EQ(test, mode_of("/proc") & S_IFMT, S_IFDIR);
	KUNIT_EXPECT_EQ(test, mode_of("/proc/meminfo") & S_IFMT, S_IFREG);
}

static void archive_contents_are_in_the_tree(struct kunit *test)
{
	char *text;
	long err;

	if (!boot_info.nr_modules)
		kunit_skip(test, "booted without an initrd");
	KUNIT_EXPECT_EQ(test, mode_of("/bin"), S_IFDIR | 0755);
	KUNIT_EXPECT_EQ(test, mode_of("/etc/hostname"), S_IFREG | 0644);
	KUNIT_EXPECT_EQ(test, mode_of("/test/vfs/link"), S_IFLNK | 0777);
	KUNIT_EXPECT_EQ(test, mode_of("/test/vfs/dir/sub"), S_IFDIR | 0755);
	text = read_whole("/etc/hostname", 64, &err);
	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_EXPECT_STREQ(test, text, "oomlab\n");
	kfree(text);
}

static struct kunit_case initramfs_cases[] = {
	KUNIT_CASE(parser_walks_a_good_archive),
	KUNIT_CASE(parser_names_each_kind_of_damage),
	KUNIT_CASE(dev_and_proc_exist_with_or_without_an_archive),
	KUNIT_CASE(archive_contents_are_in_the_tree),
	{},
};

static struct kunit_suite initramfs_suite = {
	.name = "initramfs",
	.test_cases = initramfs_cases,
};
kunit_test_suite(initramfs_suite);
