#!/usr/bin/env python3
"""make grade: every OOM lab, every fix, one QEMU each (in parallel), one
line per check in the style of MIT's gradelib, then "Score: N/M". Read
first: the checks come from the lab program itself (`lab list --checks`
runs on this host: user programs are static Linux binaries); a check boots
with the fix's switches on the command line, types `lab run NAME fix=F` and
passes only when exactly the expected outcome shows in time. A panic is an
outcome only where the lab expects one; the serial log of every check is
kept in build/grade-logs/.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import List, NamedTuple, Optional, Tuple

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tools"))
sys.path.insert(0, os.path.join(REPO, "tests", "runner"))
import qemu  # noqa: E402
from runner_support import SerialSession  # noqa: E402

PROMPT = b"oomlab$ "
MEM = "64M"
BOOT_TIMEOUT = 120.0
SLACK = 60.0  # on top of the lab's own window: boot-time load, slow serial
PANIC = b"Kernel panic - not syncing"
KILLED = re.compile(r"Out of memory(?: \(oom_kill_allocating_task\))?: Killed process (\d+)")
SHOWN = {"recovered": "recovered", "deadlock": "deadlock detected",
         "livelock": "livelock detected", "panic": "panic shown"}


class Check(NamedTuple):
    lab: str
    fix: str
    window: int
    outcome: str
    min_kills: int
    max_kills: int  # -1: no bound
    switches: List[str]

    @property
    def label(self) -> str:
        return f"{self.lab} fix={self.fix}"


class Result(NamedTuple):
    check: Check
    ok: bool
    seconds: float
    verdict: str  # the lab's verdict line, or what the host saw
    why: str  # empty when ok
    log: str
    kills: int
    ooms: int  # "invoked oom-killer" reports
    resolved_ms: Optional[int]
    steps: Tuple[str, ...] = ()  # a lab of steps (lab reclaim): each step's verdict line


def list_checks(lab_binary: str) -> List[Check]:
    out = subprocess.run([lab_binary, "list", "--checks"], stdout=subprocess.PIPE, text=True,
                         check=True, timeout=30).stdout
    checks = []
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 7 and f[0] == "check":
            checks.append(Check(f[1], f[2], int(f[3]), f[4], int(f[5]), int(f[6]), f[7:]))
    return checks


def verdict_line(text: str, check: Check) -> Optional[str]:
    m = re.search(rf"(?m)^lab {re.escape(check.lab)}: fix={re.escape(check.fix)}: "
                  r"(recovered|deadlock|livelock|no verdict):[^\r\n]*", text)
    return m.group(0) if m else None


def step_lines(text: str, check: Check) -> Tuple[str, ...]:
    """Each step's verdict line ("lab NAME: step N, WHAT: OUTCOME: ..."), in order."""
    return tuple(re.findall(rf"(?m)^lab {re.escape(check.lab)}: step \d+, [^:\r\n]+: [^:\r\n]+:"
                            r"[^\r\n]*", text))


def resolved_ms(verdict: Optional[str]) -> Optional[int]:
    m = re.search(r"OOM resolved in (\d+) ms", verdict or "")
    return int(m.group(1)) if m else None


