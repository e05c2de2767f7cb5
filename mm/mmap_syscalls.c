/* The memory system calls: brk, mmap, munmap, mprotect, madvise and the
 * mlock family (Linux's mm/mmap.c, mprotect.c, madvise.c, mlock.c). Read
 * first: each takes mmap_lock for write, as they change the VMAs; the
 * pages themselves come later, at fault time, unless locked. */
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "mm/overcommit.h"

#define PROT_READ 0x1
#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_TYPE 0x0f
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_GROWSDOWN 0x0100
#define MAP_LOCKED 0x2000
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE 0x8000
#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MCL_CURRENT 1
#define MCL_FUTURE 2
#define MCL_ONFAULT 4

long do_file_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		  unsigned long vm_flags, int fd, unsigned long off);

static unsigned long prot_to_vm(unsigned long prot)
{
	unsigned long f = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	if (prot & PROT_READ)
		f |= VM_READ;
	if (prot & PROT_WRITE)
		f |= VM_WRITE;
	if (prot & PROT_EXEC)
		f |= VM_EXEC;
	return f;
}

static unsigned long page_align(unsigned long x)
{
	return (x + PAGE_SIZE - 1) & PAGE_MASK;
}

long sys_brk(const struct pt_regs *regs);
long sys_brk(const struct pt_regs *regs)
{
	struct mm_struct *mm = current->mm;
	unsigned long want = syscall_arg(regs, 0), old, newa;
	int grown;

	mmap_write_lock(mm);
	old = page_align(mm->brk);
	newa = page_align(want);
	if (want < mm->start_brk || want > TASK_SIZE)
		goto out;
	if (newa < old) {
		if (do_munmap(mm, newa, old - newa))
			goto out;
	} else if (newa > old && (grown = vma_extend_heap(mm, old, newa)) <= 0) {
		struct vm_area_struct *next = find_vma(mm, old);

		if (grown < 0 || (next && next->vm_start < newa))
			goto out; /* would run into another mapping */
		if (do_mmap_fixed(mm, old, newa - old,
				  VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC, NULL,
				  0) < 0)
			goto out;
	}
	mm->brk = want;
	/* As Linux's brk: under mlockall(MCL_FUTURE) new heap is resident. */
	if (newa > old && (mm->def_flags & VM_LOCKED_MASK) == VM_LOCKED) {
		struct vm_area_struct *heap = vma_lookup(mm, old);

		if (heap)
			populate_range(heap, old, newa);
	}
out:
	want = mm->brk;
	mmap_write_unlock(mm);
	return (long)want; /* Linux: the current break, changed or not */
}

long sys_mmap(const struct pt_regs *regs);
long sys_mmap(const struct pt_regs *regs)
{
	unsigned long addr = syscall_arg(regs, 0), len = syscall_arg(regs, 1);
	unsigned long prot = syscall_arg(regs, 2), flags = syscall_arg(regs, 3);
	int fd = (int)syscall_arg(regs, 4);
	unsigned long off = syscall_arg(regs, 5), vm_flags;
	struct mm_struct *mm = current->mm;
	long r;

	if (!len || (off & ~PAGE_MASK) || page_align(len) < len)
		return -EINVAL;
	/* MAP_SHARED_VALIDATE (3) is for file mappings: with MAP_ANONYMOUS
	 * Linux says EINVAL too, and shared file mappings are not offered. */
	if ((flags & MAP_TYPE) != MAP_SHARED && (flags & MAP_TYPE) != MAP_PRIVATE)
		return -EINVAL;
	/* Linux's mmap_min_addr check: no task here has CAP_SYS_RAWIO. */
	if ((flags & MAP_FIXED) && addr < MMAP_MIN_ADDR)
		return -EPERM;
	vm_flags = prot_to_vm(prot);
	if ((flags & MAP_TYPE) == MAP_SHARED)
		vm_flags |= VM_SHARED;
	if (flags & MAP_LOCKED)
		vm_flags |= VM_LOCKED;
	if (flags & MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	/* As Linux: in strict mode (2) every mapping is charged. */
	if ((flags & MAP_NORESERVE) && sysctl_overcommit_memory != OVERCOMMIT_NEVER)
		vm_flags |= VM_NORESERVE;
	mmap_write_lock(mm);
	if (!(flags & MAP_FIXED))
		addr = get_unmapped_area(mm, len);
	if (!addr) {
		r = -ENOMEM;
	} else if (flags & MAP_ANONYMOUS) {
		r = do_mmap_fixed(mm, addr, len, vm_flags, NULL, 0);
	} else if (vm_flags & VM_SHARED) {
		r = -ENODEV; /* shared file mappings: a read-only initrd has no use for them */
	} else {
		r = do_file_mmap(mm, addr, len, vm_flags, fd, off);
	}
	if (r >= 0 && (flags & MAP_POPULATE)) {
		struct vm_area_struct *vma = vma_lookup(mm, (unsigned long)r);

		if (vma)
			populate_range(vma, vma->vm_start, vma->vm_end);
	}
	mmap_write_unlock(mm);
	return r;
}

long sys_munmap(const struct pt_regs *regs);
long sys_munmap(const struct pt_regs *regs)
{
	struct mm_struct *mm = current->mm;
	long r;

	mmap_write_lock(mm);
	r = do_munmap(mm, syscall_arg(regs, 0), syscall_arg(regs, 1));
	mmap_write_unlock(mm);
	return r;
}

static long set_protection(struct vm_area_struct *vma, void *arg)
{
	unsigned long prot_flags = *(unsigned long *)arg;

	if (mprotect_charge(vma, prot_flags))
		return -ENOMEM;
	vma->vm_flags = (vma->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC)) | prot_flags;
	/* Drop the pages' write and exec bits now; a later write fault
	 * grants write access (copying if the page is shared). */
	vma_reprotect_ptes(vma);
	return 0;
}

