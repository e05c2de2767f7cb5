/* balloon_edge.c: see balloon_edge.h. Read first: /proc/balloon takes a
 * target in pages and is filled by the writing task itself; a target
 * above all of RAM is refused, so "all of RAM" is what we ask for. */
#include <errno.h>
#include <oomlab.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "balloon_edge.h"

#define BALLOON "/proc/balloon"
#define PAGE_KB 4

long balloon_figure(const char *name)
{
	char text[256], key[32];
	const char *at;

	if (read_file(BALLOON, text, sizeof(text)) < 0)
		return -1;
	snprintf(key, sizeof(key), "%s ", name);
	for (at = text; at; at = strchr(at, '\n')) {
		if (*at == '\n')
			at++;
		if (!strncmp(at, key, strlen(key)))
			return strtol(at + strlen(key), NULL, 10);
	}
	return -1;
}

int balloon_set_pages(unsigned long pages)
{
	char value[32];

	snprintf(value, sizeof(value), "%lu\n", pages);
	if (write_file(BALLOON, value) < 0) {
		fprintf(stderr, "lab: %s: %s\n", BALLOON, strerror(errno));
		return -1;
	}
	return 0;
}

long balloon_to_edge(unsigned long margin)
{
	char meminfo[2048];
	long total_kb, size;

	if (read_file("/proc/meminfo", meminfo, sizeof(meminfo)) < 0)
		return -1;
	total_kb = field_value(meminfo, "MemTotal");
	if (total_kb <= 0 || balloon_set_pages((unsigned long)total_kb / PAGE_KB) < 0)
		return -1;
	size = balloon_figure("size");
	if (size < (long)margin) {
		fprintf(stderr, "lab: the balloon got only %ld pages\n", size);
		return -1;
	}
	if (balloon_set_pages((unsigned long)size - margin) < 0)
		return -1;
	return balloon_figure("size");
}
