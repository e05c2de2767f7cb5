/* oomlab.c: the helpers of oomlab.h. Read first: /proc files are small and
 * generated on each read, so one read() into a caller's buffer is the
 * whole story; no stdio streams are involved. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <oomlab.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n = 0;

	if (fd < 0)
		return -1;
	/* Loop: a file may come back in more than one piece. */
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return n < 0 ? -1 : (ssize_t)len;
}

int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t len = (ssize_t)strlen(text), n;
	int saved;

	if (fd < 0)
		return -1;
	n = write(fd, text, (size_t)len);
	saved = errno;
	close(fd);
	errno = saved;
	if (n == len)
		return 0;
	if (n >= 0)
		errno = EIO; /* a short write of a switch is as bad as none */
	return -1;
}

static unsigned long suffix_scale(const char *s, unsigned long units)
{
	unsigned long scale;

	switch (toupper(*s)) {
	case '\0': return units;
	case 'K': scale = KiB; break;
	case 'M': scale = MiB; break;
	case 'G': scale = GiB; break;
	default: return 0;
	}
	s++;
	if (strcmp(s, "") == 0 || strcmp(s, "B") == 0 || strcmp(s, "iB") == 0)
		return scale;
	return 0;
}

int parse_size(const char *s, unsigned long units, unsigned long *bytes)
{
	unsigned long n, scale;
	char *end;

	if (!isdigit(*s))
		return -1;
	errno = 0;
	n = strtoul(s, &end, 10);
	scale = suffix_scale(end, units);
	if (errno || !scale || n > ~0UL / scale)
		return -1;
	*bytes = n * scale;
	return 0;
}

const char *field_find(const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *line = text;

	while (line && *line) {
		if (strncmp(line, key, len) == 0 && line[len] == ':') {
			for (line += len + 1; *line == ' ' || *line == '\t'; line++)
				;
			return line;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return NULL;
}

long field_value(const char *text, const char *key)
{
	const char *v = field_find(text, key);

	return v ? strtol(v, NULL, 10) : -1;
}
