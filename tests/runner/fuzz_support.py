"""The syscall fuzzer's session (user/fuzz, "make fuzz-syscalls" and the
short pass in make test): boot, a warm-up run, a baseline, the real run,
then the verdict. Read first: the kernel log decides whether the kernel
survived (any oops, BUG:, Bad page state, UBSAN:, panic, lockdep WARNING:
or hung task fails the run, named by seed and child index), and memory
must come back to the warm baseline once the caches are dropped.

Memory is compared exactly, with no slack, after "fuzz -D" (which reads
every file the children use, so each has its page-cache index, then drops
the caches): slab objects per cache, and MemFree + the pages on the
per-CPU lists + Slab. /proc/meminfo's MemFree counts the buddy lists only,
as Linux's does, and nothing drains the pcp lists from user space, so
their pages are counted (/proc/zoneinfo "count:"); a cache keeps up to
SLAB_MAX_FREE_SLABS empty slabs for the next burst, so slab pages are
counted with the free ones while their objects are compared one by one.
"""
import os
import random
import re
import time

from shell_support import PROMPT, ShellTestCase

# A kernel log line that fails the run, wherever it shows. (A user-mode
# fault is "traps: fuzz[N] trap general protection fault ..." or "fuzz[N]:
# segfault at ...": expected, never matched; the kernel's own is
# "general protection fault, maybe for address ...".)
FAILURE = re.compile(
    r"BUG[: ]|Oops|general protection fault, |Kernel panic|UBSAN:|WARNING:"
    r"|blocked for more than|stack guard page|\[#\d+\] PREEMPT|NX-protected"
    r"|NMI received|fuzz: FAIL")
CHILD_LINE = re.compile(r"fuzz: child (\d+) pid (\d+)")
# The task a report is about: its first such line after the report starts.
REPORT_PID = re.compile(r"CPU: \d+ PID: (\d+) Comm|INFO: task \S+:(\d+) "
                        r"|fuzz: FAIL: child (\d+) pid (\d+)")
REPORT_SPAN = 2500
DONE = re.compile(r"fuzz: seed (\d+) done: (\d+) children")

WARMUP_SECONDS = 8
POLL_SECONDS = 5.0  # how often a running fuzz's log is checked for reports
REPORT_SECONDS = 3.0  # a report's lines after its first
CHILDREN = 4


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value, 0) if value.strip() else default


def memory_snapshot(text):
    """(free kB counting pcp and slab pages, {cache: active objects}, meminfo)."""
    meminfo = {k: int(v) for k, v in re.findall(r"(?m)^(\w+):\s+(\d+) kB", text)}
    # /proc/vmstat's counters too, to say where memory went when it did.
    vmstat = {k: int(v) for k, v in re.findall(r"(?m)^(nr_\w+|pg\w+) (\d+)$", text)}
    meminfo.update(vmstat)
    meminfo["pages_allocated"] = (sum(v for k, v in vmstat.items()
                                      if k.startswith("pgalloc_") and k != "pgalloc_fail")
                                  - vmstat.get("pgfree", 0))
    pcp_pages = sum(int(n) for n in re.findall(r"(?m)^\s+count:\s+(\d+)", text))
    slabs = {}
    for m in re.finditer(r"(?m)^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+ : tunables", text):
        slabs[m.group(1)] = int(m.group(2))
    return meminfo.get("MemFree", 0) + pcp_pages * 4 + meminfo.get("Slab", 0), slabs, meminfo


