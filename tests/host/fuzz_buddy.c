/* libFuzzer target for the page allocator: each input is a sequence of
 * operations (allocate, free, split, drain, deliberate misuse) played on
 * the real mm/ sources, with every invariant checked after every step.
 * Read first: an input must leave the world as it found it. At its end
 * everything still held is freed and the pcp lists drained, and the free
 * lists must then be exactly the boot ones (every buddy merged back), so
 * the world is built once per process, not once per input.
 *
 * Run with arguments, it is plain libFuzzer (make fuzz); run without, as
 * the test runner does, it fuzzes for a few seconds in a child process
 * and reports the outcome as one KTAP case (tests/host/fuzz_main.h). */
#include "tests/host/fuzz_main.h"
#include "tests/host/mm_host.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The world: all three zones, small enough to exhaust in one input. */
#define WORLD_BELOW_4G (160 * MIB)
#define WORLD_ABOVE_4G (32 * MIB)
#define MAX_LIVE 4096
#define MAX_BURST 32
#define TAG_BYTES sizeof(uint64_t)
#define ZERO_CHECK_MAX_ORDER 3 /* above, only the block's ends are checked */

static char *const short_pass_args[] = {
	"-runs=1000000",
	"-max_total_time=8",
	"-seed=1",
	"-max_len=2048",
	"-len_control=10", /* reach long sequences within the few seconds */
	"-print_final_stats=1",
	"-artifact_prefix=" FUZZ_ARTIFACTS_DIR,
	NULL,
};

struct live_block {
	struct page *page;
	unsigned int order;
	bool compound;
};

static struct live_block live[MAX_LIVE];
static int nr_live;
static unsigned long live_pages[MAX_NR_ZONES];
static uint8_t *owned; /* a bit per pfn: held by a live block */
static struct mm_snapshot boot;
static unsigned long expected_bad_pages;

/* ---- the input ---- */

struct input {
	const uint8_t *data;
	size_t len, pos;
};

static uint8_t next_byte(struct input *in)
{
	return in->pos < in->len ? in->data[in->pos++] : 0;
}

static unsigned int next_u16(struct input *in)
{
	return next_byte(in) | (unsigned int)next_byte(in) << 8;
}

/* ---- invariants ---- */

__attribute__((noreturn, format(printf, 1, 2))) static void broken(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_buddy: invariant broken: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

static bool test_owned(unsigned long pfn)
{
	return owned[pfn / 8] & (1u << (pfn % 8));
}

static void set_owned(unsigned long pfn, bool on)
{
	if (on)
		owned[pfn / 8] |= (uint8_t)(1u << (pfn % 8));
	else
		owned[pfn / 8] &= (uint8_t) ~(1u << (pfn % 8));
}

/* After every step: the free-list rules of mm_check_free_lists, no bad
 * page report we did not provoke, and per zone every managed page is in
 * exactly one place: the buddy lists, a pcp list, or a live block. */
static void check_invariants(void)
{
	const char *err = mm_check_free_lists(false);

	if (err)
		broken("%s", err);
	if (bad_page_count() != expected_bad_pages)
		broken("%lu bad page reports, expected %lu (see the log with HOST_TEST_VERBOSE=1)",
		       bad_page_count(), expected_bad_pages);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = zone_of((enum zone_type)z);
		unsigned long held = (unsigned long)zone_page_state(zone, NR_FREE_PAGES) +
				     (unsigned long)zone->pcp.count + live_pages[z];

		if (held != zone->managed_pages)
			broken("%s: %ld free + %d pcp + %lu live = %lu pages, %lu managed",
			       zone->name, zone_page_state(zone, NR_FREE_PAGES), zone->pcp.count,
			       live_pages[z], held, zone->managed_pages);
	}
}

/* ---- the world ---- */

static void boot_world(void)
{
	host_log_echo(getenv("HOST_TEST_VERBOSE") != NULL);
	world_boot_pc(WORLD_BELOW_4G, WORLD_ABOVE_4G);
	owned = calloc(max_pfn / 8 + 1, 1);
	if (!owned)
		abort();
	drain_all_pages(NULL);
	mm_snapshot_take(&boot);
	expected_bad_pages = bad_page_count();
	check_invariants();
}

