#!/usr/bin/env python3
"""oomlab test runner: boots one QEMU per kernel suite (in parallel, a timeout
each), parses KTAP, reports panics/resets/hangs as failures with the serial
log kept, and ends with "N passed, N failed". --all runs every tier (make test).
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
from typing import List, Optional, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402
import qemu  # noqa: E402
import tiers  # noqa: E402
import verdict  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_KERNEL = os.path.join(REPO, "build", "oomlab.elf")
DEFAULT_LOGS = os.path.join(REPO, "build", "test-logs")
SUITE_LINE = re.compile(r"^ktest-suite:\s+(\S+)(\s+harness)?\s*$")
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

def list_suites(args) -> Tuple[Optional[List[Tuple[str, bool]]], verdict.RunResult]:
    """Boot with ktest.list=1; returns ([(name, harness_only)], result)."""
    os.makedirs(args.log_dir, exist_ok=True)
    log = os.path.join(args.log_dir, "_list.log")
    cmdline = " ".join(filter(None, ["ktest.list=1", args.cmdline_extra]))
    res = verdict.RunResult("(listing suites)", log=log)
    if not os.path.isfile(args.kernel):
        res.causes.append(f"kernel image {shown(args.kernel)} not found (run make)")
        return None, res
    out = qemu.run(qemu.kernel_argv(args.kernel, cmdline, args.mem, args.accel), args.timeout, log)
    append_stderr(log, out.stderr)
    res.exit_status, res.timed_out, res.duration = out.status, out.timed_out, out.duration
    res.causes.extend(verdict.crash_causes(out.stdout))
    if out.timed_out or out.status != qemu.EXIT_PASS:
        cause = verdict.status_cause(out.status, out.timed_out, args.timeout, out.stderr,
                                     bool(res.causes))
        if cause is None:  # 35: the kernel itself says the listing failed
            cause = f"listing exited {out.status}, expected 33"
        res.causes.append(cause)
    suites = []
    for line in out.stdout.splitlines():
        m = SUITE_LINE.match(line.replace("\r", "").strip())
        if m:
            suites.append((m.group(1), bool(m.group(2))))
    if not suites and not res.causes:
        res.causes.append("the kernel listed no suites")
    if res.causes:
        return None, res
    return suites, res


def choose(suites: List[Tuple[str, bool]], globs: List[str]) -> Tuple[List[str], List[str]]:
    """Suites matching globs (default: every non-harness suite), and globs that
    matched nothing. Harness suites are chosen only by their exact name."""
    if not globs:
        return [n for n, harness in suites if not harness], []
    chosen, unmatched = [], []
    for g in globs:
        hits = [name for name, harness in suites
                if (name == g if harness else fnmatch.fnmatchcase(name, g))]
        if not hits:
            unmatched.append(g)
        chosen.extend(h for h in hits if h not in chosen)
    order = [n for n, _ in suites]
    return sorted(chosen, key=order.index), unmatched


# --- running -----------------------------------------------------------------

def append_stderr(log: str, stderr: str) -> None:
    if stderr.strip():
        with open(log, "a", encoding="utf-8") as f:
            f.write("\n--- qemu stderr ---\n" + stderr)


def run_suite(args, name: str, repeat: int) -> verdict.RunResult:
    suffix = f".{repeat}" if repeat else ""
    log = os.path.join(args.log_dir, f"{name}{suffix}.log")
    cmdline = " ".join(filter(None, [f"ktest={name}", args.cmdline_extra]))
    extra, echo, timeout = [], None, args.timeout
    if args.gdb:
        port = args.gdb_port or qemu.free_port()
        extra = ["-S", "-gdb", f"tcp:127.0.0.1:{port}"]
        echo, timeout = sys.stdout.buffer, None
        say(f"QEMU is halted for gdb on port {port}; serial output follows and goes to {shown(log)}.")
        say(f"Attach with:\n  gdb -ex 'set architecture i386:x86-64' -ex 'file {shown(args.kernel)}' "
            f"-ex 'target remote 127.0.0.1:{port}' -ex 'hbreak kmain' -ex 'continue'")
    out = qemu.run(qemu.kernel_argv(args.kernel, cmdline, args.mem, args.accel, extra), timeout,
                   log, echo=echo)
    append_stderr(log, out.stderr)
    res = verdict.judge_kernel(name, out, timeout, log)
    res.repeat = repeat
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
        for name, harness in suites:
            say(f"{name}{' (harness only)' if harness else ''}")
        return []
    chosen, unmatched = choose(suites, args.globs)
    results = []
    for g in unmatched:
        bad = verdict.RunResult(g, causes=[f"no suite matches '{g}' (harness suites need their exact name)"])
        report(bad)
        results.append(bad)
    if args.gdb:
        if len(chosen) != 1 or args.repeat != 1:
            bad = verdict.RunResult("--gdb", causes=[f"--gdb needs exactly one suite, got {len(chosen)}"])
            report(bad)
            return results + [bad]
    if not chosen and not unmatched:
        bad = verdict.RunResult("(choosing suites)", causes=["no suite to run"])
        report(bad)
        return results + [bad]
    jobs = [(name, (i + 1) if args.repeat > 1 else 0) for i in range(args.repeat) for name in chosen]
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        def one(job):
            res = run_suite(args, *job)
            report(res)
            return res
        results.extend(pool.map(one, jobs))
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

    say("== python tests (tests/host, tests/runner) ==")
    env = dict(os.environ, OOMLAB_ACCEL=args.accel, OOMLAB_MEM=args.mem, OOMLAB_KERNEL=args.kernel,
               PYTHONDONTWRITEBYTECODE="1")
    dirs = [d for d in (os.path.join(REPO, "tests", "host"), os.path.join(REPO, "tests", "runner"))
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
    return passed, failed, skipped, doc


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("globs", nargs="*", metavar="SUITE_GLOB",
                    help="suites to run (default: every non-harness suite)")
    ap.add_argument("--all", action="store_true",
                    help="every tier: host binaries, python tests, kernel suites (make test)")
    ap.add_argument("--kernel", default=os.environ.get("OOMLAB_KERNEL", DEFAULT_KERNEL))
    ap.add_argument("--repeat", type=int, default=1, help="run each suite N times")
    ap.add_argument("--accel", choices=("tcg", "kvm"), default="tcg")
    ap.add_argument("--mem", default="128M", help="guest RAM (QEMU -m)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per QEMU run")
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
    args.kernel = os.path.abspath(args.kernel)
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
