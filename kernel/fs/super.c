/* Bringing the VFS up at boot, and the first process's console (Linux's
 * vfs_caches_init and console_on_rootfs). Read first: kernel_init calls
 * vfs_caches_init then populate_rootfs, before any test or user program,
 * so the whole tree exists by the time anything looks at it. */
#include "kernel/fs/fdtable.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/tty/tty.h"

#define CONSOLE_PATH "/dev/console"
#define NR_STD_FDS 3 /* stdin, stdout, stderr */

void vfs_caches_init(void)
{
	inode_cache_init();
	dcache_init();
	files_cache_init();
	files_struct_cache_init();
	rootfs_init();
	chrdev_init();
	tty_init();
}

int console_on_rootfs(void)
{
	struct file *f;
	int err = files_init_current();

	if (err)
		return err;
	f = filp_open(CONSOLE_PATH, O_RDWR);
	if (IS_ERR(f)) {
		pr_err("Warning: unable to open an initial console.");
		return (int)PTR_ERR(f);
	}
	for (unsigned int fd = 0; fd < NR_STD_FDS; fd++) {
		struct file *old = fget(fd);

		if (old) { /* already set up: leave it */
			fput(old);
			continue;
		}
		fd_install(fd, get_file(f));
	}
	fput(f);
	return 0;
}
