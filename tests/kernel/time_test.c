/* The boot clock: calibrated, monotonic, and busy delays last at least as
 * long as asked (never shorter; TCG may make them longer). */
#include "kernel/ktest.h"
#include "kernel/time.h"

#define MIN_PLAUSIBLE_TSC_KHZ 10000ull	   /* 10 MHz */
#define MAX_PLAUSIBLE_TSC_KHZ 100000000ull /* 100 GHz */
#define DELAY_NS 2000000ull		   /* 2 ms */
#define CLOCK_SAMPLES 1000

static void tsc_is_calibrated_to_a_plausible_rate(struct kunit *test)
{
	KUNIT_EXPECT_UGE(test, tsc_khz_get(), MIN_PLAUSIBLE_TSC_KHZ);
	KUNIT_EXPECT_ULT(test, tsc_khz_get(), MAX_PLAUSIBLE_TSC_KHZ);
}

static void local_clock_is_monotonic(struct kunit *test)
{
	uint64_t prev = local_clock();

	KUNIT_EXPECT_GT(test, prev, 0);
	for (int i = 0; i < CLOCK_SAMPLES; i++) {
		uint64_t now = local_clock();
		KUNIT_ASSERT_TRUE(test, now >= prev);
		prev = now;
	}
}

static void ndelay_busy_waits_at_least_the_delay(struct kunit *test)
{
	uint64_t start = local_clock();
	ndelay_busy(DELAY_NS);
	KUNIT_EXPECT_UGE(test, local_clock() - start, DELAY_NS);
}

static struct kunit_case time_cases[] = {
	KUNIT_CASE(tsc_is_calibrated_to_a_plausible_rate),
	KUNIT_CASE(local_clock_is_monotonic),
	KUNIT_CASE(ndelay_busy_waits_at_least_the_delay),
	{},
};
static struct kunit_suite time_suite = {.name = "time", .test_cases = time_cases};
kunit_test_suite(time_suite);
