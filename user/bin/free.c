/* free: memory totals from /proc/meminfo, laid out as procps-ng 4's
 * "free -k" (or -m). Read first: "used" is MemTotal - MemAvailable, as in
 * procps-ng 4, so page cache the kernel can drop does not count as used;
 * fields the kernel does not provide count as 0. */
#include <errno.h>
#include <oomlab.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MEMINFO "/proc/meminfo"
#define MEMINFO_MAX 8192

static long kb(const char *text, const char *key)
{
	long v = field_value(text, key);

	return v < 0 ? 0 : v;
}

static void row(const char *label, const long *v, int n, long div)
{
	printf("%-8s", label);
	for (int i = 0; i < n; i++)
		printf("%12ld", v[i] / div);
	printf("\n");
}

static int usage(void)
{
	fprintf(stderr, "usage: free [-k|-m]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static char text[MEMINFO_MAX];
	long div = 1, mem[6], swap[3], total, avail, cache;
	int opt;

	while ((opt = getopt(argc, argv, "km")) != -1) {
		if (opt == 'm')
			div = 1024;
		else if (opt != 'k')
			return usage();
	}
	if (read_file(MEMINFO, text, sizeof(text)) < 0) {
		fprintf(stderr, "free: %s: %s\n", MEMINFO, strerror(errno));
		return 1;
	}
	total = kb(text, "MemTotal");
	cache = kb(text, "Buffers") + kb(text, "Cached") + kb(text, "SReclaimable");
	avail = field_value(text, "MemAvailable");
	mem[0] = total;
	mem[1] = avail >= 0 ? total - avail : total - kb(text, "MemFree") - cache;
	mem[2] = kb(text, "MemFree");
	mem[3] = kb(text, "Shmem");
	mem[4] = cache;
	mem[5] = avail >= 0 ? avail : mem[2];
	if (mem[1] < 0)
		mem[1] = total - mem[2];
	swap[0] = kb(text, "SwapTotal");
	swap[2] = kb(text, "SwapFree");
	swap[1] = swap[0] - swap[2];
	printf("%-8s%12s%12s%12s%12s%12s%12s\n", "", "total", "used", "free", "shared",
	       "buff/cache", "available");
	row("Mem:", mem, 6, div);
	row("Swap:", swap, 3, div);
	return 0;
}
