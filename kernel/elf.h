/* ELF64 for x86_64 (Linux's include/uapi/linux/elf.h names) and the
 * parser that execve runs before mapping anything. Read first: only static,
 * non-PIE executables (ET_EXEC, no PT_INTERP) are accepted; elf_parse trusts
 * nothing in the file and, when it returns 0, every fact in the info holds. */
#ifndef OOMLAB_KERNEL_ELF_H
#define OOMLAB_KERNEL_ELF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t Elf64_Addr;
typedef uint16_t Elf64_Half;
typedef uint64_t Elf64_Off;
typedef uint32_t Elf64_Word;
typedef uint64_t Elf64_Xword;

#define EI_NIDENT 16
#define EI_MAG0 0
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFMAG "\177ELF"
#define SELFMAG 4
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ELFDATA2MSB 2
#define EV_CURRENT 1

#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62

#define PT_NULL 0
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_PHDR 6
#define PT_TLS 7
#define PT_GNU_STACK 0x6474e551u

/* p_flags: note the order is the reverse of PROT_READ/WRITE/EXEC. */
#define PF_X 0x1u
#define PF_W 0x2u
#define PF_R 0x4u

/* e_phnum's escape value: the real count would be in section header 0. */
#define PN_XNUM 0xffff

typedef struct elf64_hdr {
	unsigned char e_ident[EI_NIDENT];
	Elf64_Half e_type;
	Elf64_Half e_machine;
	Elf64_Word e_version;
	Elf64_Addr e_entry;
	Elf64_Off e_phoff;
	Elf64_Off e_shoff;
	Elf64_Word e_flags;
	Elf64_Half e_ehsize;
	Elf64_Half e_phentsize;
	Elf64_Half e_phnum;
	Elf64_Half e_shentsize;
	Elf64_Half e_shnum;
	Elf64_Half e_shstrndx;
} Elf64_Ehdr;

typedef struct elf64_phdr {
	Elf64_Word p_type;
	Elf64_Word p_flags;
	Elf64_Off p_offset;
	Elf64_Addr p_vaddr;
	Elf64_Addr p_paddr;
	Elf64_Xword p_filesz;
	Elf64_Xword p_memsz;
	Elf64_Xword p_align;
} Elf64_Phdr;

#define elfhdr elf64_hdr
#define elf_phdr elf64_phdr

/* ELF's page size on x86_64 (Linux's ELF_MIN_ALIGN); the kernel build
 * checks it equals PAGE_SIZE. */
#define ELF_MIN_ALIGN 4096ul
/* The first non-canonical address: the kernel half starts above the hole. */
#define USER_ADDR_MAX 0x0000800000000000ul
/* Segments must end at or below this, Linux's TASK_SIZE_MAX (the kernel
 * build checks it equals kernel/uaccess.h's): the page just below the hole
 * stays unmapped, so a SYSCALL in it cannot make SYSRET return to a
 * non-canonical address, which faults in ring 0 on Intel. */
#define ELF_TASK_SIZE_MAX (USER_ADDR_MAX - ELF_MIN_ALIGN)
/* Lowest page a segment may touch: Linux's default vm.mmap_min_addr, so a
 * NULL dereference in user space always faults. */
#define ELF_MIN_VADDR 65536ul
/* The program header table must fit in one page, as Linux requires, so the
 * loader can read it from one page of the file: 73 entries. */
#define ELF_MAX_PHNUM (ELF_MIN_ALIGN / sizeof(Elf64_Phdr))
/* A static executable has two to four PT_LOADs; more is refused. */
#define ELF_MAX_LOAD_SEGMENTS 16

/* Why elf_parse refused a file: every value is one rule, named for the
 * kernel log and the tests (elf_error_name). */
