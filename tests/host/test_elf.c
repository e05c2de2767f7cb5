/* Host tests for kernel/elf_parse.c. Read first: every case starts from one
 * valid image (base_image: headers, text, data+bss, PT_GNU_STACK) and breaks
 * exactly one rule, then checks both -ENOEXEC and *which* rule fired, so a
 * case cannot pass because an earlier check happened to trip. The parser
 * always sees an exactly-sized heap copy: ASan catches any read past it. */
#include "kernel/elf.h"
#include "kernel/errno.h"
#include "tests/host/hosttest.h"
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BASE_VADDR 0x400000ul
#define TEXT_VADDR 0x401000ul
#define TEXT_OFFSET 0x1000ul
#define TEXT_SIZE 0x100ul
#define DATA_VADDR 0x402000ul
#define DATA_OFFSET 0x2000ul
#define DATA_FILESZ 0x10ul
#define DATA_MEMSZ 0x3000ul
#define BASE_SIZE (DATA_OFFSET + DATA_FILESZ)
#define HDR_PHNUM 4
#define HDR_BYTES (sizeof(Elf64_Ehdr) + HDR_PHNUM * sizeof(Elf64_Phdr))
#define PH_HEADERS 0
#define PH_TEXT 1
#define PH_DATA 2
#define PH_STACK 3

/* Room for a full ELF_MAX_PHNUM table and a few pages past the base. */
#define IMAGE_MAX (8 * ELF_MIN_ALIGN)
/* Real static executables built by host.mk at test-build time. */
#define SAMPLES_DIR "build/host-data"
#define SAMPLE_PREFIX "elf-sample-"
#define SAMPLE_EXIT_CODE 42
#define PAGE ELF_MIN_ALIGN
#define PT_LOOS 0x60000000u
#define PT_GNU_EH_FRAME 0x6474e550u
#define PT_ALL_ONES 0xffffffffu

struct image {
	_Alignas(8) unsigned char bytes[IMAGE_MAX];
	size_t size;
};

static struct image img;
static struct elf_image_info info;

static Elf64_Ehdr *ehdr(void)
{
	return (Elf64_Ehdr *)img.bytes;
}

static Elf64_Phdr *phdr(unsigned int i)
{
	return (Elf64_Phdr *)(img.bytes + ehdr()->e_phoff) + i;
}

static void set_phdr(unsigned int i, uint32_t type, uint32_t flags, uint64_t offset, uint64_t vaddr,
		     uint64_t filesz, uint64_t memsz)
{
	*phdr(i) = (Elf64_Phdr){
		.p_type = type,
		.p_flags = flags,
		.p_offset = offset,
		.p_vaddr = vaddr,
		.p_paddr = vaddr,
		.p_filesz = filesz,
		.p_memsz = memsz,
		.p_align = PAGE,
	};
}

/* The shape of a small static executable as GNU ld lays it out with
 * -z separate-code: a read-only page of headers, text, data with bss. */
static void base_image(void)
{
	memset(&img, 0, sizeof(img));
	img.size = BASE_SIZE;
	*ehdr() = (Elf64_Ehdr){
		.e_ident = {0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, EV_CURRENT},
		.e_type = ET_EXEC,
		.e_machine = EM_X86_64,
		.e_version = EV_CURRENT,
		.e_entry = TEXT_VADDR + 0x10,
		.e_phoff = sizeof(Elf64_Ehdr),
		.e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr),
		.e_phnum = HDR_PHNUM,
	};
	set_phdr(PH_HEADERS, PT_LOAD, PF_R, 0, BASE_VADDR, HDR_BYTES, HDR_BYTES);
	set_phdr(PH_TEXT, PT_LOAD, PF_R | PF_X, TEXT_OFFSET, TEXT_VADDR, TEXT_SIZE, TEXT_SIZE);
	set_phdr(PH_DATA, PT_LOAD, PF_R | PF_W, DATA_OFFSET, DATA_VADDR, DATA_FILESZ, DATA_MEMSZ);
	set_phdr(PH_STACK, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
	memset(img.bytes + TEXT_OFFSET, 0xcc, TEXT_SIZE); /* int3 */
}

/* elf_parse on an exactly-sized copy placed at offset `skew` into a
 * buffer: the parser must cope with any alignment, and ASan's redzone
 * sits right after the last byte. */
