#!/usr/bin/env python3
"""oomlab test runner: boots one QEMU per kernel suite and declared RAM size
(in parallel, a timeout each), parses KTAP, reports panics/resets/hangs as
failures with the serial log kept, and ends with "N passed, N failed". --all
runs every tier (make test). A suite that declares preempt_stress is booted
once more with preempt_stress=1 (random short ticks, each a preemption),
reported as NAME+preempt_stress; that boot runs on QEMU's instruction counter
(-icount), so a loaded host cannot stretch the ticks to milliseconds.
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import List, NamedTuple, Optional, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402
import qemu  # noqa: E402
import tiers  # noqa: E402
import verdict  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_KERNEL = os.path.join(REPO, "build", "oomlab.elf")
DEFAULT_LOGS = os.path.join(REPO, "build", "test-logs")
# make kernel-sanitize: the same kernel with UBSan and the stack protector.
DEFAULT_SANITIZE_KERNEL = os.path.join(REPO, "build", "sanitize", "oomlab.elf")
# What --all runs on it as well: the memory suites (every suite that
# declares ram sizes: a new one is picked up by itself), these, and the
# suite that proves the sanitizers report at all.
SANITIZE_SUITES = ["address_space", "filemap", "user_mode", "sanitizers"]
SANITIZE_LABEL = "sanitize:"
SUITE_LINE = re.compile(r"^ktest-suite:\s+(\S+)(\s+harness)?(?:\s+ram=(\S+))?(\s+preempt_stress)?\s*$")
PREEMPT_STRESS_CMDLINE = "preempt_stress=1"
PREEMPT_STRESS_LABEL = "+preempt_stress"
# Guest time from instructions run (4 ns each), idle time skipped: the random
# 10-90 us ticks then come every few thousand instructions however busy the
# host is (with host timers they arrive about once a millisecond under load).
PREEMPT_STRESS_QEMU = ("-icount", "shift=2,sleep=off")
DEFAULT_MEM = "128M"
MEM_SIZE = re.compile(r"^(\d+(?:\.\d+)?)([KMGT]?)$", re.IGNORECASE)
MAX_DIAG_LINES = 12

_print_lock = threading.Lock()


def say(text: str = "") -> None:
    with _print_lock:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


def shown(path: Optional[str]) -> str:
    if not path:
        return "?"
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


# --- listing and choosing suites ---------------------------------------------

class Suite(NamedTuple):
    name: str
    harness: bool = False  # run only when named exactly
    ram_sizes: Tuple[str, ...] = ()  # QEMU -m values; () means the runner's --mem
    preempt_stress: bool = False  # also boot it with PREEMPT_STRESS_CMDLINE


Pick = Tuple[Suite, Tuple[str, ...]]  # a chosen suite and the ram sizes picked


class Job(NamedTuple):
    """One QEMU boot: suite NAME at mem with cmdline words and QEMU
    arguments added, reported and logged as label."""
    suite: str
    mem: str
    label: str
    cmdline: str = ""
    qemu_args: Tuple[str, ...] = ()


def parse_suite_line(line: str) -> Optional[Suite]:
    """'ktest-suite: NAME[ harness][ ram=16M,64M][ preempt_stress]' -> Suite;
    None for other lines."""
    m = SUITE_LINE.match(line.replace("\r", "").strip())
    if not m:
        return None
    sizes = []
    for size in (m.group(3) or "").split(","):
        if size and size not in sizes:
            sizes.append(size)
    return Suite(m.group(1), bool(m.group(2)), tuple(sizes), bool(m.group(4)))


def mem_bytes(mem: str) -> Optional[int]:
    """QEMU's -m value in bytes (a plain number is MiB); None if not understood."""
    m = MEM_SIZE.match(mem.strip())
    if not m:
        return None
    shift = {"": 20, "K": 10, "M": 20, "G": 30, "T": 40}[m.group(2).upper()]
    return int(float(m.group(1)) * (1 << shift))


def timeout_for(base: float, mem: str) -> float:
    """Boot work grows with RAM (memory setup visits every page frame, slowly
    under TCG), so big guests get one more base timeout per 3 GiB above 1 GiB
    (4G: x2). Still finite: a hang must end as a failure."""
    size = mem_bytes(mem) or 0
    if size <= 1 << 30:
        return base
    return base * (1 + (size - (1 << 30)) / (3 << 30))


