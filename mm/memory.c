/* User pages and page faults (Linux's mm/memory.c): demand-zero
 * anonymous pages, private file pages from the page cache, copy-on-write
 * after fork, and unmapping; the tables themselves are mm/pgtable.c's.
 * Read first: a user page's _mapcount counts the page tables mapping it
 * (minus one, as Linux) and _refcount everyone holding it; every PTE made
 * or dropped goes through page_add_rmap/page_remove_rmap, which keep the
 * mm's rss and the system's AnonPages/Mapped/Shmem/Mlocked, always under
 * the mm's page_table_lock (faults hold mmap_lock only for read). In a
 * private mapping a write fault on a shared page copies it unless we are
 * its only user. */
#include "kernel/err.h"
#include "kernel/errno.h"
#include "kernel/paging.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/pgtable.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

/* Page-cache access for private file mappings (kernel/fs). */
struct page *vma_file_page(struct vm_area_struct *vma, unsigned long index);

static uint64_t vma_pte_flags(const struct vm_area_struct *vma, bool writable)
{
	uint64_t flags = _PAGE_PRESENT | _PAGE_USER;

	if (writable)
		flags |= _PAGE_RW;
	if (!(vma->vm_flags & VM_EXEC))
		flags |= _PAGE_NX;
	return flags;
}

static void flush_tlb_page(struct mm_struct *mm, unsigned long addr)
{
	if (read_cr3() == __pa(mm->pgd))
		invlpg(addr);
}

static bool page_is_anon(const struct page *page)
{
	return page->mapping == NULL;
}

/* As Linux's vma_is_shmem: a shared anonymous mapping, whose pages are
 * what Linux keeps in a shmem file (here they live as long as they are
 * mapped: nothing else holds them). */
static bool vma_is_shmem(const struct vm_area_struct *vma)
{
	return (vma->vm_flags & VM_SHARED) && !vma->vm_file;
}

/* As Linux's mm_counter: which rss counter of the mm the page is in. */
static int mm_counter(const struct vm_area_struct *vma, const struct page *page)
{
	if (!page_is_anon(page))
		return MM_FILEPAGES;
	return vma_is_shmem(vma) ? MM_SHMEMPAGES : MM_ANONPAGES;
}

static void mod_page_state(struct page *page, enum zone_stat_item item, long delta)
{
	mod_zone_page_state(page_zone(page), item, delta);
}

/* The system's view of a page whose first mapping comes (sign 1) or whose
 * last goes (-1), as Linux's rmap: AnonPages, or Mapped; a shmem page is
 * also Shmem and Cached for as long as it exists, which here is as long
 * as it is mapped. */
static void account_mapped(struct vm_area_struct *vma, struct page *page, long sign)
{
	if (!page_is_anon(page)) {
		mod_page_state(page, NR_FILE_MAPPED, sign);
	} else if (vma_is_shmem(vma)) {
		mod_page_state(page, NR_FILE_MAPPED, sign);
		mod_page_state(page, NR_SHMEM, sign);
		mod_page_state(page, NR_FILE_PAGES, sign);
	} else {
		mod_page_state(page, NR_ANON_MAPPED, sign);
	}
}

/* Guards every page's mlock_count, PG_mlocked and NR_MLOCK together (the
 * part of Linux's lruvec lock that mlock uses): a page-cache page can be
 * locked and unlocked at the same moment by unrelated address spaces,
 * each under only its own mmap_lock. */
static DEFINE_SPINLOCK(mlock_lock);

/* One more PTE of a VM_LOCKED VMA maps page; Mlocked counts the page
 * once, however many locked mappings it has (Linux's mlock_folio). */
static void mlock_page(struct page *page)
{
	spin_lock(&mlock_lock);
	if (page->mlock_count++ == 0) {
		set_page_flag(page, PG_mlocked);
		mod_page_state(page, NR_MLOCK, 1);
	}
	spin_unlock(&mlock_lock);
	lru_update_evictable(page);
}

/* The last locked mapping gone, the page is evictable again (Linux's
 * munlock_folio): it must never reach a free list still PG_mlocked. */
static void munlock_page(struct page *page)
{
	spin_lock(&mlock_lock);
	if (--page->mlock_count == 0) {
		clear_page_flag(page, PG_mlocked);
		mod_page_state(page, NR_MLOCK, -1);
	}
	spin_unlock(&mlock_lock);
	lru_update_evictable(page);
}

/* A PTE of vma now maps page (Linux's folio_add_*_rmap_pte): _mapcount
 * going from -1 to 0 is the page's first mapping anywhere. */