static int parse_bytes(const unsigned char *bytes, size_t size, size_t skew)
{
	unsigned char *buf = malloc(size + skew + 1);
	int ret;

	if (!buf)
		abort();
	memcpy(buf + skew, bytes, size);
	memset(&info, 0xa5, sizeof(info)); /* the parser must overwrite all of it */
	ret = elf_parse(buf + skew, size, &info);
	free(buf);
	return ret;
}

static int parse_at(size_t skew)
{
	return parse_bytes(img.bytes, img.size, skew);
}

static int parse(void)
{
	return parse_at(0);
}

static bool nothing_loadable(void)
{
	static const struct elf_image_info zero;
	struct elf_image_info seen = info;

	seen.error = ELF_OK;
	return memcmp(&seen, &zero, sizeof(zero)) == 0;
}

/* -ENOEXEC for this rule, and nothing in the info a loader could use. */
#define EXPECT_REJECTED(rule)                                                           \
	do {                                                                            \
		HT_EXPECT_EQ(parse(), -ENOEXEC);                                        \
		if (!HT_EXPECT_STREQ(elf_error_name(info.error), elf_error_name(rule))) \
			printf("# ... the wrong rule fired\n");                         \
		HT_EXPECT(nothing_loadable());                                          \
	} while (0)

/* ---- accepted ---- */

static void elf_accepts_minimal_static_executable(void)
{
	base_image();
	HT_ASSERT_EQ(parse(), 0);
	HT_EXPECT_EQ(info.error, ELF_OK);
	HT_EXPECT_EQ_U(info.entry, TEXT_VADDR + 0x10);
	HT_ASSERT_EQ(info.nr_segments, 3);
	HT_EXPECT_EQ_U(info.segments[0].vaddr, BASE_VADDR);
	HT_EXPECT_EQ_U(info.segments[0].offset, 0);
	HT_EXPECT_EQ_U(info.segments[0].filesz, HDR_BYTES);
	HT_EXPECT_EQ_U(info.segments[0].flags, PF_R);
	HT_EXPECT_EQ_U(info.segments[1].vaddr, TEXT_VADDR);
	HT_EXPECT_EQ_U(info.segments[1].offset, TEXT_OFFSET);
	HT_EXPECT_EQ_U(info.segments[1].memsz, TEXT_SIZE);
	HT_EXPECT_EQ_U(info.segments[1].flags, PF_R | PF_X);
	HT_EXPECT_EQ_U(info.segments[2].vaddr, DATA_VADDR);
	HT_EXPECT_EQ_U(info.segments[2].filesz, DATA_FILESZ);
	HT_EXPECT_EQ_U(info.segments[2].memsz, DATA_MEMSZ);
	HT_EXPECT_EQ_U(info.segments[2].flags, PF_R | PF_W);
	HT_EXPECT_EQ_U(info.end, DATA_VADDR + DATA_MEMSZ);
	HT_EXPECT_EQ_U(info.brk_start, DATA_VADDR + DATA_MEMSZ);
	HT_EXPECT_EQ_U(info.phdr_addr, BASE_VADDR + sizeof(Elf64_Ehdr));
	HT_EXPECT_EQ(info.phnum, HDR_PHNUM);
	HT_EXPECT(info.has_stack_flags);
	HT_EXPECT_EQ_U(info.stack_flags, PF_R | PF_W);
	HT_EXPECT(!info.wx_segment);
}

static void elf_accepts_image_at_any_alignment(void)
{
	base_image();
	for (size_t skew = 1; skew < 8; skew++)
		HT_EXPECT_EQ(parse_at(skew), 0);
}

static void elf_brk_start_is_end_rounded_up_to_a_page(void)
{
	base_image();
	phdr(PH_DATA)->p_memsz = DATA_MEMSZ + 1;
	HT_ASSERT_EQ(parse(), 0);
	HT_EXPECT_EQ_U(info.end, DATA_VADDR + DATA_MEMSZ + 1);
	HT_EXPECT_EQ_U(info.brk_start, DATA_VADDR + DATA_MEMSZ + PAGE);
}

static void elf_accepts_writable_executable_segment_and_flags_it(void)
{
	base_image();
	phdr(PH_TEXT)->p_flags = PF_R | PF_W | PF_X;
	HT_ASSERT_EQ(parse(), 0);
	HT_EXPECT(info.wx_segment);
}

