/* The initramfs: the initrd module (a newc cpio archive) unpacked into
 * the rootfs tree at boot (Linux's init/initramfs.c). Read first: nothing
 * is copied here; each file points at its bytes inside the module, and a
 * bad archive stops the unpacking with one clear line, never the boot. */
#include "kernel/devkmsg.h"
#include "kernel/fs/cpio.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/paging.h"
#include "kernel/printk.h"
#include "kernel/setup.h"
#include "kernel/string.h"
#include "kernel/trace/trace.h"

#define INITRD_MODULE_NAME "initrd"

struct unpack_stats {
	unsigned int files, dirs, nodes, links, skipped;
	size_t bytes;
};

/* The module named "initrd" (GRUB's module2 ... initrd), else the first
 * (qemu -initrd gives one, unnamed). NULL when the loader gave none. */
static const struct boot_module *find_initrd(void)
{
	for (uint32_t i = 0; i < boot_info.nr_modules; i++)
		if (!strcmp(boot_info.modules[i].cmdline, INITRD_MODULE_NAME))
			return &boot_info.modules[i];
	return boot_info.nr_modules ? &boot_info.modules[0] : NULL;
}

/* "./bin/sh", "/bin/sh" and "bin/sh" are the same path; "." is the root. */
static const char *strip_prefix(const char *name)
{
	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else
			return name;
	}
}

/* Split "a/b/c" into the parent directory (made if missing) and "c".
 * Boot runs this once, on one CPU: a static buffer spares the stack. */
static struct dentry *parent_of(const char *path, const char **leaf)
{
	static char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	*leaf = slash ? slash + 1 : path;
	if (!slash)
		return dget(root_dentry);
	if ((size_t)(slash - path) >= sizeof(dir))
		return ERR_PTR(-ENAMETOOLONG);
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	return rootfs_mkdir_p(dir, 0755);
}

static struct dentry *make_node(struct dentry *dir, const char *leaf, const struct cpio_entry *e,
				struct unpack_stats *st)
{
	size_t len = strlen(leaf);
	umode_t perm = (umode_t)(e->mode & 07777);

	switch (e->mode & S_IFMT) {
	case S_IFDIR: {
		struct dentry *d = d_lookup_child(dir, leaf, len);

		if (d) { /* listed twice, or made for a child first: fine */
			dput(d);
			return NULL;
		}
		st->dirs++;
		return rootfs_mknod(dir, leaf, len, (umode_t)(S_IFDIR | perm), 0);
	}
	case S_IFREG:
		st->files++;
		st->bytes += e->size;
		return rootfs_create_file(dir, leaf, len, perm, e->data, e->size, e->mtime);
	case S_IFLNK: st->links++; return rootfs_symlink(dir, leaf, len, e->data, e->size);
	case S_IFCHR:
		st->nodes++;
		return rootfs_mknod(dir, leaf, len, (umode_t)(S_IFCHR | perm),
				    MKDEV(e->rdevmajor, e->rdevminor));
	default: st->skipped++; return NULL; /* fifos, sockets, block devices */
	}
}

static int unpack_entry(const struct cpio_entry *e, void *ctx)
{
	struct unpack_stats *st = ctx;
	const char *path = strip_prefix(e->name), *leaf;
	struct dentry *dir, *d;

	if (!path[0] || !strcmp(path, "."))
		return 0;
	dir = parent_of(path, &leaf);
	if (IS_ERR(dir)) {
		pr_warn("initramfs: cannot make the directory of %s (error %ld)", path,
			PTR_ERR(dir));
		return 0;
	}
	d = make_node(dir, leaf, e, st);
	dput(dir);
	if (IS_ERR(d))
		pr_warn("initramfs: %s not unpacked (error %ld)", path, PTR_ERR(d));
	return PTR_ERR(d) == -ENOMEM ? -ENOMEM : 0;
}

static void unpack_initrd(const struct boot_module *m)
{
	struct unpack_stats st = {0};
	struct cpio_error err = {0};
	size_t len = (size_t)(m->end - m->start);
	int ret;

	pr_info("Trying to unpack rootfs image as initramfs...");
	if (m->end <= m->start || m->end > direct_map_end()) {
		pr_err("Initramfs unpacking failed: the initrd module [mem %#llx-%#llx] is empty "
		       "or not in RAM",
		       (unsigned long long)m->start, (unsigned long long)m->end);
		return;
	}
	ret = cpio_parse(__va(m->start), len, unpack_entry, &st, &err);
	if (ret == -EINVAL)
		pr_err("Initramfs unpacking failed: %s (at byte %zu of %zu)", err.reason,
		       err.offset, len);
	else if (ret)
		pr_err("Initramfs unpacking failed: out of memory");
	pr_info("initramfs: unpacked %u files, %u directories, %u device nodes, %u symlinks "
		"(%zuK) from [mem %#llx-%#llx]",
		st.files, st.dirs, st.nodes, st.links, st.bytes >> 10, (unsigned long long)m->start,
		(unsigned long long)m->end - 1);
	if (st.skipped)
		pr_notice("initramfs: %u entries of unsupported types skipped", st.skipped);
}

/* What user space needs whatever the archive held: /dev/console,
 * /dev/null and /dev/kmsg nodes, and the /proc mount point. */
static void populate_dev_and_proc(void)
{
	struct dentry *dev = rootfs_mkdir_p("/dev", 0755), *d;

	if (!IS_ERR(dev)) {
		/* Each is -EEXIST when the archive had it already: fine. */
		rootfs_mknod(dev, "console", 7, S_IFCHR | 0600, MKDEV(TTYAUX_MAJOR, CONSOLE_MINOR));
		rootfs_mknod(dev, "null", 4, S_IFCHR | 0666, MKDEV(MEM_MAJOR, NULL_MINOR));
		rootfs_mknod(dev, "kmsg", 4, S_IFCHR | 0644, devkmsg_dev());
		dput(dev);
	}
	d = rootfs_mkdir_p("/proc", 0555);
	if (!IS_ERR(d))
		dput(d);
}

void populate_rootfs(void)
{
	const struct boot_module *m = find_initrd();

	if (m)
		unpack_initrd(m);
	else
		pr_warn("initramfs: no initrd from the boot loader; / holds only /dev and /proc");
	populate_dev_and_proc();
	proc_root_init();
	tracefs_init();
}
