/* The few POSIX-flavoured scalar types the kernel's interfaces use, as
 * Linux's include/linux/types.h names them. Read first: C11 allows an
 * identical typedef twice, so another header may repeat one harmlessly. */
#ifndef OOMLAB_KERNEL_TYPES_H
#define OOMLAB_KERNEL_TYPES_H
#include <stddef.h>
#include <stdint.h>

typedef long ssize_t;
typedef long long loff_t;
typedef unsigned short umode_t;
typedef uint32_t dev_t;

/* dev_t as the kernel packs it: 12 bits of major, 20 of minor. */
#define MINORBITS 20
#define MKDEV(ma, mi) (((dev_t)(ma) << MINORBITS) | (dev_t)(mi))
#define MAJOR(dev) ((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev) ((unsigned int)((dev) & ((1u << MINORBITS) - 1)))
#endif
