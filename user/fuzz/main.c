/* fuzz: a system call fuzzer in the style of trinity. The parent keeps N
 * children running, each making random calls with random and adversarial
 * arguments; it kills a child that runs past its timeout and reports one
 * that SIGKILL cannot end. Read first: the seed printed at the start and
 * a child's index replay that child exactly ("fuzz -s SEED -i INDEX -v"
 * prints each call); the kernel log, not this program, says whether the
 * kernel survived (tests/runner/fuzz_support.py reads both). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define MAX_CHILDREN 16
#define POLL_NS 20000000l /* 20 ms between looks at the children */
#define SWEEP_NS 1000000000l
#define FINAL_SWEEPS 50	      /* a second apart at most: 1 s of naps */
#define UNKILLABLE_SECONDS 20 /* SIGKILL sent, still not reaped: a kernel bug */
#define NSEC_PER_SEC 1000000000l

struct options {
	uint64_t seed;
	long seconds, timeout;
	unsigned long ops;
	int children, verbose;
	long only_index; /* -i: replay this one child; -1: a whole run */
};

struct slot {
	int pid; /* 0: free */
	unsigned long index;
	long started, killed; /* ns; killed 0 until we sent SIGKILL */
	int reported;
};

static struct slot slots[MAX_CHILDREN];
static struct options opt = {
	.seconds = 60, .timeout = 5, .ops = 400, .children = 4, .only_index = -1};
static unsigned long spawned, exited, signalled, timed_out, unkillable;

static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static void nap(long ns)
{
	struct timespec ts = {ns / NSEC_PER_SEC, ns % NSEC_PER_SEC};

	nanosleep(&ts, NULL);
}

static void spawn(struct slot *s, unsigned long index)
{
	int pid = fork();

	if (pid == 0)
		child_main(opt.seed, index, opt.ops, opt.verbose);
	if (pid < 0) {
		dprintf(1, "fuzz: fork failed (%s); retrying\n", strerror(errno));
		return;
	}
	s->pid = pid;
	s->index = index;
	s->started = now_ns();
	s->killed = 0;
	s->reported = 0;
	spawned++;
	dprintf(1, "fuzz: child %lu pid %d\n", index, pid);
}

static struct slot *slot_of(int pid)
{
	for (int i = 0; i < opt.children; i++)
		if (slots[i].pid == pid)
			return &slots[i];
	return NULL;
}

static void reaped(int pid, int status)
{
	struct slot *s = slot_of(pid);

	if (!s)
		return; /* a clone(CLONE_PARENT) of a child: made us its parent */
	if (s->reported)
		dprintf(1, "fuzz: child %lu pid %d reaped at last\n", s->index, pid);
	if (WIFEXITED(status))
		exited++;
	else if (!s->killed)
		signalled++;
	s->pid = 0;
}

/* SIGKILL for a child past its timeout; a report for one that outlives
 * the SIGKILL by UNKILLABLE_SECONDS (the runner fails the run on it). */
static void check_timeouts(long now)
{
	for (int i = 0; i < opt.children; i++) {
		struct slot *s = &slots[i];

		if (!s->pid)
			continue;
		if (!s->killed && now - s->started > opt.timeout * NSEC_PER_SEC) {
			kill(s->pid, SIGKILL);
			s->killed = now;
			timed_out++;
			dprintf(1, "fuzz: child %lu pid %d still running after %ld s: killed\n",
				s->index, s->pid, opt.timeout);
		} else if (s->killed && !s->reported &&
			   now - s->killed > UNKILLABLE_SECONDS * NSEC_PER_SEC) {
			s->reported = 1;
			unkillable++;
			dprintf(1,
				"fuzz: FAIL: child %lu pid %d (seed %llu) alive %d s after "
				"SIGKILL\n",
				s->index, s->pid, (unsigned long long)opt.seed, UNKILLABLE_SECONDS);
		}
	}
}

/* The command name and parent of a process, from /proc/PID/stat. */
static int proc_stat(int pid, char *comm, size_t len, int *ppid)
{
	char path[48], buf[256], *open_paren, *close_paren;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren || close_paren < open_paren || close_paren[1] != ' ')
		return -1;
	*close_paren = '\0';
	strlcpy(comm, open_paren + 1, len);
	*ppid = atoi(close_paren + 4); /* ") S ppid" */
	return 0;
}

/* What a child or its forks can become (see exec_paths in args.c). */
static int is_fuzz_program(const char *comm)
{
	static const char *const names[] = {"fuzz", "echo", "goodelf"};

	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(comm, names[i]) == 0)
			return 1;
	return 0;
}

/* Forks of children that lost their parent went to init; nobody else
 * would stop one that blocks forever. They are ours if init adopted them
 * and they run one of our programs; never the shell that started us. */
