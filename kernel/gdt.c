/* GDT and TSS setup. Selector values are fixed by SYSCALL/SYSRET (see
 * gdt.h), so the order of descriptors here is not free to change. */
#include "kernel/gdt.h"
#include "kernel/string.h"

#define NR_IST_STACKS 3
#define GDT_ENTRIES 8 /* null, kcode, kdata, unused, udata, ucode, tss(2) */
#define DESC_KERNEL_CODE 0x00af9a000000ffffull
#define DESC_KERNEL_DATA 0x00cf92000000ffffull
#define DESC_USER_DATA 0x00cff2000000ffffull
#define DESC_USER_CODE 0x00affa000000ffffull
#define TSS_TYPE_AVAILABLE 0x89ull

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
static struct tss64 tss __attribute__((aligned(16)));
static uint8_t ist_stacks[NR_IST_STACKS][IST_STACK_SIZE] __attribute__((aligned(16)));

static void set_tss_descriptor(uint64_t *slot, uint64_t base, uint32_t limit)
{
	slot[0] = (limit & 0xffffull) | ((base & 0xffffffull) << 16) | (TSS_TYPE_AVAILABLE << 40) |
		  ((uint64_t)(limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xffull) << 56);
	slot[1] = base >> 32;
}

void ist_stack_bounds(int ist, uint64_t *lo, uint64_t *hi)
{
	*lo = (uint64_t)ist_stacks[ist - 1];
	*hi = *lo + IST_STACK_SIZE;
}

void gdt_init(void)
{
	struct desc_ptr ptr = {sizeof(gdt) - 1, (uint64_t)gdt};

	gdt[__KERNEL_CS / 8] = DESC_KERNEL_CODE;
	gdt[__KERNEL_DS / 8] = DESC_KERNEL_DATA;
	gdt[__USER_DS / 8] = DESC_USER_DATA;
	gdt[__USER_CS / 8] = DESC_USER_CODE;
	memset(&tss, 0, sizeof(tss));
	for (int i = 0; i < NR_IST_STACKS; i++)
		tss.ist[i] = (uint64_t)ist_stacks[i] + IST_STACK_SIZE;
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: ring 3 gets no ports */
	set_tss_descriptor(&gdt[GDT_TSS_SEL / 8], (uint64_t)&tss, sizeof(tss) - 1);

	__asm__ volatile("lgdt %0" ::"m"(ptr));
	/* Reload CS with a far return, then the data segments and the TSS. */
	__asm__ volatile("pushq %0\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w1, %%ds\n\t"
			 "movw %w1, %%es\n\t"
			 "movw %w1, %%ss\n\t"
			 "ltr %w2" ::"i"(__KERNEL_CS),
			 "r"(__KERNEL_DS), "r"(GDT_TSS_SEL)
			 : "rax", "memory");
}

/* The stack the CPU switches to on an interrupt from user mode: the
 * running task's kernel stack top, updated at every task switch. */
void tss_set_rsp0(uint64_t sp)
{
	tss.rsp[0] = sp;
}