/* ---- live blocks ---- */

static void tag_block(struct page *page, unsigned int order)
{
	uint64_t tag = page_to_pfn(page);
	uint8_t *mem = page_address(page);

	memcpy(mem, &tag, TAG_BYTES);
	memcpy(mem + (PAGE_SIZE << order) - TAG_BYTES, &tag, TAG_BYTES);
}

static void check_tag(struct page *page, unsigned int order)
{
	uint64_t tag = page_to_pfn(page), head, tail;
	const uint8_t *mem = page_address(page);

	memcpy(&head, mem, TAG_BYTES);
	memcpy(&tail, mem + (PAGE_SIZE << order) - TAG_BYTES, TAG_BYTES);
	if (head != tag || tail != tag)
		broken("block at pfn 0x%lx order %u was overwritten while held", page_to_pfn(page),
		       order);
}

static void check_zeroed(struct page *page, unsigned int order)
{
	const uint8_t *mem = page_address(page);
	unsigned long size = PAGE_SIZE << order;
	unsigned long span = order <= ZERO_CHECK_MAX_ORDER ? size : PAGE_SIZE;

	for (unsigned long i = 0; i < span; i++)
		if (mem[i] || mem[size - 1 - i])
			broken("__GFP_ZERO block at pfn 0x%lx order %u is not zeroed",
			       page_to_pfn(page), order);
}

static void take_block(struct page *page, unsigned int order, bool compound)
{
	unsigned long pfn = page_to_pfn(page);

	for (unsigned long i = 0; i < (1ul << order); i++) {
		if (test_owned(pfn + i))
			broken("pfn 0x%lx handed out twice (block 0x%lx order %u)", pfn + i, pfn,
			       order);
		set_owned(pfn + i, true);
	}
	live[nr_live++] = (struct live_block){page, order, compound};
	live_pages[page_zonenum(page)] += 1ul << order;
}

static void drop_block(int i)
{
	unsigned long pfn = page_to_pfn(live[i].page);

	for (unsigned long p = 0; p < (1ul << live[i].order); p++)
		set_owned(pfn + p, false);
	live_pages[page_zonenum(live[i].page)] -= 1ul << live[i].order;
	live[i] = live[--nr_live];
}

/* ---- operations ---- */

static gfp_t decode_gfp(uint8_t b, bool warn)
{
	static const gfp_t bases[] = {GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_NOIO};
	static const gfp_t zones[] = {0, __GFP_DMA32, __GFP_DMA, 0};
	gfp_t gfp = bases[b & 3] | zones[(b >> 2) & 3];

	if (b & 0x10)
		gfp |= __GFP_COMP;
	if (b & 0x20)
		gfp |= __GFP_ZERO;
	if (b & 0x40)
		gfp |= (b & 0x80) ? __GFP_MEMALLOC : __GFP_HIGH;
	else if (b & 0x80)
		gfp |= __GFP_NORETRY;
	/* Never __GFP_NOFAIL: with nothing to reclaim it would loop forever. */
	return warn ? gfp : gfp | __GFP_NOWARN;
}

static void alloc_one(gfp_t gfp, unsigned int order)
{
	struct page *page;

	if (nr_live == MAX_LIVE)
		return;
	page = alloc_pages(gfp, order);
	if (!page)
		return;
	if (page_to_pfn(page) & ((1ul << order) - 1))
		broken("order-%u block at pfn 0x%lx is misaligned", order, page_to_pfn(page));
	if (page_zonenum(page) > gfp_zone(gfp))
		broken("gfp 0x%x got a page from zone %d, above its highest zone %d", gfp,
		       page_zonenum(page), gfp_zone(gfp));
	if (page_ref_count(page) != 1 || PageBuddy(page))
		broken("new block at pfn 0x%lx: refcount %d, PageBuddy %d", page_to_pfn(page),
		       page_ref_count(page), PageBuddy(page));
	if (gfp & __GFP_ZERO)
		check_zeroed(page, order);
	take_block(page, order, (gfp & __GFP_COMP) && order);
	tag_block(page, order);
}

/* order byte: low nibble (mod 11) the order, or with 0x80 a small one;
 * 0x40 lets the failure report through; then the GFP byte and a burst
 * count. */