def list_suites(args) -> Tuple[Optional[List[Suite]], verdict.RunResult]:
    """Boot with ktest.list=1; returns ([Suite], result)."""
    os.makedirs(args.log_dir, exist_ok=True)
    log = os.path.join(args.log_dir, "_list.log")
    cmdline = " ".join(filter(None, ["ktest.list=1", args.cmdline_extra]))
    res = verdict.RunResult("(listing suites)", log=log)
    if not os.path.isfile(args.kernel):
        res.causes.append(f"kernel image {shown(args.kernel)} not found (run make)")
        return None, res
    timeout = timeout_for(args.timeout, args.mem)
    out = qemu.run(qemu.kernel_argv(args.kernel, cmdline, args.mem, args.accel), timeout, log)
    append_stderr(log, out.stderr)
    res.exit_status, res.timed_out, res.duration = out.status, out.timed_out, out.duration
    res.causes.extend(verdict.crash_causes(out.stdout))
    res.causes.extend(verdict.ubsan_causes(out.stdout))
    if out.timed_out or out.status != qemu.EXIT_PASS:
        cause = verdict.status_cause(out.status, out.timed_out, timeout, out.stderr,
                                     bool(res.causes))
        if cause is None:  # 35: the kernel itself says the listing failed
            cause = f"listing exited {out.status}, expected 33"
        res.causes.append(cause)
    suites = []
    for line in out.stdout.splitlines():
        suite = parse_suite_line(line)
        if suite:
            suites.append(suite)
        elif line.strip().startswith("ktest-suite:"):
            # A format the runner does not know must not drop a suite silently.
            res.causes.append(f"unreadable suite line: {line.strip()!r}")
    if not suites and not res.causes:
        res.causes.append("the kernel listed no suites")
    if res.causes:
        return None, res
    return suites, res


def same_size(pattern: str, size: str) -> bool:
    """NAME@SIZE picks a declared size by glob or by value (4096M is 4G)."""
    if fnmatch.fnmatchcase(size.upper(), pattern.upper()):
        return True
    want = mem_bytes(pattern)
    return want is not None and want == mem_bytes(size)


def glob_picks(suite: Suite, glob: str) -> Optional[Tuple[str, ...]]:
    """The sizes of suite that glob picks (all of them for a plain NAME glob),
    or None when it does not match. Harness suites need their exact name."""
    name_glob, at, size_glob = glob.rpartition("@") if "@" in glob else (glob, "", "")
    if not (suite.name == name_glob if suite.harness else fnmatch.fnmatchcase(suite.name, name_glob)):
        return None
    if not at:
        return suite.ram_sizes
    sizes = tuple(s for s in suite.ram_sizes if same_size(size_glob, s))
    return sizes or None


def choose(suites: List[Suite], globs: List[str]) -> Tuple[List[Pick], List[str]]:
    """Suites matching globs (default: every non-harness suite), each with the
    ram sizes picked, and globs that matched nothing."""
    if not globs:
        return [(s, s.ram_sizes) for s in suites if not s.harness], []
    picked = {}  # name -> sizes, in the order first picked
    unmatched = []
    for g in globs:
        hits = [(s, glob_picks(s, g)) for s in suites]
        hits = [(s, sizes) for s, sizes in hits if sizes is not None]
        if not hits:
            unmatched.append(g)
        for s, sizes in hits:
            had = picked.setdefault(s.name, ())
            picked[s.name] = had + tuple(z for z in sizes if z not in had)
    # Listing order for suites, declared order for sizes.
    return [(s, tuple(z for z in s.ram_sizes if z in picked[s.name]))
            for s in suites if s.name in picked], unmatched


