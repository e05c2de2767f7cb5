/* Host tests for kernel/kallsyms.c over a hand-made table shaped like the
 * one tools/gen_kallsyms.py emits (the generator has its own Python tests).
 * Read first: symbols cover [addr, addr + size); the gap after "idle" is
 * deliberately not covered by anything. */
#include "kernel/kallsyms.h"
#include "kernel/vsprintf.h"
#include "tests/host/hosttest.h"

#define TEXT 0xffffffff80100000ull

static const uint64_t addrs[] = {TEXT, TEXT + 0x40, TEXT + 0x100, TEXT + 0x200,
				 0xfffffffffffffff0ull};
static const uint64_t sizes[] = {0x40, 0xc0, 0x80, 0x10, 0x10};
static const char names[] = "_start\0start_kernel\0idle\0oom_kill_process\0top";
static const uint32_t name_offsets[] = {0, 7, 20, 25, 42};

static const struct kallsyms_table table = {
	.num = 5,
	.addrs = addrs,
	.sizes = sizes,
	.name_offsets = name_offsets,
	.names = names,
};
static const struct kallsyms_table empty = {.num = 0, .names = ""};

static void kallsyms_lookup_finds_the_symbol_containing_an_address(void)
{
	uint64_t size = 0, offset = 0;

	HT_EXPECT_STREQ(kallsyms_lookup_in(&table, TEXT + 0x57, &size, &offset), "start_kernel");
	HT_EXPECT_EQ_U(size, 0xc0);
	HT_EXPECT_EQ_U(offset, 0x17);
}

static void kallsyms_lookup_is_exact_at_symbol_boundaries(void)
{
	uint64_t offset = 1;

	HT_EXPECT_STREQ(kallsyms_lookup_in(&table, TEXT, NULL, &offset), "_start");
	HT_EXPECT_EQ_U(offset, 0);
	HT_EXPECT_STREQ(kallsyms_lookup_in(&table, TEXT + 0x3f, NULL, NULL), "_start");
	HT_EXPECT_STREQ(kallsyms_lookup_in(&table, TEXT + 0x40, NULL, NULL), "start_kernel");
	HT_EXPECT_STREQ(kallsyms_lookup_in(&table, TEXT + 0x20f, NULL, NULL), "oom_kill_process");
}

static void kallsyms_lookup_outside_every_symbol_is_null(void)
{
	HT_EXPECT(kallsyms_lookup_in(&table, TEXT - 1, NULL, NULL) == NULL);
	HT_EXPECT(kallsyms_lookup_in(&table, 0, NULL, NULL) == NULL);
	HT_EXPECT(kallsyms_lookup_in(&table, TEXT + 0x180, NULL, NULL) == NULL); /* gap */
	HT_EXPECT(kallsyms_lookup_in(&table, TEXT + 0x210, NULL, NULL) == NULL);
}

static void kallsyms_symbol_at_the_top_of_the_address_space_does_not_wrap(void)
{
	HT_EXPECT_STREQ(kallsyms_lookup_in(&table, 0xffffffffffffffffull, NULL, NULL), "top");
	HT_EXPECT_STREQ(kallsyms_lookup_in(&table, 0xfffffffffffffff0ull, NULL, NULL), "top");
}

static void kallsyms_empty_or_missing_table_finds_nothing(void)
{
	char buf[64];

	HT_EXPECT(kallsyms_lookup_in(&empty, TEXT, NULL, NULL) == NULL);
	HT_EXPECT(kallsyms_lookup_in(NULL, TEXT, NULL, NULL) == NULL);
	HT_EXPECT_EQ_U(kallsyms_lookup_name_in(&empty, "_start"), 0);
	HT_EXPECT_EQ(sprint_symbol_in(&empty, buf, sizeof(buf), 0x1234), 18);
	HT_EXPECT_STREQ(buf, "0x0000000000001234");
}

static void kallsyms_lookup_name_needs_an_exact_name(void)
{
	HT_EXPECT_EQ_U(kallsyms_lookup_name_in(&table, "idle"), TEXT + 0x100);
	HT_EXPECT_EQ_U(kallsyms_lookup_name_in(&table, "top"), 0xfffffffffffffff0ull);
	HT_EXPECT_EQ_U(kallsyms_lookup_name_in(&table, "idl"), 0);
	HT_EXPECT_EQ_U(kallsyms_lookup_name_in(&table, "idle2"), 0);
}

static void kallsyms_sprint_symbol_is_name_plus_offset_over_size(void)
{
	char buf[64];
	int n = sprint_symbol_in(&table, buf, sizeof(buf), TEXT + 0x205);

	HT_EXPECT_STREQ(buf, "oom_kill_process+0x5/0x10");
	HT_EXPECT_EQ(n, (int)strlen(buf));
	sprint_symbol_in(&table, buf, sizeof(buf), TEXT);
	HT_EXPECT_STREQ(buf, "_start+0x0/0x40");
}

static void kallsyms_sprint_symbol_unknown_address_is_16_hex_digits(void)
{
	char buf[64];

	sprint_symbol_in(&table, buf, sizeof(buf), TEXT + 0x180);
	HT_EXPECT_STREQ(buf, "0xffffffff80100180");
}

static void kallsyms_sprint_symbol_stays_inside_a_small_buffer(void)
{
	char buf[12];

	memset(buf, '#', sizeof(buf));
	HT_EXPECT_EQ(sprint_symbol_in(&table, buf, 8, TEXT + 0x205), 25);
	HT_EXPECT_STREQ(buf, "oom_kil");
	HT_EXPECT_EQ(buf[8], '#');
}

static const struct ht_case cases[] = {
	HT_CASE(kallsyms_lookup_finds_the_symbol_containing_an_address),
	HT_CASE(kallsyms_lookup_is_exact_at_symbol_boundaries),
	HT_CASE(kallsyms_lookup_outside_every_symbol_is_null),
	HT_CASE(kallsyms_symbol_at_the_top_of_the_address_space_does_not_wrap),
	HT_CASE(kallsyms_empty_or_missing_table_finds_nothing),
	HT_CASE(kallsyms_lookup_name_needs_an_exact_name),
	HT_CASE(kallsyms_sprint_symbol_is_name_plus_offset_over_size),
	HT_CASE(kallsyms_sprint_symbol_unknown_address_is_16_hex_digits),
	HT_CASE(kallsyms_sprint_symbol_stays_inside_a_small_buffer),
};

int main(void)
{
	return ht_run(cases, HT_ARRAY_SIZE(cases));
}
