/* VMAs and the address-space life cycle (Linux's mm/mmap.c): lookup,
 * mapping, unmapping with splits, fork's copy and exit's teardown. Read
 * first: the VMA array stays sorted and non-overlapping; every change to
 * it happens with mmap_lock held for write (or on an mm no one else can
 * see yet). */
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/oom.h"
#include "mm/overcommit.h"
#include "mm/pgtable.h"
#include "mm/slab.h"
#include "mm/vma.h"

#define VMAS_INITIAL 16
#define MMAP_BASE_GAP (128ul << 20) /* Linux's minimum gap below the stack */

/* As Linux's vm.max_map_count: VMAs one address space may have; past it
 * mmap, mprotect and a splitting munmap fail with ENOMEM. */
#define DEFAULT_MAX_MAP_COUNT 65530
#define MAX_MAP_COUNT_LIMIT (1 << 24)
long sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;
core_param_int(max_map_count, "vm.max_map_count", sysctl_max_map_count, 1, MAX_MAP_COUNT_LIMIT,
	       "VMAs per address space");

void vma_file_get(struct vm_area_struct *vma);
void vma_file_put(struct vm_area_struct *vma);

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return NULL;
	if (!pgd_alloc(mm)) {
		kfree(mm);
		return NULL;
	}
	init_rwsem(&mm->mmap_lock);
	spin_lock_init(&mm->page_table_lock);
	mm->mm_users = 1;
	mm->mm_count = 1;
	mm->mmap_base = STACK_TOP - STACK_RLIMIT - MMAP_BASE_GAP;
	return mm;
}

void mmget(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->mm_users, 1, __ATOMIC_SEQ_CST);
}

void mmdrop(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->mm_count, 1, __ATOMIC_SEQ_CST) == 0)
		kfree(mm);
}

void mmput(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->mm_users, 1, __ATOMIC_SEQ_CST) == 0) {
		exit_mmap(mm);
		mmdrop(mm);
	}
}

/* Index of the first VMA ending above addr (map_count if none). */
int vma_index(const struct mm_struct *mm, unsigned long addr)
{
	int lo = 0, hi = mm->map_count;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (mm->vmas[mid]->vm_end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* As Linux: the first VMA with vm_end > addr, which may start above it. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	int i = vma_index(mm, addr);

	return i < mm->map_count ? mm->vmas[i] : NULL;
}

struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

int insert_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	int i;

	if (mm->map_count >= sysctl_max_map_count)
		return -ENOMEM;
	if (mm->map_count == mm->vmas_capacity) {
		int cap = mm->vmas_capacity ? mm->vmas_capacity * 2 : VMAS_INITIAL;
		struct vm_area_struct **grown =
			krealloc(mm->vmas, cap * sizeof(*grown), GFP_KERNEL);

		if (!grown)
			return -ENOMEM;
		mm->vmas = grown;
		mm->vmas_capacity = cap;
	}
	i = vma_index(mm, vma->vm_start);
	memmove(&mm->vmas[i + 1], &mm->vmas[i], (size_t)(mm->map_count - i) * sizeof(vma));
	mm->vmas[i] = vma;
	mm->map_count++;
	return 0;
}

void remove_vma_at(struct mm_struct *mm, int i)
{
	memmove(&mm->vmas[i], &mm->vmas[i + 1], (size_t)(mm->map_count - i - 1) * sizeof(void *));
	mm->map_count--;
}

static unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

void account_vma(struct mm_struct *mm, const struct vm_area_struct *vma, long sign)
{
	mm->total_vm += (unsigned long)(sign * (long)vma_pages(vma));
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += (unsigned long)(sign * (long)vma_pages(vma));
}

struct vm_area_struct *vma_alloc(struct mm_struct *mm, unsigned long start, unsigned long end,
				 unsigned long flags)
{
	struct vm_area_struct *vma = kzalloc(sizeof(*vma), GFP_KERNEL);

	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = flags;
	return vma;
}

