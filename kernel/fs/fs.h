/* The VFS: inodes, dentries, open files and the operations each file
 * system supplies (Linux's include/linux/fs.h, much reduced). Read first:
 * a struct file is one open with its own f_pos, shared by the fds that
 * dup2 and fork make; the name space is a tree of dentries built at boot
 * (initramfs, /dev, /proc), which procfs extends on demand at lookup. */
#ifndef OOMLAB_KERNEL_FS_FS_H
#define OOMLAB_KERNEL_FS_FS_H
#include "kernel/err.h"
#include "kernel/errno.h"
#include "kernel/fs/uio.h"
#include "kernel/list.h"
#include "kernel/locking/mutex.h"
#include "kernel/locking/rwsem.h"
#include "kernel/spinlock.h"
#include "kernel/types.h"
#include <stdbool.h>

/* File types and permission bits (the st_mode of Linux's stat). */
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000
#define S_ISREG(m) (((m)&S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m)&S_IFMT) == S_IFDIR)
#define S_ISCHR(m) (((m)&S_IFMT) == S_IFCHR)
#define S_ISFIFO(m) (((m)&S_IFMT) == S_IFIFO)
#define S_ISLNK(m) (((m)&S_IFMT) == S_IFLNK)

/* open() flags, x86_64 values. */
#define O_ACCMODE 00000003
#define O_RDONLY 00000000
#define O_WRONLY 00000001
#define O_RDWR 00000002
#define O_CREAT 00000100
#define O_EXCL 00000200
#define O_NOCTTY 00000400
#define O_TRUNC 00001000
#define O_APPEND 00002000
#define O_NONBLOCK 00004000
#define O_LARGEFILE 00100000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW 00400000
#define O_CLOEXEC 02000000

/* What an open file may do (file->f_mode), from O_ACCMODE. */
#define FMODE_READ 0x1u
#define FMODE_WRITE 0x2u

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#define AT_FDCWD (-100)
#define NAME_MAX 255
#define PATH_MAX 4096
#define MAX_NESTED_LINKS 8 /* symlinks followed in one lookup, as Linux's */

/* d_type in getdents64 records. */
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

struct inode;
struct file;
struct dentry;
struct page;
struct super_block;
struct pipe_inode_info;
struct dir_context;
struct address_space;

/* How a file system fills a page-cache page. */
struct address_space_operations {
	/* Fill page (not yet visible to anyone) with the bytes of the file
	 * at page->index * PAGE_SIZE, zeroing past the end. 0 or -errno. */
	int (*readpage)(struct address_space *mapping, struct page *page);
};

/* A file's cached pages (Linux's address_space; its xarray is here an
 * array indexed by page number, sized for the file on first use: files
 * on our only page-cached file system are read-only, their size fixed). */
struct address_space {
	struct inode *host;
	const struct address_space_operations *a_ops;
	spinlock_t i_pages_lock; /* i_pages, nrpages (interrupts off) */
	/* page index -> page, NULL where not cached, or a shadow entry
	 * (low bit set) where reclaim evicted one (mm/workingset.c) */
	struct page **i_pages;
	unsigned long nr_slots;	       /* entries in i_pages */
	unsigned long nrpages;	       /* cached pages */
	unsigned long flags;	       /* AS_UNEVICTABLE */
	struct list_head all_mappings; /* on the global list drop_pagecache walks */
	/* The VMAs mapping this file, by vma->shared (Linux's i_mmap, an
	 * interval tree there): the reverse map reclaim walks (mm/rmap.c). */
	struct list_head i_mmap;
	struct mutex i_mmap_lock;
};
/* No backing store: pages stay until the file goes (ramfs, initramfs). */
#define AS_UNEVICTABLE 0x1ul

struct inode_operations {
	/* A name the dentry tree does not hold: a new dentry (its one
	 * reference is the caller's) or ERR_PTR(-ENOENT). */
	struct dentry *(*lookup)(struct inode *dir, struct dentry *parent, const char *name,
				 size_t len);
	/* A symlink's target, copied into buf (NUL-terminated): 0 or -errno. */
	int (*get_link)(struct inode *inode, char *buf, size_t size);
};

