/* Reading multi-line reports (lockdep, hung task, task dumps) back from
 * the kernel log. Read first: a report is a run of records; a "section"
 * starts at the first record after mark containing start and ends before
 * the next one containing end, so checks can say which part of a report a
 * line belongs to. */
#ifndef OOMLAB_TESTS_REPORT_TEST_HELPERS_H
#define OOMLAB_TESTS_REPORT_TEST_HELPERS_H
#include <stdbool.h>

/* Records after mark (see log_mark) that contain needle. */
unsigned int log_count_since(unsigned long mark, const char *needle);
/* Does a record containing needle come in the section from the first
 * record (after mark) containing start, that one included, to the next
 * one containing end? end NULL: up to the end of the log. */
bool log_section_has(unsigned long mark, const char *start, const char *end, const char *needle);
#endif
