/* Page allocator timing (make bench): rdtsc cycles per alloc+free pair,
 * order 0 through the per-CPU list and through the buddy lists, order 3
 * and order 9. Read first: harness-only (make test never runs it) and
 * timing never fails it; the same file is built into the host benchmark
 * (tests/host/bench_mm.c), so kernel and host time the same operation mix.
 *
 * The mix: a round allocates BENCH_BLOCKS blocks with GFP_KERNEL, then
 * frees them all; a case reports the median round over BENCH_ROUNDS, per
 * pair, as "# bench: name=... cycles_per_pair=N ns_per_pair=N". "Through
 * the buddy lists" turns the pcp off by giving every zone a batch and high
 * of 1: each order-0 allocation then refills one page from the buddy
 * lists and each free hands it straight back (merging), as orders > 0
 * always do. */
#include "kernel/ktest.h"
#include "kernel/time.h"
#include "kernel/x86.h"
#include "mm/gfp.h"

#define BENCH_BLOCKS 16
#define BENCH_ROUNDS 64
#define BENCH_WARMUP_ROUNDS 4
#define NS_PER_MS 1000000ull

struct saved_pcp {
	int batch[MAX_NR_ZONES], high[MAX_NR_ZONES];
};

/* One round, in cycles; 0 when an allocation failed (everything taken so
 * far is given back either way). */
static uint64_t one_round(unsigned int order)
{
	struct page *held[BENCH_BLOCKS];
	uint64_t start = rdtsc(), end;
	int n = 0;

	while (n < BENCH_BLOCKS && (held[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order)))
		n++;
	for (int i = 0; i < n; i++)
		__free_pages(held[i], order);
	end = rdtsc();
	return n == BENCH_BLOCKS ? end - start : 0;
}

static void sort_u64(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* Median rather than mean: a timer interrupt landing in a round (or, under
 * TCG, the host descheduling QEMU) must not move the figure. */
static void bench_order(struct kunit *test, const char *name, unsigned int order)
{
	uint64_t rounds[BENCH_ROUNDS], per_pair, ns;
	unsigned long free_before;

	drain_all_pages(NULL);
	free_before = nr_free_pages();
	for (int i = 0; i < BENCH_WARMUP_ROUNDS; i++)
		one_round(order);
	for (int i = 0; i < BENCH_ROUNDS; i++) {
		rounds[i] = one_round(order);
		if (!rounds[i])
			kunit_skip(test, "not enough memory for %d order-%u blocks", BENCH_BLOCKS,
				   order);
	}
	sort_u64(rounds, BENCH_ROUNDS);
	per_pair = rounds[BENCH_ROUNDS / 2] / BENCH_BLOCKS;
	ns = tsc_khz_get() ? per_pair * NS_PER_MS / tsc_khz_get() : 0;
	kunit_log(test,
		  "bench: name=%s cycles_per_pair=%llu ns_per_pair=%llu tsc_khz=%llu rounds=%d "
		  "blocks=%d",
		  name, (unsigned long long)per_pair, (unsigned long long)ns,
		  (unsigned long long)tsc_khz_get(), BENCH_ROUNDS, BENCH_BLOCKS);
	/* Not timing: the benchmark must give back what it took. */
	drain_all_pages(NULL);
	KUNIT_EXPECT_EQ(test, nr_free_pages(), free_before);
}

static void bench_order0_through_pcp(struct kunit *test)
{
	bench_order(test, "order0_pcp", 0);
}

static void pcp_off(struct saved_pcp *saved)
{
	drain_all_pages(NULL);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct per_cpu_pages *pcp = &NODE_DATA(0)->node_zones[z].pcp;

		saved->batch[z] = pcp->batch;
		saved->high[z] = pcp->high;
		pcp->batch = 1;
		pcp->high = 1;
	}
}

static void pcp_restore(const struct saved_pcp *saved)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct per_cpu_pages *pcp = &NODE_DATA(0)->node_zones[z].pcp;

		pcp->batch = saved->batch[z];
		pcp->high = saved->high[z];
	}
}

static void bench_order0_through_buddy(struct kunit *test)
{
	struct saved_pcp saved;

	pcp_off(&saved);
	bench_order(test, "order0_buddy", 0);
	pcp_restore(&saved);
}

static void bench_order3(struct kunit *test)
{
	bench_order(test, "order3", 3);
}

static void bench_order9(struct kunit *test)
{
	bench_order(test, "order9", 9);
}

static struct kunit_case bench_page_alloc_cases[] = {
	KUNIT_CASE(bench_order0_through_pcp),
	KUNIT_CASE(bench_order0_through_buddy),
	KUNIT_CASE(bench_order3),
	KUNIT_CASE(bench_order9),
	{},
};
static struct kunit_suite bench_page_alloc_suite = {
	.name = "bench_page_alloc",
	.test_cases = bench_page_alloc_cases,
	.harness_only = true,
};
kunit_test_suite(bench_page_alloc_suite);