def expand(chosen: List[Pick], mem: str, mem_given: bool, stress: bool = True) -> List[Job]:
    """One job per suite and ram size (NAME@SIZE); a suite without sizes, or
    every suite when --mem was given, runs once at mem as plain NAME. A
    preempt_stress suite has one more, at the first of those sizes, labelled
    NAME[@SIZE]+preempt_stress and booted with PREEMPT_STRESS_CMDLINE on
    QEMU's instruction counter (not with stress=False: --gdb debugs the
    plain boot)."""
    jobs = []
    for suite, sizes in chosen:
        if mem_given or not sizes:
            plain = [Job(suite.name, mem, suite.name)]
        else:
            plain = [Job(suite.name, size, f"{suite.name}@{size}") for size in sizes]
        jobs.extend(plain)
        if suite.preempt_stress and stress:
            jobs.append(plain[0]._replace(label=plain[0].label + PREEMPT_STRESS_LABEL,
                                          cmdline=PREEMPT_STRESS_CMDLINE,
                                          qemu_args=PREEMPT_STRESS_QEMU))
    return jobs


# --- running -----------------------------------------------------------------

def append_stderr(log: str, stderr: str) -> None:
    if stderr.strip():
        with open(log, "a", encoding="utf-8") as f:
            f.write("\n--- qemu stderr ---\n" + stderr)


def run_suite(args, job: Job, repeat: int) -> verdict.RunResult:
    suffix = f".{repeat}" if repeat else ""
    log = os.path.join(args.log_dir, f"{job.label}{suffix}.log")
    cmdline = " ".join(filter(None, [f"ktest={job.suite}", job.cmdline, args.cmdline_extra]))
    extra, echo, timeout = list(job.qemu_args), None, timeout_for(args.timeout, job.mem)
    if args.gdb:
        port = args.gdb_port or qemu.free_port()
        extra += ["-S", "-gdb", f"tcp:127.0.0.1:{port}"]
        echo, timeout = sys.stdout.buffer, None
        say(f"QEMU is halted for gdb on port {port}; serial output follows and goes to {shown(log)}.")
        say(f"Attach with:\n  gdb -ex 'set architecture i386:x86-64' -ex 'file {shown(args.kernel)}' "
            f"-ex 'target remote 127.0.0.1:{port}' -ex 'hbreak kmain' -ex 'continue'")
    out = qemu.run(qemu.kernel_argv(args.kernel, cmdline, job.mem, args.accel, extra), timeout,
                   log, echo=echo)
    append_stderr(log, out.stderr)
    res = verdict.judge_kernel(job.suite, out, timeout, log)
    # NAME@SIZE tells the sizes apart, the prefix the kernels.
    res.name, res.repeat = args.label_prefix + job.label, repeat
    return res


def report(res: verdict.RunResult) -> None:
    lines = []
    if res.ok:
        skipped = f", {res.skipped} skipped" if res.skipped else ""
        lines.append(f"PASS  {res.label} ({len(res.cases)} cases{skipped})")
    else:
        failed_cases = [c for c in res.cases if c.status == ktap.FAIL]
        what = list(res.causes)
        if failed_cases:
            what.append(f"{len(failed_cases)} of {len(res.cases)} cases failed")
        see = f" (see {shown(res.log)})" if res.log else ""
        lines.append(f"FAIL  {res.label}: {'; '.join(what)}{see}")
        for c in failed_cases:
            lines.append(f"      not ok {res.name}.{c.name}")
            for d in c.diagnostics[:MAX_DIAG_LINES]:
                lines.append(f"          # {d}")
            if len(c.diagnostics) > MAX_DIAG_LINES:
                lines.append(f"          # ... {len(c.diagnostics) - MAX_DIAG_LINES} more lines in the log")
    say("\n".join(lines))


def closing(passed: int, failed: int, skipped: int) -> str:
    return f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else "")


def totals(results: List[verdict.RunResult]) -> Tuple[int, int, int]:
    return (sum(r.passed for r in results), sum(r.failed for r in results),
            sum(r.skipped for r in results))


