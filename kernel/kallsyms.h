/* Symbol lookup for call traces: a table of text symbols generated at build
 * time from the linked kernel (tools/gen_kallsyms.py) and linked back in.
 * The table is sorted by address; sizes run to the next symbol. */
#ifndef OOMLAB_KERNEL_KALLSYMS_H
#define OOMLAB_KERNEL_KALLSYMS_H
#include <stddef.h>
#include <stdint.h>

struct kallsyms_table {
	uint32_t num;
	const uint64_t *addrs;	      /* ascending */
	const uint64_t *sizes;	      /* bytes covered by each symbol */
	const uint32_t *name_offsets; /* into names */
	const char *names;	      /* NUL-separated */
};

/* Name of the symbol containing addr, with its size and addr's offset in it;
 * NULL when no symbol covers addr. */
const char *kallsyms_lookup_in(const struct kallsyms_table *t, uint64_t addr, uint64_t *size,
			       uint64_t *offset);
/* Address of a symbol by exact name, 0 when absent. */
uint64_t kallsyms_lookup_name_in(const struct kallsyms_table *t, const char *name);
/* "name+0xoff/0xsize", or "0x<16 hex digits>" when unknown; returns length. */
int sprint_symbol_in(const struct kallsyms_table *t, char *buf, size_t len, uint64_t addr);

/* The kernel's own table (defined by the generated kallsyms.S). */
extern const struct kallsyms_table kallsyms_kernel_table;
const char *kallsyms_lookup(uint64_t addr, uint64_t *size, uint64_t *offset);
uint64_t kallsyms_lookup_name(const char *name);
int sprint_symbol(char *buf, size_t len, uint64_t addr);
#endif
