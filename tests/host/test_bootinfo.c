/* Host tests for kernel/bootinfo.c: multiboot2 blocks and PVH start_info
 * built byte by byte, good and malformed. Read first: every multiboot2 block
 * is handed to the parser in a heap copy of exactly total_size bytes, so
 * AddressSanitizer catches any read past the block; PVH "physical memory" is
 * a small window that phys_to_ptr() maps, anything else is unreadable. */
#include "kernel/bootinfo.h"
#include "tests/host/hosttest.h"
#include <stdint.h>
#include <stdlib.h>

/* ---- building multiboot2 blocks ---- */

#define MB2_BUF 8192

struct mb2 {
	uint8_t buf[MB2_BUF];
	uint32_t len;
};

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}
static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void mb2_begin(struct mb2 *b)
{
	memset(b->buf, 0, sizeof(b->buf));
	b->len = 8;
}

/* Appends a tag header claiming 8 + payload bytes; returns the payload. */
static uint8_t *mb2_tag(struct mb2 *b, uint32_t type, uint32_t payload)
{
	uint8_t *t = b->buf + b->len;

	put32(t, type);
	put32(t + 4, 8 + payload);
	b->len += (8 + payload + 7) & ~7u;
	return t + 8;
}

static void mb2_string_tag(struct mb2 *b, uint32_t type, const char *s)
{
	memcpy(mb2_tag(b, type, (uint32_t)strlen(s) + 1), s, strlen(s) + 1);
}

static void mb2_module_tag(struct mb2 *b, uint32_t start, uint32_t end, const char *s)
{
	uint8_t *p = mb2_tag(b, 3, 8 + (uint32_t)strlen(s) + 1);

	put32(p, start);
	put32(p + 4, end);
	memcpy(p + 8, s, strlen(s) + 1);
}

/* entry_size 24 entries {addr, len, type}; extra bytes of bigger entries stay 0. */
static void mb2_mmap_tag(struct mb2 *b, uint32_t entry_size, uint32_t n, uint64_t first_addr)
{
	uint8_t *p = mb2_tag(b, 6, 8 + n * entry_size);

	put32(p, entry_size);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *e = p + 8 + i * entry_size;

		put64(e, first_addr + i * 0x100000ull);
		put64(e + 8, 0x100000);
		put32(e + 16, i % 2 ? 2 : 1);
	}
}

static void mb2_end(struct mb2 *b)
{
	mb2_tag(b, 0, 0);
	put32(b->buf, b->len);
}

static struct boot_info bi;

/* Parse from an exact-size heap copy (total_size bytes, at least 16). */
static int mb2_parse(const struct mb2 *b, uint32_t copy_len)
{
	uint8_t *copy = malloc(copy_len);
	int ret;

	memcpy(copy, b->buf, copy_len);
	ht_reports_clear();
	ret = parse_multiboot2(copy, 0x9000, &bi, ht_report);
	free(copy);
	return ret;
}

static void mb2_standard(struct mb2 *b)
{
	uint8_t *rsdp;

	mb2_begin(b);
	mb2_string_tag(b, 1, "oom.reaper=0 ktest=oom*");
	mb2_string_tag(b, 2, "GRUB 2.06");
	mb2_module_tag(b, 0x200000, 0x280000, "initrd");
	mb2_mmap_tag(b, 24, 3, 0);
	rsdp = mb2_tag(b, 15, 36);
	memcpy(rsdp, "RSD PTR ", 8);
	rsdp[35] = 0x5a;
	mb2_end(b);
}

