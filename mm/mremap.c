/* mremap: shrink a mapping, grow it in place, or move it (Linux's
 * mm/mremap.c). Read first: a move carries the page table entries
 * themselves to the new address, so every page stays mapped exactly once
 * and rss, _mapcount and Mlocked do not change; only total_vm and
 * locked_vm follow the new length, and a locked mapping's new pages are
 * made resident, as Linux's mremap does with mm_populate. */
#include "kernel/errno.h"
#include "kernel/paging.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/syscall.h"
#include "kernel/x86.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/overcommit.h"
#include "mm/pgtable.h"
#include "mm/vma.h"

void vma_file_get(struct vm_area_struct *vma);

/* The PTEs of [old, old + len) go to old + delta (mod 2^64). */
struct pte_move {
	struct mm_struct *mm;
	unsigned long delta;
};

static unsigned long page_align(unsigned long x)
{
	return (x + PAGE_SIZE - 1) & PAGE_MASK;
}

/* Pass one: the tables at the destination exist before anything moves,
 * so running out of memory leaves the mapping as it was. */
static int make_dst_table(uint64_t *pte, unsigned long addr, void *arg)
{
	struct pte_move *m = arg;

	return pte_alloc_map(m->mm, addr + m->delta) ? 0 : -ENOMEM;
}

/* Pass two, as Linux's move_ptes: the entry moves, the page does not.
 * Everyone else who reads or changes PTEs (faults, the rmap walk, the
 * oom_reaper) holds mmap_lock for read, which our write lock keeps out;
 * the PTE lock, as Linux's move_ptes takes it, makes each move one step
 * for anyone who someday looks under the PTE lock alone. */
static int move_one_pte(uint64_t *pte, unsigned long addr, void *arg)
{
	struct pte_move *m = arg;
	uint64_t *dst = follow_pte(m->mm, addr + m->delta);

	spin_lock(&m->mm->page_table_lock);
	*dst = *pte;
	*pte = 0;
	if (read_cr3() == __pa(m->mm->pgd))
		invlpg(addr);
	spin_unlock(&m->mm->page_table_lock);
	return 0;
}

/* New pages of a locked or shared anonymous mapping are populated, as
 * mmap populates them (populate failures leave them to fault later). */
static void populate_grown(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	bool locked = (vma->vm_flags & VM_LOCKED_MASK) == VM_LOCKED;
	bool shmem = (vma->vm_flags & VM_SHARED) && !vma->vm_file;

	if (start < end && (locked || shmem))
		populate_range(vma, start, end);
}

/* As Linux's vma_to_resize: [addr, addr + old_len) must lie in one VMA. */
static struct vm_area_struct *vma_to_resize(struct mm_struct *mm, unsigned long addr,
					    unsigned long old_len)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	if (!vma || old_len > vma->vm_end - addr)
		return NULL;
	return vma;
}

/* As Linux's move_vma: [old, old + old_len) becomes a VMA of its own,
 * its pages move to new_addr, and the VMA there is new_len long. */
static long move_vma(struct mm_struct *mm, unsigned long old, unsigned long old_len,
		     unsigned long new_addr, unsigned long new_len)
{
	struct pte_move m = {mm, new_addr - old};
	struct vm_area_struct *src, *dst;

	if (split_vma(mm, vma_index(mm, old), old) ||
	    split_vma(mm, vma_index(mm, old), old + old_len))
		return -ENOMEM;
	src = mm->vmas[vma_index(mm, old)];
	dst = vma_alloc(mm, new_addr, new_addr + new_len, src->vm_flags);
	if (!dst)
		return -ENOMEM;
	dst->vm_file = src->vm_file;
	dst->vm_pgoff = src->vm_pgoff;
	vma_file_get(dst);
	if (walk_page_range(mm, old, old + old_len, make_dst_table, &m) || insert_vma(mm, dst)) {
		free_pgd_range(mm, new_addr, new_addr + new_len);
		vma_free(dst);
		return -ENOMEM;
	}
	walk_page_range(mm, old, old + old_len, move_one_pte, &m);
	account_vma(mm, dst, 1);
	account_vma(mm, src, -1);
	remove_vma_at(mm, vma_index(mm, old));
	vma_free(src);
	free_pgd_range(mm, old, old + old_len);
	populate_grown(dst, new_addr + old_len, new_addr + new_len);
	return (long)new_addr;
}

/* As Linux's vma_to_resize: growing an accountable (VM_ACCOUNT) mapping
 * asks the overcommit policy for the extra pages before anything moves;
 * the charge is handed back if the mremap then fails. */
