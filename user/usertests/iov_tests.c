/* iov_tests.c: readv, writev, preadv and pwritev, as Linux answers them:
 * segments filled in order, empty ones skipped, the list checked whole
 * (IOV_MAX, negative lengths, bad addresses) before anything moves, and
 * the p-versions at an offset that leaves the file position alone. Read
 * first: every case passes on Linux as well. */
#include "usertests.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#define SEGS(a) (sizeof(a) / sizeof((a)[0]))

static int open_goodelf(void)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/goodelf", ut_bad_dir);
	return open(path, O_RDONLY);
}

/* Through a pipe: writev gathers, readv scatters, in order. */
int test_readv_writev_pipe(void)
{
	char a[3], b[10];
	struct iovec out[] = {{"ab", 2}, {"", 0}, {"cdef", 4}};
	struct iovec in[] = {{a, sizeof(a)}, {b, sizeof(b)}};
	int p[2];

	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(writev(p[1], out, SEGS(out)), 6);
	CHECK_EQ(readv(p[0], in, SEGS(in)), 6);
	CHECK(memcmp(a, "abc", 3) == 0 && memcmp(b, "def", 3) == 0);
	CHECK_EQ(writev(p[1], out, 0), 0);
	CHECK_ERR(preadv(p[0], in, SEGS(in), 0), ESPIPE);
	CHECK_ERR(pwritev(p[1], out, SEGS(out), 0), ESPIPE);
	CHECK_ERR(readv(p[1], in, SEGS(in)), EBADF);
	CHECK_ERR(writev(-1, out, SEGS(out)), EBADF);
	close(p[0]);
	close(p[1]);
	return 0;
}

/* From a file: readv moves the position, preadv reads at its offset
 * and leaves the position where it was. */
int test_readv_preadv_file(void)
{
	char whole[8], a[2], b[5];
	struct iovec in[] = {{a, sizeof(a)}, {b, sizeof(b)}};
	int fd = open_goodelf();

	CHECK(fd >= 0);
	CHECK_EQ(read(fd, whole, sizeof(whole)), (long)sizeof(whole));
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(readv(fd, in, SEGS(in)), 7);
	CHECK(memcmp(a, whole, 2) == 0 && memcmp(b, whole + 2, 5) == 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 7);
	memset(b, 0, sizeof(b));
	CHECK_EQ(preadv(fd, in, SEGS(in), 1), 7);
	CHECK(memcmp(a, whole + 1, 2) == 0 && memcmp(b, whole + 3, 5) == 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 7);
	CHECK_ERR(preadv(fd, in, SEGS(in), -1), EINVAL);
	CHECK_ERR(pwritev(fd, in, SEGS(in), 0), EBADF);
	close(fd);
	return 0;
}

/* The list is judged before the file is touched; a buffer that goes bad
 * midway ends the read at the bad byte. */
int test_iovec_errors(void)
{
	static struct iovec many[IOV_MAX + 1];
	char a[4], whole[8];
	struct iovec neg[] = {{a, sizeof(a)}, {a, (size_t)-1}};
	struct iovec kern[] = {{KERNEL_ADDR, 1}};
	struct iovec half[] = {{a, sizeof(a)}, {NULL, 4}};
	char *gone;
	int fd = open_goodelf();

	CHECK(fd >= 0);
	for (size_t i = 0; i < SEGS(many); i++)
		many[i] = (struct iovec){a, 0};
	CHECK_ERR(readv(fd, many, IOV_MAX + 1), EINVAL);
	CHECK_EQ(readv(fd, many, IOV_MAX), 0);
	CHECK_ERR(readv(fd, many, -1), EINVAL);
	CHECK_ERR(readv(fd, neg, SEGS(neg)), EINVAL);
	CHECK_ERR(readv(fd, kern, SEGS(kern)), EFAULT);
	CHECK_ERR(readv(fd, (struct iovec *)KERNEL_ADDR, 1), EFAULT);
	CHECK_ERR(writev(1, kern, SEGS(kern)), EFAULT);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0); /* nothing was read */
	gone = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(gone != MAP_FAILED);
	CHECK_EQ(munmap(gone, PAGE), 0);
	half[1].iov_base = gone;
	CHECK_EQ(readv(fd, half, SEGS(half)), (long)sizeof(a));
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(read(fd, whole, sizeof(whole)), (long)sizeof(whole));
	CHECK(memcmp(a, whole, sizeof(a)) == 0);
	close(fd);
	return 0;
}
