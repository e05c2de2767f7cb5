/* The page cache: file bytes in struct pages, found by (mapping, index)
 * (Linux's mm/filemap.c, for read-only files). Read first: the cache owns
 * one reference on each of its pages and every user holds another, so a
 * page whose count is 1 is used by nobody: that is what reclaim, or
 * invalidate_mapping_pages, may drop. Every cached page sits in its
 * mapping's index and on the file LRU (or the unevictable list, for a
 * mapping without backing store), counted in NR_FILE_PAGES (Cached:). */
#include "kernel/fs/fs.h"
#include "kernel/fs/internal.h"
#include "kernel/psi.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

/* Every page-cached mapping, for drop_pagecache (and reclaim, later). */
static LIST_HEAD(all_mappings);
static DEFINE_MUTEX(all_mappings_lock);

void inode_init_mapping(struct inode *inode, const struct address_space_operations *a_ops)
{
	struct address_space *mapping = &inode->i_data;

	mapping->host = inode;
	mapping->a_ops = a_ops;
	spin_lock_init(&mapping->i_pages_lock);
	INIT_LIST_HEAD(&mapping->i_mmap);
	mutex_init(&mapping->i_mmap_lock);
	inode->i_mapping = mapping;
	mutex_lock(&all_mappings_lock);
	list_add_tail(&mapping->all_mappings, &all_mappings);
	mutex_unlock(&all_mappings_lock);
}

static unsigned long pages_spanned(const struct address_space *mapping)
{
	return (unsigned long)((mapping->host->i_size + (loff_t)PAGE_SIZE - 1) >> PAGE_SHIFT);
}

/* The index array, made on first use (allocation may sleep, so outside
 * the lock; a racer's array wins). false without memory. */
static bool ensure_slots(struct address_space *mapping)
{
	unsigned long n = pages_spanned(mapping);
	struct page **slots;
	uint64_t flags;

	if (__atomic_load_n(&mapping->i_pages, __ATOMIC_ACQUIRE))
		return true;
	slots = kzalloc(n * sizeof(*slots), GFP_KERNEL);
	if (!slots)
		return false;
	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	if (!mapping->i_pages) {
		mapping->nr_slots = n;
		__atomic_store_n(&mapping->i_pages, slots, __ATOMIC_RELEASE);
		slots = NULL;
	}
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	kfree(slots);
	return true;
}

struct page *find_get_page(struct address_space *mapping, unsigned long index)
{
	struct page *page = NULL;
	uint64_t flags;

	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	if (mapping->i_pages && index < mapping->nr_slots)
		page = mapping->i_pages[index];
	if (page && is_shadow_entry(page))
		page = NULL; /* evicted: only its shadow is left */
	if (page)
		page_ref_inc(page);
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	return page;
}

/* Called with the lock held and the slot empty or a shadow: the cache
 * takes page's first reference; the caller gets a second. */
static void add_to_page_cache(struct address_space *mapping, struct page *page, unsigned long index)
{
	void *shadow = mapping->i_pages[index];

	if (shadow)
		workingset_refault(page, shadow); /* before the LRU: maybe active */
	page->mapping = mapping;
	page->index = index;
	set_page_flag(page, PG_uptodate);
	mapping->i_pages[index] = page;
	mapping->nrpages++;
	__mod_zone_page_state(page_zone(page), NR_FILE_PAGES, 1);
	page_ref_inc(page);
	lru_cache_add(page);
}

/* Is the slot a shadow of a page evicted while still in the working set?
 * Reading it back is then thrashing, a memory stall for psi, as Linux's
 * filemap_read_folio stalls on a workingset folio. */
static bool refault_is_thrashing(struct address_space *mapping, unsigned long index)
{
	void *entry;
	uint64_t flags;
	bool recent = false;

	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	entry = index < mapping->nr_slots ? mapping->i_pages[index] : NULL;
	if (entry && is_shadow_entry(entry))
		recent = workingset_test_recent(entry);
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	return recent;
}

static int read_page_from_backing(struct address_space *mapping, struct page *page,
				  unsigned long index)
{
	unsigned long pflags;
	bool thrashing = refault_is_thrashing(mapping, index);
	int err;

	if (thrashing)
		psi_memstall_enter(&pflags);
	page->index = index;
	err = mapping->a_ops->readpage(mapping, page);
	if (thrashing)
		psi_memstall_leave(&pflags);
	return err;
}

struct page *read_cache_page(struct address_space *mapping, unsigned long index)
{
	struct page *page = find_get_page(mapping, index), *cached;
	uint64_t flags;
	int err;