struct file_operations {
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
	/* Copy up to iov_iter_count(to) bytes from *pos on; advance *pos. */
	ssize_t (*read_iter)(struct file *file, struct iov_iter *to, loff_t *pos);
	ssize_t (*write_iter)(struct file *file, struct iov_iter *from, loff_t *pos);
	int (*iterate_shared)(struct file *file, struct dir_context *ctx);
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd, unsigned long arg);
	int (*open)(struct inode *inode, struct file *file);
	void (*release)(struct inode *inode, struct file *file);
};

struct super_operations {
	struct inode *(*alloc_inode)(struct super_block *sb);
	void (*destroy_inode)(struct inode *inode);
	/* The last reference is going: release what the inode owns. */
	void (*evict_inode)(struct inode *inode);
};

#define SB_RDONLY 0x1ul

/* One mounted file system instance: rootfs, proc or pipefs. */
struct super_block {
	const char *s_id;
	dev_t s_dev;
	unsigned long s_flags; /* SB_RDONLY */
	const struct super_operations *s_op;
	unsigned long s_next_ino;
	/* Its cached dentries nobody uses, oldest first (dcache.c's lock). */
	struct list_head s_dentry_lru;
	unsigned long s_nr_dentry_unused;
	/* Held for write by umount across its prune and busy check; the
	 * cache shrinkers only try it for read (as Linux's s_umount). Only a
	 * file system that can be unmounted initialises it. */
	struct rw_semaphore s_umount;
};

struct inode {
	umode_t i_mode;
	unsigned int i_nlink;
	unsigned long i_ino;
	dev_t i_rdev;
	loff_t i_size;
	int64_t i_mtime; /* seconds since the epoch */
	int i_count;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	struct super_block *i_sb;
	struct address_space *i_mapping; /* &i_data for page-cached files, else NULL */
	struct address_space i_data;
	struct pipe_inode_info *i_pipe;
	void *i_private; /* the file system's: initramfs data, proc entry... */
};

/* A name in the tree (a much simplified Linux dentry). Read first: the
 * boot-time tree is never freed (its dentries hold a reference on
 * themselves); dentries that procfs makes at lookup hang off their parent
 * by d_parent only and die with their last dput; a disk file system's
 * lookups are cached (d_add_unique): unused, they wait on their super
 * block's LRU until the shrinker prunes them. A dentry holds a reference
 * on its parent, so a directory with cached children is never unused. */
#define DCACHE_PERSISTENT 0x1u /* in its parent's d_subdirs for good */
#define DCACHE_HASHED 0x2u     /* cached: in d_subdirs until pruned */
#define DCACHE_LRU_LIST 0x4u   /* unused, on its super block's s_dentry_lru */

struct dentry {
	int d_count;
	unsigned int d_flags;
	struct dentry *d_parent; /* the root is its own parent */
	struct inode *d_inode;
	struct dentry *d_mounted; /* the root of the file system mounted here */
	struct list_head d_child; /* in d_parent->d_subdirs */
	struct list_head d_subdirs;
	struct list_head d_lru; /* on s_dentry_lru while DCACHE_LRU_LIST */
	unsigned int d_namelen;
	char d_name[]; /* NUL-terminated */
};

struct file {
	int f_count;
	unsigned int f_flags; /* the O_* flags it was opened with */
	unsigned int f_mode;  /* FMODE_READ | FMODE_WRITE */
	loff_t f_pos;
	struct mutex f_pos_lock; /* reads and seeks through one file take turns */
	struct dentry *f_dentry; /* NULL for pipes */
	struct inode *f_inode;
	const struct file_operations *f_op;
	struct address_space *f_mapping;
	void *private_data;
};

/* getdents: the file system calls dir_emit for each entry from ctx->pos
 * on and stops when it returns false (the caller's buffer is full). */