static void page_add_rmap(struct vm_area_struct *vma, struct page *page)
{
	if (page_mapcount_inc_and_test(page))
		account_mapped(vma, page, 1);
	if (vma->vm_flags & VM_LOCKED)
		mlock_page(page);
	add_mm_counter(vma->vm_mm, mm_counter(vma, page), 1);
}

/* A PTE of vma no longer maps page (Linux's folio_remove_rmap_pte). */
static void page_remove_rmap(struct vm_area_struct *vma, struct page *page)
{
	add_mm_counter(vma->vm_mm, mm_counter(vma, page), -1);
	if (vma->vm_flags & VM_LOCKED)
		munlock_page(page);
	if (page_mapcount_dec_and_test(page))
		account_mapped(vma, page, -1);
}

static void map_page(struct vm_area_struct *vma, uint64_t *pte, unsigned long addr,
		     struct page *page, bool writable)
{
	page_add_rmap(vma, page);
	*pte = page_to_phys(page) | vma_pte_flags(vma, writable);
	flush_tlb_page(vma->vm_mm, addr);
}

static struct page *pte_page(uint64_t pte)
{
	return pfn_to_page((pte & PTE_ADDR_MASK) >> PAGE_SHIFT);
}

/* Drop one mapping of the page behind pte, and our reference to it; the
 * caller holds the mm's page_table_lock. The oom_reaper and exit_mmap may
 * both be unmapping under mmap_lock's read side: only the first sees the
 * PTE present, as Linux's page-table lock decides. */
static void unmap_pte(struct vm_area_struct *vma, uint64_t *pte, unsigned long addr)
{
	struct page *page;

	if (!(*pte & _PAGE_PRESENT))
		return;
	page = pte_page(*pte);
	*pte = 0;
	flush_tlb_page(vma->vm_mm, addr);
	page_remove_rmap(vma, page);
	__free_page(page); /* the reference the mapping held */
}

/* The reverse map's two questions about one VMA (mm/rmap.c calls them with
 * the VMA's mmap_lock held for read, so its tables stay put): the PTE at
 * addr, under the PTE lock, if it maps page. */
static uint64_t *rmap_pte(struct vm_area_struct *vma, unsigned long addr, struct page *page)
{
	uint64_t *pte = follow_pte(vma->vm_mm, addr);

	if (!pte || !(*pte & _PAGE_PRESENT) || pte_page(*pte) != page)
		return NULL;
	return pte;
}

/* Did the CPU use page through vma's PTE at addr since we last looked?
 * The accessed bit is cleared so the next look sees only new use (as
 * Linux's folio_referenced_one). */
bool page_referenced_one(struct vm_area_struct *vma, unsigned long addr, struct page *page)
{
	spinlock_t *ptl = &vma->vm_mm->page_table_lock;
	bool referenced = false;
	uint64_t *pte;

	spin_lock(ptl);
	pte = rmap_pte(vma, addr, page);
	if (pte && (*pte & _PAGE_ACCESSED)) {
		*pte &= ~(uint64_t)_PAGE_ACCESSED;
		flush_tlb_page(vma->vm_mm, addr);
		referenced = true;
	}
	spin_unlock(ptl);
	return referenced;
}

/* Take page out of vma's PTE at addr (Linux's try_to_unmap_one): the next
 * access faults and reads the page cache again. The caller holds its own
 * reference, so the mapping's is never the last. */
void try_to_unmap_one(struct vm_area_struct *vma, unsigned long addr, struct page *page)
{
	spinlock_t *ptl = &vma->vm_mm->page_table_lock;
	uint64_t *pte;

	spin_lock(ptl);
	pte = rmap_pte(vma, addr, page);
	if (pte)
		unmap_pte(vma, pte, addr);
	spin_unlock(ptl);
}

static struct page *alloc_user_page(void)
{
	struct page *page = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO);

	if (page) {
		page_mapcount_reset(page);
		lru_cache_add(page); /* anonymous: on the anon LRU (no swap) */
	}
	return page;
}

/* Faults hold mmap_lock only for read, so another thread's fault or
 * MADV_DONTNEED can reach the same PTE while we allocate (which may
 * sleep): the PTE and the counts that go with it change only under the
 * mm's page_table_lock (Linux's PTE lock), and a fault that prepared a
 * page without it installs the page only if the PTE is still as it saw. */
static bool pte_same(uint64_t a, uint64_t b)
{
	const uint64_t what = PTE_ADDR_MASK | _PAGE_PRESENT | _PAGE_RW;

	return (a & what) == (b & what);
}

