/* PSI as a specification: Linux's state rules for memory and cpu pressure,
 * a memory stall marked with psi_memstall_enter/leave moving the totals by
 * its length, cpu "some" moving while two busy threads share the CPU, the
 * averages rising and decaying in fixed point exactly as Linux computes
 * them, and /proc/pressure in Linux's format. Read first: totals are
 * bracketed by clock reads taken around the stall, so the bounds are exact
 * whatever the machine's speed; nothing here depends on how fast it is. */
#include "kernel/ktest.h"
#include "kernel/psi.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/vsprintf.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "tests/kernel/fs_test_helpers.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/sched_test_helpers.h"

#define STALL_MS 50
#define SPIN_NS (200ull * 1000000ull)
#define US(ns) ((ns) / NSEC_PER_USEC)

static unsigned int mask_of(unsigned int memstall, unsigned int running,
			    unsigned int memstall_running, bool oncpu)
{
	const unsigned int tasks[NR_PSI_TASK_COUNTS] = {memstall, running, memstall_running};

	return psi_state_mask(tasks, oncpu);
}

#define BIT_OF(s) (1u << (s))

static void states_follow_linux_rules(struct kunit *test)
{
	/* One task, running, nothing stalled: no pressure. */
	KUNIT_EXPECT_EQ(test, mask_of(0, 1, 0, true), 0);
	/* Two runnable, one CPU: the other waits. */
	KUNIT_EXPECT_EQ(test, mask_of(0, 2, 0, true), BIT_OF(PSI_CPU_SOME));
	/* The only runnable task is stalled on memory: some and full. */
	KUNIT_EXPECT_EQ(test, mask_of(1, 1, 1, true), BIT_OF(PSI_MEM_SOME) | BIT_OF(PSI_MEM_FULL));
	/* Another task still gets work done: only some. */
	KUNIT_EXPECT_EQ(test, mask_of(1, 2, 1, true), BIT_OF(PSI_MEM_SOME) | BIT_OF(PSI_CPU_SOME));
	/* Asleep inside a stall with nothing else to run: full. */
	KUNIT_EXPECT_EQ(test, mask_of(1, 0, 0, false), BIT_OF(PSI_MEM_SOME) | BIT_OF(PSI_MEM_FULL));
	/* Runnable but nobody on the CPU. */
	KUNIT_EXPECT_EQ(test, mask_of(0, 1, 0, false), BIT_OF(PSI_CPU_SOME) | BIT_OF(PSI_CPU_FULL));
}

static void a_memory_stall_moves_the_totals_by_its_length(struct kunit *test)
{
	uint64_t some = psi_total_ns(PSI_MEM_SOME), full = psi_total_ns(PSI_MEM_FULL);
	uint64_t outer_start, inner_start, inner_end, outer_end;
	unsigned long flags;

	outer_start = local_clock();
	psi_memstall_enter(&flags);
	inner_start = local_clock();
	msleep(STALL_MS); /* asleep inside the stall, as an OOM wait is */
	inner_end = local_clock();
	psi_memstall_leave(&flags);
	outer_end = local_clock();
	some = psi_total_ns(PSI_MEM_SOME) - some;
	full = psi_total_ns(PSI_MEM_FULL) - full;
	KUNIT_EXPECT_UGE(test, some, inner_end - inner_start);
	KUNIT_EXPECT_ULT(test, some, outer_end - outer_start + 1);
	/* Nothing else had work: the whole system stalled too. */
	KUNIT_EXPECT_UGE(test, full, 1);
	KUNIT_EXPECT_ULT(test, full, some + 1);
}

