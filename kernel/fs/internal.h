/* What the VFS files share among themselves and nobody else needs (Linux's
 * fs/internal.h). */
#ifndef OOMLAB_KERNEL_FS_INTERNAL_H
#define OOMLAB_KERNEL_FS_INTERNAL_H
#include "kernel/fs/fs.h"

void inode_cache_init(void);
/* vm.vfs_cache_pressure and fs/dentry-state (dcache.c). */
void dcache_init(void);
void files_cache_init(void);
void files_struct_cache_init(void);
void inode_init_once(struct inode *inode, struct super_block *sb, umode_t mode);
struct file *alloc_empty_file(struct inode *inode, int flags, const struct file_operations *fops);
/* Drop every cached page of a dying inode (all must be unused). */
void truncate_inode_pages(struct address_space *mapping);
/* With mapping->i_pages_lock held (mm/vmscan.c uses it too). */
void __delete_from_page_cache(struct address_space *mapping, struct page *page, void *shadow);
void put_unused_fd(unsigned int fd);
char *getname(const char __user *upath);
long do_sys_openat(int dfd, const char __user *upath, int flags);

/* The system calls (listed in kernel/syscall_table.c), and the pieces of
 * them that tests drive with kernel buffers. */
struct pt_regs;
long sys_read(const struct pt_regs *regs);
long sys_write(const struct pt_regs *regs);
long sys_open(const struct pt_regs *regs);
long sys_openat(const struct pt_regs *regs);
long sys_close(const struct pt_regs *regs);
long sys_fstat(const struct pt_regs *regs);
long sys_lseek(const struct pt_regs *regs);
long sys_ioctl(const struct pt_regs *regs);
long sys_pipe(const struct pt_regs *regs);
long sys_pipe2(const struct pt_regs *regs);
long sys_dup(const struct pt_regs *regs);
long sys_dup2(const struct pt_regs *regs);
long sys_dup3(const struct pt_regs *regs);
long sys_fcntl(const struct pt_regs *regs);
long sys_getdents64(const struct pt_regs *regs);
/* Does f keep a position (regular files, /proc)? Pipes and the console
 * do not: pread and preadv there are -ESPIPE. */
bool file_has_pos(const struct file *f);
ssize_t file_read_at_pos(struct file *f, struct iov_iter *to);
ssize_t file_write_at_pos(struct file *f, struct iov_iter *from);
long ksys_lseek(unsigned int fd, loff_t offset, int whence);
long vfs_getdents64(struct file *f, void __user *dirent, size_t count);

/* Character devices by number (char_dev.c): opening one finds its driver. */
extern const struct file_operations def_chr_fops;
#define TTYAUX_MAJOR 5 /* /dev/console is 5:1 */
#define CONSOLE_MINOR 1
#define MEM_MAJOR 1 /* /dev/null is 1:3 */
#define NULL_MINOR 3
void chrdev_init(void);
int register_chrdev(dev_t dev, const char *name, const struct file_operations *fops);

/* procfs (proc_root.c): mounted on /proc at boot. */
void proc_root_init(void);
#endif
