/* The main() shared by the libFuzzer targets (fuzz_buddy, fuzz_elf). Read
 * first: run with arguments, a target is plain libFuzzer (make fuzz); run
 * bare, as the test runner does, it fuzzes for a few seconds in a child
 * process, whose libFuzzer chatter goes to stderr (the runner's log), and
 * reports the outcome as one KTAP case on stdout. */
#ifndef OOMLAB_TESTS_HOST_FUZZ_MAIN_H
#define OOMLAB_TESTS_HOST_FUZZ_MAIN_H
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Where a crashing input of a short pass lands (-artifact_prefix). */
#define FUZZ_ARTIFACTS_DIR "build/fuzz/"
#define FUZZ_MAX_ARGS 16

typedef int (*fuzz_test_fn)(const uint8_t *data, size_t size);

struct fuzz_target {
	const char *name;	 /* "fuzz_elf": the KTAP case is NAME_short_pass */
	char *const *short_pass; /* libFuzzer flags of the short pass, NULL-ended */
	fuzz_test_fn test_one;
	const char *held; /* what a clean pass proved, for the KTAP note */
};

int LLVMFuzzerRunDriver(int *argc, char ***argv, fuzz_test_fn cb);

static int fuzz_run_child(const struct fuzz_target *t, const char *self, int out_fd)
{
	char *argv[FUZZ_MAX_ARGS + 2];
	char **args = argv;
	int argc = 0;

	/* Everything libFuzzer says goes to the pipe: our stdout is KTAP. */
	dup2(out_fd, STDERR_FILENO);
	dup2(out_fd, STDOUT_FILENO);
	argv[argc++] = (char *)self;
	for (int i = 0; i < FUZZ_MAX_ARGS && t->short_pass[i]; i++)
		argv[argc++] = t->short_pass[i];
	argv[argc] = NULL;
	return LLVMFuzzerRunDriver(&argc, &args, t->test_one);
}

/* Copies the child's libFuzzer output to our stderr (the runner's log)
 * and keeps its "Done N runs in S second(s)" line. */
static void fuzz_relay_output(FILE *from, char *done, size_t len)
{
	char line[1024];

	done[0] = '\0';
	while (fgets(line, sizeof(line), from)) {
		fputs(line, stderr);
		if (!strncmp(line, "Done ", 5)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(done, len, "%s", line);
		}
	}
}

static int fuzz_short_pass(const struct fuzz_target *t, const char *self)
{
	int pipe_fd[2], status;
	char done[256];
	pid_t child;
	FILE *from;

	setvbuf(stdout, NULL, _IONBF, 0);
	printf("KTAP version 1\n1..1\n");
	mkdir("build", 0777);
	mkdir(FUZZ_ARTIFACTS_DIR, 0777);
	if (pipe(pipe_fd) || (child = fork()) < 0) {
		printf("# cannot start the fuzzer: pipe/fork failed\nnot ok 1 %s_short_pass\n",
		       t->name);
		return 1;
	}
	if (child == 0) {
		close(pipe_fd[0]);
		_exit(fuzz_run_child(t, self, pipe_fd[1]));
	}
	close(pipe_fd[1]);
	from = fdopen(pipe_fd[0], "r");
	fuzz_relay_output(from, done, sizeof(done));
	fclose(from);
	waitpid(child, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		printf("# %s: %s\n", done[0] ? done : "done", t->held);
		printf("ok 1 %s_short_pass\n", t->name);
		return 0;
	}
	if (WIFSIGNALED(status))
		printf("# the fuzzer died of signal %d\n", WTERMSIG(status));
	else
		printf("# the fuzzer exited %d: an invariant broke or a sanitizer fired; the input "
		       "is in %s (see stderr)\n",
		       WEXITSTATUS(status), FUZZ_ARTIFACTS_DIR);
	printf("not ok 1 %s_short_pass\n", t->name);
	return 1;
}

static inline int fuzz_main(const struct fuzz_target *t, int argc, char **argv)
{
	if (argc > 1)
		return LLVMFuzzerRunDriver(&argc, &argv, t->test_one);
	return fuzz_short_pass(t, argv[0]);
}
#endif