static void elf_drops_unknown_segment_flag_bits(void)
{
	base_image();
	phdr(PH_TEXT)->p_flags |= 0xf0000000u;	/* PF_MASKPROC */
	phdr(PH_STACK)->p_flags |= 0x00f00000u; /* PF_MASKOS */
	HT_ASSERT_EQ(parse(), 0);
	HT_EXPECT_EQ_U(info.segments[1].flags, PF_R | PF_X);
	HT_EXPECT_EQ_U(info.stack_flags, PF_R | PF_W);
}

static void elf_without_gnu_stack_reports_no_stack_flags(void)
{
	base_image();
	phdr(PH_STACK)->p_type = PT_NOTE;
	HT_ASSERT_EQ(parse(), 0);
	HT_EXPECT(!info.has_stack_flags);
	HT_EXPECT_EQ_U(info.stack_flags, 0);
}

static void elf_reports_executable_stack_request(void)
{
	base_image();
	phdr(PH_STACK)->p_flags = PF_R | PF_W | PF_X;
	HT_ASSERT_EQ(parse(), 0);
	HT_EXPECT(info.has_stack_flags);
	HT_EXPECT_EQ_U(info.stack_flags, PF_R | PF_W | PF_X);
}

static void elf_phdr_addr_is_zero_when_no_segment_maps_the_table(void)
{
	base_image();
	phdr(PH_HEADERS)->p_filesz = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr); /* a part only */
	HT_ASSERT_EQ(parse(), 0);
	HT_EXPECT_EQ_U(info.phdr_addr, 0);
}

static void elf_ignores_other_program_header_types(void)
{
	static const uint32_t types[] = {PT_NULL, PT_DYNAMIC, PT_NOTE,	       PT_PHDR,
					 PT_TLS,  PT_LOOS,    PT_GNU_EH_FRAME, PT_ALL_ONES};

	for (size_t i = 0; i < HT_ARRAY_SIZE(types); i++) {
		base_image();
		set_phdr(PH_STACK, types[i], PF_R, ~0ul, ~0ul, ~0ul, 1); /* nonsense fields */
		if (!HT_EXPECT_EQ(parse(), 0))
			printf("# ... for p_type 0x%x\n", types[i]);
	}
}

static void elf_ignores_section_headers_and_osabi(void)
{
	base_image();
	ehdr()->e_ident[7] = 3; /* ELFOSABI_GNU */
	ehdr()->e_shoff = ~0ul;
	ehdr()->e_shnum = 0xffff;
	ehdr()->e_shentsize = 1;
	ehdr()->e_shstrndx = 0xfff0;
	HT_EXPECT_EQ(parse(), 0);
}

static void elf_accepts_largest_phdr_table(void)
{
	base_image();
	ehdr()->e_phnum = ELF_MAX_PHNUM;
	ehdr()->e_phoff = 3 * PAGE; /* its own page, after the data */
	img.size = 4 * PAGE;
	set_phdr(0, PT_LOAD, PF_R, 0, BASE_VADDR, HDR_BYTES, HDR_BYTES);
	set_phdr(1, PT_LOAD, PF_R | PF_X, TEXT_OFFSET, TEXT_VADDR, TEXT_SIZE, TEXT_SIZE);
	for (unsigned int i = 2; i < ELF_MAX_PHNUM; i++)
		set_phdr(i, PT_NULL, 0, 0, 0, 0, 0);
	set_phdr(ELF_MAX_PHNUM - 1, PT_LOAD, PF_R | PF_W, DATA_OFFSET, DATA_VADDR, PAGE, PAGE);
	HT_ASSERT_EQ(parse(), 0);
	HT_EXPECT_EQ(info.nr_segments, 3);
	HT_EXPECT_EQ(info.phnum, ELF_MAX_PHNUM);
}

static void elf_accepts_most_load_segments_supported(void)
{
	base_image();
	ehdr()->e_phnum = ELF_MAX_LOAD_SEGMENTS;
	for (unsigned int i = 0; i < ELF_MAX_LOAD_SEGMENTS; i++)
		set_phdr(i, PT_LOAD, PF_R | PF_X, 0, BASE_VADDR + i * PAGE, 0x40, 0x40);
	ehdr()->e_entry = BASE_VADDR;
	HT_ASSERT_EQ(parse(), 0);
	HT_EXPECT_EQ(info.nr_segments, ELF_MAX_LOAD_SEGMENTS);
}

