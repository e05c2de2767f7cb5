/* read_exec_file: an executable's bytes, whole, for execve. Read first:
 * the file is read through the page cache like any other read, so the
 * pages execve then maps are already cached. */
#include "kernel/fs/exec_file.h"
#include "kernel/fs/fs.h"
#include "mm/vmalloc.h"

static long read_all(struct file *f, void *buf, size_t size)
{
	loff_t pos = 0;

	while ((size_t)pos < size) {
		ssize_t n = kernel_read(f, (char *)buf + pos, size - (size_t)pos, &pos);

		if (n < 0)
			return n;
		if (n == 0)
			return -EIO; /* shorter than its size said */
	}
	return 0;
}

long open_exec_file(const char *path, size_t max, struct file **file, void **image, size_t *size)
{
	struct file *f = filp_open(path, O_RDONLY);
	long err = 0;
	void *buf = NULL;

	if (IS_ERR(f))
		return PTR_ERR(f);
	if (!S_ISREG(f->f_inode->i_mode))
		err = -EACCES;
	else if ((size_t)file_size(f) > max)
		err = -E2BIG;
	else if (!(buf = vmalloc(file_size(f) ? (unsigned long)file_size(f) : 1)))
		err = -ENOMEM;
	else
		err = read_all(f, buf, (size_t)file_size(f));
	if (err) {
		if (buf)
			vfree(buf);
		fput(f);
		return err;
	}
	*image = buf;
	*size = (size_t)file_size(f);
	*file = f;
	return 0;
}

long read_exec_file(const char *path, size_t max, void **image, size_t *size)
{
	struct file *f;
	long err = open_exec_file(path, max, &f, image, size);

	if (!err)
		fput(f);
	return err;
}
