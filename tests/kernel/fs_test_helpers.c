/* Helpers for the file-system suites (see the header). */
#include "tests/kernel/fs_test_helpers.h"
#include "kernel/fs/fdtable.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/slab.h"

#define READ_WHOLE_MAX (1ul << 20)

bool fixtures_present(void)
{
	struct dentry *d = vfs_path_lookup(NULL, HELLO_PATH, true);

	if (IS_ERR(d))
		return false;
	dput(d);
	return true;
}

char *read_whole(const char *path, size_t chunk, long *err)
{
	struct file *f = filp_open(path, O_RDONLY);
	size_t size = 4096, used = 0;
	char *buf;

	*err = 0;
	if (IS_ERR(f)) {
		*err = PTR_ERR(f);
		return NULL;
	}
	buf = kmalloc(size, GFP_KERNEL);
	while (buf) {
		ssize_t n;

		if (size - used <= chunk) {
			char *bigger =
				size < READ_WHOLE_MAX ? krealloc(buf, size * 2, GFP_KERNEL) : NULL;

			if (!bigger) {
				kfree(buf);
				buf = NULL;
				*err = -ENOMEM;
				break;
			}
			buf = bigger;
			size *= 2;
		}
		n = kernel_read(f, buf + used, chunk, &f->f_pos);
		if (n <= 0) {
			*err = n;
			buf[used] = '\0';
			break;
		}
		used += (size_t)n;
	}
	fput(f);
	if (*err < 0) {
		kfree(buf);
		return NULL;
	}
	return buf;
}

long write_string(const char *path, const char *text)
{
	struct file *f = filp_open(path, O_WRONLY);
	loff_t pos = 0;
	long ret;

	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = kernel_write(f, text, strlen(text), &pos);
	fput(f);
	return ret;
}

bool fs_test_use_files(struct files_struct **saved)
{
	*saved = current->files;
	current->files = NULL;
	if (files_init_current() == 0)
		return true;
	current->files = *saved;
	return false;
}

void fs_test_drop_files(struct files_struct *saved)
{
	exit_files(current);
	current->files = saved;
}

struct pt_regs fs_test_regs(unsigned long a0, unsigned long a1, unsigned long a2)
{
	struct pt_regs regs;

	memset(&regs, 0, sizeof(regs));
	regs.rdi = a0;
	regs.rsi = a1;
	regs.rdx = a2;
	return regs;
}