static void elf_accepts_segments_at_the_user_limits(void)
{
	base_image();
	phdr(PH_HEADERS)->p_vaddr = ELF_MIN_VADDR;
	phdr(PH_DATA)->p_vaddr = ELF_TASK_SIZE_MAX - DATA_MEMSZ;
	HT_ASSERT_EQ(parse(), 0);
	HT_EXPECT_EQ_U(info.end, ELF_TASK_SIZE_MAX);
	HT_EXPECT_EQ_U(info.brk_start, ELF_TASK_SIZE_MAX);
}

static void elf_accepts_page_offset_start_above_min_addr(void)
{
	base_image();
	/* Starts 0x40 into the page at ELF_MIN_VADDR: the page is allowed. */
	phdr(PH_HEADERS)->p_offset = 0x40;
	phdr(PH_HEADERS)->p_vaddr = ELF_MIN_VADDR + 0x40;
	HT_EXPECT_EQ(parse(), 0);
}

static void elf_accepts_segments_on_adjacent_pages(void)
{
	base_image();
	/* Text ends on the last byte of its page, data starts on the next. */
	phdr(PH_TEXT)->p_filesz = phdr(PH_TEXT)->p_memsz = PAGE;
	HT_EXPECT_EQ(parse(), 0);
}

static void elf_accepts_segment_ending_at_end_of_file(void)
{
	base_image();
	img.size = DATA_OFFSET + DATA_FILESZ; /* not one byte to spare */
	HT_EXPECT_EQ(parse(), 0);
	base_image();
	phdr(PH_DATA)->p_filesz = 0; /* bss only, its offset at the very end */
	phdr(PH_DATA)->p_offset = img.size;
	phdr(PH_DATA)->p_vaddr = DATA_VADDR + img.size % PAGE;
	HT_EXPECT_EQ(parse(), 0);
}

static void elf_accepts_entry_at_last_file_byte_of_text(void)
{
	base_image();
	ehdr()->e_entry = TEXT_VADDR + TEXT_SIZE - 1;
	HT_EXPECT_EQ(parse(), 0);
	ehdr()->e_entry = TEXT_VADDR;
	HT_EXPECT_EQ(parse(), 0);
}

/* ---- refused: the ELF header ---- */

static void elf_rejects_image_shorter_than_header(void)
{
	base_image();
	for (size_t size = 0; size < sizeof(Elf64_Ehdr); size++) {
		img.size = size;
		EXPECT_REJECTED(ELF_ERR_TRUNCATED);
	}
}

static void elf_rejects_bad_magic(void)
{
	for (int i = 0; i < SELFMAG; i++) {
		base_image();
		ehdr()->e_ident[i] ^= 0x20;
		EXPECT_REJECTED(ELF_ERR_MAGIC);
	}
}

static void elf_rejects_elfclass32_and_classnone(void)
{
	base_image();
	ehdr()->e_ident[EI_CLASS] = ELFCLASS32;
	EXPECT_REJECTED(ELF_ERR_CLASS);
	ehdr()->e_ident[EI_CLASS] = 0;
	EXPECT_REJECTED(ELF_ERR_CLASS);
}

static void elf_rejects_big_endian(void)
{
	base_image();
	ehdr()->e_ident[EI_DATA] = ELFDATA2MSB;
	EXPECT_REJECTED(ELF_ERR_DATA);
	ehdr()->e_ident[EI_DATA] = 0;
	EXPECT_REJECTED(ELF_ERR_DATA);
}

static void elf_rejects_wrong_ident_version(void)
{
	base_image();
	ehdr()->e_ident[EI_VERSION] = 0;
	EXPECT_REJECTED(ELF_ERR_VERSION);
}

static void elf_rejects_wrong_header_version(void)
{
	base_image();
	ehdr()->e_version = 2;
	EXPECT_REJECTED(ELF_ERR_VERSION);
}

static void elf_rejects_pie_et_dyn(void)
{
	base_image();
	ehdr()->e_type = ET_DYN;
	EXPECT_REJECTED(ELF_ERR_TYPE);
}

