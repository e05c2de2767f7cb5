/* struct stat as Linux's x86_64 user space sees it, and how an inode
 * fills it. Read first: the layout is the ABI (144 bytes, checked at
 * compile time); every field is 64 bits except mode, uid and gid. */
#ifndef OOMLAB_KERNEL_FS_STAT_H
#define OOMLAB_KERNEL_FS_STAT_H
#include "kernel/fs/fs.h"
#include <stdint.h>

/* arch/x86/include/uapi/asm/stat.h, the 64-bit struct stat. */
struct stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t __pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks;
	uint64_t st_atime;
	uint64_t st_atime_nsec;
	uint64_t st_mtime;
	uint64_t st_mtime_nsec;
	uint64_t st_ctime;
	uint64_t st_ctime_nsec;
	int64_t __unused[3];
};
_Static_assert(sizeof(struct stat) == 144, "struct stat must match Linux x86_64");

void generic_fillattr(const struct inode *inode, struct stat *st);
#endif
