/* Error values inside pointers (Linux's include/linux/err.h). Read first: a
 * function returning a pointer may return ERR_PTR(-errno) instead of NULL;
 * the top 4095 addresses are never valid objects, so IS_ERR can tell. */
#ifndef OOMLAB_KERNEL_ERR_H
#define OOMLAB_KERNEL_ERR_H
#include <stdbool.h>

#define MAX_ERRNO 4095

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}
static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}
static inline bool IS_ERR(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-MAX_ERRNO;
}
static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return !ptr || IS_ERR(ptr);
}
#endif
