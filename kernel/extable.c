/* Exception table search. The table is small and unsorted (built from
 * link order), so a linear scan is fine; Linux sorts it at boot. */
#include "kernel/nofault.h"
#include "kernel/ptrace.h"

extern const struct exception_table_entry __start_ex_table[], __stop_ex_table[];

static uint64_t ex_insn_addr(const struct exception_table_entry *e)
{
	return (uint64_t)&e->insn + (int64_t)e->insn;
}

static uint64_t ex_fixup_addr(const struct exception_table_entry *e)
{
	return (uint64_t)&e->fixup + (int64_t)e->fixup;
}

int search_exception_table(uint64_t ip)
{
	for (const struct exception_table_entry *e = __start_ex_table; e < __stop_ex_table; e++)
		if (ex_insn_addr(e) == ip)
			return 1;
	return 0;
}

int fixup_exception(struct pt_regs *regs)
{
	for (const struct exception_table_entry *e = __start_ex_table; e < __stop_ex_table; e++) {
		if (ex_insn_addr(e) == regs->rip) {
			regs->rip = ex_fixup_addr(e);
			return 1;
		}
	}
	return 0;
}