static void elf_rejects_relocatable_and_core_files(void)
{
	base_image();
	ehdr()->e_type = 1; /* ET_REL */
	EXPECT_REJECTED(ELF_ERR_TYPE);
	ehdr()->e_type = 4; /* ET_CORE */
	EXPECT_REJECTED(ELF_ERR_TYPE);
}

static void elf_rejects_wrong_machine(void)
{
	base_image();
	ehdr()->e_machine = 3; /* EM_386 */
	EXPECT_REJECTED(ELF_ERR_MACHINE);
	ehdr()->e_machine = 183; /* EM_AARCH64 */
	EXPECT_REJECTED(ELF_ERR_MACHINE);
}

static void elf_rejects_wrong_header_size(void)
{
	base_image();
	ehdr()->e_ehsize = 52; /* Elf32_Ehdr's */
	EXPECT_REJECTED(ELF_ERR_EHSIZE);
}

static void elf_rejects_wrong_phentsize(void)
{
	static const uint16_t sizes[] = {0, 32, 55, 57, 112};

	for (size_t i = 0; i < HT_ARRAY_SIZE(sizes); i++) {
		base_image();
		ehdr()->e_phentsize = sizes[i];
		EXPECT_REJECTED(ELF_ERR_PHENTSIZE);
	}
}

static void elf_rejects_zero_phnum(void)
{
	base_image();
	ehdr()->e_phnum = 0;
	EXPECT_REJECTED(ELF_ERR_PHNUM);
}

static void elf_rejects_phnum_above_limit(void)
{
	base_image();
	img.size = IMAGE_MAX; /* the table itself would fit in the file */
	ehdr()->e_phnum = ELF_MAX_PHNUM + 1;
	EXPECT_REJECTED(ELF_ERR_PHNUM);
	ehdr()->e_phnum = PN_XNUM;
	EXPECT_REJECTED(ELF_ERR_PHNUM);
}

static void elf_rejects_phdrs_past_end_of_file(void)
{
	base_image();
	ehdr()->e_phoff = img.size - HDR_PHNUM * sizeof(Elf64_Phdr) + 1;
	EXPECT_REJECTED(ELF_ERR_PHDRS_PAST_EOF);
	ehdr()->e_phoff = img.size + 1;
	EXPECT_REJECTED(ELF_ERR_PHDRS_PAST_EOF);
	/* offset + table size wraps around to a small number */
	ehdr()->e_phoff = ~0ul - sizeof(Elf64_Phdr);
	EXPECT_REJECTED(ELF_ERR_PHDRS_PAST_EOF);
}

/* ---- refused: the program headers ---- */

static void elf_rejects_interpreter(void)
{
	base_image();
	phdr(PH_STACK)->p_type = PT_INTERP;
	EXPECT_REJECTED(ELF_ERR_INTERP);
}

static void elf_rejects_more_load_segments_than_supported(void)
{
	base_image();
	ehdr()->e_phnum = ELF_MAX_LOAD_SEGMENTS + 1;
	for (unsigned int i = 0; i < ELF_MAX_LOAD_SEGMENTS + 1; i++)
		set_phdr(i, PT_LOAD, PF_R | PF_X, 0, BASE_VADDR + i * PAGE, 0x40, 0x40);
	ehdr()->e_entry = BASE_VADDR;
	EXPECT_REJECTED(ELF_ERR_TOO_MANY_LOADS);
}

static void elf_rejects_filesz_greater_than_memsz(void)
{
	base_image();
	phdr(PH_TEXT)->p_memsz = TEXT_SIZE - 1;
	EXPECT_REJECTED(ELF_ERR_FILESZ_GT_MEMSZ);
}

static void elf_rejects_empty_load_segment(void)
{
	base_image();
	phdr(PH_DATA)->p_filesz = phdr(PH_DATA)->p_memsz = 0;
	EXPECT_REJECTED(ELF_ERR_EMPTY_SEGMENT);
}

static void elf_rejects_segment_past_end_of_file(void)
{
	base_image();
	phdr(PH_DATA)->p_filesz = DATA_FILESZ + 1;
	EXPECT_REJECTED(ELF_ERR_SEGMENT_PAST_EOF);
}

static void elf_rejects_segment_offset_past_end_of_file(void)
{
	base_image();
	phdr(PH_DATA)->p_filesz = 0;
	phdr(PH_DATA)->p_offset = img.size + PAGE; /* even with nothing to read */
	EXPECT_REJECTED(ELF_ERR_SEGMENT_PAST_EOF);
}

