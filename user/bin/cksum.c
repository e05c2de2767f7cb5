/* cksum: the POSIX checksum (CRC-32, polynomial 0x04C11DB7, length folded
 * in) and size of each file, printed as "CRC SIZE NAME" like coreutils'
 * cksum, so the two can be compared. Read first: -r walks directories
 * (an oomlab extension) so one command checks a whole tree.
 * Usage: cksum [-r] FILE... */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK 4096
#define CRC_POLY 0x04c11db7u
#define PATH_LEN 512
#define DIRENT_BUF 4096

static uint32_t crc_table[256];

static void make_table(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i << 24;

		for (int k = 0; k < 8; k++)
			c = (c & 0x80000000u) ? (c << 1) ^ CRC_POLY : c << 1;
		crc_table[i] = c;
	}
}

static uint32_t crc_byte(uint32_t crc, uint8_t b)
{
	return (crc << 8) ^ crc_table[(crc >> 24) ^ b];
}

static int sum_file(const char *path)
{
	static unsigned char buf[CHUNK];
	uint32_t crc = 0;
	uint64_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		fprintf(stderr, "cksum: %s: %s\n", path, strerror(errno));
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			crc = crc_byte(crc, buf[i]);
		len += (uint64_t)n;
	}
	close(fd);
	if (n < 0) {
		fprintf(stderr, "cksum: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (uint64_t l = len; l; l >>= 8)
		crc = crc_byte(crc, (uint8_t)l);
	printf("%u %llu %s\n", ~crc, (unsigned long long)len, path);
	return 0;
}

static int sum_tree(const char *path);

static int sum_path(const char *path, int recurse)
{
	struct stat st;
	int fd = recurse ? open(path, O_RDONLY) : -1, is_dir = 0;

	if (fd >= 0) {
		is_dir = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
		close(fd);
	}
	return is_dir ? sum_tree(path) : sum_file(path);
}

/* Every regular file below dir; symlinks and other nodes are skipped. */
static int sum_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int status = 0;

	if (!d) {
		fprintf(stderr, "cksum: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		char path[PATH_LEN];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR)
			status |= sum_tree(path);
		else if (e->d_type == DT_REG)
			status |= sum_file(path);
	}
	closedir(d);
	return status;
}

int main(int argc, char **argv)
{
	int recurse = 0, status = 0, i = 1;

	make_table();
	if (argc > 1 && !strcmp(argv[1], "-r")) {
		recurse = 1;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: cksum [-r] FILE...\n");
		return 1;
	}
	for (; i < argc; i++)
		status |= sum_path(argv[i], recurse);
	return status;
}
