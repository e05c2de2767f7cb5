/* Helpers shared by the file-system suites: open and read whole files,
 * give the test thread an fd table, fake a syscall's registers. Read
 * first: several suites read the initrd's fixtures (tools/mkinitrd.py);
 * without an initrd they skip, they do not fail. */
#ifndef OOMLAB_TESTS_FS_TEST_HELPERS_H
#define OOMLAB_TESTS_FS_TEST_HELPERS_H
#include "kernel/fs/fs.h"
#include "kernel/ptrace.h"
#include <stdbool.h>

/* Fixtures of tools/mkinitrd.py. */
#define HELLO_PATH "/test/vfs/hello.txt"
#define HELLO_TEXT "hello, initramfs\n"
#define PATTERN_PATH "/test/vfs/pattern.bin"
#define PATTERN_SIZE (3 * 4096 + 123)
static inline unsigned char pattern_byte(unsigned long i)
{
	return (unsigned char)((i * 7 + (i >> 8) * 13 + (i >> 12) * 101) & 0xff);
}

/* Did the initrd with the fixtures arrive? */
bool fixtures_present(void);
/* The whole text of path (NUL-terminated, kfree it) read in chunk-byte
 * reads, or NULL; *err gets the first error. */
char *read_whole(const char *path, size_t chunk, long *err);
/* Write text to path as one write: the write's result, or the open's error. */
long write_string(const char *path, const char *text);

/* A fresh fd table for the test thread (false without memory); the one
 * it had (a kernel thread has none) comes back with fs_test_drop_files,
 * which closes every fd of the fresh one. */
bool fs_test_use_files(struct files_struct **saved);
void fs_test_drop_files(struct files_struct *saved);

/* Registers for a syscall handler: up to three arguments. */
struct pt_regs fs_test_regs(unsigned long a0, unsigned long a1, unsigned long a2);
#endif