typedef bool (*filldir_t)(struct dir_context *ctx, const char *name, size_t namelen, loff_t pos,
			  unsigned long ino, unsigned int d_type);
struct dir_context {
	filldir_t actor;
	loff_t pos; /* the next entry's position; the file system moves it */
};
static inline bool dir_emit(struct dir_context *ctx, const char *name, size_t namelen,
			    unsigned long ino, unsigned int d_type)
{
	return ctx->actor(ctx, name, namelen, ctx->pos, ino, d_type);
}
/* "." and ".." at positions 0 and 1; false when the buffer filled. */
bool dir_emit_dots(struct file *file, struct dir_context *ctx);
static inline unsigned int dt_type(const struct inode *inode)
{
	return (inode->i_mode >> 12) & 15;
}

/* --- inodes (inode.c) --- */
struct inode *new_inode(struct super_block *sb, umode_t mode);
void ihold(struct inode *inode);
void iput(struct inode *inode);
/* Make inode's i_mapping its own page cache, filled through a_ops. */
void inode_init_mapping(struct inode *inode, const struct address_space_operations *a_ops);

/* --- dentries (dcache.c) --- */
extern struct dentry *root_dentry; /* "/" */
struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len);
/* Link a fresh dentry with its inode into its parent for good. */
void d_add_persistent(struct dentry *dentry, struct inode *inode);
struct dentry *d_lookup_child(struct dentry *parent, const char *name, size_t len);
struct dentry *dget(struct dentry *dentry);
void dput(struct dentry *dentry);
/* Free a dentry nobody can reach any more (a file system's own root). */
void d_free(struct dentry *dentry);
/* Cache a fresh lookup dentry (one reference, the caller's) with its
 * inode under its parent, as Linux's d_add; if a racing lookup cached the
 * name first, the fresh one is dropped and that one returned, referenced. */
struct dentry *d_add_unique(struct dentry *dentry, struct inode *inode);
/* As Linux's prune_dcache_sb: free up to nr of sb's unused cached
 * dentries, oldest first, each dropping its inode reference, with the
 * ancestors this leaves unused. How many dentries were freed. */
unsigned long prune_dcache_sb(struct super_block *sb, unsigned long nr);
/* Prune until none of sb's cached dentries is unused (umount). */
void shrink_dcache_sb(struct super_block *sb);
/* Linux's vm.vfs_cache_pressure (default 100): the dentry and inode
 * shrinkers report their counts scaled by it; 0 never reclaims them. */
extern int sysctl_vfs_cache_pressure;
static inline unsigned long vfs_pressure_ratio(unsigned long val)
{
	return val * (unsigned long)__atomic_load_n(&sysctl_vfs_cache_pressure, __ATOMIC_RELAXED) /
	       100;
}
/* /proc/sys/fs/dentry-state's first two numbers (Linux's dentry_stat). */
long dentry_stat_nr_dentry(void);
unsigned long dentry_stat_nr_unused(void);
/* The absolute path of dentry into buf: 0 or -ENAMETOOLONG. */
int d_path(struct dentry *dentry, char *buf, size_t size);
/* iterate_shared for directories whose children all live in the tree. */
int dcache_readdir(struct file *file, struct dir_context *ctx);
extern const struct file_operations simple_dir_operations;

/* --- the tree: rootfs, mounts, mknod (rootfs.c) --- */
void rootfs_init(void);
/* Create (or find) the directory at an absolute path, parents included. */
struct dentry *rootfs_mkdir_p(const char *path, umode_t mode);
/* Make a node in an existing directory; ERR_PTR(-EEXIST) if the name is taken. */
struct dentry *rootfs_mknod(struct dentry *dir, const char *name, size_t len, umode_t mode,
			    dev_t rdev);
/* A regular file whose bytes stay where they lie (the initrd), read
 * through the page cache; or a symlink to target. */
struct dentry *rootfs_create_file(struct dentry *dir, const char *name, size_t len, umode_t mode,
				  const void *data, size_t size, int64_t mtime);
