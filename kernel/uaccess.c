/* Checked user copies on top of the raw ones in copy_user.S. Read first: a
 * range that is not entirely user space fails before any byte moves, so a
 * user pointer can never make the kernel read or write its own memory. */
#include "kernel/uaccess.h"
#include "kernel/errno.h"

bool smap_enabled;

unsigned long __copy_user(void *to, const void *from, unsigned long n);
unsigned long __clear_user(void *to, unsigned long n);
long __get_user_u8(unsigned char *dst, const void *src);

static inline void user_access_begin(void)
{
	if (smap_enabled)
		__asm__ volatile("stac" ::: "memory");
}

static inline void user_access_end(void)
{
	if (smap_enabled)
		__asm__ volatile("clac" ::: "memory");
}

unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left;

	if (!access_ok(from, n))
		return n;
	user_access_begin();
	left = __copy_user(to, from, n);
	user_access_end();
	return left;
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	unsigned long left;

	if (!access_ok(to, n))
		return n;
	user_access_begin();
	left = __copy_user(to, from, n);
	user_access_end();
	return left;
}

unsigned long clear_user(void __user *to, unsigned long n)
{
	unsigned long left;

	if (!access_ok(to, n))
		return n;
	user_access_begin();
	left = __clear_user(to, n);
	user_access_end();
	return left;
}

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	long i;

	if (count <= 0)
		return 0;
	for (i = 0; i < count; i++) {
		unsigned char c;
		long err;

		if (!access_ok(src + i, 1))
			return -EFAULT;
		user_access_begin();
		err = __get_user_u8(&c, src + i);
		user_access_end();
		if (err)
			return -EFAULT;
		dst[i] = (char)c;
		if (!c)
			return i;
	}
	return count;
}
