/* Address <-> name lookups for call traces and gdb-free debugging. Read
 * first: the table is generated from the linked kernel by
 * tools/gen_kallsyms.py and linked back in, sorted by address; each symbol
 * covers the bytes up to the next one, so any return address has an owner. */
#include "kernel/kallsyms.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"

/* Index of the last symbol starting at or below addr, or -1. */
static long find_index(const struct kallsyms_table *t, uint64_t addr)
{
	long lo = 0, hi;

	if (!t || t->num == 0 || addr < t->addrs[0])
		return -1;
	hi = (long)t->num - 1;
	while (lo < hi) {
		long mid = lo + (hi - lo + 1) / 2;

		if (t->addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

const char *kallsyms_lookup_in(const struct kallsyms_table *t, uint64_t addr, uint64_t *size,
			       uint64_t *offset)
{
	long i = find_index(t, addr);

	/* Subtract rather than add: addrs[i] + sizes[i] may wrap at the top. */
	if (i < 0 || addr - t->addrs[i] >= t->sizes[i])
		return NULL;
	if (size)
		*size = t->sizes[i];
	if (offset)
		*offset = addr - t->addrs[i];
	return t->names + t->name_offsets[i];
}

uint64_t kallsyms_lookup_name_in(const struct kallsyms_table *t, const char *name)
{
	if (!t)
		return 0;
	for (uint32_t i = 0; i < t->num; i++) {
		if (strcmp(t->names + t->name_offsets[i], name) == 0)
			return t->addrs[i];
	}
	return 0;
}

int sprint_symbol_in(const struct kallsyms_table *t, char *buf, size_t len, uint64_t addr)
{
	uint64_t size, offset;
	const char *name = kallsyms_lookup_in(t, addr, &size, &offset);

	if (!name)
		return snprintf(buf, len, "0x%016lx", (unsigned long)addr);
	return snprintf(buf, len, "%s+0x%lx/0x%lx", name, (unsigned long)offset,
			(unsigned long)size);
}

#ifndef HOST_TEST
const char *kallsyms_lookup(uint64_t addr, uint64_t *size, uint64_t *offset)
{
	return kallsyms_lookup_in(&kallsyms_kernel_table, addr, size, offset);
}

uint64_t kallsyms_lookup_name(const char *name)
{
	return kallsyms_lookup_name_in(&kallsyms_kernel_table, name);
}

int sprint_symbol(char *buf, size_t len, uint64_t addr)
{
	return sprint_symbol_in(&kallsyms_kernel_table, buf, len, addr);
}
#endif