/* [start, *end) for mprotect, as Linux's do_mprotect_pkey: a length that
 * wraps, rounded up or added to start, is -ENOMEM (no such memory), never
 * an empty range that "succeeds". */
static long check_range(unsigned long start, unsigned long len, unsigned long *end)
{
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (page_align(len) < len)
		return -ENOMEM;
	*end = start + page_align(len);
	if (*end < start || *end > TASK_SIZE)
		return -ENOMEM;
	return 0;
}

/* madvise's version, as Linux's do_madvise: an overflowing length is
 * -EINVAL; a range past the user half is holes, -ENOMEM. */
static long check_madvise_range(unsigned long start, unsigned long len, unsigned long *end)
{
	if ((start & ~PAGE_MASK) || page_align(len) < len || start + page_align(len) < start)
		return -EINVAL;
	return check_range(start, len, end);
}

long sys_mprotect(const struct pt_regs *regs);
long sys_mprotect(const struct pt_regs *regs)
{
	unsigned long start = syscall_arg(regs, 0), end;
	unsigned long prot = syscall_arg(regs, 2), flags;
	struct mm_struct *mm = current->mm;
	long r = check_range(start, syscall_arg(regs, 1), &end);

	if (r)
		return r;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	flags = prot_to_vm(prot) & (VM_READ | VM_WRITE | VM_EXEC);
	mmap_write_lock(mm);
	r = vma_range_apply(mm, start, end, set_protection, &flags);
	mmap_write_unlock(mm);
	return r;
}

/* As Linux's madvise_walk_vmas for MADV_DONTNEED: -EINVAL on a locked
 * VMA (its pages must stay), the mapped parts dropped even when the range
 * has holes, and then -ENOMEM for the holes. Anonymous private pages come
 * back as zeros, private file pages from the page cache. */
static long madvise_dontneed(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	long err = 0;

	for (unsigned long addr = start; addr < end;) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		unsigned long stop;

		if (!vma || vma->vm_start >= end)
			return -ENOMEM;
		if (vma->vm_flags & VM_LOCKED_MASK)
			return -EINVAL;
		if (vma->vm_start > addr) {
			err = -ENOMEM; /* a hole: say so after the rest is done */
			addr = vma->vm_start;
		}
		stop = vma->vm_end < end ? vma->vm_end : end;
		/* Shared anonymous pages have no shmem object to fault back
		 * from: they stay mapped, and so keep their data, as Linux's do. */
		if (!(vma->vm_flags & VM_SHARED))
			zap_page_range(vma, addr, stop);
		addr = stop;
	}
	return err;
}