/* Install a fault's page at a PTE that was empty, as Linux's finish_fault,
 * under the PTE lock. Another thread's fault may have filled it meanwhile
 * (the page is dropped, the fault is done), or the oom_reaper may have
 * reaped this mm while we allocated: SIGBUS then, as Linux's
 * check_stable_address_space, never a page that silently reads as zero.
 * The page is the PTE's or freed when this returns. */
static int finish_fault(struct vm_area_struct *vma, uint64_t *pte, unsigned long addr,
			struct page *page, bool writable)
{
	spinlock_t *ptl = &vma->vm_mm->page_table_lock;
	int ret = 0;

	spin_lock(ptl);
	if (mm_flag_test(vma->vm_mm, MMF_UNSTABLE)) {
		ret = VM_FAULT_SIGBUS;
	} else if (!(*pte & _PAGE_PRESENT)) {
		map_page(vma, pte, addr, page, writable);
		page = NULL;
	}
	spin_unlock(ptl);
	if (page)
		__free_page(page);
	return ret;
}

static int do_anonymous_page(struct vm_area_struct *vma, uint64_t *pte, unsigned long addr)
{
	struct page *page = alloc_user_page();

	if (!page)
		return VM_FAULT_OOM;
	return finish_fault(vma, pte, addr, page, vma->vm_flags & VM_WRITE);
}

/* A private file page: shared with the page cache until written. */
static int do_file_page(struct vm_area_struct *vma, uint64_t *pte, unsigned long addr,
			unsigned int flags)
{
	unsigned long index = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	struct page *cached = vma_file_page(vma, index), *copy;

	if (IS_ERR(cached))
		return VM_FAULT_SIGBUS; /* past the end of the file */
	if (!cached)
		return VM_FAULT_OOM;
	if (!(flags & FAULT_FLAG_WRITE)) {
		return finish_fault(vma, pte, addr, cached, false);
	}
	copy = alloc_user_page();
	if (!copy) {
		__free_page(cached);
		return VM_FAULT_OOM;
	}
	memcpy(page_address(copy), page_address(cached), PAGE_SIZE);
	__free_page(cached);
	return finish_fault(vma, pte, addr, copy, true);
}

/* Write to a present read-only page of a writable mapping. */
static int do_wp_page(struct vm_area_struct *vma, uint64_t *pte, unsigned long addr)
{
	spinlock_t *ptl = &vma->vm_mm->page_table_lock;
	uint64_t entry;
	struct page *old, *copy;

	spin_lock(ptl);
	entry = *pte;
	if (!(entry & _PAGE_PRESENT) || (entry & _PAGE_RW)) {
		spin_unlock(ptl); /* someone else fixed it meanwhile */
		return 0;
	}
	old = pte_page(entry);
	/* A shared mapping writes to the one page every sharer sees (as
	 * Linux's wp_page_shared); only a private one ever copies. */
	if ((vma->vm_flags & VM_SHARED) ||
	    (page_is_anon(old) && page_mapcount(old) == 1 && page_ref_count(old) == 1)) {
		*pte |= _PAGE_RW; /* the last user: reuse it */
		flush_tlb_page(vma->vm_mm, addr);
		spin_unlock(ptl);
		return 0;
	}
	page_ref_inc(old); /* ours while we copy it unlocked */
	spin_unlock(ptl);
	copy = alloc_user_page();
	if (!copy) {
		__free_page(old);
		return VM_FAULT_OOM;
	}
	memcpy(page_address(copy), page_address(old), PAGE_SIZE);
	spin_lock(ptl);
	if (pte_same(*pte, entry)) {
		unmap_pte(vma, pte, addr);
		map_page(vma, pte, addr, copy, true);
		copy = NULL;
	}
	spin_unlock(ptl);
	if (copy)
		__free_page(copy); /* the PTE changed under us: the fault is retried */
	__free_page(old);
	return 0;
}

/* Called with mmap_lock held for read; vma covers address. */
int handle_mm_fault(struct vm_area_struct *vma, unsigned long address, unsigned int flags)
{
	unsigned long addr = address & PAGE_MASK;
	uint64_t *pte = pte_alloc_map(vma->vm_mm, addr);

	if (!pte)
		return VM_FAULT_OOM;
	if (mm_flag_test(vma->vm_mm, MMF_UNSTABLE))
		return VM_FAULT_SIGBUS; /* reaped by the OOM reaper: never silently zero */
	if (!(*pte & _PAGE_PRESENT)) {
		if (vma->vm_file)
			return do_file_page(vma, pte, addr, flags);
		return do_anonymous_page(vma, pte, addr);
	}
	if ((flags & FAULT_FLAG_WRITE) && !(*pte & _PAGE_RW))
		return do_wp_page(vma, pte, addr);
	return 0; /* someone else fixed it meanwhile */
}

