/* User mode as a specification: a program runs in ring 3, makes system
 * calls and exits with a status its parent reaps; its faults become
 * signals and never touch the kernel; a kernel pointer passed to a system
 * call gets EFAULT; fork and wait work; and every page comes back. */
#include "kernel/elf.h"
#include "kernel/ktest.h"
#include "kernel/kthread.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/timer.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

#define USER_LOAD_ADDR 0x400000ul
#define CODE_OFFSET 0x1000ul
#define WAIT_STATUS_EXITED(code) ((code) << 8)

extern const char user_exit_pid_start[], user_exit_pid_end[];
extern const char user_null_deref_start[], user_null_deref_end[];
extern const char user_read_kernel_start[], user_read_kernel_end[];
extern const char user_kernel_ptr_start[], user_kernel_ptr_end[];
extern const char user_mmap_touch_start[], user_mmap_touch_end[];
extern const char user_fork_wait_start[], user_fork_wait_end[];
extern const char user_spin_start[], user_spin_end[];

struct user_prog {
	const char *name;
	uint8_t *image;
	size_t size;
};

/* A minimal static ELF: one R+X PT_LOAD holding the code at 0x401000. */
static bool build_image(struct user_prog *prog, const char *start, const char *end)
{
	size_t code = (size_t)(end - start);
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;

	prog->size = CODE_OFFSET + code;
	prog->image = kzalloc(prog->size, GFP_KERNEL);
	if (!prog->image)
		return false;
	eh = (Elf64_Ehdr *)prog->image;
	ph = (Elf64_Phdr *)(prog->image + sizeof(*eh));
	memcpy(eh->e_ident, "\177ELF", 4);
	eh->e_ident[4] = 2; /* ELFCLASS64 */
	eh->e_ident[5] = 1; /* little-endian */
	eh->e_ident[6] = 1; /* EV_CURRENT */
	eh->e_type = 2;	    /* ET_EXEC */
	eh->e_machine = 62; /* EM_X86_64 */
	eh->e_version = 1;
	eh->e_entry = USER_LOAD_ADDR + CODE_OFFSET;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = 1;
	ph->p_type = PT_LOAD;
	ph->p_flags = PF_R | PF_X;
	ph->p_offset = CODE_OFFSET;
	ph->p_vaddr = USER_LOAD_ADDR + CODE_OFFSET;
	ph->p_filesz = code;
	ph->p_memsz = code;
	ph->p_align = 4096;
	memcpy(prog->image + CODE_OFFSET, start, code);
	return true;
}

static int exec_prog(void *arg)
{
	struct user_prog *prog = arg;

	return (int)kernel_exec_image(prog->name, prog->image, prog->size);
}

/* Run a program as our child; returns its wait status, or -1. */
static int run_user(const char *name, const char *start, const char *end)
{
	struct user_prog prog = {.name = name};
	struct task_struct *p;
	int status = -1;

	if (!build_image(&prog, start, end))
		return -1;
	p = kthread_run(exec_prog, &prog, "%s", name);
	if (p && kernel_wait(p->pid, &status) < 0)
		status = -1;
	kfree(prog.image);
	return status;
}

static void user_program_exits_with_its_status(struct kunit *test)
{
	int status = run_user("exitpid", user_exit_pid_start, user_exit_pid_end);

	KUNIT_EXPECT_GE(test, status, 0);
	KUNIT_EXPECT_EQ(test, status & 0x7f, 0);	/* exited, not killed */
	KUNIT_EXPECT_GT(test, (status >> 8) & 0xff, 1); /* its pid, not 0 or 1 */
}

static void null_dereference_in_user_mode_is_sigsegv(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, run_user("nullderef", user_null_deref_start, user_null_deref_end),
			SIGSEGV);
}

static void user_read_of_kernel_memory_is_sigsegv(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, run_user("readkern", user_read_kernel_start, user_read_kernel_end),
			SIGSEGV);
}

static void kernel_pointer_to_a_syscall_gets_efault(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, run_user("kptr", user_kernel_ptr_start, user_kernel_ptr_end),
			WAIT_STATUS_EXITED(14));
}

static void anonymous_mmap_is_demand_paged_and_unmapped(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, run_user("mmaptouch", user_mmap_touch_start, user_mmap_touch_end),
			WAIT_STATUS_EXITED(0));
}

static void fork_and_wait_return_the_child_status(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, run_user("forkwait", user_fork_wait_start, user_fork_wait_end),
			WAIT_STATUS_EXITED(7));
}

struct killer {
	struct user_prog prog;
	struct task_struct *p;
};

static void sigkill_ends_a_spinning_user_process(struct kunit *test)
{
	struct user_prog prog = {.name = "spin"};
	struct task_struct *p;
	int status = -1;

	KUNIT_ASSERT_TRUE(test, build_image(&prog, user_spin_start, user_spin_end));
	p = kthread_run(exec_prog, &prog, "spin");
	KUNIT_ASSERT_NOT_NULL(test, p);
	msleep(200);
	KUNIT_EXPECT_EQ(test, send_sig(SIGKILL, p), 0);
	KUNIT_EXPECT_EQ(test, kernel_wait(p->pid, &status) > 0, true);
	KUNIT_EXPECT_EQ(test, status, SIGKILL);
	kfree(prog.image);
}

/* The counters a process's pages and tasks move, which must all be back
 * where they were once it is reaped. */
static const enum zone_stat_item mapped_items[] = {
	NR_ANON_MAPPED, NR_FILE_MAPPED, NR_SHMEM, NR_MLOCK, NR_KERNEL_STACK_KB,
};
#define NR_MAPPED_ITEMS (sizeof(mapped_items) / sizeof(mapped_items[0]))

