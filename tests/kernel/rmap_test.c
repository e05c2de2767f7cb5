/* The reverse map as reclaim's safety, as a specification: a page-cache
 * page mapped into address spaces is freed only after try_to_unmap took
 * it out of every PTE; while an mm cannot be locked, or the VMA is
 * mlocked, the page stays mapped, cached and intact, and under real
 * pressure (a file larger than RAM read while two processes map the same
 * pages) every page they map is the cache's, with the file's bytes. Read
 * first: page poisoning is on for each case (as the page_poison=1 boot
 * switch sets it), so a freed page read through a stale PTE would show
 * 0xaa, never the pattern. */
#include "kernel/ktest.h"
#include "mm/internal.h"
#include "mm/mm_struct.h"
#include "mm/pgtable.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "tests/kernel/mm_test_helpers.h"
#include "tests/kernel/reclaim_test_helpers.h"

#define MAP_BASE 0x10000000ul
#define MAPPED_PAGES 3ul
#define PRESSURE_ROUNDS 2

/* Each of the mapping's pages is still the cache's page at its index,
 * mapped once, holding the file's bytes (poisoning would show a freed
 * page as 0xaa, never the pattern). */
static bool mapped_pages_intact(struct mm_struct *mm, struct address_space *mapping, int mapcount)
{
	uint32_t seed = BIG_SEED;
	bool ok = true;

	for (unsigned long i = 0; i < MAPPED_PAGES; i++) {
		uint64_t *pte = follow_pte(mm, MAP_BASE + i * PAGE_SIZE);
		struct page *cached = find_get_page(mapping, i);
		const uint8_t *kaddr;

		if (!pte || !(*pte & _PAGE_PRESENT) || !cached)
			ok = false;
		else if (pfn_to_page((*pte & PTE_ADDR_MASK) >> PAGE_SHIFT) != cached ||
			 page_mapcount(cached) != mapcount)
			ok = false;
		kaddr = ok ? page_address(cached) : NULL;
		for (unsigned long b = 0; kaddr && b < PAGE_SIZE; b++)
			ok &= kaddr[b] == pattern_next(&seed);
		if (cached)
			__free_page(cached);
	}
	return ok;
}

static bool mapped_pages_gone(struct mm_struct *mm)
{
	for (unsigned long i = 0; i < MAPPED_PAGES; i++) {
		uint64_t *pte = follow_pte(mm, MAP_BASE + i * PAGE_SIZE);

		if (pte && (*pte & _PAGE_PRESENT))
			return false;
	}
	return true;
}

static struct mm_struct *map_big_file(struct kunit *test, struct file *f, unsigned long vm_flags)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	mmap_write_lock(mm);
	KUNIT_EXPECT_EQ(test,
			do_mmap_fixed(mm, MAP_BASE, MAPPED_PAGES * PAGE_SIZE,
				      VM_READ | VM_MAYREAD | vm_flags, f, 0),
			(long)MAP_BASE);
	for (unsigned long i = 0; i < MAPPED_PAGES; i++)
		KUNIT_EXPECT_EQ(test,
				handle_mm_fault(vma_lookup(mm, MAP_BASE + i * PAGE_SIZE),
						MAP_BASE + i * PAGE_SIZE, FAULT_FLAG_USER),
				0);
	mmap_write_unlock(mm);
	return mm;
}

/* A mapped page is freed only after the reverse map took it out of every
 * PTE: while the mm cannot be locked (the rmap walk only trylocks), or
 * the VMA is mlocked, the pages stay mapped, cached and intact. */
static void a_mapped_page_is_never_freed_until_unmapped_through_rmap(struct kunit *test)
{
	bool poisoning = page_poisoning_enabled;
	long mapped, mlocked;
	struct mm_struct *mm;
	struct file *f;

	if (!have_disk(test))
		return;
	page_poisoning_enabled = true;
	f = filp_open(BIG_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	invalidate_mapping_pages(f->f_mapping);
	mapped = global_zone_page_state(NR_FILE_MAPPED);
	mm = map_big_file(test, f, 0);
	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_FILE_MAPPED) - mapped, MAPPED_PAGES);

	mmap_write_lock(mm); /* the rmap walk cannot take it */
	reclaim_until_empty(f->f_mapping, 50);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, MAPPED_PAGES);
	KUNIT_EXPECT_TRUE(test, mapped_pages_intact(mm, f->f_mapping, 1));
	mmap_write_unlock(mm);

	reclaim_until_empty(f->f_mapping, 50);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 0);
	KUNIT_EXPECT_TRUE(test, mapped_pages_gone(mm));
	KUNIT_EXPECT_EQ(test, global_zone_page_state(NR_FILE_MAPPED), mapped);
	/* The next access faults the bytes back in from the disk. */
	mmap_read_lock(mm);
	for (unsigned long i = 0; i < MAPPED_PAGES; i++)
		KUNIT_EXPECT_EQ(test,
				handle_mm_fault(vma_lookup(mm, MAP_BASE + i * PAGE_SIZE),
						MAP_BASE + i * PAGE_SIZE, FAULT_FLAG_USER),
				0);
	KUNIT_EXPECT_TRUE(test, mapped_pages_intact(mm, f->f_mapping, 1));
	mmap_read_unlock(mm);
	mmput(mm);

	/* mlocked: unevictable, never unmapped. */
	mlocked = global_zone_page_state(NR_ZONE_UNEVICTABLE);
	mm = map_big_file(test, f, VM_LOCKED);
	KUNIT_ASSERT_NOT_NULL(test, mm);
	KUNIT_EXPECT_GE(test, global_zone_page_state(NR_ZONE_UNEVICTABLE) - mlocked, MAPPED_PAGES);
	reclaim_until_empty(f->f_mapping, 50);
	mmap_read_lock(mm);
	KUNIT_EXPECT_TRUE(test, mapped_pages_intact(mm, f->f_mapping, 1));
	mmap_read_unlock(mm);
	mmput(mm);
	KUNIT_EXPECT_LE(test, global_zone_page_state(NR_ZONE_UNEVICTABLE), mlocked);
	invalidate_mapping_pages(f->f_mapping);
	fput(f);
	page_poisoning_enabled = poisoning;
	KUNIT_EXPECT_EQ(test, bad_page_count(), 0);
}

