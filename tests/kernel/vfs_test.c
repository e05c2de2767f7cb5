/* The VFS as a specification: path lookup (dots, slashes, symlinks, mount
 * points and every error), reads at odd offsets and sizes through the page
 * cache, seeks, what a read-only file system refuses at open, directory
 * listings resumed across calls, fstat's layout, and the fd table. Read
 * first: the files read are the initrd's fixtures (tools/mkinitrd.py);
 * without an initrd the cases that need them skip. */
#include "kernel/fs/fdtable.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/fs/stat.h"
#include "kernel/ktest.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/slab.h"
#include "tests/kernel/fs_test_helpers.h"
#include <stddef.h>

#define MAX_LISTED 16
#define NAME_BUF 32

static int require_fixtures(struct kunit *test)
{
	return fixtures_present() ? 0 : (kunit_mark_skipped(test, "no initrd fixtures"), -1);
}

static long lookup_err(const char *path, bool follow)
{
	struct dentry *d = vfs_path_lookup(NULL, path, follow);

	if (IS_ERR(d))
		return PTR_ERR(d);
	dput(d);
	return 0;
}

static bool lookup_is(const char *path, const char *want)
{
	struct dentry *a = vfs_path_lookup(NULL, path, true);
	struct dentry *b = vfs_path_lookup(NULL, want, true);
	bool same = !IS_ERR(a) && !IS_ERR(b) && a->d_inode == b->d_inode;

	if (!IS_ERR(a))
		dput(a);
	if (!IS_ERR(b))
		dput(b);
	return same;
}

static void lookup_resolves_dots_slashes_and_symlinks(struct kunit *test)
{
	if (require_fixtures(test))
		return;
	KUNIT_EXPECT_TRUE(test, lookup_is("//test///vfs/./dir/../hello.txt", HELLO_PATH));
	KUNIT_EXPECT_TRUE(test, lookup_is("/..", "/"));
	KUNIT_EXPECT_TRUE(test, lookup_is("/test/vfs/link", HELLO_PATH));
	KUNIT_EXPECT_TRUE(test, lookup_is("/test/vfs/abslink/sub/c", "/test/vfs/dir/sub/c"));
	KUNIT_EXPECT_TRUE(test, lookup_is("/test/vfs/dir/", "/test/vfs/dir"));
	/* /proc is a mount point: its ".." leads back to "/". */
	KUNIT_EXPECT_TRUE(test, lookup_is("/proc/..", "/"));
	KUNIT_EXPECT_TRUE(test, lookup_is("/proc/../test", "/test"));
}

static void lookup_reports_each_error(struct kunit *test)
{
	char *long_name = kmalloc(NAME_MAX + 3, GFP_KERNEL);

	if (require_fixtures(test))
		return;
	KUNIT_ASSERT_NOT_NULL(test, long_name);
	memset(long_name, 'x', NAME_MAX + 2);
	long_name[0] = '/';
	long_name[NAME_MAX + 2] = '\0';
	KUNIT_EXPECT_EQ(test, lookup_err("/test/vfs/missing", true), -ENOENT);
	KUNIT_EXPECT_EQ(test, lookup_err("", true), -ENOENT);
	KUNIT_EXPECT_EQ(test, lookup_err(HELLO_PATH "/x", true), -ENOTDIR);
	KUNIT_EXPECT_EQ(test, lookup_err(HELLO_PATH "/", true), -ENOTDIR);
	KUNIT_EXPECT_EQ(test, lookup_err(long_name, true), -ENAMETOOLONG);
	KUNIT_EXPECT_EQ(test, lookup_err("/test/vfs/loop", true), -ELOOP);
	/* Not following the last component finds the link itself. */
	KUNIT_EXPECT_EQ(test, lookup_err("/test/vfs/loop", false), 0);
	kfree(long_name);
}

static long read_at(struct file *f, loff_t pos, size_t n, unsigned char *buf)
{
	return kernel_read(f, buf, n, &pos);
}

static bool matches_pattern(const unsigned char *buf, loff_t pos, long n)
{
	for (long i = 0; i < n; i++)
		if (buf[i] != pattern_byte((unsigned long)(pos + i)))
			return false;
	return true;
}

