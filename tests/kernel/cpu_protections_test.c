/* The CPU's own guards, proved by tripping them: SMAP stops the kernel
 * touching user memory outside copy_*_user, SMEP stops it running user
 * code, NX stops it running its data, and each refusal is a fault the
 * kernel survives here only because the access was a probe. Read first: the
 * test borrows an mm of its own (CR3 and current->mm, preemption off), so
 * "user page" means a real, present page of a real address space. */
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/nofault.h"
#include "kernel/paging.h"
#include "kernel/preempt.h"
#include "kernel/sched.h"
#include "kernel/timer.h"
#include "kernel/traps.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"
#include "mm/mm.h"
#include "mm/mm_struct.h"
#include "tests/kernel/mm_test_helpers.h"

#define USER_PAGE 0x20000000ul
#define USER_RWX (VM_READ | VM_WRITE | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define X86_RET 0xc3
#define PATTERN 0x1122334455667788ull
#define NEW_VALUE 0x8877665544332211ull
#define SMEP_LINE "unable to execute userspace code (SMEP?) (uid: 0)"
#define NX_LINE "kernel tried to execute NX-protected page - exploit attempt? (uid: 0)"

extern const char exec_probe_text_target[];

/* Kernel data holding a `ret`: executable were it not for NX. */
static uint8_t nx_data_ret[] = {X86_RET};

struct borrowed_mm {
	struct mm_struct *mm;
	struct mm_struct *saved;
};

/* A present RWX user page at USER_PAGE whose first bytes are a `ret`
 * followed by PATTERN, in an mm made for the test. */
static struct mm_struct *mm_with_user_page(void)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *vma;
	uint8_t *kaddr;
	int ret = VM_FAULT_SIGSEGV;

	if (!mm)
		return NULL;
	mmap_write_lock(mm);
	if (do_mmap_fixed(mm, USER_PAGE, PAGE_SIZE, USER_RWX, NULL, 0) == (long)USER_PAGE) {
		vma = vma_lookup(mm, USER_PAGE);
		if (vma)
			ret = handle_mm_fault(vma, USER_PAGE, FAULT_FLAG_WRITE | FAULT_FLAG_USER);
	}
	mmap_write_unlock(mm);
	kaddr = ret ? NULL : user_page_kaddr(mm, USER_PAGE);
	if (!kaddr) {
		mmput(mm);
		return NULL;
	}
	kaddr[0] = X86_RET;
	*(uint64_t *)(kaddr + sizeof(uint64_t)) = PATTERN;
	return mm;
}

/* As Linux's kthread_use_mm, for the length of one check: no preemption,
 * so no switch can see a kernel thread wearing an address space. */
static void borrow_mm(struct borrowed_mm *b, struct mm_struct *mm)
{
	preempt_disable();
	b->mm = mm;
	b->saved = current->mm;
	current->mm = mm;
	switch_mm(mm);
}

static void return_mm(struct borrowed_mm *b)
{
	current->mm = b->saved;
	switch_mm(b->saved);
	preempt_enable();
}

static uint64_t *user_word(void)
{
	return (uint64_t *)(USER_PAGE + sizeof(uint64_t));
}

static void smep_smap_nx_and_write_protect_are_on(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, read_cr4() & X86_CR4_SMEP);
	KUNIT_EXPECT_TRUE(test, read_cr4() & X86_CR4_SMAP);
	KUNIT_EXPECT_TRUE(test, smap_enabled);
	KUNIT_EXPECT_TRUE(test, rdmsr(MSR_EFER) & EFER_NX);
	KUNIT_EXPECT_TRUE(test, read_cr0() & X86_CR0_WP);
}

static void kernel_reading_a_user_page_outside_uaccess_faults(struct kunit *test)
{
	struct mm_struct *mm = mm_with_user_page();
	struct borrowed_mm b;
	uint64_t direct = 0, probed = 1, copied = 0;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	borrow_mm(&b, mm);
	err = get_kernel_nofault_u64(&probed, user_word());
	(void)get_kernel_nofault_u64(&direct, user_page_kaddr(mm, (unsigned long)user_word()));
	(void)copy_from_user(&copied, user_word(), sizeof(copied));
	return_mm(&b);
	/* The page is there (the direct map reads it, copy_from_user too);
	 * only the plain kernel load through the user mapping is refused. */
	KUNIT_EXPECT_EQ(test, err, -EFAULT);
	KUNIT_EXPECT_UEQ(test, probed, 0);
	KUNIT_EXPECT_UEQ(test, direct, PATTERN);
	KUNIT_EXPECT_UEQ(test, copied, PATTERN);
	mmput(mm);
}