void vma_free(struct vm_area_struct *vma)
{
	vma_file_put(vma);
	kfree(vma);
}

/* Cut [start, end) out of one VMA: drop it whole, trim an end, or split it
 * in two around the hole. */
static int unmap_from_vma(struct mm_struct *mm, int i, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = mm->vmas[i], *tail;
	unsigned long s = start > vma->vm_start ? start : vma->vm_start;
	unsigned long e = end < vma->vm_end ? end : vma->vm_end;

	if (s > vma->vm_start && e < vma->vm_end) {
		tail = vma_alloc(mm, e, vma->vm_end, vma->vm_flags);
		if (!tail)
			return -ENOMEM;
		tail->vm_file = vma->vm_file;
		tail->vm_pgoff = vma->vm_pgoff + ((e - vma->vm_start) >> PAGE_SHIFT);
		vma_file_get(tail);
		/* Insert first: at the map-count limit nothing has changed. */
		account_vma(mm, vma, -1);
		vma->vm_end = s;
		if (insert_vma(mm, tail)) {
			vma->vm_end = tail->vm_end;
			account_vma(mm, vma, 1);
			vma_free(tail);
			return -ENOMEM;
		}
		account_vma(mm, vma, 1);
		account_vma(mm, tail, 1);
		vma_unacct_pages(vma, (e - s) >> PAGE_SHIFT);
		zap_page_range(vma, s, e);
		return 0;
	}
	vma_unacct_pages(vma, (e - s) >> PAGE_SHIFT);
	zap_page_range(vma, s, e);
	account_vma(mm, vma, -1);
	if (s == vma->vm_start && e == vma->vm_end) {
		remove_vma_at(mm, i);
		vma_free(vma);
		return 0;
	}
	if (s == vma->vm_start) {
		vma->vm_pgoff += (e - vma->vm_start) >> PAGE_SHIFT;
		vma->vm_start = e;
	} else {
		vma->vm_end = s;
	}
	account_vma(mm, vma, 1);
	return 0;
}

long do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	unsigned long end = start + ((len + PAGE_SIZE - 1) & PAGE_MASK);

	if ((start & ~PAGE_MASK) || len == 0 || end > TASK_SIZE || end <= start)
		return -EINVAL;
	for (;;) {
		int i = vma_index(mm, start);
		int err;

		if (i >= mm->map_count || mm->vmas[i]->vm_start >= end)
			break;
		err = unmap_from_vma(mm, i, start, end);
		if (err)
			return err;
	}
	free_pgd_range(mm, start, end);
	return 0;
}

long do_mmap_fixed(struct mm_struct *mm, unsigned long addr, unsigned long len,
		   unsigned long vm_flags, struct file *file, unsigned long pgoff)
{
	unsigned long end = addr + ((len + PAGE_SIZE - 1) & PAGE_MASK);
	struct vm_area_struct *vma;
	long err, charged;

	if ((addr & ~PAGE_MASK) || len == 0 || end > TASK_SIZE || end <= addr ||
	    addr < MMAP_MIN_ADDR)
		return -EINVAL;
	if (mm->map_count >= sysctl_max_map_count)
		return -ENOMEM; /* before the old mapping under a MAP_FIXED is gone */
	charged = mmap_charge(mm, addr, end, file, &vm_flags);
	if (charged < 0)
		return charged; /* Committed_AS may not grow: the old mapping stays */
	err = do_munmap(mm, addr, end - addr);
	vma = err ? NULL : vma_alloc(mm, addr, end, vm_flags | mm->def_flags);
	if (!vma) {
		vm_unacct_memory(charged);
		return err ? err : -ENOMEM;
	}
	vma->vm_file = file;
	vma->vm_pgoff = pgoff;
	vma_file_get(vma);
	err = insert_vma(mm, vma);
	if (err) {
		vma_free(vma);
		vm_unacct_memory(charged);
		return err;
	}
	account_vma(mm, vma, 1);
	/* Locked and shared anonymous mappings are populated now: mlock
	 * promises resident pages; a shared one must be the same pages in
	 * every process that inherits it. */
	if (((vma->vm_flags & VM_LOCKED_MASK) == VM_LOCKED) ||
	    ((vma->vm_flags & VM_SHARED) && !file)) {
		int ret = populate_range(vma, vma->vm_start, vma->vm_end);

		/* Pages past a file's end stay unpopulated (and SIGBUS when
		 * touched), as Linux's mm_populate skips them. */
		if (ret & VM_FAULT_OOM) {
			do_munmap(mm, addr, end - addr);
			return -ENOMEM;
		}
	}
	return (long)addr;
}

