/* IDT setup and the C side of every interrupt. A fault in kernel mode is
 * first offered to the exception table (get_kernel_nofault); anything else
 * is an oops, reported as Linux words it, and then a panic. */
#include "kernel/traps.h"
#include "kernel/gdt.h"
#include "kernel/i8259.h"
#include "kernel/kallsyms.h"
#include "kernel/nofault.h"
#include "kernel/paging.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/stacktrace.h"
#include "kernel/uaccess.h"
#include "kernel/x86.h"

#define IDT_ENTRIES 256
#define GATE_INTERRUPT 0x8e
#define PF_PROT (1ul << 0)
#define PF_WRITE (1ul << 1)
#define PF_USER (1ul << 2)
#define PF_RSVD (1ul << 3)
#define PF_INSTR (1ul << 4)
/* oomlab has no credentials: every task runs as root. */
#define CURRENT_UID 0

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

struct idt_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern const uint64_t isr_stub_table[];
static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(16)));
static irq_handler_t irq_handlers[NR_LEGACY_IRQS];
static int die_counter;

static const char *const exception_names[NR_EXCEPTION_VECTORS] = {
	"divide error",
	"debug",
	"NMI",
	"int3",
	"overflow",
	"bounds",
	"invalid opcode",
	"device not available",
	"double fault",
	"coprocessor segment overrun",
	"invalid TSS",
	"segment not present",
	"stack segment",
	"general protection fault",
	"page fault",
	"spurious interrupt bug",
	"coprocessor error",
	"alignment check",
	"machine check",
	"SIMD coprocessor error",
	"virtualization exception",
	"control protection fault",
	"reserved (22)",
	"reserved (23)",
	"reserved (24)",
	"reserved (25)",
	"reserved (26)",
	"reserved (27)",
	"hypervisor injection",
	"VMM communication",
	"security exception",
	"reserved (31)",
};

const char *exception_name(unsigned int vector)
{
	return vector < NR_EXCEPTION_VECTORS ? exception_names[vector] : "interrupt";
}

static void set_gate(unsigned int vector, uint64_t handler, uint8_t ist)
{
	struct idt_gate *g = &idt[vector];

	g->offset_low = handler & 0xffff;
	g->selector = __KERNEL_CS;
	g->ist = ist;
	g->type_attr = GATE_INTERRUPT;
	g->offset_mid = (handler >> 16) & 0xffff;
	g->offset_high = (uint32_t)(handler >> 32);
	g->reserved = 0;
}

void idt_init(void)
{
	struct idt_ptr ptr = {sizeof(idt) - 1, (uint64_t)idt};

	for (unsigned int v = 0; v < IRQ_BASE_VECTOR + NR_LEGACY_IRQS; v++)
		set_gate(v, isr_stub_table[v], 0);
	set_gate(X86_TRAP_DF, isr_stub_table[X86_TRAP_DF], IST_DOUBLE_FAULT);
	set_gate(X86_TRAP_NMI, isr_stub_table[X86_TRAP_NMI], IST_NMI);
	set_gate(X86_TRAP_MC, isr_stub_table[X86_TRAP_MC], IST_MACHINE_CHECK);
	__asm__ volatile("lidt %0" ::"m"(ptr));
}

void idt_load_empty(void)
{
	struct idt_ptr ptr = {0, 0};
	__asm__ volatile("lidt %0" ::"m"(ptr));
}

void request_irq(unsigned int irq, irq_handler_t handler)
{
	if (irq < NR_LEGACY_IRQS) {
		irq_handlers[irq] = handler;
		pic_unmask(irq);
	}
}

static void show_regs(struct pt_regs *regs)
{
	char sym[128];

	sprint_symbol(sym, sizeof(sym), regs->rip);
	pr_emerg("CPU: 0 PID: %d Comm: %s Not tainted", current ? current->pid : 0,
		 current ? current->comm : "swapper/0");
	pr_emerg("RIP: %04lx:%s", (unsigned long)regs->cs, sym);
	pr_emerg("RSP: %04lx:%016lx EFLAGS: %08lx", (unsigned long)regs->ss,
		 (unsigned long)regs->rsp, (unsigned long)regs->rflags);
	pr_emerg("RAX: %016lx RBX: %016lx RCX: %016lx", (unsigned long)regs->rax,
		 (unsigned long)regs->rbx, (unsigned long)regs->rcx);
	pr_emerg("RDX: %016lx RSI: %016lx RDI: %016lx", (unsigned long)regs->rdx,
		 (unsigned long)regs->rsi, (unsigned long)regs->rdi);
	pr_emerg("RBP: %016lx R08: %016lx R09: %016lx", (unsigned long)regs->rbp,
		 (unsigned long)regs->r8, (unsigned long)regs->r9);
	pr_emerg("R10: %016lx R11: %016lx R12: %016lx", (unsigned long)regs->r10,
		 (unsigned long)regs->r11, (unsigned long)regs->r12);
	pr_emerg("R13: %016lx R14: %016lx R15: %016lx", (unsigned long)regs->r13,
		 (unsigned long)regs->r14, (unsigned long)regs->r15);
	pr_emerg("CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx", (unsigned long)read_cr0(),
		 (unsigned long)read_cr2(), (unsigned long)read_cr3(), (unsigned long)read_cr4());
}

