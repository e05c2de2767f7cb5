/* Mounts (kernel/fs/namespace.c): mount/umount2 and /proc/mounts. */
#ifndef OOMLAB_KERNEL_FS_NAMESPACE_H
#define OOMLAB_KERNEL_FS_NAMESPACE_H
#include "kernel/fs/fs.h"

#define MS_RDONLY 1ul

/* Mount the file system of type fstype on the disk at source (a block
 * device node, "/dev/vda") over the directory target: 0 or -errno
 * (-ENODEV unknown type, -ENOTBLK, -EINVAL bad image, -EBUSY). */
long do_mount(const char *source, const char *target, const char *fstype, unsigned long flags);
/* 0, -EINVAL (not a mount), -EBUSY (still in use). */
long do_umount(const char *target);
/* A mount made at boot by other means (proc), for /proc/mounts. */
void add_mount_record(const char *devname, struct dentry *mountpoint, const char *fstype,
		      const char *options);
void proc_mounts_init(struct dentry *root);
struct pt_regs;
long sys_mount(const struct pt_regs *regs);
long sys_umount2(const struct pt_regs *regs);
#endif