int populate_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	unsigned int flags = (vma->vm_flags & VM_WRITE) ? FAULT_FLAG_WRITE : 0;

	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE) {
		uint64_t *pte = follow_pte(vma->vm_mm, addr);
		int ret;

		if (pte && (*pte & _PAGE_PRESENT) && (!flags || (*pte & _PAGE_RW)))
			continue;
		ret = handle_mm_fault(vma, addr, flags);
		if (ret)
			return ret;
	}
	return 0;
}

static int zap_pte(uint64_t *pte, unsigned long addr, void *arg)
{
	struct vm_area_struct *vma = arg;
	spinlock_t *ptl = &vma->vm_mm->page_table_lock;

	spin_lock(ptl);
	if (*pte & _PAGE_PRESENT) /* not already dropped by a racing zap */
		unmap_pte(vma, pte, addr);
	spin_unlock(ptl);
	return 0;
}

/* Unmap every page of [start, end) inside vma; the tables stay
 * (free_pgd_range). */
void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	update_hiwater_rss(vma->vm_mm);
	walk_page_range(vma->vm_mm, start, end, zap_pte, vma);
}

/* dst_vma is the child's copy of the VMA being walked in the parent. */
struct copy_range {
	struct vm_area_struct *dst_vma;
	bool cow;
};

static int copy_pte(uint64_t *spte, unsigned long addr, void *arg)
{
	struct copy_range *c = arg;
	uint64_t *dpte = pte_alloc_map(c->dst_vma->vm_mm, addr);
	struct page *page;

	if (!dpte)
		return -1;
	if (c->cow)
		*spte &= ~(uint64_t)_PAGE_RW;
	page = pte_page(*spte);
	page_ref_inc(page);
	page_add_rmap(c->dst_vma, page); /* never the first: the parent maps it */
	*dpte = *spte;
	return 0;
}

/* fork: share every present page of the parent's VMA with dst_vma, the
 * child's copy of it; private writable ones become copy-on-write in both
 * address spaces. */
int copy_page_range(struct vm_area_struct *dst_vma, struct mm_struct *src)
{
	struct copy_range c = {.dst_vma = dst_vma, .cow = !(dst_vma->vm_flags & VM_SHARED)};

	return walk_page_range(src, dst_vma->vm_start, dst_vma->vm_end, copy_pte, &c);
}

static int mlock_pte(uint64_t *pte, unsigned long addr, void *arg)
{
	(void)addr;
	if (arg)
		mlock_page(pte_page(*pte));
	else
		munlock_page(pte_page(*pte));
	return 0;
}

/* Before vma gains (lock) or loses VM_LOCKED: its present pages gain or
 * lose one locked mapping each (Linux's mlock_vma_pages_range). */
void vma_mlock_ptes(struct vm_area_struct *vma, bool lock)
{
	walk_page_range(vma->vm_mm, vma->vm_start, vma->vm_end, mlock_pte, lock ? vma : NULL);
}

static struct mm_struct *loaded_mm;

/* Kernel threads run on the kernel's own tables, never on an address
 * space that might be freed under them. */
void switch_mm(struct mm_struct *next)
{
	if (next == loaded_mm)
		return;
	loaded_mm = next;
	write_cr3(next ? __pa(next->pgd) : __pa(kernel_pgd()));
}

/* The kernel address of user address va in mm, if a page is mapped there
 * (exec fills a program's pages this way, whatever their protection). */
void *user_page_kaddr(struct mm_struct *mm, unsigned long va)
{
	uint64_t *pte = follow_pte(mm, va);

	if (!pte || !(*pte & _PAGE_PRESENT))
		return NULL;
	return (char *)__va(*pte & PTE_ADDR_MASK) + (va & ~PAGE_MASK);
}

static int reprotect_pte(uint64_t *pte, unsigned long addr, void *arg)
{
	struct vm_area_struct *vma = arg;

	*pte &= ~(uint64_t)_PAGE_RW;
	if (vma->vm_flags & VM_EXEC)
		*pte &= ~_PAGE_NX;
	else
		*pte |= _PAGE_NX;
	flush_tlb_page(vma->vm_mm, addr);
	return 0;
}

/* After mprotect: present pages lose write access (a write fault gives it
 * back, copying if shared) and get exec only if the VMA allows it. */
void vma_reprotect_ptes(struct vm_area_struct *vma)
{
	walk_page_range(vma->vm_mm, vma->vm_start, vma->vm_end, reprotect_pte, vma);
}