static void nested_stalls_count_once_and_end_with_the_outer(struct kunit *test)
{
	unsigned long outer, inner;
	uint64_t before, during;

	psi_memstall_enter(&outer);
	psi_memstall_enter(&inner);
	psi_memstall_leave(&inner);
	KUNIT_EXPECT_TRUE(test, current->in_memstall);
	before = psi_total_ns(PSI_MEM_SOME);
	msleep(1);
	during = psi_total_ns(PSI_MEM_SOME);
	psi_memstall_leave(&outer);
	KUNIT_EXPECT_FALSE(test, current->in_memstall);
	KUNIT_EXPECT_UGE(test, during, before + 1); /* still stalled after the inner leave */
	before = psi_total_ns(PSI_MEM_SOME);
	msleep(1);
	KUNIT_EXPECT_UEQ(test, psi_total_ns(PSI_MEM_SOME), before); /* and not after the outer */
}

static struct page_stash dma_stash;

/* The allocator's direct reclaim is a memory stall: an allocation that
 * must reclaim (ZONE_DMA emptied to its min watermark) moves the total. */
static void direct_reclaim_is_a_memory_stall(struct kunit *test)
{
	uint64_t before;

	stash_init(&dma_stash, 0);
	drain_all_pages(NULL);
	stash_fill(&dma_stash, GFP_DMA);
	before = psi_total_ns(PSI_MEM_SOME);
	KUNIT_EXPECT_NULL(test, alloc_page(GFP_KERNEL | __GFP_DMA | __GFP_NORETRY | __GFP_NOWARN));
	KUNIT_EXPECT_UGE(test, psi_total_ns(PSI_MEM_SOME), before + 1);
	KUNIT_EXPECT_FALSE(test, current->in_memstall);
	stash_free_all(&dma_stash);
}

static int stall_and_die(void *arg)
{
	unsigned long flags;

	(void)arg;
	psi_memstall_enter(&flags); /* and never leave */
	return 0;
}

/* A stall cannot outlive its task: once the task is gone, so is the
 * pressure it was counted in. */
static void a_task_that_dies_stalled_takes_its_stall_along(struct kunit *test)
{
	struct task_struct *p = test_thread_run(stall_and_die, NULL, "psi_die");
	uint64_t before;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_TRUE(test, test_thread_join(p, TEST_WAIT_TIMEOUT_MS, NULL));
	msleep(1); /* the dead task's last switch is behind us */
	before = psi_total_ns(PSI_MEM_SOME);
	msleep(2);
	KUNIT_EXPECT_UEQ(test, psi_total_ns(PSI_MEM_SOME), before);
}

struct spinner {
	uint64_t until;
};

static int spin_until(void *arg)
{
	const struct spinner *s = arg;

	while (local_clock() < s->until)
		cpu_relax();
	return 0;
}

static void cpu_some_moves_when_two_busy_threads_compete(struct kunit *test)
{
	struct spinner s = {.until = local_clock() + SPIN_NS};
	uint64_t before = psi_total_ns(PSI_CPU_SOME), start = local_clock(), moved;
	struct task_struct *a = test_thread_run(spin_until, &s, "psi_spin_a");
	struct task_struct *b = test_thread_run(spin_until, &s, "psi_spin_b");

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_TRUE(test, test_thread_join(a, TEST_WAIT_TIMEOUT_MS, NULL));
	KUNIT_ASSERT_TRUE(test, test_thread_join(b, TEST_WAIT_TIMEOUT_MS, NULL));
	moved = psi_total_ns(PSI_CPU_SOME) - before;
	/* While both spin, one always waits: most of the window. */
	KUNIT_EXPECT_UGE(test, moved, SPIN_NS / 2);
	KUNIT_EXPECT_ULT(test, moved, local_clock() - start + 1);
}

/* One fully stalled 2 s period from zero: 100% folded into each average
 * with Linux's EXP_10s/60s/300s, giving 18.11, 3.27 and 0.68 (%). */
