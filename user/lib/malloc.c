/* malloc.c: malloc and free. Read first: small blocks come from a free
 * list kept in address order (first fit, split from the tail, merged with
 * both neighbours on free, as in K&R) over memory from brk; blocks of
 * MMAP_THRESHOLD or more get their own mmap and go back with munmap. Every
 * block starts with a 16-byte header, so payloads are 16-byte aligned. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define ALIGN 16
#define HDR sizeof(struct block)
#define MIN_BLOCK (2 * HDR)
#define MMAP_THRESHOLD (128 * 1024)
#define GROW_CHUNK (64 * 1024) /* the least we ask brk for at once */
#define PAGE 4096
#define IS_MMAPPED 1UL /* in size's low bit: sizes are multiples of 16 */

struct block {
	size_t size;	    /* whole block, header included, | IS_MMAPPED */
	struct block *next; /* next free block by address; unused when busy */
};

static struct block *free_list;
static pthread_spinlock_t heap_lock;

static size_t round_up(size_t n, size_t to)
{
	return (n + to - 1) & ~(to - 1);
}

/* Puts b back in address order, merging with the blocks either side. */
static void insert_free(struct block *b)
{
	struct block **link = &free_list, *prev = NULL;

	while (*link && *link < b) {
		prev = *link;
		link = &(*link)->next;
	}
	b->next = *link;
	*link = b;
	if (b->next && (char *)b + b->size == (char *)b->next) {
		b->size += b->next->size;
		b->next = b->next->next;
	}
	if (prev && (char *)prev + prev->size == (char *)b) {
		prev->size += b->size;
		prev->next = b->next;
	}
}

/* More heap: from brk, or from an mmap when brk cannot grow (another
 * mapping in the way, or a kernel without room there). */
static int grow_heap(size_t need)
{
	size_t len = round_up(need > GROW_CHUNK ? need : GROW_CHUNK, PAGE);
	void *p = sbrk((long)len);

	if (p == (void *)-1) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -1;
	}
	((struct block *)p)->size = len;
	insert_free(p);
	return 0;
}

/* First fit; a larger block gives up its tail, so its link stays put. */
static struct block *take_free(size_t need)
{
	for (struct block **link = &free_list; *link; link = &(*link)->next) {
		struct block *b = *link;

		if (b->size < need)
			continue;
		if (b->size - need >= MIN_BLOCK) {
			b->size -= need;
			b = (struct block *)((char *)b + b->size);
			b->size = need;
		} else {
			*link = b->next;
		}
		return b;
	}
	return NULL;
}

static void *malloc_mmap(size_t need)
{
	size_t len = round_up(need, PAGE);
	struct block *b =
		mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (b == MAP_FAILED)
		return NULL;
	b->size = len | IS_MMAPPED;
	return b + 1;
}

void *malloc(size_t size)
{
	size_t need;
	struct block *b;

	if (size > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	need = round_up(size + HDR, ALIGN);
	if (need < MIN_BLOCK)
		need = MIN_BLOCK;
	if (need >= MMAP_THRESHOLD)
		return malloc_mmap(need);
	pthread_spin_lock(&heap_lock);
	b = take_free(need);
	if (!b && grow_heap(need) == 0)
		b = take_free(need);
	pthread_spin_unlock(&heap_lock);
	if (!b) {
		errno = ENOMEM;
		return NULL;
	}
	return b + 1;
}

void free(void *ptr)
{
	struct block *b;

	if (!ptr)
		return;
	b = (struct block *)ptr - 1;
	if (b->size & IS_MMAPPED) {
		munmap(b, b->size & ~IS_MMAPPED);
		return;
	}
	pthread_spin_lock(&heap_lock);
	insert_free(b);
	pthread_spin_unlock(&heap_lock);
}

void *calloc(size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(nmemb * size);
	return p ? memset(p, 0, nmemb * size) : NULL;
}

void *realloc(void *ptr, size_t size)
{
	size_t have;
	void *p;

	if (!ptr)
		return malloc(size);
	if (size == 0) {
		free(ptr);
		return NULL;
	}
	have = (((struct block *)ptr - 1)->size & ~IS_MMAPPED) - HDR;
	if (size <= have)
		return ptr;
	p = malloc(size);
	if (p) {
		memcpy(p, ptr, have);
		free(ptr);
	}
	return p;
}
