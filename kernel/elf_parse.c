/* The ELF64 parser behind execve: pure logic, also built for the host tests
 * and the fuzz target. Read first: headers are copied out of the image with
 * memcpy (the file may be at any alignment), and every offset or address sum
 * is checked for overflow before it is compared, so no field, however large,
 * can make the parser read outside the image or wave a bad segment through. */
#include "kernel/elf.h"
#include "kernel/errno.h"
#include "kernel/string.h"

#ifndef HOST_TEST
#include "kernel/paging.h"
#include "kernel/uaccess.h"
_Static_assert(ELF_MIN_ALIGN == PAGE_SIZE, "ELF pages are the kernel's pages");
_Static_assert(ELF_TASK_SIZE_MAX == TASK_SIZE_MAX, "one user address limit");
#endif
/* Fields are copied straight into host-order structs. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "ELFDATA2LSB is read natively");

#define ELF_PF_MASK (PF_R | PF_W | PF_X)

static const char *const elf_error_names[ELF_NR_ERRORS] = {
	[ELF_OK] = "ok",
	[ELF_ERR_TRUNCATED] = "truncated",
	[ELF_ERR_MAGIC] = "magic",
	[ELF_ERR_CLASS] = "class",
	[ELF_ERR_DATA] = "data",
	[ELF_ERR_VERSION] = "version",
	[ELF_ERR_TYPE] = "type",
	[ELF_ERR_MACHINE] = "machine",
	[ELF_ERR_EHSIZE] = "ehsize",
	[ELF_ERR_PHENTSIZE] = "phentsize",
	[ELF_ERR_PHNUM] = "phnum",
	[ELF_ERR_PHDRS_PAST_EOF] = "phdrs-past-eof",
	[ELF_ERR_INTERP] = "interp",
	[ELF_ERR_TOO_MANY_LOADS] = "too-many-loads",
	[ELF_ERR_FILESZ_GT_MEMSZ] = "filesz-gt-memsz",
	[ELF_ERR_EMPTY_SEGMENT] = "empty-segment",
	[ELF_ERR_SEGMENT_PAST_EOF] = "segment-past-eof",
	[ELF_ERR_SEGMENT_LOW] = "segment-low",
	[ELF_ERR_SEGMENT_NOT_USER] = "segment-not-user",
	[ELF_ERR_SEGMENT_MISALIGNED] = "segment-misaligned",
	[ELF_ERR_SEGMENTS_OVERLAP] = "segments-overlap",
	[ELF_ERR_NO_LOAD] = "no-load",
	[ELF_ERR_ENTRY] = "entry",
};

const char *elf_error_name(enum elf_error err)
{
	if ((unsigned int)err >= ELF_NR_ERRORS)
		return "unknown";
	return elf_error_names[err];
}

static uint64_t page_down(uint64_t addr)
{
	return addr & ~(ELF_MIN_ALIGN - 1);
}

/* Only for addresses already known to be at most ELF_TASK_SIZE_MAX, which
 * is page-aligned, so this cannot wrap. */
static uint64_t page_up(uint64_t addr)
{
	return page_down(addr + ELF_MIN_ALIGN - 1);
}

/* Is [offset, offset + len) inside a file of size bytes? Written so that no
 * sum can wrap. */
static bool inside_file(uint64_t offset, uint64_t len, size_t size)
{
	return offset <= size && len <= size - offset;
}

static enum elf_error check_ident(const unsigned char *ident)
{
	if (memcmp(ident, ELFMAG, SELFMAG) != 0)
		return ELF_ERR_MAGIC;
	if (ident[EI_CLASS] != ELFCLASS64)
		return ELF_ERR_CLASS;
	if (ident[EI_DATA] != ELFDATA2LSB)
		return ELF_ERR_DATA;
	if (ident[EI_VERSION] != EV_CURRENT)
		return ELF_ERR_VERSION;
	/* EI_OSABI and the padding are not checked: Linux ignores them too,
	 * and static toolchains write either SYSV (0) or GNU (3). */
	return ELF_OK;
}

/* The header's own fields; the section headers are never used for
 * loading, so e_shoff and friends may hold anything (sstrip zeroes them). */
static enum elf_error check_ehdr(const Elf64_Ehdr *eh, size_t size)
{
	enum elf_error err = check_ident(eh->e_ident);

	if (err != ELF_OK)
		return err;
	if (eh->e_version != EV_CURRENT)
		return ELF_ERR_VERSION;
	if (eh->e_type != ET_EXEC)
		return ELF_ERR_TYPE;
	if (eh->e_machine != EM_X86_64)
		return ELF_ERR_MACHINE;
	if (eh->e_ehsize != sizeof(Elf64_Ehdr))
		return ELF_ERR_EHSIZE;
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return ELF_ERR_PHENTSIZE;
	/* PN_XNUM (0xffff) is far above the limit, so it lands here too. */
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHNUM)
		return ELF_ERR_PHNUM;
	if (!inside_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), size))
		return ELF_ERR_PHDRS_PAST_EOF;
	return ELF_OK;
}

static void read_phdr(const unsigned char *image, const Elf64_Ehdr *eh, unsigned int i,
		      Elf64_Phdr *ph)
{
	memcpy(ph, image + eh->e_phoff + (uint64_t)i * sizeof(Elf64_Phdr), sizeof(*ph));
}

/* One PT_LOAD, in file order. The ELF spec requires PT_LOADs sorted by
 * p_vaddr; asking, too, that each starts on a page above the previous one's
 * last gives the mm side page-exact VMAs that never need merging. */
