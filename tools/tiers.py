"""The host-side tiers of "run_tests.py --all": the host unit-test binaries
in build/host/ (KTAP on stdout) and the Python unittest suites (tests/host,
tests/runner) run through tools/pyunit.py in a subprocess.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from typing import List, Optional

import qemu
import verdict

SUMMARY_TAG = "PYUNIT-SUMMARY "
PYTHON_TIER_TIMEOUT = 1800.0


def host_binaries(host_dir: str) -> List[str]:
    if not os.path.isdir(host_dir):
        return []
    out = []
    for name in sorted(os.listdir(host_dir)):
        path = os.path.join(host_dir, name)
        if os.path.isfile(path) and os.access(path, os.X_OK) and not name.endswith((".o", ".d", ".sh")):
            out.append(path)
    return out


def run_host_binary(path: str, repo: str, log_dir: str, timeout: float) -> verdict.RunResult:
    name = "host/" + os.path.basename(path)
    os.makedirs(log_dir, exist_ok=True)
    log = os.path.join(log_dir, os.path.basename(path) + ".log")
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "abort_on_error=0:detect_leaks=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    out = qemu.run([path], timeout, log_path=log, cwd=repo, env=env)
    if out.stderr:
        with open(log, "a", encoding="utf-8") as f:
            f.write("\n--- stderr ---\n" + out.stderr)
    return verdict.judge_host(name, out, timeout, log)


class PythonTier:
    """Runs tools/pyunit.py, echoing its lines, and reads back its summary."""

    def __init__(self, repo: str, dirs: List[str], env: dict, log_path: str):
        self.repo, self.dirs, self.env, self.log_path = repo, dirs, env, log_path
        self.passed = self.failed = self.skipped = 0
        self.problem: Optional[str] = None
        self.summary: Optional[dict] = None

    def run(self, echo=sys.stdout) -> None:
        argv = [sys.executable, os.path.join(self.repo, "tools", "pyunit.py")] + self.dirs
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        proc = qemu.spawn(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          cwd=self.repo, env=self.env, text=True, errors="replace")
        fired = threading.Event()

        def expire():
            fired.set()
            qemu.kill_group(proc)

        timer = threading.Timer(PYTHON_TIER_TIMEOUT, expire)
        timer.daemon = True
        timer.start()
        try:
            with open(self.log_path, "w", encoding="utf-8") as log:
                for line in proc.stdout:
                    log.write(line)
                    if line.startswith(SUMMARY_TAG):
                        try:
                            self.summary = json.loads(line[len(SUMMARY_TAG):])
                        except ValueError:
                            self.summary = None
                        continue
                    echo.write(line)
                    echo.flush()
            status = proc.wait()
        finally:
            timer.cancel()
            qemu.kill_group(proc, grace=0.5)
        self._count(status, timed_out=fired.is_set())

    def _count(self, status: int, timed_out: bool) -> None:
        s = self.summary
        if s is None:
            self.problem = (f"python tests stopped without a summary (exit {status})"
                            + (f", killed after {PYTHON_TIER_TIMEOUT:g}s" if timed_out else ""))
            self.failed = 1
            return
        self.passed, self.failed, self.skipped = s["passed"], s["failed"], s["skipped"]
        if s["tests"] == 0:
            self.problem = "no python tests were found"
            self.failed += 1
        elif status != 0 and self.failed == 0:
            self.problem = f"python test runner exited {status} though no test failed"
            self.failed += 1