def kernel_tier(args) -> List[verdict.RunResult]:
    suites, listing = list_suites(args)
    if suites is None:
        report(listing)
        return [listing]
    if args.list:
        for s in suites:
            sizes = f" (ram {','.join(s.ram_sizes)})" if s.ram_sizes else ""
            stress = " (and under preempt_stress)" if s.preempt_stress else ""
            say(f"{s.name}{' (harness only)' if s.harness else ''}{sizes}{stress}")
        return []
    chosen, unmatched = choose(suites, args.globs)
    if args.suite_filter:
        chosen = [(s, sizes) for s, sizes in chosen if args.suite_filter(s)]
    planned = expand(chosen, args.mem, args.mem_given,
                     stress=not args.gdb and getattr(args, "preempt_stress", True))
    results = []
    for g in unmatched:
        hint = "; SIZE must be one the suite declares, see --list" if "@" in g else ""
        bad = verdict.RunResult(g, causes=[f"no suite matches '{g}' "
                                           f"(harness suites need their exact name{hint})"])
        report(bad)
        results.append(bad)
    if args.gdb:
        if len(planned) != 1 or args.repeat != 1:
            runs = len(planned) * args.repeat
            bad = verdict.RunResult("--gdb", causes=[f"--gdb needs exactly one run, got {runs} "
                                                     "(one ram size: NAME@SIZE or --mem)"])
            report(bad)
            return results + [bad]
    if not planned and not unmatched:
        bad = verdict.RunResult("(choosing suites)", causes=["no suite to run"])
        report(bad)
        return results + [bad]
    jobs = [(job, (i + 1) if args.repeat > 1 else 0) for i in range(args.repeat) for job in planned]
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        def one(job):
            res = run_suite(args, *job)
            report(res)
            return res
        results.extend(pool.map(one, jobs))
    return results


def sanitize_tier(args) -> List[verdict.RunResult]:
    """The sanitize kernel's runs in --all: every suite with ram sizes and
    SANITIZE_SUITES, labelled sanitize:NAME, logs in LOG_DIR/sanitize."""
    san = argparse.Namespace(**vars(args))
    san.kernel, san.globs = args.sanitize_kernel, []
    san.suite_filter = lambda suite: bool(suite.ram_sizes) or suite.name in SANITIZE_SUITES
    san.log_dir, san.label_prefix = os.path.join(args.log_dir, "sanitize"), SANITIZE_LABEL
    san.preempt_stress = False  # the plain kernel's tier runs those once already
    results = kernel_tier(san)
    if any(r.name == "(listing suites)" for r in results):
        return results  # the listing failed: reported already
    ran = {r.name.split("@")[0] for r in results}
    for name in SANITIZE_SUITES:
        if SANITIZE_LABEL + name not in ran:
            bad = verdict.RunResult(SANITIZE_LABEL + name,
                                    causes=["the sanitize kernel does not list this suite"])
            report(bad)
            results.append(bad)
    for res in results:
        if res.name == SANITIZE_LABEL + "sanitizers" and res.skipped:
            # A kernel built without the sanitizers would pass them all.
            res.causes.append("the sanitizer checks skipped: not a sanitize build "
                              "(make kernel-sanitize)")
            report(res)
    return results


# --- --all: every tier ---------------------------------------------------------

