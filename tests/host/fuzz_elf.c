/* libFuzzer target for kernel/elf_parse.c: every input is either refused,
 * leaving nothing loadable behind, or accepted with an info whose every
 * promise holds, re-checked here against the raw bytes independently.
 * Read first: random bytes rarely get past the magic, so an input whose
 * first byte is odd is instead a list of patches (field-sized writes of
 * chosen or boundary values, and a truncation) applied to a valid template
 * executable; that reaches the segment rules within seconds. The image is
 * always an exactly-sized heap copy, so ASan sees any read past its end. */
#include "kernel/elf.h"
#include "kernel/errno.h"
#include "tests/host/fuzz_main.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>

/* The template: headers, text, data+bss in one compact file, laid out as
 * lld does (segments share file pages, never virtual ones). Past e_phnum
 * wait spare valid PT_LOADs, so raising e_phnum adds segments, up to more
 * than ELF_MAX_LOAD_SEGMENTS. */
#define T_PHNUM 6
#define T_PH_SLOTS (T_PHNUM + ELF_MAX_LOAD_SEGMENTS)
#define T_SPARE_PAGE 8 /* above the data and its bss */
#define T_SPARE_SIZE 0x40ul
#define T_TEXT_OFFSET 0x600ul
#define T_TEXT_SIZE 0x80ul
#define T_DATA_OFFSET 0x700ul
#define T_DATA_FILESZ 0x40ul
#define T_DATA_MEMSZ 0x2000ul
#define T_SIZE 0x800ul
/* A size patch may zero-extend the file this far: room for a table of
 * more than ELF_MAX_PHNUM entries that still lies inside the file. */
#define T_MAX_SIZE (2 * ELF_MIN_ALIGN)
#define T_BASE 0x400000ul
#define T_VADDR(offset, page) (T_BASE + ELF_MIN_ALIGN * (page) + (offset))
_Static_assert(sizeof(Elf64_Ehdr) + T_PH_SLOTS * sizeof(Elf64_Phdr) <= T_TEXT_OFFSET,
	       "the program header slots fit below the text");

#define PATCH_SETS_SIZE 0x80u /* op flag: this record sets the image size */
#define PATCH_IN_EHDR 0x8000u /* offset flag: aim at the ELF header's 64 bytes */
#define PATCH_WIDTH_MASK 0x03u
#define PATCH_SOURCE_SHIFT 2
#define PATCH_SOURCE_MASK 0x1fu

static char *const short_pass_args[] = {
	"-runs=5000000",
	"-max_total_time=6",
	"-seed=1",
	"-max_len=4096",
	"-print_final_stats=1",
	"-artifact_prefix=" FUZZ_ARTIFACTS_DIR "elf-",
	NULL,
};

/* Values that sit on a rule's edge; patched in with a small signed delta. */
static const uint64_t boundary[] = {
	0,
	1,
	ELF_MIN_ALIGN - 1,
	ELF_MIN_ALIGN,
	ELF_MIN_VADDR,
	ELF_TASK_SIZE_MAX,
	USER_ADDR_MAX,
	0xffffffff80000000ul,
	~0ul,
	T_SIZE,
	T_BASE,
	T_VADDR(T_TEXT_OFFSET, 1),
	T_VADDR(T_DATA_OFFSET, 2),
	sizeof(Elf64_Ehdr),
	sizeof(Elf64_Phdr),
	ELF_MAX_PHNUM,
	T_PH_SLOTS,
	PT_LOAD,
	PT_INTERP,
	PT_GNU_STACK,
	PF_R | PF_W | PF_X,
	ET_DYN,
	ELFCLASS32,
};

