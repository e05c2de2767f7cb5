/* The "newc" cpio format of Linux's initramfs, parsed without trusting a
 * byte of it. Read first: this is pure logic (built for the host tests
 * too); it hands out pointers into the archive and never copies data. */
#ifndef OOMLAB_KERNEL_FS_CPIO_H
#define OOMLAB_KERNEL_FS_CPIO_H
#include <stddef.h>
#include <stdint.h>

#define CPIO_HEADER_SIZE 110
#define CPIO_ALIGN 4
#define CPIO_TRAILER "TRAILER!!!"

struct cpio_entry {
	const char *name; /* NUL-terminated, inside the archive */
	size_t namelen;	  /* without the NUL */
	uint32_t ino, mode, uid, gid, nlink, mtime;
	uint32_t devmajor, devminor, rdevmajor, rdevminor;
	const void *data; /* file bytes or symlink target, inside the archive */
	size_t size;
};

/* Called for each entry before the trailer; a non-zero return stops the
 * walk and is returned by cpio_parse. */
typedef int (*cpio_entry_fn)(const struct cpio_entry *e, void *ctx);

struct cpio_error {
	const char *reason; /* static text, e.g. "no cpio magic" */
	size_t offset;	    /* where in the archive */
};

/* Walk the archive: 0 after the TRAILER!!! entry (zero padding may follow
 * or precede archives, as Linux allows), -EINVAL with *err filled for a
 * malformed archive, or fn's non-zero result. */
int cpio_parse(const void *buf, size_t len, cpio_entry_fn fn, void *ctx, struct cpio_error *err);
#endif