def run_all(args) -> Tuple[int, int, int, dict]:
    passed = failed = skipped = 0
    doc = {}

    say("== host unit tests (build/host) ==")
    host_dir = os.path.join(REPO, "build", "host")
    binaries = tiers.host_binaries(host_dir)
    host_results = []
    if not binaries:
        bad = verdict.RunResult("host", causes=[f"no host test binaries in {shown(host_dir)} (make host-tests)"])
        report(bad)
        host_results.append(bad)
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        def one(path):
            res = tiers.run_host_binary(path, REPO, os.path.join(args.log_dir, "host"), args.timeout)
            report(res)
            return res
        host_results.extend(pool.map(one, binaries))
    p, f, s = totals(host_results)
    passed, failed, skipped = passed + p, failed + f, skipped + s
    doc["host"] = [r.to_json() for r in host_results]
    say(f"-- host tier: {p} pass / {f} fail / {s} skip")

    say("== python tests (tests/host, tests/runner, tests/labs) ==")
    env = dict(os.environ, OOMLAB_ACCEL=args.accel, OOMLAB_MEM=args.mem, OOMLAB_KERNEL=args.kernel,
               OOMLAB_JOBS=str(args.jobs), PYTHONDONTWRITEBYTECODE="1")
    dirs = [d for d in (os.path.join(REPO, "tests", d) for d in ("host", "runner", "labs"))
            if os.path.isdir(d)]
    py = tiers.PythonTier(REPO, dirs, env, os.path.join(args.log_dir, "python.log"))
    py.run()
    if py.problem:
        say(f"FAIL  python tests: {py.problem} (see {shown(py.log_path)})")
    passed, failed, skipped = passed + py.passed, failed + py.failed, skipped + py.skipped
    doc["python"] = {"passed": py.passed, "failed": py.failed, "skipped": py.skipped,
                     "problem": py.problem, "log": py.log_path}
    say(f"-- python tier: {py.passed} pass / {py.failed} fail / {py.skipped} skip")

    say(f"== kernel suites ({shown(args.kernel)}) ==")
    kernel_results = kernel_tier(args)
    p, f, s = totals(kernel_results)
    passed, failed, skipped = passed + p, failed + f, skipped + s
    doc["kernel"] = [r.to_json() for r in kernel_results]
    say(f"-- kernel tier: {p} pass / {f} fail / {s} skip")

    say(f"== kernel suites, sanitize build ({shown(args.sanitize_kernel)}) ==")
    san_results = sanitize_tier(args)
    p, f, s = totals(san_results)
    passed, failed, skipped = passed + p, failed + f, skipped + s
    doc["kernel_sanitize"] = [r.to_json() for r in san_results]
    say(f"-- sanitize kernel tier: {p} pass / {f} fail / {s} skip")
    return passed, failed, skipped, doc


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("globs", nargs="*", metavar="SUITE_GLOB",
                    help="suites to run (default: every non-harness suite)")
    ap.add_argument("--all", action="store_true",
                    help="every tier: host binaries, python tests, kernel suites (make test)")
    ap.add_argument("--kernel", default=os.environ.get("OOMLAB_KERNEL", DEFAULT_KERNEL))
    ap.add_argument("--sanitize-kernel", default=os.environ.get("OOMLAB_SANITIZE_KERNEL",
                                                                DEFAULT_SANITIZE_KERNEL),
                    help="with --all: the UBSan/stack-protector kernel (make kernel-sanitize)")
    ap.add_argument("--repeat", type=int, default=1, help="run each suite N times")
    ap.add_argument("--accel", choices=("tcg", "kvm"), default="tcg")
    ap.add_argument("--mem", help=f"guest RAM (QEMU -m; default {DEFAULT_MEM}); when given, it "
                    "overrides the ram sizes a suite declares: one run each at this size")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per QEMU run (more for guests over 1G)")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--cmdline-extra", default="", help="more kernel command-line words")
    ap.add_argument("--gdb", action="store_true", help="start the one chosen suite halted for gdb")
    ap.add_argument("--gdb-port", type=int, default=0, help="gdb stub port (default: a free one)")
    ap.add_argument("--json", metavar="FILE", help="write machine-readable results")
    ap.add_argument("--log-dir", default=DEFAULT_LOGS, help="where serial logs go")
    ap.add_argument("--list", action="store_true", help="list the kernel's suites and exit")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    if args.timeout <= 0:
        ap.error("--timeout must be positive")
    if args.all and (args.globs or args.gdb or args.list):
        ap.error("--all runs everything; it takes no suite globs, --gdb or --list")
    args.mem_given = args.mem is not None  # an explicit --mem beats declared ram sizes
    args.mem = args.mem or DEFAULT_MEM
    args.kernel = os.path.abspath(args.kernel)
    args.sanitize_kernel = os.path.abspath(args.sanitize_kernel)
    args.label_prefix = ""
    args.suite_filter = None  # a further choice among the suites the globs picked
    args.log_dir = os.path.abspath(args.log_dir)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    qemu.install_cleanup()
    os.makedirs(args.log_dir, exist_ok=True)
    if args.all:
        passed, failed, skipped, doc = run_all(args)
    else:
        results = kernel_tier(args)
        if args.list and results == []:
            return 0
        passed, failed, skipped = totals(results)
        doc = {"kernel": [r.to_json() for r in results]}
    doc.update(passed=passed, failed=failed, skipped=skipped)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2)
    say(closing(passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