static void elf_rejects_segment_whose_offset_plus_filesz_wraps(void)
{
	base_image();
	/* offset + filesz wraps round to 0x10: inside the file if summed. */
	phdr(PH_DATA)->p_offset = (uint64_t)0 - PAGE; /* page offset kept */
	phdr(PH_DATA)->p_filesz = PAGE + 0x10;
	phdr(PH_DATA)->p_memsz = PAGE + 0x10;
	EXPECT_REJECTED(ELF_ERR_SEGMENT_PAST_EOF);
}

static void elf_rejects_segment_below_mmap_min_addr(void)
{
	base_image();
	phdr(PH_HEADERS)->p_vaddr = 0; /* the NULL page */
	EXPECT_REJECTED(ELF_ERR_SEGMENT_LOW);
	phdr(PH_HEADERS)->p_vaddr = ELF_MIN_VADDR - PAGE;
	EXPECT_REJECTED(ELF_ERR_SEGMENT_LOW);
}

static void elf_rejects_segment_in_kernel_half(void)
{
	base_image();
	phdr(PH_DATA)->p_vaddr = 0xffffffff80000000ul + DATA_OFFSET;
	EXPECT_REJECTED(ELF_ERR_SEGMENT_NOT_USER);
	phdr(PH_DATA)->p_vaddr = USER_ADDR_MAX; /* first non-canonical address */
	EXPECT_REJECTED(ELF_ERR_SEGMENT_NOT_USER);
}

static void elf_rejects_segment_reaching_the_guard_page(void)
{
	base_image();
	/* Ends one byte into the page below the canonical hole. */
	phdr(PH_DATA)->p_vaddr = ELF_TASK_SIZE_MAX - DATA_MEMSZ + PAGE;
	phdr(PH_DATA)->p_memsz = DATA_MEMSZ - PAGE + 1;
	EXPECT_REJECTED(ELF_ERR_SEGMENT_NOT_USER);
}

static void elf_rejects_segment_whose_end_address_wraps(void)
{
	base_image();
	phdr(PH_DATA)->p_memsz = (uint64_t)0 - DATA_VADDR + PAGE; /* vaddr + memsz == PAGE */
	EXPECT_REJECTED(ELF_ERR_SEGMENT_NOT_USER);
}

static void elf_rejects_vaddr_and_offset_not_congruent(void)
{
	base_image();
	phdr(PH_TEXT)->p_vaddr = TEXT_VADDR + 0x10;
	ehdr()->e_entry = TEXT_VADDR + 0x20;
	EXPECT_REJECTED(ELF_ERR_SEGMENT_MISALIGNED);
}

static void elf_rejects_overlapping_segments(void)
{
	base_image();
	phdr(PH_DATA)->p_vaddr = TEXT_VADDR; /* on top of the text */
	EXPECT_REJECTED(ELF_ERR_SEGMENTS_OVERLAP);
}

static void elf_rejects_segments_sharing_a_page(void)
{
	base_image();
	/* Disjoint bytes, but the data starts in the text's last page. */
	phdr(PH_DATA)->p_vaddr = TEXT_VADDR + 0x800;
	phdr(PH_DATA)->p_offset = DATA_OFFSET + 0x800;
	img.size = DATA_OFFSET + 0x800 + DATA_FILESZ;
	EXPECT_REJECTED(ELF_ERR_SEGMENTS_OVERLAP);
}

static void elf_rejects_unsorted_segments(void)
{
	base_image();
	/* Disjoint, but listed high then low. */
	phdr(PH_HEADERS)->p_vaddr = DATA_VADDR + DATA_MEMSZ;
	EXPECT_REJECTED(ELF_ERR_SEGMENTS_OVERLAP);
}

static void elf_rejects_image_without_load_segment(void)
{
	base_image();
	phdr(PH_HEADERS)->p_type = PT_NULL;
	phdr(PH_TEXT)->p_type = PT_NOTE;
	phdr(PH_DATA)->p_type = PT_TLS;
	EXPECT_REJECTED(ELF_ERR_NO_LOAD);
}

