/* Boot loader information -> struct boot_info, for multiboot2 (GRUB) and
 * PVH (qemu -kernel). Read first: nothing the loader wrote is trusted. Every
 * size is checked against the block that holds it before it is followed,
 * fields are read byte-wise (no alignment assumptions), and strings are
 * copied, truncated, into boot_info so nothing points back at loader memory. */
#include "kernel/bootinfo.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"

#define REPORT_MAX 160
#define PAGE_SIZE_4K 4096u

/* Multiboot2 (the spec's "Boot information format"). */
#define MB2_HEADER_SIZE 8	 /* u32 total_size, u32 reserved */
#define MB2_MIN_TOTAL 16	 /* header + end tag */
#define MB2_MAX_TOTAL (1u << 20) /* far beyond anything GRUB writes */
#define MB2_TAG_ALIGN 8
#define MB2_TAG_HEADER 8 /* u32 type, u32 size */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15
#define MB2_MODULE_STRING 16  /* mod_start, mod_end, then the string */
#define MB2_MMAP_ENTRIES 16   /* entry_size, entry_version, then entries */
#define MB2_MMAP_ENTRY_MIN 24 /* u64 base, u64 length, u32 type, u32 reserved */

/* PVH: Xen's struct hvm_start_info (xen/include/public/arch-x86/hvm/start_info.h). */
#define PVH_OFF_MAGIC 0
#define PVH_OFF_VERSION 4
#define PVH_OFF_NR_MODULES 12
#define PVH_OFF_MODLIST 16
#define PVH_OFF_CMDLINE 24
#define PVH_OFF_RSDP 32
#define PVH_OFF_MEMMAP 40 /* version 1 onwards */
#define PVH_OFF_MEMMAP_ENTRIES 48
#define PVH_SIZE_V0 40
#define PVH_SIZE_V1 PVH_START_INFO_MAX_SIZE
#define PVH_MODLIST_ENTRY 32 /* u64 paddr, size, cmdline_paddr, reserved */
#define PVH_MEMMAP_ENTRY 24  /* u64 addr, size, u32 type, reserved */

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get_u64(const uint8_t *p)
{
	return get_u32(p) | (uint64_t)get_u32(p + 4) << 32;
}

/* Copy a string that may lack its NUL: stop at NUL, at srclen or when dst
 * is full, whichever comes first. dst is always terminated. */
static void copy_string(char *dst, size_t dstlen, const uint8_t *src, size_t srclen)
{
	size_t i;

	for (i = 0; i + 1 < dstlen && i < srclen && src[i]; i++)
		dst[i] = (char)src[i];
	dst[i] = '\0';
}