class FuzzSession(ShellTestCase):
    """Subclasses set SECONDS (an env variable may override) and MEM."""

    MEM = "64M"
    SECONDS = 20

    def fuzz(self, seed, seconds):
        """Runs one fuzz; fails on a hang or a kernel report, naming the child."""
        start = self.pos
        cmd = f"fuzz -s {seed} -t {seconds} -c {CHILDREN}"
        # A child may take its -T timeout plus the 20 s unkillable grace;
        # TCG under load is slow, so the margin for a hang is generous.
        deadline = time.monotonic() + seconds * 2 + 180
        self.session.send(cmd + "\r")
        end = None
        while end is None and time.monotonic() < deadline:
            end = self.session.wait_for(PROMPT, start, POLL_SECONDS)
            if end is None and FAILURE.search(self.log_since(start)):
                time.sleep(REPORT_SECONDS)  # the rest of the report
                break
        self.check_log(seed, start)
        if end is None:
            log = self.log_since(start)
            self.fail(f"seed {seed}: '{cmd}' hung ({self.culprit(log, len(log))}):\n"
                      + log[-3000:])
        self.pos = end
        out = self.log_since(start).replace("\r", "")
        m = DONE.search(out)
        self.assertIsNotNone(m, f"'{cmd}' did not finish its run:\n{out[-2000:]}")
        self.assertGreater(int(m.group(2)), 0, out[-2000:])
        return out

    def log_since(self, start):
        return self.session.buf[start:].decode("utf-8", "replace")

    def check_log(self, seed, start):
        log = self.log_since(start)
        bad = FAILURE.search(log)
        if not bad:
            return
        self.fail(f"seed {seed}: {self.culprit(log, bad.start())}: kernel report:\n"
                  + log[max(0, bad.start() - 500):bad.start() + 3000])

    @staticmethod
    def culprit(log, at):
        """'child N (pid P)' for the task a report names, as far as known."""
        pid = None
        at = log.rfind("\n", 0, at) + 1  # from the start of the report's line
        m = REPORT_PID.search(log, at, at + REPORT_SPAN)
        if m and m.group(0).startswith("fuzz: FAIL"):
            return f"child {m.group(3)} (pid {m.group(4)})"
        if m:
            pid = m.group(1) or m.group(2)
        children = {p: i for i, p in CHILD_LINE.findall(log[:at])}
        if pid and pid in children:
            return f"child {children[pid]} (pid {pid})"
        recent = [i for i, _ in CHILD_LINE.findall(log[:at])][-CHILDREN:]
        who = f"pid {pid}, a fork of a child" if pid else "no pid named"
        return f"{who}; children running: {', '.join(recent) or 'none'}"

    def snapshot(self):
        self.assertNotIn("fuzz:", self.run_cmd("fuzz -D"))
        return memory_snapshot(self.run_cmd("cat /proc/meminfo /proc/zoneinfo /proc/slabinfo /proc/vmstat"))

    def run_fuzz_session(self):
        seconds = env_int("OOMLAB_FUZZ_SECONDS", self.SECONDS)
        seed = env_int("OOMLAB_FUZZ_SEED", random.randrange(1, 1 << 32))
        print(f"fuzz: seed {seed}, {seconds} s at {self.MEM}"
              f" (replay: make fuzz-syscalls FUZZ_SEED={seed} FUZZ_SECONDS={seconds})", flush=True)
        # The warm-up fills the slab caches and the pcp lists that any run
        # fills once; the baseline is taken after it.
        self.fuzz(seed + 1, min(WARMUP_SECONDS, seconds))
        free_before, slabs_before, info_before = self.snapshot()
        self.fuzz(seed, seconds)
        free_after, slabs_after, info_after = self.snapshot()

        grown = {name: (slabs_before.get(name, 0), n) for name, n in slabs_after.items()
                 if n > slabs_before.get(name, 0)}
        changed = {k: (info_before.get(k), v) for k, v in info_after.items()
                   if info_before.get(k) != v and not k.startswith("pg")}
        self.assertEqual(grown, {}, f"seed {seed}: slab objects (before, after) not back to "
                         f"the warm baseline; meminfo changes: {changed}")
        self.assertGreaterEqual(free_after, free_before,
                                f"seed {seed}: MemFree + pcp + Slab {free_before} kB before, "
                                f"{free_after} kB after; meminfo changes: {changed}")