static void elf_rejects_entry_outside_every_segment(void)
{
	base_image();
	ehdr()->e_entry = 0;
	EXPECT_REJECTED(ELF_ERR_ENTRY);
	ehdr()->e_entry = 0xffffffff81000000ul;
	EXPECT_REJECTED(ELF_ERR_ENTRY);
	ehdr()->e_entry = TEXT_VADDR - 1;
	EXPECT_REJECTED(ELF_ERR_ENTRY);
}

static void elf_rejects_entry_in_non_executable_segment(void)
{
	base_image();
	ehdr()->e_entry = DATA_VADDR;
	EXPECT_REJECTED(ELF_ERR_ENTRY);
	ehdr()->e_entry = BASE_VADDR;
	EXPECT_REJECTED(ELF_ERR_ENTRY);
}

static void elf_rejects_entry_in_zero_filled_tail_of_text(void)
{
	base_image();
	phdr(PH_TEXT)->p_memsz = PAGE;
	ehdr()->e_entry = TEXT_VADDR + TEXT_SIZE; /* first byte past the file's */
	EXPECT_REJECTED(ELF_ERR_ENTRY);
}

static void elf_error_names_are_distinct(void)
{
	for (int a = 0; a < ELF_NR_ERRORS; a++) {
		HT_EXPECT(elf_error_name(a) != NULL);
		for (int b = 0; b < a; b++)
			HT_EXPECT(strcmp(elf_error_name(a), elf_error_name(b)) != 0);
	}
	HT_EXPECT_STREQ(elf_error_name(ELF_NR_ERRORS), "unknown");
	HT_EXPECT_STREQ(elf_error_name(ELF_ERR_SEGMENT_PAST_EOF), "segment-past-eof");
}

/* ---- real files ---- */

/* The whole file in a malloc'd buffer (NULL if unreadable or empty). */
static unsigned char *read_whole(const char *path, size_t *size)
{
	unsigned char *buf = NULL;
	struct stat st;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) == 0 && st.st_size > 0) {
		buf = malloc((size_t)st.st_size);
		*size = (size_t)st.st_size;
		if (buf && fread(buf, 1, *size, f) != *size) {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

static int exit_code_of(const char *path)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* An accepted real file, checked against its own program headers. */
static void check_real_info(const char *path, const unsigned char *file)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)file;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(file + eh->e_phoff);
	unsigned int loads = 0;

	HT_EXPECT_EQ_U(info.entry, eh->e_entry);
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || loads >= info.nr_segments)
			continue;
		if (!HT_EXPECT_EQ_U(info.segments[loads].vaddr, ph[i].p_vaddr) ||
		    !HT_EXPECT_EQ_U(info.segments[loads].filesz, ph[i].p_filesz))
			printf("# ... in %s, PT_LOAD %u\n", path, loads);
		loads++;
	}
	HT_EXPECT_EQ(loads, info.nr_segments);
}

static void check_real_sample(const char *path)
{
	size_t size = 0;
	unsigned char *file = read_whole(path, &size);

	if (!HT_EXPECT(file != NULL))
		return;
	if (!HT_EXPECT_EQ(parse_bytes(file, size, 0), 0)) {
		printf("# ... %s refused: %s\n", path, elf_error_name(info.error));
	} else {
		check_real_info(path, file);
		printf("# %s: %u segments, entry 0x%llx, brk 0x%llx\n", path, info.nr_segments,
		       (unsigned long long)info.entry, (unsigned long long)info.brk_start);
	}
	free(file);
	if (!HT_EXPECT_EQ(exit_code_of(path), SAMPLE_EXIT_CODE))
		printf("# ... %s did not run as expected on the host\n", path);
}

/* tests/host/elf_sample.c linked by GNU ld and lld in several layouts: what
 * real toolchains emit must pass, and must really run (exit 42) on Linux. */