/* Fault back whatever reclaim unmapped: true if any PTE was gone. */
static bool refault_unmapped(struct mm_struct *mm)
{
	bool gone = false;

	mmap_read_lock(mm);
	for (unsigned long i = 0; i < MAPPED_PAGES; i++) {
		unsigned long addr = MAP_BASE + i * PAGE_SIZE;
		uint64_t *pte = follow_pte(mm, addr);

		if (!pte || !(*pte & _PAGE_PRESENT)) {
			gone = true;
			handle_mm_fault(vma_lookup(mm, addr), addr, FAULT_FLAG_USER);
		}
	}
	mmap_read_unlock(mm);
	return gone;
}

/* Two processes map the same file pages while reading a file larger than
 * RAM puts kswapd and direct reclaim to work: reclaim unmaps the pages
 * from both through the rmap before it frees them, so no PTE is ever left
 * on a freed (poisoned) page; the bytes stay the file's. */
static void mapped_pages_keep_their_contents_under_reclaim_pressure(struct kunit *test)
{
	bool poisoning = page_poisoning_enabled;
	unsigned long stolen = vm_event(PGSTEAL_DIRECT) + vm_event(PGSTEAL_KSWAPD);
	bool unmapped = false;
	struct mm_struct *a, *b;
	struct file *f;

	if (!have_disk(test))
		return;
	page_poisoning_enabled = true;
	f = filp_open(BIG_PATH, O_RDONLY);
	KUNIT_ASSERT_TRUE(test, !IS_ERR(f));
	invalidate_mapping_pages(f->f_mapping);
	a = map_big_file(test, f, 0);
	b = map_big_file(test, f, 0);
	KUNIT_ASSERT_TRUE(test, a && b);
	for (int round = 0; round < PRESSURE_ROUNDS; round++) {
		KUNIT_EXPECT_GT(test, read_pages(SPARSE_PATH, SPARSE_PAGES),
				(long)(totalram_pages * PAGE_SIZE));
		/* Whatever reclaim unmapped (from one or both) maps again. */
		unmapped |= refault_unmapped(a);
		refault_unmapped(b);
		mmap_read_lock(a);
		mmap_read_lock(b);
		KUNIT_EXPECT_TRUE(test, mapped_pages_intact(a, f->f_mapping, 2));
		KUNIT_EXPECT_TRUE(test, mapped_pages_intact(b, f->f_mapping, 2));
		mmap_read_unlock(b);
		mmap_read_unlock(a);
	}
	KUNIT_EXPECT_TRUE(test, unmapped); /* reclaim did take them */
	KUNIT_EXPECT_GT(test, vm_event(PGSTEAL_DIRECT) + vm_event(PGSTEAL_KSWAPD), stolen);
	mmput(a);
	mmput(b);
	drop_pagecache();
	fput(f);
	page_poisoning_enabled = poisoning;
	KUNIT_EXPECT_EQ(test, bad_page_count(), 0);
}

static struct kunit_case rmap_cases[] = {
	KUNIT_CASE(a_mapped_page_is_never_freed_until_unmapped_through_rmap),
	KUNIT_CASE(mapped_pages_keep_their_contents_under_reclaim_pressure),
	{}};

static struct kunit_suite rmap_suite = {
	.name = "rmap",
	.test_cases = rmap_cases,
	.init = reclaim_mount_disk,
	.exit = reclaim_umount_disk,
	.ram_sizes = "64M", /* the sparse file is larger than RAM */
	/* The rmap walk, kswapd and direct reclaim race with faults. */
	.preempt_stress = true,
};
kunit_test_suite(rmap_suite);
