/* The linked-in symbol table: call traces can name kernel functions with
 * offsets and sizes, and the frame-pointer walk finds real callers. */
#include "kernel/kallsyms.h"
#include "kernel/ktest.h"
#include "kernel/stacktrace.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"

#define SYM_BUF 128

void kmain(uint32_t magic, uint64_t info_phys);

static void kallsyms_table_is_not_empty(struct kunit *test)
{
	KUNIT_EXPECT_GT(test, kallsyms_kernel_table.num, 10);
}

static void kallsyms_finds_kmain_by_name_and_address(struct kunit *test)
{
	uint64_t size = 0, off = 1;
	const char *name = kallsyms_lookup((uint64_t)kmain, &size, &off);

	KUNIT_EXPECT_UEQ(test, kallsyms_lookup_name("kmain"), (uint64_t)kmain);
	KUNIT_ASSERT_NOT_NULL(test, name);
	KUNIT_EXPECT_STREQ(test, name, "kmain");
	KUNIT_EXPECT_UEQ(test, off, 0);
	KUNIT_EXPECT_GT(test, size, 0);
}

static void sprint_symbol_formats_name_offset_size(struct kunit *test)
{
	char buf[SYM_BUF], expect[SYM_BUF];
	uint64_t size, off;

	kallsyms_lookup((uint64_t)kmain + 4, &size, &off);
	sprint_symbol(buf, sizeof(buf), (uint64_t)kmain + 4);
	snprintf(expect, sizeof(expect), "kmain+0x4/0x%lx", (unsigned long)size);
	KUNIT_EXPECT_STREQ(test, buf, expect);
}

static void sprint_symbol_of_unknown_address_is_hex(struct kunit *test)
{
	char buf[SYM_BUF];
	sprint_symbol(buf, sizeof(buf), 0x1000);
	KUNIT_EXPECT_STREQ(test, buf, "0x0000000000001000");
}

__attribute__((noinline)) static size_t save_trace_from_here(uint64_t *entries, size_t max)
{
	return stack_trace_save_fp((uint64_t)__builtin_frame_address(0), entries, max);
}

static void stack_trace_names_the_calling_test(struct kunit *test)
{
	uint64_t entries[STACKTRACE_MAX_DEPTH], size, off;
	size_t n = save_trace_from_here(entries, STACKTRACE_MAX_DEPTH);
	const char *name;

	KUNIT_ASSERT_GT(test, n, 1);
	name = kallsyms_lookup(entries[0] - 1, &size, &off);
	KUNIT_ASSERT_NOT_NULL(test, name);
	KUNIT_EXPECT_STREQ(test, name, "stack_trace_names_the_calling_test");
}

static struct kunit_case kallsyms_cases[] = {
	KUNIT_CASE(kallsyms_table_is_not_empty),
	KUNIT_CASE(kallsyms_finds_kmain_by_name_and_address),
	KUNIT_CASE(sprint_symbol_formats_name_offset_size),
	KUNIT_CASE(sprint_symbol_of_unknown_address_is_hex),
	KUNIT_CASE(stack_trace_names_the_calling_test),
	{},
};
static struct kunit_suite kallsyms_suite = {.name = "kallsyms", .test_cases = kallsyms_cases};
kunit_test_suite(kallsyms_suite);
