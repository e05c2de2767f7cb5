/* /dev/kmsg: the kernel log, one record per read (kernel/devkmsg.c). */
#ifndef OOMLAB_KERNEL_DEVKMSG_H
#define OOMLAB_KERNEL_DEVKMSG_H
#include "kernel/types.h"

void devkmsg_init(void);
dev_t devkmsg_dev(void);
#endif
