/* balloon: plays the hypervisor for the kernel's memory balloon, as a host
 * would through virtio: sets its target and shows its figures. Read first:
 * the kernel side is /proc/balloon ("size N", "target N", ... in pages;
 * writing a number of pages sets the target) and the write returns once
 * the balloon got there or ran out of memory, so "inflate" can tell. */
#include <errno.h>
#include <oomlab.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BALLOON "/proc/balloon"
#define PAGE_SIZE 4096UL
#define TEXT_MAX 512

struct figures {
	unsigned long size, target, inflated, deflated, oom_deflated;
};

static unsigned long figure(const char *text, const char *name)
{
	size_t len = strlen(name);

	for (const char *line = text; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (!strncmp(line, name, len) && line[len] == ' ')
			return strtoul(line + len + 1, NULL, 10);
	}
	return 0;
}

static int read_figures(struct figures *f)
{
	char text[TEXT_MAX];

	if (read_file(BALLOON, text, sizeof(text)) < 0) {
		fprintf(stderr, "balloon: %s: %s\n", BALLOON, strerror(errno));
		return -1;
	}
	f->size = figure(text, "size");
	f->target = figure(text, "target");
	f->inflated = figure(text, "inflated");
	f->deflated = figure(text, "deflated");
	f->oom_deflated = figure(text, "oom_deflated");
	return 0;
}

static int status(void)
{
	struct figures f;

	if (read_figures(&f))
		return 1;
	printf("balloon: %lu kB (%lu pages), target %lu kB (%lu pages)\n", f.size * 4, f.size,
	       f.target * 4, f.target);
	printf("pages since boot: inflated %lu, deflated %lu, of those by the OOM notifier %lu\n",
	       f.inflated, f.deflated, f.oom_deflated);
	return 0;
}

/* Sets the target; 1 when the balloon stayed short of it. */
static int set_target(unsigned long pages)
{
	char text[32];
	struct figures f;

	snprintf(text, sizeof(text), "%lu\n", pages);
	if (write_file(BALLOON, text) < 0) {
		/* The number is well formed: EINVAL can only mean too big. */
		fprintf(stderr, "balloon: target %lu pages: %s%s\n", pages, strerror(errno),
			errno == EINVAL ? " (more than all of RAM)" : "");
		return 1;
	}
	if (status() || read_figures(&f))
		return 1;
	if (f.size < pages) {
		fprintf(stderr, "balloon: out of memory, %lu pages short of the target\n",
			pages - f.size);
		return 1;
	}
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: balloon [status]\n"
			"       balloon inflate SIZE    take SIZE more from free memory\n"
			"       balloon deflate [SIZE]  give SIZE back (all without SIZE)\n"
			"       balloon target SIZE     inflate or deflate to SIZE\n"
			"SIZE: pages, or bytes with a K, M or G suffix (20M)\n");
	return 2;
}

static int parse_pages(const char *arg, unsigned long *pages)
{
	unsigned long bytes;

	if (parse_size(arg, PAGE_SIZE, &bytes) < 0) {
		fprintf(stderr, "balloon: bad size '%s'\n", arg);
		return -1;
	}
	*pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "status";
	unsigned long pages = 0;
	struct figures f;

	if (argc > 3)
		return usage();
	if (argc == 3 && parse_pages(argv[2], &pages))
		return 2;
	if (!strcmp(cmd, "status") && argc <= 2)
		return status();
	if (!strcmp(cmd, "target") && argc == 3)
		return set_target(pages);
	if (strcmp(cmd, "inflate") && strcmp(cmd, "deflate"))
		return usage();
	if (!strcmp(cmd, "inflate") && argc != 3)
		return usage();
	if (read_figures(&f))
		return 1;
	if (!strcmp(cmd, "inflate"))
		return set_target(f.size + pages);
	return set_target(argc == 3 && pages < f.size ? f.size - pages : 0);
}