	if (page)
		return page;
	if (index >= pages_spanned(mapping))
		return ERR_PTR(-ENXIO);
	if (!ensure_slots(mapping))
		return ERR_PTR(-ENOMEM);
	page = alloc_page(GFP_HIGHUSER_MOVABLE);
	if (!page)
		return ERR_PTR(-ENOMEM);
	err = read_page_from_backing(mapping, page, index);
	if (err) {
		__free_page(page);
		return ERR_PTR(err); /* -EIO from the disk: nothing cached */
	}
	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	cached = mapping->i_pages[index];
	if (cached && is_shadow_entry(cached))
		cached = NULL;
	if (cached)
		page_ref_inc(cached); /* someone filled it meanwhile: use theirs */
	else
		add_to_page_cache(mapping, page, index);
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	if (cached) {
		page->index = 0;
		__free_page(page);
		return cached;
	}
	return page;
}

struct page *filemap_get_page(struct address_space *mapping, unsigned long index)
{
	struct page *page = read_cache_page(mapping, index);

	return IS_ERR(page) ? NULL : page;
}

/* With the lock held: take page out of the cache, leaving shadow (or
 * nothing) in its slot; the cache's reference is now the caller's to drop
 * (Linux's __filemap_remove_folio). */
void __delete_from_page_cache(struct address_space *mapping, struct page *page, void *shadow)
{
	mapping->i_pages[page->index] = shadow;
	mapping->nrpages--;
	__mod_zone_page_state(page_zone(page), NR_FILE_PAGES, -1);
	page->mapping = NULL;
	page->index = 0;
	clear_page_flag(page, PG_uptodate);
}

unsigned long invalidate_mapping_pages(struct address_space *mapping)
{
	unsigned long n = 0;
	uint64_t flags;

	spin_lock_irqsave(&mapping->i_pages_lock, flags);
	for (unsigned long i = 0; mapping->i_pages && i < mapping->nr_slots; i++) {
		struct page *page = mapping->i_pages[i];

		/* Only the cache holds it (no mapping, no reader, not
		 * isolated by reclaim): lookups take references under this
		 * lock, so nobody can get it after the check. */
		if (page && !is_shadow_entry(page) && page_ref_count(page) == 1) {
			__delete_from_page_cache(mapping, page, NULL);
			__free_page(page);
			n++;
		}
	}
	spin_unlock_irqrestore(&mapping->i_pages_lock, flags);
	return n;
}

/* The inode is dying: nobody can hold its pages any more. */
void truncate_inode_pages(struct address_space *mapping)
{
	/* Reclaim may hold a page for a moment (isolated, with a reference
	 * of its own): wait for it, as Linux's truncate waits on the page
	 * lock, so no reclaimer is left with a page of a freed mapping. */
	while (invalidate_mapping_pages(mapping), mapping->nrpages)
		schedule_timeout_uninterruptible(1);
	mutex_lock(&all_mappings_lock);
	list_del(&mapping->all_mappings);
	mutex_unlock(&all_mappings_lock);
	kfree(mapping->i_pages);
	mapping->i_pages = NULL;
}

unsigned long drop_pagecache(void)
{
	struct address_space *mapping;
	unsigned long n = 0;

	mutex_lock(&all_mappings_lock);
	list_for_each_entry(mapping, &all_mappings, all_mappings)
		n += invalidate_mapping_pages(mapping);
	mutex_unlock(&all_mappings_lock);
	return n;
}

ssize_t filemap_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct address_space *mapping = file->f_mapping;
	loff_t size = file->f_inode->i_size;
	ssize_t copied = 0;

	if (*pos < 0)
		return -EINVAL;
	while (iov_iter_count(to) && *pos < size) {
		size_t off = (size_t)(*pos & ~PAGE_MASK), n = PAGE_SIZE - off, done;
		struct page *page;

		if ((loff_t)n > size - *pos)
			n = (size_t)(size - *pos);
		page = read_cache_page(mapping, (unsigned long)(*pos >> PAGE_SHIFT));
		if (IS_ERR(page))
			return copied ? copied : PTR_ERR(page);
		done = copy_to_iter((char *)page_address(page) + off, n, to);
		mark_page_accessed(page);
		__free_page(page);
		*pos += (loff_t)done;
		copied += (ssize_t)done;
		if (done < n && iov_iter_count(to))
			return copied ? copied : -EFAULT;
	}
	return copied;
}