static void reads_at_odd_offsets_and_sizes_match_the_file(struct kunit *test)
{
	static const struct {
		loff_t pos;
		size_t len;
	} cases[] = {
		{0, 1},	      {1, 4094},  {4095, 2},	     {4090, 9000},  {8191, 4097},
		{12287, 200}, {12410, 1}, {0, PATTERN_SIZE}, {7, 3 * 4096},
	};
	unsigned char *buf = kmalloc(PATTERN_SIZE + 64, GFP_KERNEL);
	struct file *f;

	if (require_fixtures(test))
		return;
	KUNIT_ASSERT_NOT_NULL(test, buf);
	f = filp_open(PATTERN_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_EXPECT_EQ(test, file_size(f), PATTERN_SIZE);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long want = (long)cases[i].len;
		long n = read_at(f, cases[i].pos, cases[i].len, buf);

		if (cases[i].pos + want > PATTERN_SIZE)
			want = PATTERN_SIZE - (long)cases[i].pos;
		KUNIT_EXPECT_EQ(test, n, want);
		KUNIT_EXPECT_TRUE(test, matches_pattern(buf, cases[i].pos, n));
	}
	KUNIT_EXPECT_EQ(test, read_at(f, PATTERN_SIZE, 10, buf), 0);
	KUNIT_EXPECT_EQ(test, read_at(f, PATTERN_SIZE + 5000, 10, buf), 0);
	KUNIT_EXPECT_EQ(test, read_at(f, -1, 10, buf), -EINVAL);
	fput(f);
	kfree(buf);
}

static void small_sequential_reads_rebuild_the_file(struct kunit *test)
{
	long err;
	char *text;
	unsigned char *whole;

	if (require_fixtures(test))
		return;
	text = read_whole(HELLO_PATH, 3, &err);
	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_EXPECT_STREQ(test, text, HELLO_TEXT);
	kfree(text);
	whole = (unsigned char *)read_whole(PATTERN_PATH, 1000, &err);
	KUNIT_ASSERT_NOT_NULL(test, whole);
	KUNIT_EXPECT_TRUE(test, matches_pattern(whole, 0, PATTERN_SIZE));
	kfree(whole);
	text = read_whole("/test/vfs/empty", 16, &err);
	KUNIT_ASSERT_NOT_NULL(test, text);
	KUNIT_EXPECT_EQ(test, strlen(text), 0);
	kfree(text);
}

