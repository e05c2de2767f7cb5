/* oomctl: reads and sets the kernel's run-time switches, like sysctl. Read
 * first: each switch is one file, /proc/sys/oomlab/NAME, named as on the
 * kernel command line ("oom.reaper"); reading gives the value and a
 * newline, writing "value\n" sets it or fails with the kernel's errno
 * (EINVAL for a bad value). A name not found as a file is also tried with
 * its dots turned into slashes, as sysctl does. The environment variable
 * OOMCTL_DIR replaces the directory (the host tests use it). */
#include <dirent.h>
#include <errno.h>
#include <oomlab.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYSCTL_DIR "/proc/sys/oomlab"
#define VALUE_MAX 256
#define PATH_LEN 512

static const char *sysctl_dir = SYSCTL_DIR;

static void strip_newline(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/* Fills path for name; with dots_as_dirs, "oom.reaper" -> oom/reaper. */
static void switch_path(const char *name, int dots_as_dirs, char *path, size_t size)
{
	size_t n = (size_t)snprintf(path, size, "%s/%s", sysctl_dir, name);

	for (size_t i = strlen(sysctl_dir) + 1; dots_as_dirs && i < n && i < size; i++) {
		if (path[i] == '.')
			path[i] = '/';
	}
}

/* Runs op on the flat path, then on the dotted-as-dirs one if the first
 * does not exist. */
static int with_path(const char *name, int (*op)(const char *path, void *arg), void *arg)
{
	char path[PATH_LEN];
	int ret;

	switch_path(name, 0, path, sizeof(path));
	ret = op(path, arg);
	if (ret < 0 && errno == ENOENT && strchr(name, '.')) {
		switch_path(name, 1, path, sizeof(path));
		ret = op(path, arg);
	}
	return ret;
}

static int read_op(const char *path, void *value)
{
	return read_file(path, value, VALUE_MAX) < 0 ? -1 : 0;
}

static int write_op(const char *path, void *text)
{
	return write_file(path, text);
}

static int show(const char *name)
{
	char value[VALUE_MAX];

	if (with_path(name, read_op, value) < 0) {
		fprintf(stderr, "oomctl: %s: %s\n", name, strerror(errno));
		return 1;
	}
	strip_newline(value);
	printf("%s = %s\n", name, value);
	return 0;
}

static int set(char *assignment)
{
	char *eq = strchr(assignment, '='), text[VALUE_MAX];

	*eq = '\0';
	snprintf(text, sizeof(text), "%s\n", eq + 1);
	if (with_path(assignment, write_op, text) < 0) {
		fprintf(stderr, "oomctl: %s=%s: %s\n", assignment, eq + 1, strerror(errno));
		return 1;
	}
	return show(assignment);
}

/* Every file under dir, recursively; prefix is the dotted name so far. */
static int show_all(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int status = 0;

	if (!d) {
		fprintf(stderr, "oomctl: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		char path[PATH_LEN], name[PATH_LEN];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		snprintf(name, sizeof(name), "%s%s%s", prefix, *prefix ? "." : "", e->d_name);
		if (e->d_type == DT_DIR)
			status |= show_all(path, name);
		else
			status |= show(name);
	}
	closedir(d);
	return status;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (getenv("OOMCTL_DIR"))
		sysctl_dir = getenv("OOMCTL_DIR");
	if (argc < 2)
		return show_all(sysctl_dir, "");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		printf("usage: oomctl              list every switch\n"
		       "       oomctl NAME...      print switches\n"
		       "       oomctl NAME=VALUE   set a switch\n");
		return 0;
	}
	for (int i = 1; i < argc; i++)
		status |= strchr(argv[i], '=') ? set(argv[i]) : show(argv[i]);
	return status;
}