static void mb2_good_block_fills_cmdline_loader_module_map_and_rsdp(void)
{
	struct mb2 b;

	mb2_standard(&b);
	HT_ASSERT_EQ(mb2_parse(&b, b.len), 0);
	HT_EXPECT_EQ(ht_nr_reports, 0);
	HT_EXPECT_STREQ(bi.protocol, "multiboot2");
	HT_EXPECT_STREQ(bi.cmdline, "oom.reaper=0 ktest=oom*");
	HT_EXPECT_STREQ(bi.loader_name, "GRUB 2.06");
	HT_ASSERT_EQ(bi.nr_modules, 1);
	HT_EXPECT_EQ_U(bi.modules[0].start, 0x200000);
	HT_EXPECT_EQ_U(bi.modules[0].end, 0x280000);
	HT_EXPECT_STREQ(bi.modules[0].cmdline, "initrd");
	HT_EXPECT(bi.has_mmap);
	HT_ASSERT_EQ(bi.nr_mmap, 3);
	HT_EXPECT_EQ_U(bi.mmap[2].addr, 0x200000);
	HT_EXPECT_EQ_U(bi.mmap[2].len, 0x100000);
	HT_EXPECT_EQ(bi.mmap[1].type, 2);
	HT_EXPECT(bi.has_rsdp_copy);
	HT_EXPECT_EQ(memcmp(bi.rsdp_copy, "RSD PTR ", 8), 0);
	HT_EXPECT_EQ(bi.rsdp_copy[35], 0x5a);
	HT_EXPECT_EQ_U(bi.info_phys, 0x9000);
	HT_EXPECT_EQ_U(bi.info_size, b.len);
}

static void mb2_implausible_total_size_is_refused_with_an_empty_map(void)
{
	struct mb2 b;

	mb2_standard(&b);
	put32(b.buf, 8);
	HT_EXPECT_EQ(mb2_parse(&b, 16), -1);
	HT_EXPECT(!bi.has_mmap);
	HT_EXPECT_EQ(bi.nr_mmap, 0);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0],
			"multiboot2: info block size 8 is implausible; no boot information");
	put32(b.buf, (1u << 20) + 8);
	HT_EXPECT_EQ(mb2_parse(&b, 16), -1);
	HT_EXPECT_STREQ(ht_reports[0], "multiboot2: info block size 1048584 is implausible; "
				       "no boot information");
	HT_EXPECT_STREQ(bi.cmdline, "");
}

static void mb2_tag_running_past_the_block_stops_the_walk_and_keeps_earlier_tags(void)
{
	struct mb2 b;
	uint32_t bad_off;

	mb2_begin(&b);
	mb2_string_tag(&b, 1, "loglevel=3");
	bad_off = b.len;
	mb2_mmap_tag(&b, 24, 2, 0);
	mb2_end(&b);
	/* The mmap tag now claims one more entry than the block holds after it
	 * (a 4-byte-short block would be read past by a careless parser). */
	put32(b.buf + bad_off + 4, b.len - bad_off + 24);
	HT_ASSERT_EQ(mb2_parse(&b, b.len), 0);
	HT_EXPECT_STREQ(bi.cmdline, "loglevel=3");
	HT_EXPECT(!bi.has_mmap);
	HT_ASSERT_EQ(ht_nr_reports, 2);
	HT_EXPECT_STREQ(ht_reports[0], "multiboot2: tag type 6 at offset 32 has bad size 96; "
				       "rest of the block ignored");
	HT_EXPECT_STREQ(ht_reports[1], "multiboot2: no memory map tag");
	put32(b.buf + bad_off + 4, 0xfffffff8);
	HT_ASSERT_EQ(mb2_parse(&b, b.len), 0);
	HT_EXPECT_EQ(bi.nr_mmap, 0);
	HT_EXPECT(ht_nr_reports >= 1);
}

static void mb2_tag_smaller_than_its_header_stops_the_walk(void)
{
	struct mb2 b;

	mb2_begin(&b);
	mb2_tag(&b, 7, 0);
	put32(b.buf + 12, 4);
	mb2_mmap_tag(&b, 24, 2, 0);
	mb2_end(&b);
	HT_ASSERT_EQ(mb2_parse(&b, b.len), 0);
	HT_EXPECT_EQ(bi.nr_mmap, 0);
	HT_ASSERT(ht_nr_reports >= 1);
	HT_EXPECT_STREQ(ht_reports[0], "multiboot2: tag type 7 at offset 8 has bad size 4; "
				       "rest of the block ignored");
}