struct dentry *rootfs_symlink(struct dentry *dir, const char *name, size_t len, const char *target,
			      size_t target_len);
/* Hang the tree of another file system (its root dentry) at path. */
int vfs_mount_root(const char *path, struct dentry *fs_root);

/* --- names (namei.c) --- */
/* Walk path from start (absolute paths from "/"); returns the dentry with
 * a reference, or ERR_PTR(-ENOENT / -ENOTDIR / -ENAMETOOLONG / -ELOOP).
 * follow: whether a symlink in the last component is followed. */
struct dentry *vfs_path_lookup(struct dentry *start, const char *path, bool follow);

/* --- open files (file_table.c, open.c) --- */
/* Open a file by absolute path with O_* flags. Returns the file (one
 * reference, the caller's: drop it with fput) or ERR_PTR(-errno): never
 * NULL. Writes to initramfs files give -EROFS. */
struct file *filp_open(const char *path, int flags);
/* Open at a dentry (used by filp_open and the syscalls). */
struct file *dentry_open(struct dentry *dentry, int flags);
/* A file over an inode with no name (pipes). */
struct file *alloc_file_pseudo(struct inode *inode, int flags, const struct file_operations *fops);
struct file *get_file(struct file *f);
void fput(struct file *f);
static inline loff_t file_size(const struct file *f)
{
	return f->f_inode->i_size;
}

/* --- reading and writing (read_write.c) --- */
/* Read into a kernel buffer from *pos (advanced): bytes read, 0 at end
 * of file, or -errno. f_pos is neither used nor moved. */
ssize_t kernel_read(struct file *f, void *buf, size_t count, loff_t *pos);
ssize_t kernel_write(struct file *f, const void *buf, size_t count, loff_t *pos);
/* The paths behind read/write/lseek, for any buffer kind. */
ssize_t vfs_read(struct file *f, struct iov_iter *to, loff_t *pos);
ssize_t vfs_write(struct file *f, struct iov_iter *from, loff_t *pos);
loff_t vfs_llseek(struct file *f, loff_t offset, int whence);
loff_t generic_file_llseek(struct file *f, loff_t offset, int whence);
loff_t no_llseek(struct file *f, loff_t offset, int whence);
/* Walk a directory from ctx->pos: 0 or -errno (-ENOTDIR). */
int iterate_dir(struct file *file, struct dir_context *ctx);

/* --- the page cache (filemap.c) --- */
/* The page holding bytes [index * PAGE_SIZE, +PAGE_SIZE) of the file,
 * with a reference taken for the caller (drop it with __free_page, which
 * drops one reference and frees only at zero: Linux's put_page); filled from the file system on first use. NULL when
 * out of memory or when index lies beyond the end of the file. */
struct page *filemap_get_page(struct address_space *mapping, unsigned long index);
/* The same, as Linux's read_cache_page: ERR_PTR(-ENOMEM), ERR_PTR(-ENXIO)
 * beyond the end, or the file system's error (-EIO from the disk). */
struct page *read_cache_page(struct address_space *mapping, unsigned long index);
/* The cached page or NULL, without filling; with a reference when found. */
struct page *find_get_page(struct address_space *mapping, unsigned long index);
ssize_t filemap_read(struct file *file, struct iov_iter *to, loff_t *pos);
/* Drop every cached page nobody else holds: the pages dropped. */
unsigned long invalidate_mapping_pages(struct address_space *mapping);
/* The same for every page-cached file (Linux's drop_caches 1). */
unsigned long drop_pagecache(void);

/* --- boot --- */
/* Caches, the root, /dev and /proc (kernel_init calls both, in order). */
void vfs_caches_init(void);
/* Unpack the initrd module into the tree (Linux's populate_rootfs). */
void populate_rootfs(void);
/* fds 0, 1, 2 of the current task on /dev/console (Linux's name): 0 or -errno. */
int console_on_rootfs(void);
#endif
