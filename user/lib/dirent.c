/* dirent.c: opendir/readdir over getdents64. Read first: the kernel fills
 * buf with variable-length records; d_reclen steps from one to the next,
 * and a read returning 0 means the end of the directory. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define DIR_BUF 4096

struct dir {
	int fd;
	size_t pos, len;
	char buf[DIR_BUF] __attribute__((aligned(8)));
};

DIR *opendir(const char *path)
{
	DIR *d = malloc(sizeof(*d));

	if (!d)
		return NULL;
	d->fd = open(path, O_RDONLY);
	if (d->fd < 0) {
		free(d);
		return NULL;
	}
	d->pos = d->len = 0;
	return d;
}

struct dirent *readdir(DIR *d)
{
	struct dirent *e;

	if (d->pos >= d->len) {
		ssize_t n = getdents64(d->fd, d->buf, sizeof(d->buf));

		if (n <= 0)
			return NULL;
		d->len = (size_t)n;
		d->pos = 0;
	}
	e = (struct dirent *)(d->buf + d->pos);
	d->pos += e->d_reclen;
	return e;
}

int closedir(DIR *d)
{
	int ret = close(d->fd);

	free(d);
	return ret;
}
