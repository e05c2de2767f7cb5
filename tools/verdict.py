"""Judges one test run (a kernel suite in QEMU or a host test binary): from
its exit status, its log and its KTAP it makes the counted cases and the
suite-level causes (panic, oops, reset, timeout, missing cases...).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Optional

import ktap
import qemu

PANIC = re.compile(r"Kernel panic - not syncing:?\s*(.*)")
OOPS = re.compile(r"^(?:Oops:|BUG:)\s*(.*)")
UBSAN = re.compile(r"^UBSAN:\s*(.*)")
TIMESTAMP = re.compile(r"^\s*\[\s*\d+\.\d+\]\s?")
DETAIL_MAX = 100


@dataclass
class Case:
    name: str
    status: str  # ktap.PASS / FAIL / SKIP
    diagnostics: List[str] = field(default_factory=list)
    reason: str = ""  # skip reason


@dataclass
class RunResult:
    """One run of one suite (or host binary), with everything counted."""

    name: str
    log: Optional[str] = None
    repeat: int = 0  # 1-based index when --repeat > 1, else 0
    exit_status: Optional[int] = None
    timed_out: bool = False
    duration: float = 0.0
    cases: List[Case] = field(default_factory=list)
    causes: List[str] = field(default_factory=list)  # suite-level failures: one failed entry

    @property
    def label(self) -> str:
        return f"{self.name} #{self.repeat}" if self.repeat else self.name

    @property
    def passed(self) -> int:
        return sum(c.status == ktap.PASS for c in self.cases)

    @property
    def failed(self) -> int:
        return sum(c.status == ktap.FAIL for c in self.cases) + (1 if self.causes else 0)

    @property
    def skipped(self) -> int:
        return sum(c.status == ktap.SKIP for c in self.cases)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def to_json(self) -> dict:
        return {"name": self.name, "repeat": self.repeat, "ok": self.ok, "log": self.log,
                "exit_status": self.exit_status, "timed_out": self.timed_out,
                "duration": round(self.duration, 3), "causes": self.causes,
                "passed": self.passed, "failed": self.failed, "skipped": self.skipped,
                "cases": [{"name": c.name, "status": c.status, "diagnostics": c.diagnostics,
                           "skip_reason": c.reason} for c in self.cases]}


def _short(text: str) -> str:
    text = text.strip()
    return text if len(text) <= DETAIL_MAX else text[:DETAIL_MAX - 3] + "..."


def crash_causes(log_text: str) -> List[str]:
    """'crash: oops (...)' and/or 'crash: kernel panic (...)' from the log."""
    oops = panic = None
    for raw in log_text.splitlines():
        line = TIMESTAMP.sub("", raw.replace("\r", "")).strip()
        if oops is None:
            m = OOPS.match(line)
            if m:
                oops = line
        if panic is None:
            m = PANIC.search(line)
            if m:
                panic = m.group(1) or "no reason given"
    causes = []
    if oops is not None:
        causes.append(f"crash: oops ({_short(oops)})")
    if panic is not None:
        causes.append(f"crash: kernel panic ({_short(panic)})")
    return causes


def ubsan_causes(log_text: str) -> List[str]:
    """'ubsan: N reports, first: ...' when the sanitize kernel (or anything
    else) printed a UBSAN report: undefined behaviour fails the run even
    though the kernel carries on after it."""
    found = []
    for raw in log_text.splitlines():
        m = UBSAN.match(TIMESTAMP.sub("", raw.replace("\r", "")).strip())
        if m:
            found.append(m.group(1))
    if not found:
        return []
    more = f"{len(found)} reports, first: " if len(found) > 1 else ""
    return [f"ubsan: {more}{_short(found[0])}"]


def status_cause(status: Optional[int], timed_out: bool, timeout: Optional[float],
                 stderr: str, crashed: bool) -> Optional[str]:
    """What the exit status alone says went wrong (None: nothing)."""
    if timed_out:
        return f"timeout after {timeout:g}s"
    if status == qemu.EXIT_PASS or status == qemu.EXIT_FAIL:
        return None
    if status == qemu.EXIT_PANIC:
        return None if crashed else "crash: kernel panic (exit 37, no panic message in the log)"
    if status == qemu.EXIT_RESET:
        return "reset: triple fault or unexpected power-off (exit 0)"
    if status == qemu.EXIT_QEMU_ERROR:
        first = next((l.strip() for l in stderr.splitlines() if l.strip()), "")
        return "qemu failed to start (exit 1)" + (f": {_short(first)}" if first else "")
    if status is not None and status < 0:
        return f"qemu killed by signal {-status}"
    return f"unexpected exit status {status}"


def cases_of(block: ktap.Test) -> List[Case]:
    return [Case(path, t.status or ktap.FAIL, list(t.diagnostics), t.skip_reason)
            for path, t in ktap.leaves(block)]


def judge_kernel(name: str, out: qemu.Outcome, timeout: Optional[float],
                 log: Optional[str] = None) -> RunResult:
    """A kernel suite run with ktest=NAME: exactly one suite block expected."""
    res = RunResult(name, log=log, exit_status=out.status, timed_out=out.timed_out,
                    duration=out.duration)
    crashes = crash_causes(out.stdout)
    res.causes.extend(crashes)
    res.causes.extend(ubsan_causes(out.stdout))
    stopped = out.timed_out or bool(crashes) or out.status not in (qemu.EXIT_PASS, qemu.EXIT_FAIL)
    cause = status_cause(out.status, out.timed_out, timeout, out.stderr, bool(crashes))
    if cause:
        res.causes.append(cause)
    doc = ktap.parse(out.stdout)
    if not doc.found:
        if not res.causes:
            res.causes.append("no KTAP output")
        return res
    root = doc.root
    if root.plan == 0:
        res.causes.append(f"the kernel ran no suite for ktest={name} (plan 1..0)")
        return res
    suites = [t for t in root.subtests]
    suite = next((t for t in suites if t.name == name), suites[0] if len(suites) == 1 else None)
    if suite is None:
        if not stopped:
            res.causes.append(f"no KTAP block for suite {name}")
        return res
    if suite.name != name:
        res.causes.append(f"KTAP block is for '{suite.name}', expected '{name}'")
    res.cases = cases_of(suite)
    got = len(suite.subtests)
    if suite.plan is not None and got < suite.plan:
        hint = f" (stopped in case {got + 1})" if stopped else ""
        res.causes.append(f"missing cases: plan said {suite.plan}, got {got}{hint}")
    for p in ktap.problems(root):
        if p.startswith("missing cases: plan said") and f" in {suite.name}" in p and suite.plan is not None:
            continue  # reported above in the short form
        if stopped and (p.startswith("no result line") or p.startswith("missing cases")
                        or p.startswith("no plan")):
            continue  # implied by the crash/timeout already reported
        res.causes.append(p)
    failed_cases = any(c.status == ktap.FAIL for c in res.cases)
    if out.status == qemu.EXIT_PASS and (failed_cases or suite.status == ktap.FAIL):
        res.causes.append("KTAP shows a failure but the kernel exited 33 (pass)")
    if out.status == qemu.EXIT_FAIL and not failed_cases and suite.status != ktap.FAIL:
        res.causes.append("the kernel exited 35 (failure) but no KTAP case failed")
    return res


def judge_host(name: str, out: qemu.Outcome, timeout: Optional[float],
               log: Optional[str] = None) -> RunResult:
    """A host unit-test binary: KTAP on stdout, exit 0 iff every case passed."""
    res = RunResult(name, log=log, exit_status=out.status, timed_out=out.timed_out,
                    duration=out.duration)
    if out.timed_out:
        res.causes.append(f"timeout after {timeout:g}s")
    elif out.status is not None and out.status < 0:
        res.causes.append(f"crashed with signal {-out.status}")
    elif out.status == 127 and out.stdout == "":
        res.causes.append(_short(out.stderr) or "could not run")
    doc = ktap.parse(out.stdout)
    if not doc.found or doc.root.plan is None:
        res.causes.append("no KTAP plan in the output" + (f" (exit {out.status})" if out.status else ""))
        res.cases = cases_of(doc.root) if doc.found else []
        return res
    res.cases = cases_of(doc.root)
    stopped = bool(res.causes)
    for p in ktap.problems(doc.root):
        res.causes.append(p)
    failed_cases = any(c.status == ktap.FAIL for c in res.cases)
    if not stopped and out.status != 0 and not failed_cases:
        res.causes.append(f"exit status {out.status} though no case failed")
    if not stopped and out.status == 0 and failed_cases:
        res.causes.append("a case failed but the exit status was 0")
    return res
