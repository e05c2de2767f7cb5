/* oomlab.h: helpers our programs share that no standard header has: whole
 * small files (the /proc and /proc/sys/oomlab files are read and written
 * in one call each) and sizes with K/M/G suffixes. */
#ifndef _OOMLAB_H
#define _OOMLAB_H

#include <sys/types.h>

#define KiB 1024UL
#define MiB (1024UL * KiB)
#define GiB (1024UL * MiB)

/* Reads up to size - 1 bytes of path into buf and NUL-terminates it.
 * Returns the length, or -1 with errno set. */
ssize_t read_file(const char *path, char *buf, size_t size);
/* Writes text to path in a single write(). Returns 0, or -1 with errno. */
int write_file(const char *path, const char *text);
/* "8M" -> 8 MiB. Suffixes K, M, G (any case, optional "iB"/"B"); a bare
 * number means units bytes. Returns 0, or -1 for anything else. */
int parse_size(const char *s, unsigned long units, unsigned long *bytes);
/* The text after "Key:" and its blanks, at the start of a line of text;
 * NULL when no line starts with "Key:". */
const char *field_find(const char *text, const char *key);
/* The number after "Key:" in a "Key:   value" file such as
 * /proc/meminfo or /proc/PID/status; -1 when the key is absent. */
long field_value(const char *text, const char *key);

#endif