__attribute__((noreturn, format(printf, 1, 2))) static void broken(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_elf: invariant broken: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

/* ---- building the image ---- */

static void put_phdr(unsigned char *t, unsigned int i, uint32_t type, uint32_t flags,
		     uint64_t offset, uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
	Elf64_Phdr ph = {type, flags, offset, vaddr, vaddr, filesz, memsz, ELF_MIN_ALIGN};

	memcpy(t + sizeof(Elf64_Ehdr) + i * sizeof(ph), &ph, sizeof(ph));
}

static void make_template(unsigned char *t)
{
	const uint64_t hdr_bytes = sizeof(Elf64_Ehdr) + T_PHNUM * sizeof(Elf64_Phdr);
	Elf64_Ehdr eh = {
		.e_ident = {0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, EV_CURRENT},
		.e_type = ET_EXEC,
		.e_machine = EM_X86_64,
		.e_version = EV_CURRENT,
		.e_entry = T_VADDR(T_TEXT_OFFSET, 1),
		.e_phoff = sizeof(Elf64_Ehdr),
		.e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr),
		.e_phnum = T_PHNUM,
	};

	memset(t, 0, T_MAX_SIZE);
	memcpy(t, &eh, sizeof(eh));
	put_phdr(t, 0, PT_PHDR, PF_R, eh.e_phoff, T_BASE + eh.e_phoff, hdr_bytes - eh.e_phoff,
		 hdr_bytes - eh.e_phoff);
	put_phdr(t, 1, PT_LOAD, PF_R, 0, T_BASE, hdr_bytes, hdr_bytes);
	put_phdr(t, 2, PT_LOAD, PF_R | PF_X, T_TEXT_OFFSET, T_VADDR(T_TEXT_OFFSET, 1), T_TEXT_SIZE,
		 T_TEXT_SIZE);
	put_phdr(t, 3, PT_LOAD, PF_R | PF_W, T_DATA_OFFSET, T_VADDR(T_DATA_OFFSET, 2),
		 T_DATA_FILESZ, T_DATA_MEMSZ);
	put_phdr(t, 4, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
	put_phdr(t, 5, PT_NOTE, PF_R, 0, 0, 0, 0);
	for (unsigned int i = T_PHNUM; i < T_PH_SLOTS; i++)
		put_phdr(t, i, PT_LOAD, PF_R, 0, T_BASE + (T_SPARE_PAGE + i) * ELF_MIN_ALIGN,
			 T_SPARE_SIZE, T_SPARE_SIZE);
	memset(t + T_TEXT_OFFSET, 0xcc, T_TEXT_SIZE);
}

struct input {
	const uint8_t *data;
	size_t len, pos;
};

static uint8_t next_byte(struct input *in)
{
	return in->pos < in->len ? in->data[in->pos++] : 0;
}

static unsigned int next_u16(struct input *in)
{
	return next_byte(in) | (unsigned int)next_byte(in) << 8;
}

static uint64_t patch_value(struct input *in, unsigned int source, unsigned int width)
{
	uint64_t value = 0;

	if (source == 0) {
		for (unsigned int i = 0; i < width; i++)
			value |= (uint64_t)next_byte(in) << (8 * i);
		return value;
	}
	value = boundary[(source - 1) % (sizeof(boundary) / sizeof(boundary[0]))];
	return value + (uint64_t)(int64_t)(int8_t)next_byte(in);
}

/* Each record: op byte, u16 offset, then the value's bytes. Patches land
 * in the template's T_SIZE bytes, or its ELF header when the offset's top
 * bit is set (the header's fields would otherwise be rare targets). op bit
 * 7 set: the u16 is the image size instead, cutting the file or
 * zero-extending it up to T_MAX_SIZE. */
static size_t apply_patches(unsigned char *t, struct input *in)
{
	size_t size = T_SIZE;

	while (in->pos < in->len) {
		unsigned int op = next_byte(in), where = next_u16(in);
		unsigned int width = 1u << (op & PATCH_WIDTH_MASK);
		uint64_t value;

		if (op & PATCH_SETS_SIZE) {
			size = where % (T_MAX_SIZE + 1);
			continue;
		}
		value = patch_value(in, (op >> PATCH_SOURCE_SHIFT) & PATCH_SOURCE_MASK, width);
		if (where & PATCH_IN_EHDR)
			where %= sizeof(Elf64_Ehdr) - width + 1;
		else
			where %= T_SIZE - width + 1;
		memcpy(t + where, &value, width); /* little-endian host: low bytes */
	}
	return size;
}

/* ---- the invariants ---- */

static uint64_t page_down(uint64_t a)
{
	return a & ~(ELF_MIN_ALIGN - 1);
}

static void check_refused(const struct elf_image_info *info)
{
	struct elf_image_info rest = *info;
	static const struct elf_image_info zero;

	if (info->error == ELF_OK || info->error >= ELF_NR_ERRORS)
		broken("refused with error %d", (int)info->error);
	rest.error = ELF_OK;
	if (memcmp(&rest, &zero, sizeof(zero)))
		broken("refused (%s) but the info is not zeroed", elf_error_name(info->error));
}

static void check_segment(const struct elf_segment *seg, size_t size, unsigned int i)
{
	if (seg->memsz == 0 || seg->filesz > seg->memsz)
		broken("segment %u: filesz 0x%lx memsz 0x%lx", i, seg->filesz, seg->memsz);
	if (seg->offset > size || seg->filesz > size - seg->offset)
		broken("segment %u: file bytes 0x%lx+0x%lx outside a %zu-byte file", i, seg->offset,
		       seg->filesz, size);
	if (page_down(seg->vaddr) < ELF_MIN_VADDR || seg->vaddr >= ELF_TASK_SIZE_MAX ||
	    seg->memsz > ELF_TASK_SIZE_MAX - seg->vaddr)
		broken("segment %u: [0x%lx, +0x%lx) not in user space", i, seg->vaddr, seg->memsz);
	if ((seg->vaddr - seg->offset) % ELF_MIN_ALIGN)
		broken("segment %u: vaddr 0x%lx, offset 0x%lx", i, seg->vaddr, seg->offset);
	if (seg->flags & ~(PF_R | PF_W | PF_X))
		broken("segment %u: flags 0x%x", i, seg->flags);
}

/* The ELF header of an accepted file, read here afresh. */
static void check_accepted_ehdr(const Elf64_Ehdr *eh, size_t size,
				const struct elf_image_info *info)
{
	const unsigned char *id = eh->e_ident;

	if (memcmp(id, ELFMAG, SELFMAG) || id[EI_CLASS] != ELFCLASS64 ||
	    id[EI_DATA] != ELFDATA2LSB || id[EI_VERSION] != EV_CURRENT)
		broken("accepted e_ident %02x %02x %02x %02x class %u data %u version %u", id[0],
		       id[1], id[2], id[3], id[EI_CLASS], id[EI_DATA], id[EI_VERSION]);
	if (eh->e_version != EV_CURRENT || eh->e_type != ET_EXEC || eh->e_machine != EM_X86_64 ||
	    eh->e_ehsize != sizeof(Elf64_Ehdr) || eh->e_phentsize != sizeof(Elf64_Phdr))
		broken("accepted version %u type %u machine %u ehsize %u phentsize %u",
		       eh->e_version, eh->e_type, eh->e_machine, eh->e_ehsize, eh->e_phentsize);
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHNUM || eh->e_phnum != info->phnum ||
	    eh->e_phoff > size || eh->e_phnum * sizeof(Elf64_Phdr) > size - eh->e_phoff)
		broken("accepted %u program headers at 0x%lx in a %zu-byte file (info says %u)",
		       eh->e_phnum, eh->e_phoff, size, info->phnum);
	if (eh->e_entry != info->entry)
		broken("entry 0x%lx, e_entry 0x%lx", info->entry, eh->e_entry);
}