def run_check(check: Check, kernel: str, log_dir: str, accel: str, extra_cmdline: str = "",
              mem: str = MEM) -> Result:
    cmdline = " ".join(["panic_action=exit"] + check.switches + ([extra_cmdline] if extra_cmdline
                                                                   else []))
    log = os.path.join(log_dir, f"{check.lab}-{check.fix}.log")
    session = SerialSession(qemu.kernel_argv(kernel, cmdline, mem, accel))
    start = time.monotonic()
    why, verdict, kills = "", None, 0
    try:
        pos = session.wait_for(PROMPT, 0, BOOT_TIMEOUT)
        if pos is None:
            why = "no shell prompt"
            return Result(check, False, 0.0, "", why, log, 0, 0, None)
        start = time.monotonic()
        session.send(f"lab run {check.lab} fix={check.fix}\r")
        deadline = start + check.window + SLACK
        ended = None
        while time.monotonic() < deadline:
            buf = session.buf[pos:]
            if b"as expected" in buf or PANIC in buf:
                ended = buf
                break
            if session.wait_exit(0) is not None:
                ended = session.buf[pos:]
                break
            time.sleep(0.2)
        seconds = time.monotonic() - start
        text = session.buf[pos:].decode("utf-8", "replace").replace("\r", "")
        kills = len(KILLED.findall(text))
        ooms = text.count("invoked oom-killer")
        verdict = verdict_line(text, check)
        if ended is None:
            why = f"nothing within {check.window + SLACK:g}s (a hang?)"
        elif PANIC in ended:
            panic = re.search(r"Kernel panic - not syncing[^\n]*", text).group(0)
            verdict = verdict or panic
            if check.outcome != "panic":
                why = f"unexpected {panic}"
            elif kills < check.min_kills or (check.max_kills >= 0 and kills > check.max_kills):
                why = f"{kills} kills before the panic"
        elif check.outcome == "panic":
            why = "no panic"
        elif f"lab {check.lab}: fix={check.fix}: as expected" not in text:
            m = re.search(r"NOT as expected: [^\n]*", text)
            why = m.group(0) if m else "the lab never said its verdict"
        return Result(check, not why, seconds, verdict or "", why, log, kills, ooms,
                      resolved_ms(verdict), step_lines(text, check))
    finally:
        session.kill()
        os.makedirs(log_dir, exist_ok=True)
        with open(log, "w", encoding="utf-8") as f:
            f.write(session.text)


# Labs whose outcome is a matter of CPU time between guest tasks: under
# TCG the guest's clock follows the host's, so a second QEMU on the same
# cores hands a starved task guest time it would not get alone (lab
# oomlock's SCHED_IDLE holder then finishes its kill, and there is no
# livelock to see). They run after the others, one at a time.
SOLO_LABS = ("oomlock",)


def run_checks(checks: List[Check], jobs: int, kernel: str, log_dir: str, accel: str,
               report=None) -> List[Result]:
    shared = [c for c in checks if c.lab not in SOLO_LABS]
    solo = [c for c in checks if c.lab in SOLO_LABS]
    results = []
    for batch, workers in ((shared, max(1, jobs)), (solo, 1)):
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(run_check, c, kernel, log_dir, accel) for c in batch]
            for fut in futures:
                res = fut.result()
                if report:
                    report(res)
                results.append(res)
    return results


def print_result(res: Result) -> None:
    what = SHOWN.get(res.check.outcome, res.check.outcome)
    status = "OK" if res.ok else "FAIL"
    print(f"{res.check.label}: {what}  {status}  ({res.seconds:.1f}s)", flush=True)
    for step in res.steps:
        print(f"    {step}")
    if res.verdict:
        print(f"    {res.verdict}")
    if not res.ok:
        print(f"    why: {res.why}; serial log: {os.path.relpath(res.log, REPO)}", flush=True)


def main() -> int:
    qemu.install_cleanup()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lab", default="", help="only this lab (make grade LAB=NAME)")
    ap.add_argument("--fix", default="", help="only this fix")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--accel", default=os.environ.get("OOMLAB_ACCEL", "tcg"))
    ap.add_argument("--kernel", default=os.path.join(REPO, "build", "oomlab.elf"))
    ap.add_argument("--log-dir", default=os.path.join(REPO, "build", "grade-logs"))
    args = ap.parse_args()
    lab_binary = os.path.join(os.path.dirname(args.kernel), "user", "bin", "lab")
    checks = [c for c in list_checks(lab_binary)
              if (not args.lab or c.lab == args.lab) and (not args.fix or c.fix == args.fix)]
    if not checks:
        print(f"grade: no lab check matches LAB={args.lab!r} FIX={args.fix!r}")
        return 2
    results = run_checks(checks, args.jobs, args.kernel, args.log_dir, args.accel, print_result)
    score = sum(r.ok for r in results)
    print(f"Score: {score}/{len(results)}")
    return 0 if score == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