static void reportf(bootinfo_report_fn report, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void reportf(bootinfo_report_fn report, const char *fmt, ...)
{
	char msg[REPORT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report(msg);
}

static void add_mmap_entry(struct boot_info *bi, uint64_t addr, uint64_t len, uint32_t type)
{
	struct boot_mmap_entry *e = &bi->mmap[bi->nr_mmap++];

	e->addr = addr;
	e->len = len;
	e->type = type;
}

/* ---- multiboot2 ---- */

static void mb2_module(const uint8_t *tag, uint32_t size, uint32_t off, struct boot_info *bi,
		       bool *warned, bootinfo_report_fn report)
{
	struct boot_module *m;

	if (size < MB2_MODULE_STRING) {
		reportf(report,
			"multiboot2: module tag at offset %u is too short (%u bytes); "
			"ignored",
			off, size);
		return;
	}
	if (bi->nr_modules == BOOT_MODULES_MAX) {
		if (!*warned)
			reportf(report, "multiboot2: more than %d modules; the rest are ignored",
				BOOT_MODULES_MAX);
		*warned = true;
		return;
	}
	m = &bi->modules[bi->nr_modules++];
	m->start = get_u32(tag + 8);
	m->end = get_u32(tag + 12);
	copy_string(m->cmdline, sizeof(m->cmdline), tag + MB2_MODULE_STRING,
		    size - MB2_MODULE_STRING);
}

static void mb2_mmap(const uint8_t *tag, uint32_t size, struct boot_info *bi,
		     bootinfo_report_fn report)
{
	uint32_t entry_size, n;

	if (size < MB2_MMAP_ENTRIES) {
		reportf(report, "multiboot2: memory map tag of %u bytes is too short; ignored",
			size);
		return;
	}
	entry_size = get_u32(tag + 8);
	if (entry_size < MB2_MMAP_ENTRY_MIN || entry_size % 8 != 0) {
		reportf(report, "multiboot2: memory map entry size %u is invalid; tag ignored",
			entry_size);
		return;
	}
	n = (size - MB2_MMAP_ENTRIES) / entry_size;
	if (n == 0)
		report("multiboot2: the memory map tag has no entries");
	if (n > BOOT_MMAP_MAX) {
		reportf(report, "multiboot2: memory map has %u entries; only the first %d are used",
			n, BOOT_MMAP_MAX);
		n = BOOT_MMAP_MAX;
	}
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = tag + MB2_MMAP_ENTRIES + (size_t)i * entry_size;

		add_mmap_entry(bi, get_u64(e), get_u64(e + 8), get_u32(e + 16));
	}
}

/* Both ACPI tags hold an RSDP copy; the ACPI 2.0 one (new) wins when both exist. */
static void mb2_acpi(const uint8_t *tag, uint32_t size, uint32_t type, struct boot_info *bi,
		     bool *have_new)
{
	size_t n = size - MB2_TAG_HEADER;

	if (type == MB2_TAG_ACPI_OLD && *have_new)
		return;
	if (n > sizeof(bi->rsdp_copy))
		n = sizeof(bi->rsdp_copy);
	memset(bi->rsdp_copy, 0, sizeof(bi->rsdp_copy));
	memcpy(bi->rsdp_copy, tag + MB2_TAG_HEADER, n);
	bi->has_rsdp_copy = n > 0;
	if (type == MB2_TAG_ACPI_NEW)
		*have_new = true;
}

struct mb2_state {
	bool seen_mmap;
	bool modules_warned;
	bool have_acpi_new;
};

static void mb2_tag(const uint8_t *tag, uint32_t type, uint32_t size, uint32_t off,
		    struct boot_info *bi, struct mb2_state *st, bootinfo_report_fn report)
{
	const uint8_t *payload = tag + MB2_TAG_HEADER;
	size_t payload_len = size - MB2_TAG_HEADER;

	switch (type) {
	case MB2_TAG_CMDLINE:
		copy_string(bi->cmdline, sizeof(bi->cmdline), payload, payload_len);
		break;
	case MB2_TAG_LOADER_NAME:
		copy_string(bi->loader_name, sizeof(bi->loader_name), payload, payload_len);
		break;
	case MB2_TAG_MODULE: mb2_module(tag, size, off, bi, &st->modules_warned, report); break;
	case MB2_TAG_MMAP:
		if (st->seen_mmap) {
			reportf(report, "multiboot2: extra memory map tag at offset %u ignored",
				off);
			break;
		}
		st->seen_mmap = true;
		mb2_mmap(tag, size, bi, report);
		break;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW: mb2_acpi(tag, size, type, bi, &st->have_acpi_new); break;
	default: break; /* framebuffer, ELF sections, ...: not needed */
	}
}

/* Tags start 8-aligned. Computed in 64 bits and capped: off + size is at
 * most total here, but the rounding must not wrap either way. */
static uint32_t next_tag_offset(uint32_t off, uint32_t size)
{
	uint64_t next = ((uint64_t)off + size + MB2_TAG_ALIGN - 1) & ~(uint64_t)(MB2_TAG_ALIGN - 1);

	return next > MB2_MAX_TOTAL ? MB2_MAX_TOTAL : (uint32_t)next;
}

int parse_multiboot2(const void *info, uint64_t info_phys, struct boot_info *bi,
		     bootinfo_report_fn report)
{
	const uint8_t *base = info;
	struct mb2_state st = {0};
	uint32_t total = get_u32(base);
	uint32_t off = MB2_HEADER_SIZE;
	bool ended = false;

	memset(bi, 0, sizeof(*bi));
	bi->protocol = "multiboot2";
	bi->info_phys = info_phys;
	if (total < MB2_MIN_TOTAL || total > MB2_MAX_TOTAL) {
		reportf(report,
			"multiboot2: info block size %u is implausible; "
			"no boot information",
			total);
		return -1;
	}
	bi->info_size = total;
	while (off + MB2_TAG_HEADER <= total) {
		uint32_t type = get_u32(base + off), size = get_u32(base + off + 4);

		if (size < MB2_TAG_HEADER || size > total - off) {
			reportf(report,
				"multiboot2: tag type %u at offset %u has bad size %u; "
				"rest of the block ignored",
				type, off, size);
			ended = true; /* reported already; no "no end tag" on top */
			break;
		}
		if (type == MB2_TAG_END) {
			ended = true;
			break;
		}
		mb2_tag(base + off, type, size, off, bi, &st, report);
		off = next_tag_offset(off, size);
	}
	if (!ended)
		reportf(report, "multiboot2: no end tag in the %u-byte info block", total);
	if (!st.seen_mmap)
		report("multiboot2: no memory map tag");
	bi->has_mmap = bi->nr_mmap > 0;
	return 0;
}

/* ---- PVH ---- */

/* Copy a NUL-terminated string from physical memory, one page-bounded chunk
 * at a time so a short string near the end of mapped memory is still read.
 * Returns false when it ran into unreadable memory before its end; dst then
 * holds what could be read (often nothing). */
static bool pvh_copy_string(uint64_t phys, char *dst, size_t dstlen, phys_to_ptr_fn phys_to_ptr)
{
	size_t done = 0;

	dst[0] = '\0';
	while (done + 1 < dstlen) {
		uint64_t addr = phys + done;
		size_t chunk = PAGE_SIZE_4K - (size_t)(addr % PAGE_SIZE_4K);
		const uint8_t *p;

		if (chunk > dstlen - 1 - done)
			chunk = dstlen - 1 - done;
		p = phys_to_ptr(addr, chunk);
		if (!p)
			return false;
		for (size_t i = 0; i < chunk; i++) {
			dst[done] = (char)p[i];
			if (p[i] == '\0')
				return true;
			done++;
		}
		dst[done] = '\0';
	}
	return true;
}

static void pvh_report_string(bootinfo_report_fn report, const char *what, uint64_t phys,
			      const char *got)
{
	if (got[0] == '\0')
		reportf(report, "pvh: %s at 0x%lx is not readable; using none", what,
			(unsigned long)phys);
	else
		reportf(report, "pvh: %s at 0x%lx runs into unreadable memory; cut to %u bytes",
			what, (unsigned long)phys, (unsigned int)strlen(got));
}

static void pvh_modules(const uint8_t *si, phys_to_ptr_fn phys_to_ptr, struct boot_info *bi,
			bootinfo_report_fn report)
{
	uint32_t nr = get_u32(si + PVH_OFF_NR_MODULES);
	uint64_t list = get_u64(si + PVH_OFF_MODLIST);
	const uint8_t *mods;

	if (nr == 0)
		return;
	if (nr > BOOT_MODULES_MAX) {
		reportf(report, "pvh: %u modules; only the first %d are used", nr,
			BOOT_MODULES_MAX);
		nr = BOOT_MODULES_MAX;
	}
	mods = phys_to_ptr(list, (size_t)nr * PVH_MODLIST_ENTRY);
	if (!mods) {
		reportf(report, "pvh: module list at 0x%lx is not readable; no modules",
			(unsigned long)list);
		return;
	}
	for (uint32_t i = 0; i < nr; i++) {
		const uint8_t *e = mods + (size_t)i * PVH_MODLIST_ENTRY;
		struct boot_module *m = &bi->modules[bi->nr_modules++];
		uint64_t size = get_u64(e + 8), cmdline = get_u64(e + 16);

		m->start = get_u64(e);
		/* A size that wraps the address space is clamped, not trusted. */
		m->end = m->start + size < m->start ? UINT64_MAX : m->start + size;
		if (cmdline &&
		    !pvh_copy_string(cmdline, m->cmdline, sizeof(m->cmdline), phys_to_ptr))
			pvh_report_string(report, "module command line", cmdline, m->cmdline);
	}
}

static void pvh_memmap(const uint8_t *si, phys_to_ptr_fn phys_to_ptr, struct boot_info *bi,
		       bootinfo_report_fn report)
{
	uint64_t map = get_u64(si + PVH_OFF_MEMMAP);
	uint32_t n = get_u32(si + PVH_OFF_MEMMAP_ENTRIES);
	const uint8_t *entries;

	if (n == 0) {
		report("pvh: start_info has an empty memory map");
		return;
	}
	if (n > BOOT_MMAP_MAX) {
		reportf(report, "pvh: memory map has %u entries; only the first %d are used", n,
			BOOT_MMAP_MAX);
		n = BOOT_MMAP_MAX;
	}
	entries = phys_to_ptr(map, (size_t)n * PVH_MEMMAP_ENTRY);
	if (!entries) {
		reportf(report, "pvh: memory map at 0x%lx is not readable; no memory map",
			(unsigned long)map);
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = entries + (size_t)i * PVH_MEMMAP_ENTRY;

		add_mmap_entry(bi, get_u64(e), get_u64(e + 8), get_u32(e + 16));
	}
}

int parse_pvh(const void *start_info, uint64_t start_phys, phys_to_ptr_fn phys_to_ptr,
	      struct boot_info *bi, bootinfo_report_fn report)
{
	const uint8_t *si = start_info;
	uint32_t magic = get_u32(si + PVH_OFF_MAGIC);
	uint32_t version;
	uint64_t cmdline;

	memset(bi, 0, sizeof(*bi));
	bi->protocol = "pvh";
	bi->info_phys = start_phys;
	if (magic != PVH_START_MAGIC) {
		reportf(report, "pvh: bad start_info magic 0x%08x", magic);
		return -1;
	}
	/* Later versions only append fields, so treat them as version 1. */
	version = get_u32(si + PVH_OFF_VERSION);
	bi->info_size = version == 0 ? PVH_SIZE_V0 : PVH_SIZE_V1;
	bi->rsdp_phys = get_u64(si + PVH_OFF_RSDP);
	cmdline = get_u64(si + PVH_OFF_CMDLINE);
	if (cmdline && !pvh_copy_string(cmdline, bi->cmdline, sizeof(bi->cmdline), phys_to_ptr))
		pvh_report_string(report, "command line", cmdline, bi->cmdline);
	pvh_modules(si, phys_to_ptr, bi, report);
	if (version == 0)
		report("pvh: start_info version 0 has no memory map");
	else
		pvh_memmap(si, phys_to_ptr, bi, report);
	bi->has_mmap = bi->nr_mmap > 0;
	return 0;
}

/* ---- the map ---- */

const char *e820_type_name(uint32_t type)
{
	/* Only an unknown type needs formatting; one static buffer is enough for
	 * the one-line-at-a-time callers (the e820 printout). */
	static char unknown[sizeof("type 4294967295")];

	switch (type) {
	case E820_TYPE_RAM: return "usable";
	case E820_TYPE_RESERVED: return "reserved";
	case E820_TYPE_ACPI: return "ACPI data";
	case E820_TYPE_NVS: return "ACPI NVS";
	case E820_TYPE_UNUSABLE: return "unusable";
	case E820_TYPE_PMEM: return "persistent (type 7)";
	default: snprintf(unknown, sizeof(unknown), "type %u", type); return unknown;
	}
}

uint64_t boot_mmap_ram_bytes(const struct boot_info *bi)
{
	uint32_t n = bi->nr_mmap < BOOT_MMAP_MAX ? bi->nr_mmap : BOOT_MMAP_MAX;
	uint64_t total = 0;

	for (uint32_t i = 0; i < n; i++) {
		const struct boot_mmap_entry *e = &bi->mmap[i];

		if (e->type != E820_TYPE_RAM)
			continue;
		/* Saturate: a garbage map must not wrap to a small number. */
		total = total + e->len < total ? UINT64_MAX : total + e->len;
	}
	return total;
}
