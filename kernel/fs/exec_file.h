/* What execve needs from the file system: the whole executable in memory
 * (for the ELF parser) and the open file (to map its pages). Read first:
 * the image is a vmalloc buffer the caller vfree()s. */
#ifndef OOMLAB_KERNEL_FS_EXEC_FILE_H
#define OOMLAB_KERNEL_FS_EXEC_FILE_H
#include <stddef.h>

/* 0, or -ENOENT / -EACCES (not a regular file) / -E2BIG (over max) /
 * -ENOMEM / -EIO. */
long read_exec_file(const char *path, size_t max, void **image, size_t *size);

struct file;
/* As read_exec_file, and *file is the open file, with a reference the
 * caller fput()s. */
long open_exec_file(const char *path, size_t max, struct file **file, void **image, size_t *size);
#endif