enum elf_error {
	ELF_OK,
	ELF_ERR_TRUNCATED,	    /* smaller than an ELF header */
	ELF_ERR_MAGIC,		    /* not \177ELF */
	ELF_ERR_CLASS,		    /* not ELFCLASS64 */
	ELF_ERR_DATA,		    /* not little-endian */
	ELF_ERR_VERSION,	    /* EI_VERSION or e_version not EV_CURRENT */
	ELF_ERR_TYPE,		    /* not ET_EXEC (ET_DYN/PIE not supported yet) */
	ELF_ERR_MACHINE,	    /* not EM_X86_64 */
	ELF_ERR_EHSIZE,		    /* e_ehsize not sizeof(Elf64_Ehdr) */
	ELF_ERR_PHENTSIZE,	    /* e_phentsize not sizeof(Elf64_Phdr) */
	ELF_ERR_PHNUM,		    /* e_phnum 0 or above ELF_MAX_PHNUM */
	ELF_ERR_PHDRS_PAST_EOF,	    /* program headers not inside the file */
	ELF_ERR_INTERP,		    /* PT_INTERP: needs a dynamic linker */
	ELF_ERR_TOO_MANY_LOADS,	    /* more than ELF_MAX_LOAD_SEGMENTS */
	ELF_ERR_FILESZ_GT_MEMSZ,    /* p_filesz > p_memsz */
	ELF_ERR_EMPTY_SEGMENT,	    /* p_memsz 0: maps nothing */
	ELF_ERR_SEGMENT_PAST_EOF,   /* p_offset + p_filesz past the file */
	ELF_ERR_SEGMENT_LOW,	    /* below ELF_MIN_VADDR */
	ELF_ERR_SEGMENT_NOT_USER,   /* ends above ELF_TASK_SIZE_MAX or wraps */
	ELF_ERR_SEGMENT_MISALIGNED, /* p_vaddr != p_offset modulo the page */
	ELF_ERR_SEGMENTS_OVERLAP,   /* shares a page with, or is below, the previous */
	ELF_ERR_NO_LOAD,	    /* no PT_LOAD at all */
	ELF_ERR_ENTRY,		    /* e_entry not in an executable segment's file bytes */
	ELF_NR_ERRORS
};

/* One PT_LOAD: map [vaddr, vaddr + filesz) from the file at offset, then
 * zeros up to vaddr + memsz. vaddr and offset share their page offset. */
struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	uint32_t flags; /* PF_R | PF_W | PF_X only; other bits dropped */
};

/* What to map, as proven by elf_parse. Segments are in address order, none
 * shares a page with another, all lie in [ELF_MIN_VADDR, ELF_TASK_SIZE_MAX)
 * and take their file bytes from inside the file. */
struct elf_image_info {
	uint64_t entry; /* inside the file bytes of a PF_X segment */
	unsigned int nr_segments;
	struct elf_segment segments[ELF_MAX_LOAD_SEGMENTS];
	uint64_t end;	    /* highest vaddr + memsz: Linux's elf_brk */
	uint64_t brk_start; /* end rounded up to a page: where the heap begins */
	/* For the auxiliary vector: AT_PHDR (0 when no segment maps the
	 * table, as Linux), AT_PHENT is sizeof(Elf64_Phdr), AT_PHNUM. */
	uint64_t phdr_addr;
	unsigned int phnum;
	/* PT_GNU_STACK, if present: its p_flags (PF_X asks for an executable
	 * stack). Without one the loader picks; a non-executable stack is
	 * Linux's x86_64 default. */
	bool has_stack_flags;
	uint32_t stack_flags;
	bool wx_segment;      /* some segment is both PF_W and PF_X: allowed, as in Linux */
	enum elf_error error; /* ELF_OK, or the rule a refused file broke */
};

/* Validate a whole executable file image and describe what to map. Returns
 * 0, or -ENOEXEC with *out zeroed except out->error. The image need not be
 * aligned; nothing outside [image, image + size) is read. */
int elf_parse(const void *image, size_t size, struct elf_image_info *out);

/* A short, stable name for a rule ("segment-past-eof"): for the kernel log
 * and for matching tools/mkbadelf.py's files. */
const char *elf_error_name(enum elf_error err);
#endif
