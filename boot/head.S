/* boot/head.S: the 32-bit entry points (multiboot2 from GRUB, PVH from
 * qemu -kernel), early page tables and the jump to the 64-bit higher half.
 * Everything here runs at its physical address with paging off; the boot
 * loader's registers (magic, info pointer) are kept in %esi/%ebp throughout. */
#define KERNEL_VMA 0xffffffff80000000
#define MB2_MAGIC 0xe85250d6
#define PVH_MAGIC 0x336ec578
#define COM1 0x3f8
#define PTE_PRESENT_RW 0x3
#define PDE_LARGE_PRESENT_RW 0x83
#define CR4_PAE (1 << 5)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define CR0_PG_PE 0x80000001

	.section .multiboot2, "a"
	.align 8
mb2_header:
	.long MB2_MAGIC
	.long 0				/* architecture: i386 protected mode */
	.long mb2_header_end - mb2_header
	.long 0x100000000 - (MB2_MAGIC + (mb2_header_end - mb2_header))
	.align 8
	.short 0, 0			/* end tag */
	.long 8
mb2_header_end:

	/* PVH: XEN_ELFNOTE_PHYS32_ENTRY (type 18), read by qemu -kernel */
	.section .note.Xen, "a"
	.align 4
	.long 4				/* namesz */
	.long 4				/* descsz */
	.long 18			/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.long pvh_start

	.section .boot.text, "ax"
	.code32
	.global _start
_start:					/* multiboot2: EAX magic, EBX info */
	cli
	cld
	mov %eax, %esi
	mov %ebx, %ebp
	jmp common32

	.global pvh_start
pvh_start:				/* PVH: EBX hvm_start_info */
	cli
	cld
	mov $PVH_MAGIC, %esi
	mov %ebx, %ebp

common32:
	/* Long mode is the one thing we cannot do without: say so on COM1. */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb no_long_mode
	mov $0x80000001, %eax
	cpuid
	test $(1 << 29), %edx
	jz no_long_mode
	mov %edx, %ebx			/* remember NX support (bit 20) */

	/* Zero .bss before anything lives there. */
	mov $(__bss_start - KERNEL_VMA), %edi
	mov $(__bss_stop - KERNEL_VMA), %ecx
	sub %edi, %ecx
	shr $2, %ecx
	xor %eax, %eax
	rep stosl

	/* One page directory of 2 MiB pages maps the first GiB twice:
	 * identity (for this code) and at KERNEL_VMA (for the kernel). */
	mov $boot_pd, %edi
	mov $PDE_LARGE_PRESENT_RW, %eax
	mov $512, %ecx
1:	mov %eax, (%edi)
	movl $0, 4(%edi)
	add $0x200000, %eax
	add $8, %edi
	loop 1b
	movl $(boot_pdpt_low + PTE_PRESENT_RW), boot_pml4
	movl $(boot_pdpt_high + PTE_PRESENT_RW), boot_pml4 + 511 * 8
	movl $(boot_pd + PTE_PRESENT_RW), boot_pdpt_low
	movl $(boot_pd + PTE_PRESENT_RW), boot_pdpt_high + 510 * 8

	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	test $(1 << 20), %ebx
	jz 2f
	or $EFER_NXE, %eax
2:	wrmsr
	mov %cr0, %eax
	or $CR0_PG_PE, %eax
	mov %eax, %cr0
	lgdt boot_gdt_ptr
	ljmp $0x08, $start64

no_long_mode:
	mov $no_lm_msg, %ebx
3:	movb (%ebx), %al
	test %al, %al
	jz 5f
	mov $(COM1 + 5), %dx
4:	inb %dx, %al
	test $0x20, %al
	jz 4b
	movb (%ebx), %al
	mov $COM1, %dx
	outb %al, %dx
	inc %ebx
	jmp 3b
5:	hlt
	jmp 5b

	.code64
start64:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs
	movabs $higher_half, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.align 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit kernel code */
	.quad 0x00cf92000000ffff	/* 0x10: kernel data */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long boot_gdt
no_lm_msg:
	.asciz "oomlab: this CPU has no 64-bit long mode; cannot boot.\r\n"

	.align 4096
	.global boot_pml4
boot_pml4:	.fill 512, 8, 0
boot_pdpt_low:	.fill 512, 8, 0
boot_pdpt_high:	.fill 512, 8, 0
boot_pd:	.fill 512, 8, 0

	/* The kernel proper starts here, in the higher half. */
	.section .text.entry, "ax"
higher_half:
	movabs $boot_stack_top, %rsp
	mov %esi, %edi			/* kmain(magic, info_phys) */
	mov %ebp, %esi
	xor %ebp, %ebp			/* ends the frame-pointer chain */
	call kmain
6:	cli
	hlt
	jmp 6b

	/* The boot stack, with a guard page below it that paging_init unmaps. */
	.section .bss.boot_stack, "aw", @nobits
	.align 4096
	.global boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:
	.skip 4096
boot_stack_bottom:
	.skip 16384
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
