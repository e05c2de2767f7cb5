/* Traps and kernel page protections: faults that the exception table
 * expects are survivable, and the kernel's own mappings are as strict as
 * the layout promises (guard page, read-only text, NX data, no page 0). */
#include "kernel/ktest.h"
#include "kernel/nofault.h"
#include "kernel/paging.h"
#include "kernel/string.h"
#include "kernel/traps.h"

#define UNMAPPED_LOW_ADDRESS 0x1000ul

static uint64_t probe_value = 0x1234567890abcdefull;

static void nofault_read_of_unmapped_address_returns_efault(struct kunit *test)
{
	uint64_t v = 99;
	KUNIT_EXPECT_EQ(test, get_kernel_nofault_u64(&v, (const void *)UNMAPPED_LOW_ADDRESS),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, v, 0);
}

static void nofault_read_of_mapped_address_returns_value(struct kunit *test)
{
	uint64_t v = 0;
	KUNIT_EXPECT_EQ(test, get_kernel_nofault_u64(&v, &probe_value), 0);
	KUNIT_EXPECT_UEQ(test, v, probe_value);
}

static void nofault_write_to_kernel_text_returns_efault(struct kunit *test)
{
	/* CR0.WP makes read-only pages read-only for the kernel too. */
	KUNIT_EXPECT_EQ(test, put_kernel_nofault_u64((void *)_stext, 0), -EFAULT);
}

static void boot_stack_guard_page_is_unmapped(struct kunit *test)
{
	uint64_t v;
	KUNIT_EXPECT_UEQ(test, kernel_lookup_pte((uint64_t)boot_stack_guard), 0);
	KUNIT_EXPECT_EQ(test, get_kernel_nofault_u64(&v, boot_stack_guard), -EFAULT);
	KUNIT_EXPECT_NE(test, kernel_lookup_pte((uint64_t)boot_stack_bottom), 0);
}

static void kernel_text_is_read_only_and_executable(struct kunit *test)
{
	uint64_t pte = kernel_lookup_pte((uint64_t)_stext);
	KUNIT_ASSERT_NE(test, pte, 0);
	KUNIT_EXPECT_FALSE(test, pte & _PAGE_RW);
	KUNIT_EXPECT_FALSE(test, pte & _PAGE_NX);
}

static void kernel_data_is_writable_and_not_executable(struct kunit *test)
{
	uint64_t pte = kernel_lookup_pte((uint64_t)&probe_value);
	KUNIT_ASSERT_NE(test, pte, 0);
	KUNIT_EXPECT_TRUE(test, pte & _PAGE_RW);
	KUNIT_EXPECT_TRUE(test, pte & _PAGE_NX);
}

static void null_page_is_unmapped(struct kunit *test)
{
	KUNIT_EXPECT_UEQ(test, kernel_lookup_pte(0), 0);
}

static void direct_map_reaches_low_memory(struct kunit *test)
{
	KUNIT_EXPECT_NE(test, kernel_lookup_pte((uint64_t)__va(0)), 0);
	KUNIT_EXPECT_UEQ(test, __pa(__va(0x123000)), 0x123000);
	KUNIT_EXPECT_UEQ(test, __pa(&probe_value), (uint64_t)&probe_value - __START_KERNEL_map);
}

static void all_32_exception_vectors_are_named(struct kunit *test)
{
	for (unsigned int v = 0; v < NR_EXCEPTION_VECTORS; v++) {
		KUNIT_EXPECT_NOT_NULL(test, exception_name(v));
		KUNIT_EXPECT_GT(test, strlen(exception_name(v)), 0);
	}
	KUNIT_EXPECT_STREQ(test, exception_name(X86_TRAP_PF), "page fault");
	KUNIT_EXPECT_STREQ(test, exception_name(X86_TRAP_GP), "general protection fault");
	KUNIT_EXPECT_STREQ(test, exception_name(X86_TRAP_DF), "double fault");
}

static struct kunit_case traps_cases[] = {
	KUNIT_CASE(nofault_read_of_unmapped_address_returns_efault),
	KUNIT_CASE(nofault_read_of_mapped_address_returns_value),
	KUNIT_CASE(nofault_write_to_kernel_text_returns_efault),
	KUNIT_CASE(boot_stack_guard_page_is_unmapped),
	KUNIT_CASE(kernel_text_is_read_only_and_executable),
	KUNIT_CASE(kernel_data_is_writable_and_not_executable),
	KUNIT_CASE(null_page_is_unmapped),
	KUNIT_CASE(direct_map_reaches_low_memory),
	KUNIT_CASE(all_32_exception_vectors_are_named),
	{},
};
static struct kunit_suite traps_suite = {.name = "traps", .test_cases = traps_cases};
kunit_test_suite(traps_suite);