/* Top-down below mmap_base: the highest gap that fits. */
unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long len)
{
	unsigned long top = mm->mmap_base;

	len = (len + PAGE_SIZE - 1) & PAGE_MASK;
	for (int i = mm->map_count - 1; i >= -1; i--) {
		unsigned long floor = i >= 0 ? mm->vmas[i]->vm_end : MMAP_MIN_ADDR;

		if (i >= 0 && mm->vmas[i]->vm_start >= top)
			continue;
		if (top >= floor && top - floor >= len)
			return top - len;
		if (i >= 0)
			top = mm->vmas[i]->vm_start;
	}
	return 0;
}

/* As Linux's dup_mmap: the child is write-locked from before its first
 * VMA goes on a file's i_mmap until it is whole, so a reclaim rmap walk
 * (which only trylocks) skips it, never finding its tables half-copied
 * (copy_page_range writes them without the PTE lock). A new mm is nobody
 * else's yet, so the trylock cannot fail; taken after the parent's, it
 * keeps lockdep from seeing one mmap_lock class taken twice (where Linux
 * says mmap_write_lock_nested). */
struct mm_struct *dup_mm(struct mm_struct *old)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	mmap_write_lock(old);
	if (!mmap_write_trylock(mm)) {
		mmap_write_unlock(old);
		mmput(mm);
		return NULL;
	}
	mm->start_code = old->start_code;
	mm->end_code = old->end_code;
	mm->start_data = old->start_data;
	mm->end_data = old->end_data;
	mm->start_brk = old->start_brk;
	mm->brk = old->brk;
	mm->start_stack = old->start_stack;
	mm->arg_start = old->arg_start;
	mm->arg_end = old->arg_end;
	/* Memory locks are not inherited (POSIX, Linux's dup_mmap): neither
	 * the VMAs' VM_LOCKED nor mlockall(MCL_FUTURE)'s def_flags. */
	mm->def_flags = 0;
	for (int i = 0; i < old->map_count; i++) {
		const struct vm_area_struct *src = old->vmas[i];
		struct vm_area_struct *vma;

		if (src->vm_flags & VM_DONTCOPY)
			continue;
		vma = vma_alloc(mm, src->vm_start, src->vm_end, src->vm_flags & ~VM_LOCKED_MASK);
		if (!vma)
			goto fail;
		vma->vm_file = src->vm_file;
		vma->vm_pgoff = src->vm_pgoff;
		vma_file_get(vma);
		if (insert_vma(mm, vma)) {
			vma_free(vma);
			goto fail;
		}
		account_vma(mm, vma, 1);
		if (dup_vma_charge(old, vma) || copy_page_range(vma, old))
			goto fail;
	}
	/* The parent's writable pages just became read-only. */
	if (read_cr3() == __pa(old->pgd))
		write_cr3(read_cr3());
	mmap_write_unlock(old);
	mmap_write_unlock(mm);
	return mm;
fail:
	mmap_write_unlock(old);
	mmap_write_unlock(mm);
	mmput(mm); /* exit_mmap takes every VMA off i_mmap before freeing it */
	return NULL;
}

