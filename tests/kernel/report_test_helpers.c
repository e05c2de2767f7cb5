/* Searching reports in the kernel log (see the header). */
#include "tests/kernel/report_test_helpers.h"
#include "kernel/printk.h"
#include "kernel/string.h"

#define LOG_LINE_MAX 448

unsigned int log_count_since(unsigned long mark, const char *needle)
{
	char line[LOG_LINE_MAX];
	unsigned long seq = mark;
	unsigned int n = 0;
	int level;

	while (printk_get_record(&seq, line, sizeof(line), &level) == 0)
		if (strstr(line, needle))
			n++;
	return n;
}

bool log_section_has(unsigned long mark, const char *start, const char *end, const char *needle)
{
	char line[LOG_LINE_MAX];
	unsigned long seq = mark;
	bool inside = false;
	int level;

	while (printk_get_record(&seq, line, sizeof(line), &level) == 0) {
		if (!inside) {
			if (!strstr(line, start))
				continue;
			inside = true; /* the start record is part of the section */
		} else if (end && strstr(line, end)) {
			return false;
		}
		if (strstr(line, needle))
			return true;
	}
	return false;
}
