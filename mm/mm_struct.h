/* Address spaces: struct mm_struct and struct vm_area_struct, with Linux's
 * names and flags (include/linux/mm_types.h, mm.h). Read first: the VMAs
 * are kept in an array sorted by address (binary search, O(log n) lookup,
 * where Linux has its maple tree); mmap_lock guards it and the page
 * tables: faults take it for read, mmap/munmap/brk/exec for write. */
#ifndef OOMLAB_MM_MM_STRUCT_H
#define OOMLAB_MM_MM_STRUCT_H
#include "kernel/list.h"
#include "kernel/locking/rwsem.h"
#include "kernel/spinlock.h"
#include "kernel/uaccess.h"
#include <stdint.h>

/* vm_flags, Linux's values */
#define VM_READ 0x00000001ul
#define VM_WRITE 0x00000002ul
#define VM_EXEC 0x00000004ul
#define VM_SHARED 0x00000008ul
#define VM_MAYREAD 0x00000010ul
#define VM_MAYWRITE 0x00000020ul
#define VM_MAYEXEC 0x00000040ul
#define VM_GROWSDOWN 0x00000100ul
#define VM_LOCKED 0x00002000ul
#define VM_DONTCOPY 0x00020000ul
#define VM_LOCKONFAULT 0x00080000ul /* locked, but populated only as faulted */
#define VM_LOCKED_MASK (VM_LOCKED | VM_LOCKONFAULT)
#define VM_ACCOUNT 0x00100000ul	  /* charged to Committed_AS (mm/util.c) */
#define VM_NORESERVE 0x00200000ul /* MAP_NORESERVE: never charged */
#define VM_STACK VM_GROWSDOWN

/* mm->flags bits (MMF_*), Linux's numbers where they exist. */
#define MMF_OOM_SKIP 21
#define MMF_UNSTABLE 22
#define MMF_OOM_REAP_QUEUED 25

enum { MM_FILEPAGES, MM_ANONPAGES, MM_SWAPENTS, MM_SHMEMPAGES, NR_MM_COUNTERS };

#define STACK_TOP (TASK_SIZE_MAX & ~0xffffful) /* 1 MiB aligned, below the guard */
#define STACK_RLIMIT (8ul << 20)	       /* as Linux's default ulimit -s */
#define STACK_GUARD_GAP (256ul << 12)	       /* Linux's stack_guard_gap */
#define MMAP_MIN_ADDR 65536ul		       /* Linux's default mmap_min_addr */

struct file;
struct mm_struct;

struct vm_area_struct {
	unsigned long vm_start, vm_end; /* [start, end) */
	unsigned long vm_flags;
	struct mm_struct *vm_mm;
	struct file *vm_file;	 /* private file mapping, or NULL (anonymous) */
	unsigned long vm_pgoff;	 /* file offset in pages of vm_start */
	struct list_head shared; /* on vm_file's mapping->i_mmap (mm/rmap.c) */
};

struct mm_struct {
	uint64_t *pgd; /* the top-level table (kernel virtual address) */
	struct rw_semaphore mmap_lock;
	spinlock_t page_table_lock;   /* PTE changes by faults and zaps (memory.c) */
	struct vm_area_struct **vmas; /* sorted by vm_start */
	int map_count, vmas_capacity;
	unsigned long total_vm, locked_vm; /* pages */
	long rss_stat[NR_MM_COUNTERS];	   /* pages */
	unsigned long hiwater_rss;	   /* the largest rss seen before an unmap (pages) */
	long pgtables_bytes;
	int mm_users; /* tasks using the address space */
	int mm_count; /* references to the struct itself */
	unsigned long flags;
	unsigned long def_flags;   /* VM_LOCKED after mlockall(MCL_FUTURE) */
	struct task_struct *owner; /* the task it is charged to (mm_update_next_owner) */
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack, mmap_base;
	unsigned long arg_start, arg_end;
	/* oom.reap_timeout_ms: when the reaper gives up on this mm (jiffies). */
	unsigned long oom_reap_expire;
};

static inline long get_mm_counter(const struct mm_struct *mm, int member)
{
	return __atomic_load_n(&mm->rss_stat[member], __ATOMIC_RELAXED);
}
static inline void add_mm_counter(struct mm_struct *mm, int member, long value)
{
	__atomic_add_fetch(&mm->rss_stat[member], value, __ATOMIC_RELAXED);
}
static inline unsigned long get_mm_rss(const struct mm_struct *mm)
{
	return (unsigned long)(get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES) +
			       get_mm_counter(mm, MM_SHMEMPAGES));
}
/* As Linux: the high-water mark moves only when rss is about to fall
 * (before an unmap), so the peak is the larger of the two. */
