/* elf_check FILE...: prints "FILE: ok" or "FILE: <rule>" per file, as
 * kernel/elf_parse.c judges it (elf_error_name's rule names): why the
 * kernel would refuse a program. Read first: a host tool, not a test binary
 * (make host-tests builds build/host-data/elf_check); test_mkbadelf.py
 * builds its own to check each mkbadelf file breaks the rule it names. */
#include "kernel/elf.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* The whole file, or NULL; *size set. */
static unsigned char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	struct stat st;

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) == 0) {
		*size = (size_t)st.st_size;
		buf = malloc(*size ? *size : 1);
		if (buf && fread(buf, 1, *size, f) != *size) {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	int status = 0;

	for (int i = 1; i < argc; i++) {
		struct elf_image_info info;
		size_t size = 0;
		unsigned char *image = slurp(argv[i], &size);

		if (!image) {
			perror(argv[i]);
			status = 2;
			continue;
		}
		elf_parse(image, size, &info);
		printf("%s: %s\n", argv[i], elf_error_name(info.error));
		free(image);
	}
	return status;
}
