/* The x86 side of running user code: the SYSCALL MSRs, the kernel stack
 * the CPU enters on, user FPU/SSE state across switches, and dispatching
 * system calls. Read first: the kernel itself never touches SSE registers
 * (-mgeneral-regs-only), so a task's user FPU state only has to be saved
 * when another user task is about to run. */
#include "kernel/errno.h"
#include "kernel/gdt.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/x86.h"
#include "mm/mm_struct.h"

#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_SYSCALL_MASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define EFER_SCE (1ul << 0)
#define STAR_KERNEL_CS_SHIFT 32
#define STAR_USER_BASE_SHIFT 48
#define STAR_USER_BASE 0x1b /* SYSRET: SS = base + 8 (0x23), CS = base + 16 (0x2b) */
#define EFLAGS_TF (1ul << 8)
#define EFLAGS_IF (1ul << 9)
#define EFLAGS_DF (1ul << 10)
#define EFLAGS_AC (1ul << 18)
#define CR0_MP (1ul << 1)
#define CR0_EM (1ul << 2)
#define CR0_TS (1ul << 3)
#define CR4_OSFXSR (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)

uint64_t cpu_kernel_stack_top;
uint64_t cpu_user_rsp_scratch;
static uint8_t init_fpstate[FXSAVE_AREA_SIZE] __attribute__((aligned(16)));

void entry_SYSCALL_64(void);
void exit_to_user_mode(struct pt_regs *regs);

static void fxsave(uint8_t *area)
{
	__asm__ volatile("fxsave64 (%0)" ::"r"(area) : "memory");
}

static void fxrstor(const uint8_t *area)
{
	__asm__ volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
}

/* SSE on for user code; a clean FPU image for every new process. */
static void fpu_init(void)
{
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ volatile("fninit");
	fxsave(init_fpstate);
}

void fpu_init_task(struct task_struct *p)
{
	memcpy(p->thread.fxsave, init_fpstate, FXSAVE_AREA_SIZE);
}

void syscall_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)STAR_USER_BASE << STAR_USER_BASE_SHIFT) |
				((uint64_t)__KERNEL_CS << STAR_KERNEL_CS_SHIFT));
	wrmsr(MSR_LSTAR, (uint64_t)entry_SYSCALL_64);
	wrmsr(MSR_SYSCALL_MASK, EFLAGS_TF | EFLAGS_IF | EFLAGS_DF | EFLAGS_AC);
	fpu_init();
}

/* Called by __schedule just before the stack switch. */
void switch_to_arch(struct task_struct *prev, struct task_struct *next);
void switch_to_arch(struct task_struct *prev, struct task_struct *next)
{
	uint64_t top = (uint64_t)next->stack + THREAD_SIZE;

	if (prev->mm)
		fxsave(prev->thread.fxsave);
	if (next->stack) {
		cpu_kernel_stack_top = top;
		tss_set_rsp0(top);
	}
	switch_mm(next->mm);
	if (next->mm) {
		fxrstor(next->thread.fxsave);
		wrmsr(MSR_FS_BASE, next->thread.fsbase);
	}
}

void do_syscall_64(struct pt_regs *regs);
void do_syscall_64(struct pt_regs *regs)
{
	unsigned long nr = regs->rax;

	if (nr < NR_syscalls && sys_call_table[nr])
		regs->rax = (uint64_t)sys_call_table[nr](regs);
	else
		regs->rax = (uint64_t)-ENOSYS;
	exit_to_user_mode(regs);
}

#define FXSAVE_MXCSR 24
#define FXSAVE_MXCSR_MASK 28
#define MXCSR_DEFAULT_MASK 0x0000ffbfu

void fpu_save_user(uint8_t *buf)
{
	memset(buf, 0, FXSAVE_AREA_SIZE); /* fxsave never writes bytes 464..511 */
	fxsave(buf);
}

/* fxrstor faults on reserved MXCSR bits: refuse an image that sets any
 * bit outside this CPU's mxcsr_mask (the architectural default when it
 * reports 0), as Linux's sigreturn does. */
int fpu_restore_user(const uint8_t *buf)
{
	uint32_t mask, mxcsr;

	memcpy(&mask, init_fpstate + FXSAVE_MXCSR_MASK, sizeof(mask));
	if (!mask)
		mask = MXCSR_DEFAULT_MASK;
	memcpy(&mxcsr, buf + FXSAVE_MXCSR, sizeof(mxcsr));
	if (mxcsr & ~mask)
		return -EINVAL;
	fxrstor(buf);
	return 0;
}

void fpu_reset_user(void)
{
	fxrstor(init_fpstate);
}

/* fork copies the parent's live FPU registers, so write them out first. */
void fpu_save_current(void)
{
	if (current->mm)
		fxsave(current->thread.fxsave);
}

/* After exec: the current task's fresh FPU image and TLS base go live now,
 * since no task switch will load them before it returns to user mode. */
void fpu_load_current(void)
{
	fxrstor(current->thread.fxsave);
	wrmsr(MSR_FS_BASE, current->thread.fsbase);
}