/* As Linux since 2022 ("mm: drop oom code from exit_mmap"): the pages go
 * under the read lock, so an oom_reaper holding it too may unmap beside us
 * (a PTE is cleared once, by whoever gets it first); MMF_OOM_SKIP then
 * tells any later reaper there is nothing left; the page tables and VMAs
 * go under the write lock, which waits for a reaper still walking them. */
void exit_mmap(struct mm_struct *mm)
{
	mmap_read_lock(mm);
	for (int i = 0; i < mm->map_count; i++)
		zap_page_range(mm->vmas[i], mm->vmas[i]->vm_start, mm->vmas[i]->vm_end);
	mmap_read_unlock(mm);
	mm_set_oom_skip(mm);
	mmap_write_lock(mm);
	for (int i = 0; i < mm->map_count; i++) {
		vma_unacct_pages(mm->vmas[i], vma_pages(mm->vmas[i]));
		vma_free(mm->vmas[i]);
	}
	mm->map_count = 0;
	kfree(mm->vmas);
	mm->vmas = NULL;
	free_pgtables(mm);
	pgd_free(mm);
	mmap_write_unlock(mm);
}

/* Split the VMA at index i so that a VMA starts at addr (inside it). */
int split_vma(struct mm_struct *mm, int i, unsigned long addr)
{
	struct vm_area_struct *vma = mm->vmas[i], *tail;

	if (addr <= vma->vm_start || addr >= vma->vm_end)
		return 0;
	tail = vma_alloc(mm, addr, vma->vm_end, vma->vm_flags);
	if (!tail)
		return -ENOMEM;
	tail->vm_file = vma->vm_file;
	tail->vm_pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	vma_file_get(tail);
	vma->vm_end = addr;
	if (insert_vma(mm, tail)) {
		vma->vm_end = tail->vm_end;
		vma_free(tail);
		return -ENOMEM;
	}
	return 0;
}

/* Apply fn to every VMA piece inside [start, end), splitting at the ends;
 * -ENOMEM when part of the range is not mapped, as Linux's mprotect. */
long vma_range_apply(struct mm_struct *mm, unsigned long start, unsigned long end,
		     long (*fn)(struct vm_area_struct *vma, void *arg), void *arg)
{
	unsigned long addr = start;

	while (addr < end) {
		int i = vma_index(mm, addr);
		struct vm_area_struct *vma;
		long r;

		if (i >= mm->map_count || mm->vmas[i]->vm_start > addr)
			return -ENOMEM;
		if (split_vma(mm, i, addr))
			return -ENOMEM;
		i = vma_index(mm, addr);
		if (split_vma(mm, i, end))
			return -ENOMEM;
		vma = mm->vmas[vma_index(mm, addr)];
		account_vma(mm, vma, -1);
		r = fn(vma, arg);
		account_vma(mm, vma, 1);
		if (r)
			return r;
		addr = vma->vm_end;
	}
	return 0;
}

/* brk growth: extend the heap VMA that ends at old_end, if there is one:
 * 1 done, 0 no such VMA (brk maps a new one), -ENOMEM refused by the
 * overcommit policy (as Linux's do_brk_flags, brk then fails). */
int vma_extend_heap(struct mm_struct *mm, unsigned long old_end, unsigned long new_end)
{
	struct vm_area_struct *vma = old_end ? vma_lookup(mm, old_end - 1) : NULL;
	struct vm_area_struct *next = find_vma(mm, old_end);

	if (!vma || vma->vm_end != old_end || vma->vm_file || (next && next->vm_start < new_end))
		return 0;
	/* As Linux's do_brk_flags merge: a locked heap grows locked only
	 * under mlockall(MCL_FUTURE); otherwise the growth is a VMA of its own. */
	if ((vma->vm_flags & VM_LOCKED_MASK) != (mm->def_flags & VM_LOCKED_MASK))
		return 0;
	if (vma_grow_charge(vma, (new_end - old_end) >> PAGE_SHIFT))
		return -ENOMEM;
	account_vma(mm, vma, -1);
	vma->vm_end = new_end;
	account_vma(mm, vma, 1);
	return 1;
}