static void averages_rise_by_linux_fixed_point_and_decay(struct kunit *test)
{
	unsigned long avg[PSI_NR_AVGS] = {0}, once[PSI_NR_AVGS], missed[PSI_NR_AVGS];

	psi_calc_avgs(avg, 0, PSI_PERIOD_NS, PSI_PERIOD_NS);
	KUNIT_EXPECT_EQ(test, avg[0], 37100);
	KUNIT_EXPECT_EQ(test, avg[1], 6700);
	KUNIT_EXPECT_EQ(test, avg[2], 1400);
	memcpy(once, avg, sizeof(avg));
	memcpy(missed, avg, sizeof(avg));
	/* A period without stalls: each decays, the short one fastest. */
	psi_calc_avgs(once, 0, 0, PSI_PERIOD_NS);
	KUNIT_EXPECT_EQ(test, once[0], 37100 * 1677 / 2048);
	KUNIT_EXPECT_LT(test, once[1], avg[1]);
	KUNIT_EXPECT_LT(test, once[2], avg[2]);
	KUNIT_EXPECT_LT(test, once[0] * 100 / avg[0], once[2] * 100 / avg[2]);
	/* Nine periods missed, then an idle one: far lower, never negative. */
	psi_calc_avgs(missed, 9, 0, PSI_PERIOD_NS);
	KUNIT_EXPECT_LT(test, missed[0], once[0] / 4);
	KUNIT_EXPECT_GT(test, missed[2], 0);
	KUNIT_EXPECT_LT(test, missed[2], once[2]);
	/* Half a period stalled: 50%. */
	memset(avg, 0, sizeof(avg));
	psi_calc_avgs(avg, 0, PSI_PERIOD_NS / 2, PSI_PERIOD_NS);
	KUNIT_EXPECT_EQ(test, avg[0], (50 * 2048 * (2048 - 1677) + 2047) / 2048);
}

/* "some avg10=I.FF avg60=I.FF avg300=I.FF total=N\n". */
static bool line_in_psi_format(const char *line, const char *kind)
{
	static const char *const fields[] = {" avg10=", " avg60=", " avg300="};
	const char *p = line;
	size_t n = strlen(kind);

	if (strncmp(p, kind, n))
		return false;
	p += n;
	for (int i = 0; i < 3; i++) {
		if (strncmp(p, fields[i], strlen(fields[i])))
			return false;
		p += strlen(fields[i]);
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p[0] != '.' || p[1] < '0' || p[1] > '9' || p[2] < '0' || p[2] > '9')
			return false;
		p += 3;
	}
	if (strncmp(p, " total=", 7))
		return false;
	p += 7;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\n';
}

static void pressure_files_are_in_linux_format(struct kunit *test)
{
	long err;
	char *mem = read_whole("/proc/pressure/memory", 64, &err);
	char *cpu = read_whole("/proc/pressure/cpu", 64, &err);
	const char *full;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_NOT_NULL(test, cpu);
	KUNIT_EXPECT_TRUE(test, line_in_psi_format(mem, "some"));
	full = strchr(mem, '\n');
	KUNIT_EXPECT_TRUE(test, full && line_in_psi_format(full + 1, "full"));
	KUNIT_EXPECT_TRUE(test, line_in_psi_format(cpu, "some"));
	/* System-wide cpu "full" is printed, as zeros (current Linux). */
	full = strchr(cpu, '\n');
	KUNIT_EXPECT_TRUE(
		test,
		full && !strcmp(full + 1, "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"));
	kfree(mem);
	kfree(cpu);
}

static struct kunit_case psi_cases[] = {
	KUNIT_CASE(states_follow_linux_rules),
	KUNIT_CASE(a_memory_stall_moves_the_totals_by_its_length),
	KUNIT_CASE(nested_stalls_count_once_and_end_with_the_outer),
	KUNIT_CASE(direct_reclaim_is_a_memory_stall),
	KUNIT_CASE(a_task_that_dies_stalled_takes_its_stall_along),
	KUNIT_CASE(cpu_some_moves_when_two_busy_threads_compete),
	KUNIT_CASE(averages_rise_by_linux_fixed_point_and_decay),
	KUNIT_CASE(pressure_files_are_in_linux_format),
	{0},
};

static struct kunit_suite psi_suite = {
	.name = "psi",
	.test_cases = psi_cases,
};
kunit_test_suite(psi_suite);