static void lseek_moves_f_pos_and_refuses_bad_offsets(struct kunit *test)
{
	struct file *f;
	char c;

	if (require_fixtures(test))
		return;
	f = filp_open(PATTERN_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_EXPECT_EQ(test, vfs_llseek(f, -1, SEEK_END), PATTERN_SIZE - 1);
	KUNIT_EXPECT_EQ(test, kernel_read(f, &c, 1, &f->f_pos), 1);
	KUNIT_EXPECT_EQ(test, (unsigned char)c, pattern_byte(PATTERN_SIZE - 1));
	KUNIT_EXPECT_EQ(test, vfs_llseek(f, -10, SEEK_CUR), PATTERN_SIZE - 10);
	KUNIT_EXPECT_EQ(test, vfs_llseek(f, -1, SEEK_SET), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfs_llseek(f, -PATTERN_SIZE - 1, SEEK_END), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfs_llseek(f, 0, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, f->f_pos, PATTERN_SIZE - 10);
	/* Beyond the end is allowed; reading there gives end of file. */
	KUNIT_EXPECT_EQ(test, vfs_llseek(f, 100000, SEEK_SET), 100000);
	KUNIT_EXPECT_EQ(test, kernel_read(f, &c, 1, &f->f_pos), 0);
	fput(f);
}

static long open_err(const char *path, int flags)
{
	struct file *f = filp_open(path, flags);

	if (IS_ERR(f))
		return PTR_ERR(f);
	fput(f);
	return 0;
}

static void read_only_file_system_refuses_at_open(struct kunit *test)
{
	struct file *f;
	char buf[4];

	if (require_fixtures(test))
		return;
	KUNIT_EXPECT_EQ(test, open_err(HELLO_PATH, O_WRONLY), -EROFS);
	KUNIT_EXPECT_EQ(test, open_err(HELLO_PATH, O_RDWR), -EROFS);
	KUNIT_EXPECT_EQ(test, open_err(HELLO_PATH, O_RDONLY | O_TRUNC), -EROFS);
	KUNIT_EXPECT_EQ(test, open_err("/test/vfs/new", O_WRONLY | O_CREAT), -EROFS);
	/* As Linux: a missing directory on the way is ENOENT, not EROFS. */
	KUNIT_EXPECT_EQ(test, open_err("/test/nope/new", O_WRONLY | O_CREAT), -ENOENT);
	KUNIT_EXPECT_EQ(test, open_err(HELLO_PATH "/new", O_WRONLY | O_CREAT), -ENOTDIR);
	KUNIT_EXPECT_EQ(test, open_err(HELLO_PATH, O_RDONLY | O_CREAT | O_EXCL), -EEXIST);
	KUNIT_EXPECT_EQ(test, open_err(HELLO_PATH, O_RDONLY | O_CREAT), 0);
	KUNIT_EXPECT_EQ(test, open_err(HELLO_PATH, O_RDONLY | O_DIRECTORY), -ENOTDIR);
	KUNIT_EXPECT_EQ(test, open_err("/test/vfs", O_WRONLY), -EISDIR);
	KUNIT_EXPECT_EQ(test, open_err("/test/vfs/link", O_RDONLY | O_NOFOLLOW), -ELOOP);
	/* Device nodes on the read-only tree can still be written. */
	KUNIT_EXPECT_EQ(test, open_err("/dev/null", O_RDWR), 0);
	f = filp_open("/test/vfs", O_RDONLY | O_DIRECTORY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, sizeof(buf), &f->f_pos), -EISDIR);
	fput(f);
	f = filp_open(HELLO_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_EXPECT_EQ(test, kernel_write(f, "x", 1, &f->f_pos), -EBADF);
	fput(f);
}

struct listing {
	struct dir_context ctx;
	int n, limit;
	char names[MAX_LISTED][NAME_BUF];
	unsigned int types[MAX_LISTED];
	loff_t offs[MAX_LISTED];
};

static bool collect(struct dir_context *ctx, const char *name, size_t len, loff_t pos,
		    unsigned long ino, unsigned int d_type)
{
	struct listing *l = container_of(ctx, struct listing, ctx);

	if (l->n >= l->limit || l->n >= MAX_LISTED || len >= NAME_BUF)
		return false;
	memcpy(l->names[l->n], name, len);
	l->names[l->n][len] = '\0';
	l->types[l->n] = d_type;
	l->offs[l->n] = pos;
	l->n++;
	return true;
}

/* One entry per iterate_dir call: the position must carry the listing on. */
static void listing_resumes_where_the_buffer_filled(struct kunit *test)
{
	static const char *const want[] = {".", "..", "a", "b", "sub"};
	static const unsigned int want_type[] = {DT_DIR, DT_DIR, DT_REG, DT_REG, DT_DIR};
	struct listing *l = kzalloc(sizeof(*l), GFP_KERNEL);
	struct file *f;
	int calls = 0;

	if (require_fixtures(test))
		return;
	KUNIT_ASSERT_NOT_NULL(test, l);
	f = filp_open("/test/vfs/dir", O_RDONLY | O_DIRECTORY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	l->ctx.actor = collect;
	for (;;) {
		int before = l->n;

		l->limit = l->n + 1;
		KUNIT_EXPECT_EQ(test, iterate_dir(f, &l->ctx), 0);
		calls++;
		if (l->n == before || calls > MAX_LISTED)
			break;
	}
	KUNIT_EXPECT_EQ(test, l->n, 5);
	for (int i = 0; i < 5 && i < l->n; i++) {
		KUNIT_EXPECT_STREQ(test, l->names[i], want[i]);
		KUNIT_EXPECT_EQ(test, l->types[i], want_type[i]);
	}
	fput(f);
	f = filp_open(HELLO_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_EXPECT_EQ(test, iterate_dir(f, &l->ctx), -ENOTDIR);
	fput(f);
	kfree(l);
}

static void fstat_fills_linux_struct_stat(struct kunit *test)
{
	struct stat st;
	struct file *f;

	/* The x86_64 ABI's offsets. */
	KUNIT_EXPECT_EQ(test, offsetof(struct stat, st_mode), 24);
	KUNIT_EXPECT_EQ(test, offsetof(struct stat, st_rdev), 40);
	KUNIT_EXPECT_EQ(test, offsetof(struct stat, st_size), 48);
	KUNIT_EXPECT_EQ(test, offsetof(struct stat, st_mtime), 88);
	if (require_fixtures(test))
		return;
	f = filp_open(HELLO_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	generic_fillattr(f->f_inode, &st);
	KUNIT_EXPECT_EQ(test, st.st_mode, S_IFREG | 0644);
	KUNIT_EXPECT_EQ(test, st.st_size, sizeof(HELLO_TEXT) - 1);
	KUNIT_EXPECT_EQ(test, st.st_nlink, 1);
	KUNIT_EXPECT_EQ(test, st.st_blocks, 1);
	fput(f);
	f = filp_open("/dev/console", O_RDWR);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	generic_fillattr(f->f_inode, &st);
	KUNIT_EXPECT_EQ(test, st.st_mode & S_IFMT, S_IFCHR);
	KUNIT_EXPECT_EQ(test, st.st_rdev, (5 << 8) | 1); /* Linux's encoding of 5:1 */
	fput(f);
}

static void dev_null_swallows_writes_and_reads_empty(struct kunit *test)
{
	struct file *f = filp_open("/dev/null", O_RDWR);
	char buf[8];

	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_EXPECT_EQ(test, kernel_write(f, "abc", 3, &f->f_pos), 3);
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, sizeof(buf), &f->f_pos), 0);
	fput(f);
}

static void fd_table_hands_out_lowest_fd_and_dup2_replaces(struct kunit *test)
{
	struct files_struct *saved;
	struct file *f = filp_open("/dev/null", O_RDWR), *g;
	int fd0, fd1;

	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_ASSERT_TRUE(test, fs_test_use_files(&saved));
	fd0 = get_unused_fd();
	fd_install((unsigned int)fd0, f);
	KUNIT_EXPECT_EQ(test, fd0, 0);
	KUNIT_EXPECT_EQ(test, do_dup2(0, 5), 5);
	KUNIT_EXPECT_EQ(test, f->f_count, 2);
	fd1 = get_unused_fd();
	KUNIT_EXPECT_EQ(test, fd1, 1);
	put_unused_fd((unsigned int)fd1);
	KUNIT_EXPECT_EQ(test, do_dup2(0, 0), 0);
	KUNIT_EXPECT_EQ(test, do_dup2(7, 1), -EBADF);
	KUNIT_EXPECT_EQ(test, do_dup2(0, NR_OPEN_DEFAULT), -EBADF);
	g = fget(5);
	KUNIT_EXPECT_TRUE(test, g == f);
	fput(g);
	KUNIT_EXPECT_EQ(test, close_fd(5), 0);
	KUNIT_EXPECT_EQ(test, close_fd(5), -EBADF);
	KUNIT_EXPECT_EQ(test, f->f_count, 1);
	KUNIT_EXPECT_NULL(test, fget(NR_OPEN_DEFAULT + 3));
	fs_test_drop_files(saved); /* closes fd 0: f's last reference */
}

static int count_open(struct files_struct *files)
{
	int n = 0;

	for (int fd = 0; fd < NR_OPEN_DEFAULT; fd++)
		n += files->fd_array[fd] != NULL;
	return n;
}

static void copy_files_shares_or_duplicates_the_table(struct kunit *test)
{
	struct files_struct *saved;
	struct task_struct *child = kzalloc(sizeof(*child), GFP_KERNEL);
	struct file *f = filp_open("/dev/null", O_RDWR);

	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_ASSERT_TRUE(test, fs_test_use_files(&saved));
	fd_install((unsigned int)get_unused_fd(), f);
	KUNIT_EXPECT_EQ(test, copy_files(child, false), 0);
	KUNIT_EXPECT_TRUE(test, child->files != current->files);
	KUNIT_EXPECT_EQ(test, count_open(child->files), 1);
	KUNIT_EXPECT_EQ(test, f->f_count, 2);
	exit_files(child);
	KUNIT_EXPECT_NULL(test, child->files);
	KUNIT_EXPECT_EQ(test, f->f_count, 1);
	KUNIT_EXPECT_EQ(test, copy_files(child, true), 0);
	KUNIT_EXPECT_TRUE(test, child->files == current->files);
	KUNIT_EXPECT_EQ(test, current->files->count, 2);
	exit_files(child);
	KUNIT_EXPECT_EQ(test, current->files->count, 1);
	KUNIT_EXPECT_EQ(test, f->f_count, 1);
	fs_test_drop_files(saved);
	kfree(child);
}

/* The handlers themselves, with kernel pointers where user ones belong:
 * every one must say -EFAULT (or -EBADF first), never touch the memory. */
static void syscalls_refuse_kernel_pointers(struct kunit *test)
{
	struct files_struct *saved;
	static char kbuf[64];
	struct pt_regs regs;
	struct file *f;

	if (require_fixtures(test))
		return;
	f = filp_open(HELLO_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	KUNIT_ASSERT_TRUE(test, fs_test_use_files(&saved));
	fd_install((unsigned int)get_unused_fd(), f);
	regs = fs_test_regs(0, (unsigned long)kbuf, sizeof(kbuf));
	KUNIT_EXPECT_EQ(test, sys_read(&regs), -EFAULT);
	KUNIT_EXPECT_EQ(test, f->f_pos, 0);
	KUNIT_EXPECT_EQ(test, sys_write(&regs), -EBADF); /* opened read-only */
	KUNIT_EXPECT_EQ(test, sys_fstat(&regs), -EFAULT);
	KUNIT_EXPECT_EQ(test, sys_getdents64(&regs), -ENOTDIR);
	regs = fs_test_regs(9, (unsigned long)kbuf, sizeof(kbuf));
	KUNIT_EXPECT_EQ(test, sys_read(&regs), -EBADF);
	KUNIT_EXPECT_EQ(test, sys_close(&regs), -EBADF);
	regs = fs_test_regs((unsigned long)HELLO_PATH, O_RDONLY, 0);
	KUNIT_EXPECT_EQ(test, sys_open(&regs), -EFAULT);
	regs = fs_test_regs((unsigned long)kbuf, 0, 0);
	KUNIT_EXPECT_EQ(test, sys_pipe2(&regs), -EFAULT);
	KUNIT_EXPECT_EQ(test, count_open(current->files), 1); /* nothing leaked */
	regs = fs_test_regs(0, 1, 0);
	KUNIT_EXPECT_EQ(test, sys_lseek(&regs), 1);
	regs = fs_test_regs(0, 0, 0);
	KUNIT_EXPECT_EQ(test, sys_close(&regs), 0);
	fs_test_drop_files(saved);
}

static struct kunit_case vfs_cases[] = {
	KUNIT_CASE(lookup_resolves_dots_slashes_and_symlinks),
	KUNIT_CASE(lookup_reports_each_error),
	KUNIT_CASE(reads_at_odd_offsets_and_sizes_match_the_file),
	KUNIT_CASE(small_sequential_reads_rebuild_the_file),
	KUNIT_CASE(lseek_moves_f_pos_and_refuses_bad_offsets),
	KUNIT_CASE(read_only_file_system_refuses_at_open),
	KUNIT_CASE(listing_resumes_where_the_buffer_filled),
	KUNIT_CASE(fstat_fills_linux_struct_stat),
	KUNIT_CASE(dev_null_swallows_writes_and_reads_empty),
	KUNIT_CASE(fd_table_hands_out_lowest_fd_and_dup2_replaces),
	KUNIT_CASE(copy_files_shares_or_duplicates_the_table),
	KUNIT_CASE(syscalls_refuse_kernel_pointers),
	{},
};

static struct kunit_suite vfs_suite = {
	.name = "vfs",
	.test_cases = vfs_cases,
};
kunit_test_suite(vfs_suite);