static void mb2_missing_memory_map_is_reported(void)
{
	struct mb2 b;

	mb2_begin(&b);
	mb2_string_tag(&b, 1, "quiet");
	mb2_end(&b);
	HT_ASSERT_EQ(mb2_parse(&b, b.len), 0);
	HT_EXPECT(!bi.has_mmap);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0], "multiboot2: no memory map tag");
}

static void mb2_missing_end_tag_is_reported(void)
{
	struct mb2 b;

	mb2_begin(&b);
	mb2_mmap_tag(&b, 24, 1, 0);
	put32(b.buf, b.len);
	HT_ASSERT_EQ(mb2_parse(&b, b.len), 0);
	HT_EXPECT(bi.has_mmap);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0], "multiboot2: no end tag in the 48-byte info block");
}

static void mb2_unterminated_string_is_cut_at_the_tag_end(void)
{
	struct mb2 b;
	uint8_t *p;

	mb2_begin(&b);
	p = mb2_tag(&b, 1, 5);
	memcpy(p, "hello", 5);
	memset(p + 5, 'X', 3); /* padding that must not be read as part of it */
	mb2_tag(&b, 2, 0);     /* a loader name tag with no bytes at all */
	mb2_mmap_tag(&b, 24, 1, 0);
	mb2_end(&b);
	HT_ASSERT_EQ(mb2_parse(&b, b.len), 0);
	HT_EXPECT_STREQ(bi.cmdline, "hello");
	HT_EXPECT_STREQ(bi.loader_name, "");
}

static void mb2_overlong_strings_are_truncated_to_their_fields(void)
{
	struct mb2 b;
	char s[2000];

	memset(s, 'c', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	mb2_begin(&b);
	mb2_string_tag(&b, 1, s);
	mb2_string_tag(&b, 2, s + 1000);
	mb2_module_tag(&b, 0, 0x1000, s + 1500);
	mb2_mmap_tag(&b, 24, 1, 0);
	mb2_end(&b);
	HT_ASSERT_EQ(mb2_parse(&b, b.len), 0);
	HT_EXPECT_EQ(strlen(bi.cmdline), BOOT_STRING_MAX - 1);
	HT_EXPECT_EQ(strlen(bi.loader_name), sizeof(bi.loader_name) - 1);
	HT_EXPECT_EQ(strlen(bi.modules[0].cmdline), sizeof(bi.modules[0].cmdline) - 1);
	HT_EXPECT_EQ(ht_nr_reports, 0);
}

static void mb2_too_many_map_entries_keep_the_first_and_report_once(void)
{
	struct mb2 b;

	mb2_begin(&b);
	mb2_mmap_tag(&b, 24, BOOT_MMAP_MAX + 10, 0x1000000);
	mb2_end(&b);
	HT_ASSERT_EQ(mb2_parse(&b, b.len), 0);
	HT_EXPECT_EQ(bi.nr_mmap, BOOT_MMAP_MAX);
	HT_EXPECT_EQ_U(bi.mmap[BOOT_MMAP_MAX - 1].addr,
		       0x1000000 + (BOOT_MMAP_MAX - 1) * 0x100000ull);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0],
			"multiboot2: memory map has 138 entries; only the first 128 are used");
}