static inline void update_hiwater_rss(struct mm_struct *mm)
{
	unsigned long rss = get_mm_rss(mm);

	if (mm->hiwater_rss < rss)
		mm->hiwater_rss = rss;
}
static inline unsigned long get_mm_hiwater_rss(const struct mm_struct *mm)
{
	unsigned long rss = get_mm_rss(mm);

	return mm->hiwater_rss > rss ? mm->hiwater_rss : rss;
}
/* Linux's setmax_mm_hiwater_rss: a process's peak over its mms (pages). */
static inline void setmax_mm_hiwater_rss(unsigned long *maxrss, const struct mm_struct *mm)
{
	unsigned long hiwater = get_mm_hiwater_rss(mm);

	if (*maxrss < hiwater)
		*maxrss = hiwater;
}
static inline bool mm_flag_test(const struct mm_struct *mm, int bit)
{
	return (mm->flags >> bit) & 1;
}

static inline void mm_flag_set(struct mm_struct *mm, int bit)
{
	__atomic_or_fetch(&mm->flags, 1ul << bit, __ATOMIC_SEQ_CST);
}
/* Sets the bit; returns whether it was set already (test_and_set_bit). */
static inline bool mm_flag_test_and_set(struct mm_struct *mm, int bit)
{
	return (__atomic_fetch_or(&mm->flags, 1ul << bit, __ATOMIC_SEQ_CST) >> bit) & 1;
}

static inline void mmap_read_lock(struct mm_struct *mm)
{
	down_read(&mm->mmap_lock);
}
static inline int mmap_read_trylock(struct mm_struct *mm)
{
	return down_read_trylock(&mm->mmap_lock);
}
static inline void mmap_read_unlock(struct mm_struct *mm)
{
	up_read(&mm->mmap_lock);
}
static inline void mmap_write_lock(struct mm_struct *mm)
{
	down_write(&mm->mmap_lock);
}
static inline int mmap_write_trylock(struct mm_struct *mm)
{
	return down_write_trylock(&mm->mmap_lock);
}
static inline int mmap_write_lock_killable(struct mm_struct *mm)
{
	return down_write_killable(&mm->mmap_lock);
}
static inline void mmap_write_unlock(struct mm_struct *mm)
{
	up_write(&mm->mmap_lock);
}

/* mm/mmap.c */
extern long sysctl_max_map_count;
struct mm_struct *mm_alloc(void);
void mmget(struct mm_struct *mm);
void mmput(struct mm_struct *mm); /* last user: exit_mmap */
void mmdrop(struct mm_struct *mm);
/* Pin the struct itself (not the address space): Linux's mmgrab. */
static inline void mmgrab(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->mm_count, 1, __ATOMIC_SEQ_CST);
}
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);
/* Map [addr, addr+len) with flags; MAP_FIXED semantics (replaces). */
long do_mmap_fixed(struct mm_struct *mm, unsigned long addr, unsigned long len,
		   unsigned long vm_flags, struct file *file, unsigned long pgoff);
unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long len);
long do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
struct mm_struct *dup_mm(struct mm_struct *old);
/* mm/mremap.c: mremap(2) on mm, which it locks itself. */
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MREMAP_DONTUNMAP 4
long do_mremap(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
	       unsigned long new_len, unsigned long flags, unsigned long new_addr);
long vma_range_apply(struct mm_struct *mm, unsigned long start, unsigned long end,
		     long (*fn)(struct vm_area_struct *vma, void *arg), void *arg);
int vma_extend_heap(struct mm_struct *mm, unsigned long old_end, unsigned long new_end);
void exit_mmap(struct mm_struct *mm);

/* mm/memory.c */
#define VM_FAULT_OOM 0x0001
#define VM_FAULT_SIGBUS 0x0002
#define VM_FAULT_SIGSEGV 0x0040
#define FAULT_FLAG_WRITE 0x01
#define FAULT_FLAG_USER 0x40
#define FAULT_FLAG_INSTRUCTION 0x100
int handle_mm_fault(struct vm_area_struct *vma, unsigned long address, unsigned int flags);
uint64_t *pgd_alloc(struct mm_struct *mm);
void pgd_free(struct mm_struct *mm);
void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
int copy_page_range(struct vm_area_struct *dst_vma, struct mm_struct *src);
/* Fault in every page of [start, end) (mlock, MAP_POPULATE). */
int populate_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
void switch_mm(struct mm_struct *next);
void *user_page_kaddr(struct mm_struct *mm, unsigned long va);
void vma_reprotect_ptes(struct vm_area_struct *vma);
void vma_mlock_ptes(struct vm_area_struct *vma, bool lock);
#endif