long sys_madvise(const struct pt_regs *regs);
long sys_madvise(const struct pt_regs *regs)
{
	unsigned long start = syscall_arg(regs, 0), end;
	int advice = (int)syscall_arg(regs, 2);
	struct mm_struct *mm = current->mm;
	long r = check_madvise_range(start, syscall_arg(regs, 1), &end);

	if (r)
		return r;
	switch (advice) {
	case MADV_NORMAL:
	case MADV_RANDOM:
	case MADV_SEQUENTIAL:
	case MADV_WILLNEED: return 0;
	case MADV_DONTNEED: break;
	default: return -EINVAL;
	}
	mmap_read_lock(mm);
	r = madvise_dontneed(mm, start, end);
	mmap_read_unlock(mm);
	return r;
}

/* arg: the VM_LOCKED_MASK bits to set (0 unlocks). VM_LOCKONFAULT
 * (MCL_ONFAULT) locks what is faulted in later, and populates nothing. */
static long set_locked(struct vm_area_struct *vma, void *arg)
{
	unsigned long lock = *(unsigned long *)arg;
	bool was_locked = vma->vm_flags & VM_LOCKED, locks = lock & VM_LOCKED;

	/* Mlocked follows the pages already there; populating counts the rest. */
	if (was_locked != locks)
		vma_mlock_ptes(vma, locks);
	vma->vm_flags = (vma->vm_flags & ~VM_LOCKED_MASK) | lock;
	if (lock != VM_LOCKED)
		return 0;
	return populate_range(vma, vma->vm_start, vma->vm_end) ? -ENOMEM : 0;
}

/* As Linux's do_mlock and apply_vma_lock_flags: the length counts from
 * the page start and is rounded up; a range that then ends below its
 * start is -EINVAL, and one rounded to nothing (2^64 - 1) locks nothing. */
static long mlock_range(const struct pt_regs *regs, unsigned long lock)
{
	unsigned long start = syscall_arg(regs, 0) & PAGE_MASK, end;
	unsigned long len = page_align(syscall_arg(regs, 1) + (syscall_arg(regs, 0) & ~PAGE_MASK));
	struct mm_struct *mm = current->mm;
	long r;

	if (start + len < start)
		return -EINVAL;
	if (!len)
		return 0;
	r = check_range(start, len, &end);
	if (r)
		return r;
	mmap_write_lock(mm);
	r = vma_range_apply(mm, start, end, set_locked, &lock);
	mmap_write_unlock(mm);
	return r;
}

long sys_mlock(const struct pt_regs *regs);
long sys_mlock(const struct pt_regs *regs)
{
	return mlock_range(regs, VM_LOCKED);
}

long sys_munlock(const struct pt_regs *regs);
long sys_munlock(const struct pt_regs *regs)
{
	return mlock_range(regs, 0);
}

static long set_all_locked(struct mm_struct *mm, unsigned long lock)
{
	for (int i = 0; i < mm->map_count; i++) {
		struct vm_area_struct *vma = mm->vmas[i];
		long r = vma_range_apply(mm, vma->vm_start, vma->vm_end, set_locked, &lock);

		if (r)
			return r;
	}
	return 0;
}

long sys_mlockall(const struct pt_regs *regs);
long sys_mlockall(const struct pt_regs *regs)
{
	unsigned long flags = syscall_arg(regs, 0);
	struct mm_struct *mm = current->mm;
	unsigned long lock = VM_LOCKED | (flags & MCL_ONFAULT ? VM_LOCKONFAULT : 0);
	long r = 0;

	/* Linux: MCL_ONFAULT alone says nothing to lock. */
	if (!flags || flags == MCL_ONFAULT ||
	    (flags & ~(unsigned long)(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)))
		return -EINVAL;
	mmap_write_lock(mm);
	/* As Linux's apply_mlockall_flags: each call says afresh what the
	 * future holds, so MCL_CURRENT alone ends an earlier MCL_FUTURE. */
	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE)
		mm->def_flags |= lock;
	if (flags & MCL_CURRENT)
		r = set_all_locked(mm, lock);
	mmap_write_unlock(mm);
	return r;
}

long sys_munlockall(const struct pt_regs *regs);
long sys_munlockall(const struct pt_regs *regs)
{
	struct mm_struct *mm = current->mm;
	long r;

	(void)regs;
	mmap_write_lock(mm);
	mm->def_flags &= ~VM_LOCKED_MASK;
	r = set_all_locked(mm, 0);
	mmap_write_unlock(mm);
	return r;
}