static void elf_accepts_real_static_executables(void)
{
	struct dirent *de;
	int samples = 0;
	DIR *dir = opendir(SAMPLES_DIR);

	if (!dir) {
		HT_EXPECT(!"no " SAMPLES_DIR "/ (make host-tests builds the samples)");
		return;
	}
	while ((de = readdir(dir))) {
		char path[512];

		if (strncmp(de->d_name, SAMPLE_PREFIX, strlen(SAMPLE_PREFIX)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", SAMPLES_DIR, de->d_name);
		samples++;
		check_real_sample(path);
	}
	closedir(dir);
	HT_EXPECT(samples >= 2);
}

/* The test binary itself is dynamically linked: PIE (ET_DYN) or, built
 * -no-pie, with PT_INTERP. Either way it is not ours to run. */
static void elf_rejects_real_dynamic_executable(void)
{
	size_t size = 0;
	unsigned char *self = read_whole("/proc/self/exe", &size);

	HT_ASSERT(self != NULL);
	HT_EXPECT_EQ(parse_bytes(self, size, 0), -ENOEXEC);
	HT_EXPECT(info.error == ELF_ERR_TYPE || info.error == ELF_ERR_INTERP);
	HT_EXPECT(nothing_loadable());
	free(self);
}

int main(void)
{
	static const struct ht_case cases[] = {
		HT_CASE(elf_accepts_minimal_static_executable),
		HT_CASE(elf_accepts_image_at_any_alignment),
		HT_CASE(elf_brk_start_is_end_rounded_up_to_a_page),
		HT_CASE(elf_accepts_writable_executable_segment_and_flags_it),
		HT_CASE(elf_drops_unknown_segment_flag_bits),
		HT_CASE(elf_without_gnu_stack_reports_no_stack_flags),
		HT_CASE(elf_reports_executable_stack_request),
		HT_CASE(elf_phdr_addr_is_zero_when_no_segment_maps_the_table),
		HT_CASE(elf_ignores_other_program_header_types),
		HT_CASE(elf_ignores_section_headers_and_osabi),
		HT_CASE(elf_accepts_largest_phdr_table),
		HT_CASE(elf_accepts_most_load_segments_supported),
		HT_CASE(elf_accepts_segments_at_the_user_limits),
		HT_CASE(elf_accepts_page_offset_start_above_min_addr),
		HT_CASE(elf_accepts_segments_on_adjacent_pages),
		HT_CASE(elf_accepts_segment_ending_at_end_of_file),
		HT_CASE(elf_accepts_entry_at_last_file_byte_of_text),
		HT_CASE(elf_rejects_image_shorter_than_header),
		HT_CASE(elf_rejects_bad_magic),
		HT_CASE(elf_rejects_elfclass32_and_classnone),
		HT_CASE(elf_rejects_big_endian),
		HT_CASE(elf_rejects_wrong_ident_version),
		HT_CASE(elf_rejects_wrong_header_version),
		HT_CASE(elf_rejects_pie_et_dyn),
		HT_CASE(elf_rejects_relocatable_and_core_files),
		HT_CASE(elf_rejects_wrong_machine),
		HT_CASE(elf_rejects_wrong_header_size),
		HT_CASE(elf_rejects_wrong_phentsize),
		HT_CASE(elf_rejects_zero_phnum),
		HT_CASE(elf_rejects_phnum_above_limit),
		HT_CASE(elf_rejects_phdrs_past_end_of_file),
		HT_CASE(elf_rejects_interpreter),
		HT_CASE(elf_rejects_more_load_segments_than_supported),
		HT_CASE(elf_rejects_filesz_greater_than_memsz),
		HT_CASE(elf_rejects_empty_load_segment),
		HT_CASE(elf_rejects_segment_past_end_of_file),
		HT_CASE(elf_rejects_segment_offset_past_end_of_file),
		HT_CASE(elf_rejects_segment_whose_offset_plus_filesz_wraps),
		HT_CASE(elf_rejects_segment_below_mmap_min_addr),
		HT_CASE(elf_rejects_segment_in_kernel_half),
		HT_CASE(elf_rejects_segment_reaching_the_guard_page),
		HT_CASE(elf_rejects_segment_whose_end_address_wraps),
		HT_CASE(elf_rejects_vaddr_and_offset_not_congruent),
		HT_CASE(elf_rejects_overlapping_segments),
		HT_CASE(elf_rejects_segments_sharing_a_page),
		HT_CASE(elf_rejects_unsorted_segments),
		HT_CASE(elf_rejects_image_without_load_segment),
		HT_CASE(elf_rejects_entry_outside_every_segment),
		HT_CASE(elf_rejects_entry_in_non_executable_segment),
		HT_CASE(elf_rejects_entry_in_zero_filled_tail_of_text),
		HT_CASE(elf_error_names_are_distinct),
		HT_CASE(elf_accepts_real_static_executables),
		HT_CASE(elf_rejects_real_dynamic_executable),
	};

	return ht_run(cases, HT_ARRAY_SIZE(cases));
}