static void mb2_too_many_modules_keep_the_first_and_report_once(void)
{
	struct mb2 b;

	mb2_begin(&b);
	for (uint32_t i = 0; i < BOOT_MODULES_MAX + 3; i++)
		mb2_module_tag(&b, i * 0x1000, i * 0x1000 + 0x800, "m");
	mb2_mmap_tag(&b, 24, 1, 0);
	mb2_end(&b);
	HT_ASSERT_EQ(mb2_parse(&b, b.len), 0);
	HT_EXPECT_EQ(bi.nr_modules, BOOT_MODULES_MAX);
	HT_EXPECT_EQ_U(bi.modules[BOOT_MODULES_MAX - 1].start, (BOOT_MODULES_MAX - 1) * 0x1000);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0], "multiboot2: more than 16 modules; the rest are ignored");
}

static void mb2_bad_map_entry_size_skips_the_tag(void)
{
	static const uint32_t bad_sizes[] = {0, 16, 20, 28};
	struct mb2 b;
	char want[128];

	for (size_t i = 0; i < HT_ARRAY_SIZE(bad_sizes); i++) {
		mb2_begin(&b);
		mb2_mmap_tag(&b, 24, 2, 0);
		put32(b.buf + 16, bad_sizes[i]);
		mb2_end(&b);
		HT_ASSERT_EQ(mb2_parse(&b, b.len), 0);
		HT_EXPECT(!bi.has_mmap);
		HT_EXPECT_EQ(bi.nr_mmap, 0);
		HT_ASSERT_EQ(ht_nr_reports, 1);
		snprintf(want, sizeof(want),
			 "multiboot2: memory map entry size %u is invalid; tag ignored",
			 bad_sizes[i]);
		HT_EXPECT_STREQ(ht_reports[0], want);
	}
}

static void mb2_bigger_map_entries_are_stepped_over_by_entry_size(void)
{
	struct mb2 b;

	mb2_begin(&b);
	mb2_mmap_tag(&b, 40, 3, 0x4000000);
	mb2_end(&b);
	HT_ASSERT_EQ(mb2_parse(&b, b.len), 0);
	HT_ASSERT_EQ(bi.nr_mmap, 3);
	HT_EXPECT_EQ_U(bi.mmap[1].addr, 0x4100000);
	HT_EXPECT_EQ(bi.mmap[1].type, 2);
	HT_EXPECT_EQ_U(bi.mmap[2].addr, 0x4200000);
}

static void mb2_new_acpi_rsdp_wins_over_the_old_one_in_either_order(void)
{
	struct mb2 b;

	for (int new_first = 0; new_first < 2; new_first++) {
		mb2_begin(&b);
		if (new_first)
			memset(mb2_tag(&b, 15, 36), 'N', 36);
		memset(mb2_tag(&b, 14, 20), 'O', 20);
		if (!new_first)
			memset(mb2_tag(&b, 15, 36), 'N', 36);
		mb2_mmap_tag(&b, 24, 1, 0);
		mb2_end(&b);
		HT_ASSERT_EQ(mb2_parse(&b, b.len), 0);
		HT_EXPECT(bi.has_rsdp_copy);
		HT_EXPECT_EQ(bi.rsdp_copy[0], 'N');
		HT_EXPECT_EQ(bi.rsdp_copy[35], 'N');
	}
}

/* ---- PVH ---- */

#define PHYS_BASE 0x10000u
#define PHYS_SIZE 0x3000u

static uint8_t phys_mem[PHYS_SIZE];
static int phys_calls;

static const void *fake_phys_to_ptr(uint64_t phys, size_t len)
{
	phys_calls++;
	if (phys < PHYS_BASE || len > PHYS_SIZE || phys - PHYS_BASE > PHYS_SIZE - len)
		return NULL;
	return phys_mem + (phys - PHYS_BASE);
}

static uint8_t start_info[56];

