/* mman.c: address-space system calls, and brk/sbrk. Read first: the raw
 * brk call never fails; it returns the (possibly unchanged) break, so the
 * wrapper compares it with what it asked for. */
#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return (void *)__syscall_ret(
		syscall6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, off));
}

int munmap(void *addr, size_t len)
{
	return (int)__syscall_ret(syscall2(SYS_munmap, (long)addr, (long)len));
}

/* The new address is only there with MREMAP_FIXED; read it only then. */
void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	void *new_addr = NULL;
	va_list ap;

	if (flags & MREMAP_FIXED) {
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	return (void *)__syscall_ret(syscall5(SYS_mremap, (long)old, (long)old_len, (long)new_len,
					      flags, (long)new_addr));
}

int mprotect(void *addr, size_t len, int prot)
{
	return (int)__syscall_ret(syscall3(SYS_mprotect, (long)addr, (long)len, prot));
}

int madvise(void *addr, size_t len, int advice)
{
	return (int)__syscall_ret(syscall3(SYS_madvise, (long)addr, (long)len, advice));
}

int mlock(const void *addr, size_t len)
{
	return (int)__syscall_ret(syscall2(SYS_mlock, (long)addr, (long)len));
}

int munlock(const void *addr, size_t len)
{
	return (int)__syscall_ret(syscall2(SYS_munlock, (long)addr, (long)len));
}

int mlockall(int flags)
{
	return (int)__syscall_ret(syscall1(SYS_mlockall, flags));
}

int munlockall(void)
{
	return (int)__syscall_ret(syscall0(SYS_munlockall));
}

int brk(void *addr)
{
	if ((void *)syscall1(SYS_brk, (long)addr) != addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(long increment)
{
	char *old = (char *)syscall1(SYS_brk, 0);

	if (increment == 0)
		return old;
	if (brk(old + increment) < 0)
		return (void *)-1;
	return old;
}