/* The accepted info against the raw header bytes, read here afresh. */
static void check_against_file(const unsigned char *image, size_t size,
			       const struct elf_image_info *info)
{
	unsigned int loads = 0;
	Elf64_Ehdr eh;

	memcpy(&eh, image, sizeof(eh));
	check_accepted_ehdr(&eh, size, info);
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, image + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_INTERP)
			broken("accepted a PT_INTERP");
		if (ph.p_type != PT_LOAD)
			continue;
		if (loads >= info->nr_segments)
			broken("more PT_LOADs than segments");
		if (ph.p_vaddr != info->segments[loads].vaddr ||
		    ph.p_memsz != info->segments[loads].memsz ||
		    ph.p_offset != info->segments[loads].offset ||
		    ph.p_filesz != info->segments[loads].filesz)
			broken("segment %u differs from its PT_LOAD", loads);
		loads++;
	}
	if (loads != info->nr_segments)
		broken("%u PT_LOADs, %u segments", loads, info->nr_segments);
}

static void check_phdr_addr(const unsigned char *image, const struct elf_image_info *info)
{
	uint64_t bytes = (uint64_t)info->phnum * sizeof(Elf64_Phdr);
	Elf64_Ehdr eh;

	if (!info->phdr_addr)
		return;
	memcpy(&eh, image, sizeof(eh));
	for (unsigned int i = 0; i < info->nr_segments; i++) {
		const struct elf_segment *seg = &info->segments[i];

		if (info->phdr_addr >= seg->vaddr && bytes <= seg->filesz &&
		    info->phdr_addr - seg->vaddr <= seg->filesz - bytes &&
		    !memcmp(image + seg->offset + (info->phdr_addr - seg->vaddr),
			    image + eh.e_phoff, bytes))
			return;
	}
	broken("AT_PHDR 0x%lx does not map the program headers", info->phdr_addr);
}

