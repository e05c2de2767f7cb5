/* Pipes: a one-page ring between a read end and a write end (Linux's
 * fs/pipe.c). Read first: readers sleep while the ring is empty and some
 * writer is left (none left: end of file); writers sleep while it is full
 * and some reader is left (none left: EPIPE and SIGPIPE). A write of at
 * most PIPE_BUF bytes goes in whole or waits: it is never interleaved. */
#include "kernel/fs/fdtable.h"
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/fs/pipe_fs.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/wait.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/slab.h"

#ifndef SIGPIPE
#define SIGPIPE 13
#endif

#define PIPEFS_DEV MKDEV(0, 2)

struct pipe_inode_info {
	struct mutex mutex; /* the ring and the counts */
	wait_queue_head_t rd_wait, wr_wait;
	char *buf;		 /* PIPE_SIZE bytes */
	unsigned int head, tail; /* free-running: head - tail bytes queued */
	unsigned int readers, writers;
};

static unsigned int pipe_used(const struct pipe_inode_info *pipe)
{
	return __atomic_load_n(&pipe->head, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(&pipe->tail, __ATOMIC_ACQUIRE);
}

/* Wake-up conditions, read without the mutex: a hint the loop re-checks. */
static bool pipe_readable(const struct pipe_inode_info *pipe)
{
	return pipe_used(pipe) || !__atomic_load_n(&pipe->writers, __ATOMIC_ACQUIRE);
}

static bool pipe_writable(const struct pipe_inode_info *pipe, size_t need)
{
	return PIPE_SIZE - pipe_used(pipe) >= need ||
	       !__atomic_load_n(&pipe->readers, __ATOMIC_ACQUIRE);
}

/* Copy out of the ring (two pieces when it wraps). Mutex held. */
static size_t ring_to_iter(struct pipe_inode_info *pipe, size_t n, struct iov_iter *to)
{
	size_t done = 0;

	while (done < n) {
		size_t off = pipe->tail % PIPE_SIZE, chunk = PIPE_SIZE - off, got;

		if (chunk > n - done)
			chunk = n - done;
		got = copy_to_iter(pipe->buf + off, chunk, to);
		pipe->tail += (unsigned int)got;
		done += got;
		if (got < chunk)
			break;
	}
	return done;
}

static size_t iter_to_ring(struct pipe_inode_info *pipe, size_t n, struct iov_iter *from)
{
	size_t done = 0;

	while (done < n) {
		size_t off = pipe->head % PIPE_SIZE, chunk = PIPE_SIZE - off, got;

		if (chunk > n - done)
			chunk = n - done;
		got = copy_from_iter(pipe->buf + off, chunk, from);
		pipe->head += (unsigned int)got;
		done += got;
		if (got < chunk)
			break;
	}
	return done;
}

static ssize_t pipe_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct pipe_inode_info *pipe = file->f_inode->i_pipe;
	size_t want = iov_iter_count(to), got;

	mutex_lock(&pipe->mutex);
	while (!pipe_used(pipe)) {
		if (!pipe->writers) {
			mutex_unlock(&pipe->mutex);
			return 0;
		}
		mutex_unlock(&pipe->mutex);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(pipe->rd_wait, pipe_readable(pipe)))
			return -EINTR;
		mutex_lock(&pipe->mutex);
	}
	got = ring_to_iter(pipe, want < pipe_used(pipe) ? want : pipe_used(pipe), to);
	mutex_unlock(&pipe->mutex);
	wake_up_interruptible_all(&pipe->wr_wait);
	return got ? (ssize_t)got : -EFAULT;
}

/* No reader will ever see this: SIGPIPE, as Linux sends it. */
static ssize_t broken_pipe(ssize_t written)
{
	if (written)
		return written;
	send_sig(SIGPIPE, current);
	return -EPIPE;
}

static ssize_t pipe_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	struct pipe_inode_info *pipe = file->f_inode->i_pipe;
	ssize_t written = 0;

	mutex_lock(&pipe->mutex);
	while (iov_iter_count(from)) {
		size_t left = iov_iter_count(from), space, got;
		/* Up to PIPE_BUF bytes go in one piece; more may be split. */
		size_t need = left <= PIPE_BUF ? left : 1;

		if (!pipe->readers) {
			mutex_unlock(&pipe->mutex);
			return broken_pipe(written);
		}
		space = PIPE_SIZE - pipe_used(pipe);
		if (space < need) {
			mutex_unlock(&pipe->mutex);
			wake_up_interruptible_all(&pipe->rd_wait);
			if (file->f_flags & O_NONBLOCK)
				return written ? written : -EAGAIN;
			if (wait_event_interruptible(pipe->wr_wait, pipe_writable(pipe, need)))
				return written ? written : -EINTR;
			mutex_lock(&pipe->mutex);
			continue;
		}
		got = iter_to_ring(pipe, left < space ? left : space, from);
		written += (ssize_t)got;
		if (got < (left < space ? left : space)) {
			if (!written)
				written = -EFAULT;
			break;
		}
	}
	mutex_unlock(&pipe->mutex);
	wake_up_interruptible_all(&pipe->rd_wait);
	return written;
}