static void pvh_standard(uint32_t version)
{
	memset(phys_mem, 0, sizeof(phys_mem));
	memset(start_info, 0, sizeof(start_info));
	put32(start_info, PVH_START_MAGIC);
	put32(start_info + 4, version);
	/* one module with a command line */
	put32(start_info + 12, 1);
	put64(start_info + 16, PHYS_BASE + 0x100);
	put64(phys_mem + 0x100, 0x400000);
	put64(phys_mem + 0x108, 0x2000);
	put64(phys_mem + 0x110, PHYS_BASE + 0x180);
	strcpy((char *)phys_mem + 0x180, "initrd");
	put64(start_info + 24, PHYS_BASE + 0x200);
	strcpy((char *)phys_mem + 0x200, "ktest=oom* oom.lock=killable");
	put64(start_info + 32, 0xf5a10);
	/* two map entries */
	put64(start_info + 40, PHYS_BASE + 0x400);
	put32(start_info + 48, 2);
	put64(phys_mem + 0x400, 0);
	put64(phys_mem + 0x408, 0x9fc00);
	put32(phys_mem + 0x410, 1);
	put64(phys_mem + 0x418, 0x100000);
	put64(phys_mem + 0x420, 0x3ee0000);
	put32(phys_mem + 0x428, 1);
}

static int pvh_parse(void)
{
	ht_reports_clear();
	phys_calls = 0;
	return parse_pvh(start_info, 0x7000, fake_phys_to_ptr, &bi, ht_report);
}

static void pvh_v1_fills_cmdline_module_map_and_rsdp(void)
{
	pvh_standard(1);
	HT_ASSERT_EQ(pvh_parse(), 0);
	HT_EXPECT_EQ(ht_nr_reports, 0);
	HT_EXPECT_STREQ(bi.protocol, "pvh");
	HT_EXPECT_STREQ(bi.cmdline, "ktest=oom* oom.lock=killable");
	HT_ASSERT_EQ(bi.nr_modules, 1);
	HT_EXPECT_EQ_U(bi.modules[0].start, 0x400000);
	HT_EXPECT_EQ_U(bi.modules[0].end, 0x402000);
	HT_EXPECT_STREQ(bi.modules[0].cmdline, "initrd");
	HT_EXPECT(bi.has_mmap);
	HT_ASSERT_EQ(bi.nr_mmap, 2);
	HT_EXPECT_EQ_U(bi.mmap[1].addr, 0x100000);
	HT_EXPECT_EQ_U(bi.mmap[1].len, 0x3ee0000);
	HT_EXPECT_EQ_U(bi.rsdp_phys, 0xf5a10);
	HT_EXPECT(!bi.has_rsdp_copy);
	HT_EXPECT_EQ_U(bi.info_phys, 0x7000);
	HT_EXPECT_EQ_U(bi.info_size, 56);
}

static void pvh_v0_has_no_memory_map_and_says_so(void)
{
	pvh_standard(0);
	HT_ASSERT_EQ(pvh_parse(), 0);
	HT_EXPECT(!bi.has_mmap);
	HT_EXPECT_EQ(bi.nr_mmap, 0);
	HT_EXPECT_STREQ(bi.cmdline, "ktest=oom* oom.lock=killable");
	HT_EXPECT_EQ_U(bi.info_size, 40);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0], "pvh: start_info version 0 has no memory map");
}

static void pvh_bad_magic_is_refused(void)
{
	pvh_standard(1);
	put32(start_info, 0x1badb002);
	HT_EXPECT_EQ(pvh_parse(), -1);
	HT_EXPECT(!bi.has_mmap);
	HT_EXPECT_STREQ(bi.cmdline, "");
	HT_EXPECT_EQ(phys_calls, 0);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0], "pvh: bad start_info magic 0x1badb002");
}

static void pvh_unreadable_cmdline_is_reported_and_left_empty(void)
{
	pvh_standard(1);
	put64(start_info + 24, 0xdead0000);
	HT_ASSERT_EQ(pvh_parse(), 0);
	HT_EXPECT_STREQ(bi.cmdline, "");
	HT_EXPECT(bi.has_mmap);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0],
			"pvh: command line at 0xdead0000 is not readable; using none");
}