void die(const char *str, struct pt_regs *regs, uint64_t err)
{
	local_irq_disable();
	console_verbose();
	pr_emerg("%s: %04lx [#%d] PREEMPT", str, (unsigned long)err, ++die_counter);
	show_regs(regs);
	show_trace_regs(regs);
	pr_emerg("---[ end trace %016x ]---", 0);
	panic("Fatal exception");
}

static const char *pf_access(uint64_t err)
{
	if (err & PF_INSTR)
		return "instruction fetch";
	return (err & PF_WRITE) ? "write" : "read";
}

static const char *pf_reason(uint64_t err)
{
	if (err & PF_RSVD)
		return "reserved bit violation";
	return (err & PF_PROT) ? "permissions violation" : "not-present page";
}

int do_user_addr_fault(struct pt_regs *regs, unsigned long addr, uint64_t error_code);
void user_fault_signal(struct pt_regs *regs, unsigned long addr, uint64_t error_code, int ret);
void exit_to_user_mode(struct pt_regs *regs);

/* As Linux's do_user_addr_fault: with SMAP on, a supervisor access to user
 * memory outside stac/clac (EFLAGS.AC clear) is a kernel bug. Handling it
 * as a fault would find the page present, change nothing and retry
 * forever; it goes to the exception table or oopses instead. */
static bool smap_violation(const struct pt_regs *regs)
{
	return smap_enabled && !(regs->error_code & PF_USER) && !(regs->rflags & X86_EFLAGS_AC);
}

/* A kernel-mode fault on a user address is legitimate only from the user
 * copy routines (listed in the exception table) and never a SMAP/SMEP
 * violation: those are kernel bugs, and oops. */
static bool kernel_may_touch_user(const struct pt_regs *regs, uint64_t addr)
{
	return addr < TASK_SIZE_MAX && current && current->mm && !(regs->error_code & PF_INSTR) &&
	       !smap_violation(regs) && search_exception_table(regs->rip);
}

/* As Linux's show_fault_oops: say why the CPU would not fetch a kernel
 * instruction, in the words Linux uses. */
static void show_exec_fault(uint64_t addr)
{
	uint64_t pte = kernel_lookup_pte(addr);

	if (!(pte & _PAGE_PRESENT))
		return;
	if (pte & _PAGE_NX)
		pr_crit("kernel tried to execute NX-protected page - exploit attempt? (uid: %d)",
			CURRENT_UID);
	else if ((pte & _PAGE_USER) && (read_cr4() & X86_CR4_SMEP))
		pr_crit("unable to execute userspace code (SMEP?) (uid: %d)", CURRENT_UID);
}

extern const char exec_probe_return[], exec_probe_fixup[];

/* A fetch fault from probe_kernel_exec: the faulting rip is the target, so
 * the probe is known by the return address its call left on the stack.
 * Pop it and resume at the probe's fixup. */
static bool fixup_exec_probe(struct pt_regs *regs, uint64_t addr)
{
	uint64_t ret;

	if (regs->rip != addr || get_kernel_nofault_u64(&ret, (const void *)regs->rsp))
		return false;
	if (ret != (uint64_t)exec_probe_return)
		return false;
	regs->rsp += sizeof(ret);
	regs->rip = (uint64_t)exec_probe_fixup;
	return true;
}

static void do_page_fault(struct pt_regs *regs)
{
	uint64_t addr = read_cr2();
	int ret;

	if (user_mode(regs)) {
		local_irq_enable();
		ret = do_user_addr_fault(regs, addr, regs->error_code);
		if (ret)
			user_fault_signal(regs, addr, regs->error_code, ret);
		exit_to_user_mode(regs);
		return;
	}
	if (kernel_may_touch_user(regs, addr)) {
		if (regs->rflags & X86_EFLAGS_IF)
			local_irq_enable();
		ret = do_user_addr_fault(regs, addr, regs->error_code);
		local_irq_disable();
		if (!ret)
			return;
	}
	if (regs->error_code & PF_INSTR) {
		show_exec_fault(addr);
		if (fixup_exec_probe(regs, addr))
			return;
	}
	if (fixup_exception(regs))
		return;
	if (addr < PAGE_SIZE)
		pr_alert("BUG: kernel NULL pointer dereference, address: %016lx",
			 (unsigned long)addr);
	else
		pr_alert("BUG: unable to handle page fault for address: %016lx",
			 (unsigned long)addr);
	pr_alert("#PF: %s %s access in %s mode",
		 (regs->error_code & PF_USER) ? "user" : "supervisor", pf_access(regs->error_code),
		 user_mode(regs) ? "user" : "kernel");
	pr_alert("#PF: error_code(0x%04lx) - %s", (unsigned long)regs->error_code,
		 pf_reason(regs->error_code));
	die("Oops", regs, regs->error_code);
}