static enum elf_error add_load(struct elf_image_info *info, const Elf64_Phdr *ph, size_t size)
{
	struct elf_segment *seg;

	if (info->nr_segments == ELF_MAX_LOAD_SEGMENTS)
		return ELF_ERR_TOO_MANY_LOADS;
	if (ph->p_filesz > ph->p_memsz)
		return ELF_ERR_FILESZ_GT_MEMSZ;
	if (ph->p_memsz == 0)
		return ELF_ERR_EMPTY_SEGMENT;
	if (!inside_file(ph->p_offset, ph->p_filesz, size))
		return ELF_ERR_SEGMENT_PAST_EOF;
	/* The file pages are mapped whole: the offset in the page must agree. */
	if ((ph->p_vaddr ^ ph->p_offset) & (ELF_MIN_ALIGN - 1))
		return ELF_ERR_SEGMENT_MISALIGNED;
	if (ph->p_vaddr >= ELF_TASK_SIZE_MAX || ph->p_memsz > ELF_TASK_SIZE_MAX - ph->p_vaddr)
		return ELF_ERR_SEGMENT_NOT_USER;
	if (page_down(ph->p_vaddr) < ELF_MIN_VADDR)
		return ELF_ERR_SEGMENT_LOW;
	if (info->nr_segments > 0) {
		const struct elf_segment *prev = &info->segments[info->nr_segments - 1];

		if (page_down(ph->p_vaddr) < page_up(prev->vaddr + prev->memsz))
			return ELF_ERR_SEGMENTS_OVERLAP;
	}
	seg = &info->segments[info->nr_segments++];
	seg->vaddr = ph->p_vaddr;
	seg->memsz = ph->p_memsz;
	seg->offset = ph->p_offset;
	seg->filesz = ph->p_filesz;
	seg->flags = ph->p_flags & ELF_PF_MASK;
	if ((seg->flags & (PF_W | PF_X)) == (PF_W | PF_X))
		info->wx_segment = true;
	return ELF_OK;
}

/* Only the file bytes count: an entry in the zero-filled tail of a segment
 * could only ever execute zeros. */
static bool entry_in_text(const struct elf_image_info *info)
{
	for (unsigned int i = 0; i < info->nr_segments; i++) {
		const struct elf_segment *seg = &info->segments[i];

		if ((seg->flags & PF_X) && info->entry >= seg->vaddr &&
		    info->entry - seg->vaddr < seg->filesz)
			return true;
	}
	return false;
}

/* AT_PHDR: where the whole table is mapped from the file, as Linux finds it
 * (the segment whose file bytes hold e_phoff), else 0. */
static uint64_t find_phdr_addr(const struct elf_image_info *info, const Elf64_Ehdr *eh)
{
	uint64_t table_bytes = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);

	for (unsigned int i = 0; i < info->nr_segments; i++) {
		const struct elf_segment *seg = &info->segments[i];

		if (eh->e_phoff >= seg->offset && table_bytes <= seg->filesz &&
		    eh->e_phoff - seg->offset <= seg->filesz - table_bytes)
			return seg->vaddr + (eh->e_phoff - seg->offset);
	}
	return 0;
}

static enum elf_error parse_phdrs(const unsigned char *image, size_t size, const Elf64_Ehdr *eh,
				  struct elf_image_info *info)
{
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		enum elf_error err = ELF_OK;
		Elf64_Phdr ph;

		read_phdr(image, eh, i, &ph);
		switch (ph.p_type) {
		case PT_LOAD: err = add_load(info, &ph, size); break;
		case PT_INTERP: return ELF_ERR_INTERP;
		case PT_GNU_STACK:
			/* Several: the last wins, as in Linux. */
			info->has_stack_flags = true;
			info->stack_flags = ph.p_flags & ELF_PF_MASK;
			break;
		default:
			/* PT_NOTE, PT_TLS, PT_PHDR, PT_DYNAMIC...: nothing for
			 * the kernel to map or check (user space reads them). */
			break;
		}
		if (err != ELF_OK)
			return err;
	}
	return info->nr_segments ? ELF_OK : ELF_ERR_NO_LOAD;
}

static enum elf_error parse(const unsigned char *image, size_t size, struct elf_image_info *info)
{
	const struct elf_segment *last;
	enum elf_error err;
	Elf64_Ehdr eh;

	if (size < sizeof(eh))
		return ELF_ERR_TRUNCATED;
	memcpy(&eh, image, sizeof(eh));
	err = check_ehdr(&eh, size);
	if (err == ELF_OK)
		err = parse_phdrs(image, size, &eh, info);
	if (err != ELF_OK)
		return err;
	info->entry = eh.e_entry;
	if (!entry_in_text(info))
		return ELF_ERR_ENTRY;
	/* Sorted and disjoint, so the last segment ends highest. */
	last = &info->segments[info->nr_segments - 1];
	info->end = last->vaddr + last->memsz;
	info->brk_start = page_up(info->end);
	info->phdr_addr = find_phdr_addr(info, &eh);
	info->phnum = eh.e_phnum;
	return ELF_OK;
}

int elf_parse(const void *image, size_t size, struct elf_image_info *out)
{
	enum elf_error err;

	memset(out, 0, sizeof(*out));
	err = parse(image, size, out);
	if (err == ELF_OK)
		return 0;
	/* A refused file leaves nothing that looks loadable behind. */
	memset(out, 0, sizeof(*out));
	out->error = err;
	return -ENOEXEC;
}