/* A closing end lets the other side see EOF or EPIPE. */
static void pipe_release(struct inode *inode, struct file *file)
{
	struct pipe_inode_info *pipe = inode->i_pipe;

	mutex_lock(&pipe->mutex);
	if (file->f_mode & FMODE_READ)
		pipe->readers--;
	if (file->f_mode & FMODE_WRITE)
		pipe->writers--;
	mutex_unlock(&pipe->mutex);
	wake_up_interruptible_all(&pipe->rd_wait);
	wake_up_interruptible_all(&pipe->wr_wait);
}

static const struct file_operations pipefifo_fops = {
	.llseek = no_llseek,
	.read_iter = pipe_read,
	.write_iter = pipe_write,
	.release = pipe_release,
};

static void free_pipe_info(struct pipe_inode_info *pipe)
{
	if (pipe->buf)
		free_page((unsigned long)pipe->buf);
	kfree(pipe);
}

static void pipefs_evict_inode(struct inode *inode)
{
	free_pipe_info(inode->i_pipe);
	inode->i_pipe = NULL;
}

static const struct super_operations pipefs_ops = {
	.evict_inode = pipefs_evict_inode,
};

static struct super_block pipefs_sb = {.s_id = "pipefs", .s_dev = PIPEFS_DEV, .s_op = &pipefs_ops};

static struct inode *get_pipe_inode(void)
{
	struct pipe_inode_info *pipe = kzalloc(sizeof(*pipe), GFP_KERNEL);
	struct inode *inode;

	if (!pipe)
		return NULL;
	pipe->buf = (char *)__get_free_page(GFP_KERNEL);
	inode = pipe->buf ? new_inode(&pipefs_sb, S_IFIFO | 0600) : NULL;
	if (!inode) {
		free_pipe_info(pipe);
		return NULL;
	}
	mutex_init(&pipe->mutex);
	init_waitqueue_head(&pipe->rd_wait);
	init_waitqueue_head(&pipe->wr_wait);
	pipe->readers = pipe->writers = 1;
	inode->i_pipe = pipe;
	inode->i_fop = &pipefifo_fops;
	return inode;
}

int create_pipe_files(struct file **res, int flags)
{
	struct inode *inode;
	struct file *r, *w;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	inode = get_pipe_inode();
	if (!inode)
		return -ENOMEM;
	r = alloc_file_pseudo(inode, O_RDONLY | (flags & O_NONBLOCK), &pipefifo_fops);
	w = IS_ERR(r) ? r
		      : alloc_file_pseudo(inode, O_WRONLY | (flags & O_NONBLOCK), &pipefifo_fops);
	iput(inode); /* each file holds its own reference now */
	if (IS_ERR(w)) {
		if (!IS_ERR(r)) {
			r->f_op = NULL; /* release would count a reader twice */
			fput(r);
		}
		return -ENOMEM;
	}
	res[0] = r;
	res[1] = w;
	return 0;
}

long do_pipe2(int __user *ufds, int flags)
{
	struct file *files[2];
	int fds[2], err = create_pipe_files(files, flags);

	if (err)
		return err;
	fds[0] = get_unused_fd_flags((unsigned int)flags);
	fds[1] = fds[0] < 0 ? fds[0] : get_unused_fd_flags((unsigned int)flags);
	if (fds[1] < 0) {
		if (fds[0] >= 0)
			put_unused_fd((unsigned int)fds[0]);
		err = fds[1];
	} else if (copy_to_user(ufds, fds, sizeof(fds))) {
		put_unused_fd((unsigned int)fds[0]);
		put_unused_fd((unsigned int)fds[1]);
		err = -EFAULT;
	}
	if (err) {
		fput(files[0]);
		fput(files[1]);
		return err;
	}
	fd_install((unsigned int)fds[0], files[0]);
	fd_install((unsigned int)fds[1], files[1]);
	return 0;
}

long sys_pipe(const struct pt_regs *regs)
{
	return do_pipe2((int __user *)syscall_arg(regs, 0), 0);
}

long sys_pipe2(const struct pt_regs *regs)
{
	return do_pipe2((int __user *)syscall_arg(regs, 0), (int)syscall_arg(regs, 1));
}