/* A double fault: most often the kernel stack ran into its guard page, and
 * the CPU could not push the page fault's frame. We are on the IST stack. */
static void do_double_fault(struct pt_regs *regs)
{
	uint64_t cr2 = read_cr2();
	uint64_t guard = (uint64_t)boot_stack_guard;

	pr_emerg("traps: PANIC: double fault, error_code: 0x%lx", (unsigned long)regs->error_code);
	if (current && current->stack && cr2 >= (uint64_t)current->stack - PAGE_SIZE &&
	    cr2 < (uint64_t)current->stack) {
		pr_emerg("BUG: stack guard page was hit at %016lx (stack is %016lx..%016lx)",
			 (unsigned long)cr2, (unsigned long)current->stack,
			 (unsigned long)current->stack + THREAD_SIZE - 1);
		die("kernel stack overflow (double-fault)", regs, regs->error_code);
	}
	if (cr2 >= guard && cr2 < guard + PAGE_SIZE) {
		pr_emerg("BUG: stack guard page was hit at %016lx (stack is %016lx..%016lx)",
			 (unsigned long)cr2, (unsigned long)boot_stack_bottom,
			 (unsigned long)boot_stack_top - 1);
		die("kernel stack overflow (double-fault)", regs, regs->error_code);
	}
	die("double fault", regs, regs->error_code);
}

/* A user program's own fault: it gets the signal Linux would send, and
 * the kernel carries on. */
static void user_exception(struct pt_regs *regs)
{
	int sig = SIGSEGV;

	if (regs->vector == X86_TRAP_DE || regs->vector == X86_TRAP_MF ||
	    regs->vector == X86_TRAP_XF)
		sig = SIGFPE;
	else if (regs->vector == X86_TRAP_UD)
		sig = SIGILL;
	else if (regs->vector == X86_TRAP_BP || regs->vector == X86_TRAP_DB)
		sig = SIGTRAP;
	pr_info("traps: %s[%d] trap %s ip:%lx sp:%lx error:%lx", current->comm, current->pid,
		exception_name((unsigned int)regs->vector), (unsigned long)regs->rip,
		(unsigned long)regs->rsp, (unsigned long)regs->error_code);
	force_sig(sig);
	exit_to_user_mode(regs);
}

static void do_exception(struct pt_regs *regs)
{
	switch (regs->vector) {
	case X86_TRAP_PF: do_page_fault(regs); return;
	case X86_TRAP_DF: do_double_fault(regs); return;
	case X86_TRAP_NMI: pr_emerg("Uhhuh. NMI received for unknown reason on CPU 0."); return;
	default:
		if (user_mode(regs)) {
			user_exception(regs);
			return;
		}
		if (fixup_exception(regs))
			return;
		if (regs->vector == X86_TRAP_GP)
			pr_alert("general protection fault, maybe for address %016lx",
				 (unsigned long)regs->rip);
		die(exception_name((unsigned int)regs->vector), regs, regs->error_code);
	}
}

static void do_irq(unsigned int irq)
{
	if (pic_is_spurious(irq))
		return;
	if (irq_handlers[irq])
		irq_handlers[irq]();
	pic_eoi(irq);
}

void preempt_schedule_irq(void);

/* As Linux's irqentry_exit: an interrupt that found the task preemptible
 * (count zero, interrupts were on) may switch it out on the way back. */
static void irq_exit_preempt(const struct pt_regs *regs)
{
	if (need_resched() && preempt_count() == 0 && (regs->rflags & X86_EFLAGS_IF))
		preempt_schedule_irq();
}

void do_interrupt(struct pt_regs *regs);
void do_interrupt(struct pt_regs *regs)
{
	if (regs->vector < NR_EXCEPTION_VECTORS) {
		do_exception(regs);
	} else if (regs->vector < IRQ_BASE_VECTOR + NR_LEGACY_IRQS) {
		preempt_count_add(HARDIRQ_OFFSET);
		do_irq((unsigned int)(regs->vector - IRQ_BASE_VECTOR));
		preempt_count_sub(HARDIRQ_OFFSET);
		if (user_mode(regs))
			exit_to_user_mode(regs);
		else
			irq_exit_preempt(regs);
	}
}