static void pvh_zero_cmdline_address_means_no_cmdline_silently(void)
{
	pvh_standard(1);
	put64(start_info + 24, 0);
	HT_ASSERT_EQ(pvh_parse(), 0);
	HT_EXPECT_STREQ(bi.cmdline, "");
	HT_EXPECT_EQ(ht_nr_reports, 0);
}

static void pvh_cmdline_running_into_unmapped_memory_is_cut_and_reported(void)
{
	pvh_standard(1);
	/* The last 10 bytes of the window, with no NUL before its end. */
	memset(phys_mem + PHYS_SIZE - 10, 'z', 10);
	put64(start_info + 24, PHYS_BASE + PHYS_SIZE - 10);
	HT_ASSERT_EQ(pvh_parse(), 0);
	HT_EXPECT_STREQ(bi.cmdline, "zzzzzzzzzz");
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0], "pvh: command line at 0x12ff6 runs into unreadable memory; "
				       "cut to 10 bytes");
}

static void pvh_cmdline_is_read_across_pages_and_truncated(void)
{
	pvh_standard(1);
	/* 3000 non-NUL bytes starting mid-page: crosses a page boundary. */
	memset(phys_mem + 0x800, 'a', 3000);
	put64(start_info + 24, PHYS_BASE + 0x800);
	HT_ASSERT_EQ(pvh_parse(), 0);
	HT_EXPECT_EQ(strlen(bi.cmdline), BOOT_STRING_MAX - 1);
	HT_EXPECT_EQ(ht_nr_reports, 0);
}

static void pvh_unreadable_map_and_module_list_are_reported(void)
{
	pvh_standard(1);
	put64(start_info + 16, 0xdead0000);
	put64(start_info + 40, 0xbeef0000);
	HT_ASSERT_EQ(pvh_parse(), 0);
	HT_EXPECT_EQ(bi.nr_modules, 0);
	HT_EXPECT(!bi.has_mmap);
	HT_ASSERT_EQ(ht_nr_reports, 2);
	HT_EXPECT_STREQ(ht_reports[0],
			"pvh: module list at 0xdead0000 is not readable; no modules");
	HT_EXPECT_STREQ(ht_reports[1],
			"pvh: memory map at 0xbeef0000 is not readable; no memory map");
}

static void pvh_too_many_map_entries_keep_the_first_and_report_once(void)
{
	pvh_standard(1);
	put64(start_info + 40, PHYS_BASE + 0x1000);
	put32(start_info + 48, 1000);
	for (uint32_t i = 0; i < BOOT_MMAP_MAX; i++) {
		put64(phys_mem + 0x1000 + i * 24, i * 0x1000ull);
		put64(phys_mem + 0x1008 + i * 24, 0x1000);
		put32(phys_mem + 0x1010 + i * 24, 1);
	}
	HT_ASSERT_EQ(pvh_parse(), 0);
	HT_EXPECT_EQ(bi.nr_mmap, BOOT_MMAP_MAX);
	HT_EXPECT_EQ_U(bi.mmap[BOOT_MMAP_MAX - 1].addr, (BOOT_MMAP_MAX - 1) * 0x1000ull);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0],
			"pvh: memory map has 1000 entries; only the first 128 are used");
}

static void pvh_empty_map_is_reported_and_has_no_mmap(void)
{
	pvh_standard(1);
	put32(start_info + 48, 0);
	HT_ASSERT_EQ(pvh_parse(), 0);
	HT_EXPECT(!bi.has_mmap);
	HT_ASSERT_EQ(ht_nr_reports, 1);
	HT_EXPECT_STREQ(ht_reports[0], "pvh: start_info has an empty memory map");
}

/* ---- the map helpers ---- */