static void kernel_writing_a_user_page_outside_uaccess_faults(struct kunit *test)
{
	struct mm_struct *mm = mm_with_user_page();
	struct borrowed_mm b;
	uint64_t after_probe = 0, value = NEW_VALUE;
	unsigned long left;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	borrow_mm(&b, mm);
	err = put_kernel_nofault_u64(user_word(), NEW_VALUE);
	after_probe = *(uint64_t *)user_page_kaddr(mm, (unsigned long)user_word());
	left = copy_to_user(user_word(), &value, sizeof(value));
	return_mm(&b);
	KUNIT_EXPECT_EQ(test, err, -EFAULT);
	KUNIT_EXPECT_UEQ(test, after_probe, PATTERN);
	KUNIT_EXPECT_EQ(test, left, 0);
	KUNIT_EXPECT_UEQ(test, *(uint64_t *)user_page_kaddr(mm, (unsigned long)user_word()),
			 NEW_VALUE);
	mmput(mm);
}

static void kernel_executing_a_user_page_faults_as_smep(struct kunit *test)
{
	struct mm_struct *mm = mm_with_user_page();
	unsigned long mark = log_mark();
	struct borrowed_mm b;
	uint64_t pte;
	long ret;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	borrow_mm(&b, mm);
	pte = kernel_lookup_pte(USER_PAGE);
	ret = probe_kernel_exec((const void *)USER_PAGE);
	return_mm(&b);
	/* Executable for the user, so only SMEP can have refused it. */
	KUNIT_EXPECT_TRUE(test, pte & _PAGE_USER);
	KUNIT_EXPECT_FALSE(test, pte & _PAGE_NX);
	KUNIT_EXPECT_EQ(test, ret, -EFAULT);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, SMEP_LINE, NULL, 0));
	KUNIT_EXPECT_FALSE(test, log_find_since(mark, NX_LINE, NULL, 0));
	mmput(mm);
}

static void kernel_executing_its_data_faults_as_nx(struct kunit *test)
{
	unsigned long mark = log_mark();

	KUNIT_EXPECT_EQ(test, probe_kernel_exec(nx_data_ret), -EFAULT);
	KUNIT_EXPECT_TRUE(test, log_find_since(mark, NX_LINE, NULL, 0));
	KUNIT_EXPECT_FALSE(test, log_find_since(mark, SMEP_LINE, NULL, 0));
}

static void kernel_text_runs_under_the_same_probe(struct kunit *test)
{
	unsigned long mark = log_mark();

	KUNIT_EXPECT_EQ(test, probe_kernel_exec(exec_probe_text_target), 0);
	KUNIT_EXPECT_FALSE(test, log_find_since(mark, "(uid: 0)", NULL, 0));
}

#define AC_WAIT_TICKS 50

static volatile int ac_probe_ran;
static volatile uint64_t ac_in_handler;

static void record_ac(struct timer_list *t)
{
	(void)t;
	ac_in_handler = local_save_flags() & X86_EFLAGS_AC;
	ac_probe_ran = 1;
}

/* The tick interrupts code running with EFLAGS.AC set (as a user program
 * can after popf): its handler still runs with AC clear, so SMAP guards
 * it, and the interrupted code gets its AC back. */
static void interrupt_handlers_run_with_smap_whatever_ac_was(struct kunit *test)
{
	struct timer_list t;
	unsigned long deadline = jiffies + AC_WAIT_TICKS;
	uint64_t ac_after;

	KUNIT_ASSERT_TRUE(test, smap_enabled); /* the runner boots with -cpu max */
	ac_probe_ran = 0;
	timer_setup(&t, record_ac, 0);
	mod_timer(&t, jiffies + 1);
	__asm__ volatile("stac" ::: "memory");
	while (!ac_probe_ran && time_before(jiffies, deadline))
		cpu_relax();
	ac_after = local_save_flags() & X86_EFLAGS_AC;
	__asm__ volatile("clac" ::: "memory");
	del_timer_sync(&t);
	KUNIT_ASSERT_TRUE(test, ac_probe_ran);
	KUNIT_EXPECT_UEQ(test, ac_in_handler, 0);
	KUNIT_EXPECT_UEQ(test, ac_after, X86_EFLAGS_AC);
}

static struct kunit_case cpu_protections_cases[] = {
	KUNIT_CASE(smep_smap_nx_and_write_protect_are_on),
	KUNIT_CASE(kernel_reading_a_user_page_outside_uaccess_faults),
	KUNIT_CASE(kernel_writing_a_user_page_outside_uaccess_faults),
	KUNIT_CASE(kernel_executing_a_user_page_faults_as_smep),
	KUNIT_CASE(kernel_executing_its_data_faults_as_nx),
	KUNIT_CASE(kernel_text_runs_under_the_same_probe),
	KUNIT_CASE(interrupt_handlers_run_with_smap_whatever_ac_was),
	{0},
};

static struct kunit_suite cpu_protections_suite = {
	.name = "cpu_protections",
	.test_cases = cpu_protections_cases,
};
kunit_test_suite(cpu_protections_suite);