static int kill_strays(void)
{
	DIR *dir = opendir("/proc");
	struct dirent *d;
	int self = getpid(), parent = getppid(), killed = 0;

	if (!dir)
		return 0;
	while ((d = readdir(dir)) != NULL) {
		char comm[32];
		int pid = atoi(d->d_name), ppid;

		if (pid <= 1 || pid == self || pid == parent || slot_of(pid))
			continue;
		if (proc_stat(pid, comm, sizeof(comm), &ppid) < 0 || !is_fuzz_program(comm))
			continue;
		if (ppid == 1 || ppid == self) {
			kill(pid, SIGKILL);
			killed++;
		}
	}
	closedir(dir);
	return killed;
}

static int live_children(void)
{
	int n = 0;

	for (int i = 0; i < opt.children; i++)
		n += slots[i].pid != 0;
	return n;
}

static void run(void)
{
	long start = now_ns(), last_sweep = start;
	unsigned long next = opt.only_index >= 0 ? (unsigned long)opt.only_index : 0;
	int replay = opt.only_index >= 0;

	for (;;) {
		long now = now_ns();
		int running = replay ? spawned == 0 : now - start < opt.seconds * NSEC_PER_SEC;
		int status, pid;

		for (int i = 0; running && i < opt.children; i++)
			if (!slots[i].pid && (!replay || spawned == 0))
				spawn(&slots[i], next++);
		while ((pid = wait4(-1, &status, WNOHANG, NULL)) > 0)
			reaped(pid, status);
		if (!running && !live_children())
			break;
		check_timeouts(now);
		if (now - last_sweep > SWEEP_NS) {
			kill_strays();
			last_sweep = now;
		}
		nap(POLL_NS);
	}
	/* A stray killed in the middle of a fork may leave a child that the
	 * same sweep saw with the stray as its parent, not init: sweep until
	 * one finds nothing left to kill. */
	for (int i = 0; i < FINAL_SWEEPS && kill_strays(); i++)
		nap(POLL_NS);
	while (wait4(-1, NULL, WNOHANG, NULL) > 0)
		;
}

/* For a memory baseline: as "echo 3 > /proc/sys/vm/drop_caches" (which sh
 * cannot say), after every file the children use has been read once. */
static int drop_caches(void)
{
	int fd;

	prime_page_cache();
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd < 0 || write(fd, "3\n", 2) != 2) {
		dprintf(2, "fuzz: drop_caches: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}

/* The fuzzer is never the OOM killer's victim: its children are (see
 * child.c); they inherit this and raise it, which needs no privilege. */
static void never_oom_kill_me(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);

	if (fd < 0 || write(fd, OOM_SCORE_ADJ_FUZZER, strlen(OOM_SCORE_ADJ_FUZZER)) < 0)
		dprintf(2, "fuzz: oom_score_adj: %s\n", strerror(errno));
	if (fd >= 0)
		close(fd);
}

static void usage(void)
{
	dprintf(2,
		"usage: fuzz [-s SEED] [-t SECONDS] [-c CHILDREN] [-n CALLS] [-T TIMEOUT]\n"
		"            [-i INDEX] [-v] | fuzz -D\n"
		"  -s seed (default: from the clock)  -t run time (default 60 s)\n"
		"  -c children at once (default 4, at most %d)  -n calls per child (400)\n"
		"  -T seconds before a child is killed (5)  -i replay only child INDEX\n"
		"  -v print every call  -D read the files children use, drop the caches, exit\n",
		MAX_CHILDREN);
	exit(2);
}

int main(int argc, char **argv)
{
	int ch;

	opt.seed = (uint64_t)now_ns();
	while ((ch = getopt(argc, argv, "s:t:c:n:T:i:vD")) != -1) {
		switch (ch) {
		case 's': opt.seed = strtoull(optarg, NULL, 0); break;
		case 't': opt.seconds = strtol(optarg, NULL, 0); break;
		case 'c': opt.children = atoi(optarg); break;
		case 'n': opt.ops = strtoul(optarg, NULL, 0); break;
		case 'T': opt.timeout = strtol(optarg, NULL, 0); break;
		case 'i': opt.only_index = strtol(optarg, NULL, 0); break;
		case 'v': opt.verbose = 1; break;
		case 'D': return drop_caches();
		default: usage();
		}
	}
	if (optind != argc || opt.children < 1 || opt.children > MAX_CHILDREN || opt.seconds < 0 ||
	    opt.timeout < 1)
		usage();
	if (opt.only_index >= 0)
		opt.children = 1;
	never_oom_kill_me();
	dprintf(1, "fuzz: seed %llu, %ld s, %d children, %lu calls each, %d syscalls known\n",
		(unsigned long long)opt.seed, opt.seconds, opt.children, opt.ops, nr_fuzz_calls);
	run();
	dprintf(1,
		"fuzz: seed %llu done: %lu children, %lu exited, %lu died by a signal, %lu "
		"timed out, %lu unkillable\n",
		(unsigned long long)opt.seed, spawned, exited, signalled, timed_out, unkillable);
	return unkillable ? 1 : 0;
}