static void e820_type_names_are_linux_spellings(void)
{
	HT_EXPECT_STREQ(e820_type_name(1), "usable");
	HT_EXPECT_STREQ(e820_type_name(2), "reserved");
	HT_EXPECT_STREQ(e820_type_name(3), "ACPI data");
	HT_EXPECT_STREQ(e820_type_name(4), "ACPI NVS");
	HT_EXPECT_STREQ(e820_type_name(5), "unusable");
	HT_EXPECT_STREQ(e820_type_name(7), "persistent (type 7)");
	HT_EXPECT_STREQ(e820_type_name(0), "type 0");
	HT_EXPECT_STREQ(e820_type_name(4294967295u), "type 4294967295");
}

static void ram_bytes_count_only_usable_entries_and_saturate(void)
{
	memset(&bi, 0, sizeof(bi));
	bi.nr_mmap = 3;
	bi.mmap[0] = (struct boot_mmap_entry){0, 0x9fc00, E820_TYPE_RAM};
	bi.mmap[1] = (struct boot_mmap_entry){0x9fc00, 0x400, E820_TYPE_RESERVED};
	bi.mmap[2] = (struct boot_mmap_entry){0x100000, 0x3f00000, E820_TYPE_RAM};
	HT_EXPECT_EQ_U(boot_mmap_ram_bytes(&bi), 0x9fc00 + 0x3f00000);
	bi.mmap[1] = (struct boot_mmap_entry){0, UINT64_MAX, E820_TYPE_RAM};
	HT_EXPECT_EQ_U(boot_mmap_ram_bytes(&bi), UINT64_MAX);
	bi.nr_mmap = 100000; /* corrupted count: must not read past the array */
	HT_EXPECT_EQ_U(boot_mmap_ram_bytes(&bi), UINT64_MAX);
}

static const struct ht_case cases[] = {
	HT_CASE(mb2_good_block_fills_cmdline_loader_module_map_and_rsdp),
	HT_CASE(mb2_implausible_total_size_is_refused_with_an_empty_map),
	HT_CASE(mb2_tag_running_past_the_block_stops_the_walk_and_keeps_earlier_tags),
	HT_CASE(mb2_tag_smaller_than_its_header_stops_the_walk),
	HT_CASE(mb2_missing_memory_map_is_reported),
	HT_CASE(mb2_missing_end_tag_is_reported),
	HT_CASE(mb2_unterminated_string_is_cut_at_the_tag_end),
	HT_CASE(mb2_overlong_strings_are_truncated_to_their_fields),
	HT_CASE(mb2_too_many_map_entries_keep_the_first_and_report_once),
	HT_CASE(mb2_too_many_modules_keep_the_first_and_report_once),
	HT_CASE(mb2_bad_map_entry_size_skips_the_tag),
	HT_CASE(mb2_bigger_map_entries_are_stepped_over_by_entry_size),
	HT_CASE(mb2_new_acpi_rsdp_wins_over_the_old_one_in_either_order),
	HT_CASE(pvh_v1_fills_cmdline_module_map_and_rsdp),
	HT_CASE(pvh_v0_has_no_memory_map_and_says_so),
	HT_CASE(pvh_bad_magic_is_refused),
	HT_CASE(pvh_unreadable_cmdline_is_reported_and_left_empty),
	HT_CASE(pvh_zero_cmdline_address_means_no_cmdline_silently),
	HT_CASE(pvh_cmdline_running_into_unmapped_memory_is_cut_and_reported),
	HT_CASE(pvh_cmdline_is_read_across_pages_and_truncated),
	HT_CASE(pvh_unreadable_map_and_module_list_are_reported),
	HT_CASE(pvh_too_many_map_entries_keep_the_first_and_report_once),
	HT_CASE(pvh_empty_map_is_reported_and_has_no_mmap),
	HT_CASE(e820_type_names_are_linux_spellings),
	HT_CASE(ram_bytes_count_only_usable_entries_and_saturate),
};

int main(void)
{
	return ht_run(cases, HT_ARRAY_SIZE(cases));
}
