/* procfs internals: entries, their inodes and the show/write pair each
 * file has (Linux's include/linux/proc_fs.h and fs/proc/internal.h, in
 * one small header). Read first: a proc file has no bytes of its own; its
 * text is made by proc_show when a read starts at offset 0, and a write
 * hands the whole written text, NUL-terminated, to proc_write. */
#ifndef OOMLAB_KERNEL_FS_PROC_FS_H
#define OOMLAB_KERNEL_FS_PROC_FS_H
#include "kernel/fs/fs.h"
#include "kernel/fs/seq_file.h"
#include "kernel/sched.h"

#define PROC_WRITE_MAX 4095 /* longest text one write may hand over */

struct proc_ops {
	/* m->private is the file's inode (see PROC_I). 0 or -errno. */
	int (*proc_show)(struct seq_file *m);
	/* buf holds count bytes plus a NUL. count or -errno. */
	ssize_t (*proc_write)(struct inode *inode, char *buf, size_t count);
};

struct proc_inode {
	int pid;		    /* the process a per-pid entry is about */
	const struct proc_ops *ops; /* for files */
	const void *data;	    /* entry data: a kernel_param for /proc/sys */
	struct inode vfs_inode;
};

static inline struct proc_inode *PROC_I(struct inode *inode)
{
	return container_of(inode, struct proc_inode, vfs_inode);
}
static inline struct inode *seq_inode(const struct seq_file *m)
{
	return m->private;
}

extern struct super_block proc_sb;
extern const struct file_operations proc_reg_file_ops;

/* Boot-time entries in the proc tree (persistent, like rootfs nodes). */
struct dentry *proc_mkdir(struct dentry *parent, const char *name);
struct dentry *proc_create(struct dentry *parent, const char *name, umode_t mode,
			   const struct proc_ops *ops, const void *data);
struct dentry *proc_symlink(struct dentry *parent, const char *name,
			    const struct inode_operations *iops);
/* A lookup-made dentry and inode under parent: NULL without memory. */
struct dentry *proc_alloc_dentry(struct dentry *parent, const char *name, size_t len, umode_t mode,
				 unsigned long ino);

/* The task a per-pid entry names, with a reference (put_task_struct), or
 * NULL when it is gone. */
struct task_struct *get_proc_task(struct inode *inode);
struct task_struct *get_pid_task_ref(int pid);

/* Pieces of /proc, each registering its entries at boot. */
void proc_misc_init(struct dentry *root);
void proc_sys_init(struct dentry *root);
/* The root directory's dynamic part: /proc/<pid>. */
struct dentry *proc_pid_lookup(struct dentry *parent, const char *name, size_t len);
int proc_pid_readdir(struct file *file, struct dir_context *ctx, loff_t first_pos);
extern const struct inode_operations proc_self_inode_operations;
#endif