static int charge_growth(struct vm_area_struct *vma, unsigned long old_len, unsigned long new_len)
{
	if (new_len <= old_len || vma_grow_charge(vma, (new_len - old_len) >> PAGE_SHIFT) == 0)
		return 0;
	return -ENOMEM;
}

static void uncharge_growth(unsigned long vm_flags, unsigned long old_len, unsigned long new_len)
{
	if (new_len > old_len && (vm_flags & VM_ACCOUNT))
		vm_unacct_memory((long)((new_len - old_len) >> PAGE_SHIFT));
}

/* MREMAP_FIXED: the destination is cleared first, as by MAP_FIXED. */
static long mremap_to(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
		      unsigned long new_addr, unsigned long new_len)
{
	struct vm_area_struct *vma;
	unsigned long flags;
	long r;

	if (new_addr & ~PAGE_MASK)
		return -EINVAL;
	if (new_len > TASK_SIZE || new_addr > TASK_SIZE - new_len)
		return -EINVAL;
	if (new_addr < MMAP_MIN_ADDR)
		return -EPERM; /* as mmap_min_addr refuses MAP_FIXED there */
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL; /* the two ranges overlap */
	r = do_munmap(mm, new_addr, new_len);
	if (!r && old_len > new_len) {
		r = do_munmap(mm, addr + new_len, old_len - new_len);
		old_len = new_len;
	}
	if (r)
		return r;
	vma = vma_to_resize(mm, addr, old_len);
	if (!vma)
		return -EFAULT;
	flags = vma->vm_flags;
	if (charge_growth(vma, old_len, new_len))
		return -ENOMEM;
	r = move_vma(mm, addr, old_len, new_addr, new_len);
	if (r < 0)
		uncharge_growth(flags, old_len, new_len);
	return r;
}

/* Grow: in place when the VMA ends the old range and nothing follows
 * within new_len; else, with MREMAP_MAYMOVE, wherever there is room. */
static long mremap_grow(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
			unsigned long new_len, unsigned long flags)
{
	struct vm_area_struct *vma = vma_to_resize(mm, addr, old_len), *next;
	unsigned long end = addr + new_len, new_addr, vm_flags;
	long r;

	if (!vma)
		return -EFAULT;
	vm_flags = vma->vm_flags;
	if (charge_growth(vma, old_len, new_len))
		return -ENOMEM;
	next = find_vma(mm, vma->vm_end);
	if (vma->vm_end == addr + old_len && end > addr && end <= TASK_SIZE &&
	    (!next || next->vm_start >= end)) {
		account_vma(mm, vma, -1);
		vma->vm_end = end;
		account_vma(mm, vma, 1);
		populate_grown(vma, addr + old_len, end);
		return (long)addr;
	}
	r = -ENOMEM;
	new_addr = flags & MREMAP_MAYMOVE ? get_unmapped_area(mm, new_len) : 0;
	if (new_addr)
		r = move_vma(mm, addr, old_len, new_addr, new_len);
	if (r < 0)
		uncharge_growth(vm_flags, old_len, new_len);
	return r;
}

/* As Linux: the tail goes; the range need not even be mapped. */
static long shrink(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
		   unsigned long new_len)
{
	long r = old_len > new_len ? do_munmap(mm, addr + new_len, old_len - new_len) : 0;

	return r ? r : (long)addr;
}

long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
	       unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	long r;

	if (flags & ~(unsigned long)(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	/* MREMAP_DONTUNMAP (leave the old range mapped, empty) is not offered. */
	if ((flags & MREMAP_DONTUNMAP) || ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)))
		return -EINVAL;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	/* A length that rounds up past 2^64 is 0: refused, as Linux's. Old
	 * length 0 (a second view of a shared mapping) is not offered. */
	if (page_align(old_len) < old_len || page_align(new_len) < new_len)
		return -EINVAL;
	old_len = page_align(old_len);
	new_len = page_align(new_len);
	if (!new_len || !old_len)
		return -EINVAL;
	mmap_write_lock(mm);
	if (flags & MREMAP_FIXED)
		r = mremap_to(mm, addr, old_len, new_addr, new_len);
	else if (old_len >= new_len)
		r = shrink(mm, addr, old_len, new_len);
	else
		r = mremap_grow(mm, addr, old_len, new_len, flags);
	mmap_write_unlock(mm);
	return r;
}

long sys_mremap(const struct pt_regs *regs);
long sys_mremap(const struct pt_regs *regs)
{
	return do_mremap(current->mm, syscall_arg(regs, 0), syscall_arg(regs, 1),
			 syscall_arg(regs, 2), syscall_arg(regs, 3), syscall_arg(regs, 4));
}
