/* Deliberately failing suites that prove the test harness reports each kind
 * of failure (assertion, panic, oops, triple fault, hang, stack overflow)
 * as a failure. They run only when named exactly: ktest=harness_panic. */
#include "kernel/ktest.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/traps.h"
#include "kernel/x86.h"

#define BAD_KERNEL_POINTER ((volatile uint64_t *)0x10)
#define RECURSION_FRAME_BYTES 512

static void harness_expectation_fails(struct kunit *test)
{
	int answer = 41;
	KUNIT_EXPECT_EQ(test, answer, 42);
}

static void harness_expectation_passes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 2);
}

static struct kunit_case harness_assert_cases[] = {
	KUNIT_CASE(harness_expectation_fails),
	KUNIT_CASE(harness_expectation_passes),
	{},
};
static struct kunit_suite harness_assert_fails = {
	.name = "harness_assert_fails", .test_cases = harness_assert_cases, .harness_only = true};
kunit_test_suite(harness_assert_fails);

/* The console quieted first, as tests do around expected noise: the
 * panic must still reach the serial log (console_verbose). */
static void harness_calls_panic(struct kunit *test)
{
	(void)test;
	console_loglevel = 0;
	panic("harness_panic test");
}
static struct kunit_case harness_panic_cases[] = {KUNIT_CASE(harness_calls_panic), {}};
static struct kunit_suite harness_panic = {
	.name = "harness_panic", .test_cases = harness_panic_cases, .harness_only = true};
kunit_test_suite(harness_panic);

/* noinline so that the oops names this function in RIP and the trace. */
__attribute__((noinline)) uint64_t ktest_fault_here(volatile uint64_t *p);
__attribute__((noinline)) uint64_t ktest_fault_here(volatile uint64_t *p)
{
	return *p + 1;
}

static void harness_dereferences_bad_pointer(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ktest_fault_here(BAD_KERNEL_POINTER), 0);
}
static struct kunit_case harness_page_fault_cases[] = {KUNIT_CASE(harness_dereferences_bad_pointer),
						       {}};
static struct kunit_suite harness_page_fault = {
	.name = "harness_page_fault", .test_cases = harness_page_fault_cases, .harness_only = true};
kunit_test_suite(harness_page_fault);

static void harness_faults_without_idt(struct kunit *test)
{
	(void)test;
	local_irq_disable();
	idt_load_empty();
	__asm__ volatile("ud2");
}
static struct kunit_case harness_triple_fault_cases[] = {KUNIT_CASE(harness_faults_without_idt),
							 {}};
static struct kunit_suite harness_triple_fault = {.name = "harness_triple_fault",
						  .test_cases = harness_triple_fault_cases,
						  .harness_only = true};
kunit_test_suite(harness_triple_fault);

static void harness_spins_forever(struct kunit *test)
{
	(void)test;
	local_irq_disable();
	for (;;)
		cpu_relax();
}
static struct kunit_case harness_hang_cases[] = {KUNIT_CASE(harness_spins_forever), {}};
static struct kunit_suite harness_hang = {
	.name = "harness_hang", .test_cases = harness_hang_cases, .harness_only = true};
kunit_test_suite(harness_hang);

/* Each level keeps a buffer live so the compiler can neither drop the
 * frame nor turn the recursion into a loop. The limit is far beyond what
 * a 16 KiB stack holds; it only keeps the compiler from calling this
 * infinite. */
#define RECURSION_LIMIT 1000000
__attribute__((noinline)) int ktest_recurse(int depth);
__attribute__((noinline)) int ktest_recurse(int depth)
{
	volatile char frame[RECURSION_FRAME_BYTES];

	frame[0] = (char)depth;
	frame[RECURSION_FRAME_BYTES - 1] = (char)depth;
	if (depth > RECURSION_LIMIT)
		return 0;
	return ktest_recurse(depth + 1) + frame[0] + frame[RECURSION_FRAME_BYTES - 1];
}

static void harness_overflows_stack(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ktest_recurse(0), 0);
}
static struct kunit_case harness_stack_overflow_cases[] = {KUNIT_CASE(harness_overflows_stack), {}};
static struct kunit_suite harness_stack_overflow = {.name = "harness_stack_overflow",
						    .test_cases = harness_stack_overflow_cases,
						    .harness_only = true};
kunit_test_suite(harness_stack_overflow);