static void snapshot_mapped(long counts[NR_MAPPED_ITEMS])
{
	for (size_t i = 0; i < NR_MAPPED_ITEMS; i++)
		counts[i] = global_zone_page_state(mapped_items[i]);
}

static void expect_mapped_at(struct kunit *test, const long before[NR_MAPPED_ITEMS])
{
	long now[NR_MAPPED_ITEMS];

	snapshot_mapped(now);
	for (size_t i = 0; i < NR_MAPPED_ITEMS; i++) {
		if (now[i] != before[i])
			kunit_log(test, "%s moved from %ld", zone_stat_name(mapped_items[i]),
				  before[i]);
		KUNIT_EXPECT_EQ(test, now[i], before[i]);
	}
}

/* Every page a process used comes back when it is reaped. */
static void processes_leave_free_memory_at_its_baseline(struct kunit *test)
{
	long before, after, mapped[NR_MAPPED_ITEMS];

	run_user("warmup", user_fork_wait_start, user_fork_wait_end);
	drain_all_pages(NULL);
	before = (long)nr_free_pages();
	snapshot_mapped(mapped);
	for (int i = 0; i < 20; i++) {
		run_user("cycle", user_fork_wait_start, user_fork_wait_end);
		run_user("cycle", user_mmap_touch_start, user_mmap_touch_end);
	}
	drain_all_pages(NULL);
	after = (long)nr_free_pages();
	KUNIT_EXPECT_EQ(test, after, before);
	expect_mapped_at(test, mapped);
}

static int exec_usertests(void *argv)
{
	static const char *const envp[] = {"PATH=/bin", NULL};

	return (int)kernel_execve(((const char *const *)argv)[0], argv, envp);
}

/* /bin/usertests from the initrd, as our child, with no descriptors open
 * (its KTAP lines go nowhere); its wait status, or -1. */
static int run_usertests(const char *const argv[])
{
	struct task_struct *p = kthread_run(exec_usertests, (void *)argv, "usertests");
	int status = -1;

	if (p && kernel_wait(p->pid, &status) < 0)
		status = -1;
	return status;
}

#define SETTLE_STEP_MS 10
#define SETTLE_STEADY_STEPS 3
#define SETTLE_MAX_STEPS 200

/* A task frees its kernel stack at its last switch, which may come after
 * whoever waited for it has gone on (a thread's exit clears its tid for
 * pthread_join before it is done). Sleep until KernelStack is back at
 * target_kb (-1: until it has held still for a few steps; a loaded host
 * can leave a dying thread unscheduled for longer than those steps, which
 * once left two stacks, 8 pages, in flight), so the pages counted are not
 * in flight. A stack that leaks keeps KernelStack up: the wait ends at
 * its bound and the page count catches it. Returns KernelStack in kB. */
static long settle_exiting_tasks(long target_kb)
{
	long last = -1, kb = 0;
	int steady = 0;

	for (int i = 0; i < SETTLE_MAX_STEPS && steady < SETTLE_STEADY_STEPS; i++) {
		kb = (long)global_zone_page_state(NR_KERNEL_STACK_KB);
		if (target_kb >= 0 && kb > target_kb)
			steady = 0;
		else
			steady = kb == last ? steady + 1 : 0;
		last = kb;
		msleep(SETTLE_STEP_MS);
	}
	return kb;
}

/* 200 fork/exec/exit cycles and 50 thread create/exit cycles: the first
 * run fills the page cache and the slab caches, the second must give
 * back every page it took. */
static void process_and_thread_churn_leaves_free_memory_at_its_baseline(struct kunit *test)
{
	static const char *const argv[] = {"/bin/usertests", "fork_exec_cycles", "thread_cycles",
					   NULL};
	long before, after, stacks_kb, mapped[NR_MAPPED_ITEMS];

	KUNIT_ASSERT_EQ(test, run_usertests(argv), WAIT_STATUS_EXITED(0));
	stacks_kb = settle_exiting_tasks(-1);
	drain_all_pages(NULL);
	before = (long)nr_free_pages();
	snapshot_mapped(mapped);
	KUNIT_EXPECT_EQ(test, run_usertests(argv), WAIT_STATUS_EXITED(0));
	settle_exiting_tasks(stacks_kb);
	drain_all_pages(NULL);
	after = (long)nr_free_pages();
	KUNIT_EXPECT_EQ(test, after, before);
	expect_mapped_at(test, mapped);
}

static struct kunit_case user_mode_cases[] = {
	KUNIT_CASE(user_program_exits_with_its_status),
	KUNIT_CASE(null_dereference_in_user_mode_is_sigsegv),
	KUNIT_CASE(user_read_of_kernel_memory_is_sigsegv),
	KUNIT_CASE(kernel_pointer_to_a_syscall_gets_efault),
	KUNIT_CASE(anonymous_mmap_is_demand_paged_and_unmapped),
	KUNIT_CASE(fork_and_wait_return_the_child_status),
	KUNIT_CASE(sigkill_ends_a_spinning_user_process),
	KUNIT_CASE(processes_leave_free_memory_at_its_baseline),
	KUNIT_CASE(process_and_thread_churn_leaves_free_memory_at_its_baseline),
	{0},
};

static struct kunit_suite user_mode_suite = {
	.name = "user_mode",
	.preempt_stress = true,
	.test_cases = user_mode_cases,
};
kunit_test_suite(user_mode_suite);