static void check_accepted(const unsigned char *image, size_t size,
			   const struct elf_image_info *info)
{
	bool entry_ok = false, wx = false;
	const struct elf_segment *last;

	if (info->error != ELF_OK || info->nr_segments == 0 ||
	    info->nr_segments > ELF_MAX_LOAD_SEGMENTS)
		broken("accepted with error %d and %u segments", (int)info->error,
		       info->nr_segments);
	for (unsigned int i = 0; i < info->nr_segments; i++) {
		const struct elf_segment *seg = &info->segments[i];

		check_segment(seg, size, i);
		if (i > 0) {
			const struct elf_segment *prev = seg - 1;
			uint64_t prev_end = prev->vaddr + prev->memsz;

			if (page_down(seg->vaddr) < page_down(prev_end + ELF_MIN_ALIGN - 1))
				broken("segments %u and %u share a page or are out of order", i - 1,
				       i);
		}
		if ((seg->flags & PF_X) && info->entry >= seg->vaddr &&
		    info->entry - seg->vaddr < seg->filesz)
			entry_ok = true;
		wx |= (seg->flags & (PF_W | PF_X)) == (PF_W | PF_X);
	}
	if (!entry_ok)
		broken("entry 0x%lx is not in an executable segment's file bytes", info->entry);
	if (wx != info->wx_segment)
		broken("wx_segment %d, segments say %d", info->wx_segment, wx);
	last = &info->segments[info->nr_segments - 1];
	if (info->end != last->vaddr + last->memsz ||
	    info->brk_start != page_down(info->end + ELF_MIN_ALIGN - 1))
		broken("end 0x%lx brk 0x%lx", info->end, info->brk_start);
	if (info->stack_flags & ~(PF_R | PF_W | PF_X) ||
	    (!info->has_stack_flags && info->stack_flags))
		broken("stack flags 0x%x", info->stack_flags);
	check_against_file(image, size, info);
	check_phdr_addr(image, info);
}

/* ---- the target ---- */

/* How often each outcome was seen, printed at exit to the log: a rule
 * never reached is a hole in the fuzzing, not a pass. */
static unsigned long outcomes[ELF_NR_ERRORS];

static void print_outcomes(void)
{
	fprintf(stderr, "fuzz_elf: outcomes:");
	for (int i = 0; i < ELF_NR_ERRORS; i++)
		fprintf(stderr, " %s=%lu", elf_error_name(i), outcomes[i]);
	fprintf(stderr, "\n");
}

static void parse_and_check(const unsigned char *bytes, size_t size)
{
	unsigned char *image = malloc(size ? size : 1);
	struct elf_image_info info, again;
	int ret;

	if (!image)
		abort();
	memcpy(image, bytes, size);
	memset(&info, 0x5a, sizeof(info));
	ret = elf_parse(image, size, &info);
	if (ret == 0)
		check_accepted(image, size, &info);
	else if (ret == -ENOEXEC)
		check_refused(&info);
	else
		broken("returned %d", ret);
	if (elf_parse(image, size, &again) != ret || memcmp(&info, &again, sizeof(info)))
		broken("a second parse of the same bytes gave another answer");
	outcomes[info.error]++;
	free(image);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char t[T_MAX_SIZE];
	static bool template_checked;
	struct input in = {data, size, 0};
	struct elf_image_info info;

	if (!template_checked) {
		/* Patches must start from an accepted file, or they test little. */
		make_template(t);
		if (elf_parse(t, T_SIZE, &info))
			broken("the template is refused: %s", elf_error_name(info.error));
		template_checked = true;
		atexit(print_outcomes);
	}
	if (size == 0 || !(data[0] & 1)) {
		parse_and_check(data + (size > 0), size - (size > 0));
		return 0;
	}
	in.pos = 1;
	make_template(t);
	parse_and_check(t, apply_patches(t, &in));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct fuzz_target target = {
		.name = "fuzz_elf",
		.short_pass = short_pass_args,
		.test_one = LLVMFuzzerTestOneInput,
		.held = "every input refused or accepted with every invariant holding",
	};

	return fuzz_main(&target, argc, argv);
}