static void op_alloc(struct input *in)
{
	uint8_t ob = next_byte(in), gb = next_byte(in);
	unsigned int order = (ob & 0x80) ? (ob & 3) : (ob & 0x0f) % NR_PAGE_ORDERS;
	gfp_t gfp = decode_gfp(gb, ob & 0x40);
	int burst = 1 + next_byte(in) % MAX_BURST;

	while (burst--)
		alloc_one(gfp, order);
}

static int pick_live(struct input *in)
{
	return nr_live ? (int)(next_u16(in) % (unsigned int)nr_live) : -1;
}

static void op_free(struct input *in)
{
	int i = pick_live(in);

	if (i < 0)
		return;
	check_tag(live[i].page, live[i].order);
	__free_pages(live[i].page, live[i].order);
	drop_block(i);
}

static void op_drain(struct input *in)
{
	uint8_t z = next_byte(in) % (MAX_NR_ZONES + 1);

	drain_all_pages(z == MAX_NR_ZONES ? NULL : zone_of((enum zone_type)z));
}

/* split_page: a plain order-N block becomes 2^N order-0 pages. */
static void op_split(struct input *in)
{
	int i = pick_live(in);
	struct live_block b;

	if (i < 0 || live[i].compound || !live[i].order ||
	    nr_live - 1 + (1 << live[i].order) > MAX_LIVE)
		return;
	b = live[i];
	drop_block(i);
	split_page(b.page, b.order);
	for (unsigned long p = 0; p < (1ul << b.order); p++) {
		take_block(b.page + p, 0, false);
		tag_block(b.page + p, 0);
	}
}

/* Misuse that must be reported and change nothing: a second free of a
 * block just freed, or freeing a tail page of a compound block. */
static void op_misuse(struct input *in)
{
	int i = pick_live(in);
	struct mm_snapshot before, after;
	const char *diff;
	struct page *victim;
	unsigned int order = 0;

	if (i < 0)
		return;
	if (live[i].compound && (next_byte(in) & 1)) {
		unsigned long tails = (1ul << live[i].order) - 1;

		victim = live[i].page + 1 + next_byte(in) % tails;
	} else {
		victim = live[i].page;
		order = live[i].order;
		check_tag(victim, order);
		__free_pages(victim, order);
		drop_block(i);
	}
	mm_snapshot_take(&before);
	__free_pages(victim, order);
	expected_bad_pages++;
	mm_snapshot_take(&after);
	diff = mm_snapshot_diff(&after, &before);
	if (diff)
		broken("a reported bad free changed the free lists: %s", diff);
}

static void free_everything(void)
{
	const char *diff, *err;
	struct mm_snapshot now;

	while (nr_live) {
		check_tag(live[nr_live - 1].page, live[nr_live - 1].order);
		__free_pages(live[nr_live - 1].page, live[nr_live - 1].order);
		drop_block(nr_live - 1);
	}
	drain_all_pages(NULL);
	err = mm_check_free_lists(true);
	if (err)
		broken("after freeing everything: %s", err);
	mm_snapshot_take(&now);
	diff = mm_snapshot_diff(&now, &boot);
	if (diff)
		broken("freeing everything did not restore the boot free lists: %s", diff);
}

typedef void (*op_fn)(struct input *in);

/* Weighted: allocations and frees are most of any sequence. */
static const op_fn ops[] = {
	op_alloc, op_alloc, op_alloc, op_free, op_free, op_free, op_drain, op_split, op_misuse,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size, 0};

	if (!owned)
		boot_world();
	/* First byte: page poisoning for this input (pages carry their own
	 * poisoned flag, so switching it between inputs is safe). */
	page_poisoning_enabled = (next_byte(&in) & 7) == 0;
	while (in.pos < in.len) {
		ops[next_byte(&in) % (sizeof(ops) / sizeof(ops[0]))](&in);
		check_invariants();
	}
	free_everything();
	check_invariants();
	page_poisoning_enabled = false;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct fuzz_target target = {
		.name = "fuzz_buddy",
		.short_pass = short_pass_args,
		.test_one = LLVMFuzzerTestOneInput,
		.held = "every invariant held",
	};

	return fuzz_main(&target, argc, argv);
}
