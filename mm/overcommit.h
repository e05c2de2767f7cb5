/* Overcommit accounting (mm/util.c): vm.overcommit_memory and friends,
 * Committed_AS and the hooks mmap, brk, stack growth, fork, mprotect,
 * munmap and exit call. Read first: VM_ACCOUNT on a VMA means "its pages
 * are charged to Committed_AS"; every hook keeps that true. */
#ifndef OOMLAB_MM_OVERCOMMIT_H
#define OOMLAB_MM_OVERCOMMIT_H
#include <stdbool.h>

#define OVERCOMMIT_GUESS 0
#define OVERCOMMIT_ALWAYS 1
#define OVERCOMMIT_NEVER 2

struct file;
struct mm_struct;
struct vm_area_struct;

extern int sysctl_overcommit_memory;
extern int sysctl_overcommit_ratio;
extern unsigned long sysctl_overcommit_kbytes;
extern unsigned long sysctl_user_reserve_kbytes;
extern unsigned long sysctl_admin_reserve_kbytes;
extern unsigned long total_swap_pages;

void vm_acct_memory(long pages);
void vm_unacct_memory(long pages);
unsigned long vm_memory_committed(void); /* Committed_AS, pages */
unsigned long vm_commit_limit(void);	 /* CommitLimit, pages */
/* Charge pages and say whether the policy allows them: 0 or -ENOMEM
 * (nothing stays charged then). */
int __vm_enough_memory(struct mm_struct *mm, long pages, bool cap_sys_admin);
int security_vm_enough_memory_mm(struct mm_struct *mm, long pages);

/* The hooks. */
long mmap_charge(struct mm_struct *mm, unsigned long start, unsigned long end,
		 const struct file *file, unsigned long *vm_flags);
int vma_grow_charge(struct vm_area_struct *vma, unsigned long pages);
void vma_unacct_pages(const struct vm_area_struct *vma, unsigned long pages);
int dup_vma_charge(struct mm_struct *oldmm, struct vm_area_struct *vma);
int mprotect_charge(struct vm_area_struct *vma, unsigned long newflags);

/* Boot: the reserves from free memory, and /proc/sys/vm's files. */
void overcommit_init(void);
#endif
