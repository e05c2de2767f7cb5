"""Shared helpers for the runner's self-tests: repository paths, the QEMU
settings chosen by "run_tests.py --all" (OOMLAB_ACCEL/OOMLAB_MEM), and a
prerequisite check that FAILS a test (never skips it) when a build is missing.
"""
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = os.path.join(REPO, "tools")
if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)

KERNEL = os.environ.get("OOMLAB_KERNEL", os.path.join(REPO, "build", "oomlab.elf"))
ISO = os.path.join(REPO, "build", "oomlab.iso")
GRUB_CFG = os.path.join(REPO, "boot", "grub.cfg")
RUN_TESTS = os.path.join(TOOLS, "run_tests.py")
ACCEL = os.environ.get("OOMLAB_ACCEL", "tcg")
MEM = os.environ.get("OOMLAB_MEM", "128M")


def require_file(testcase, path, hint="run make first"):
    """Fail (not skip) the test when a build product is missing."""
    if not os.path.isfile(path):
        testcase.fail(f"prerequisite {os.path.relpath(path, REPO)} is missing ({hint})")


def run_runner(args, timeout=600):
    """Run tools/run_tests.py; returns (exit status, stdout, stderr)."""
    argv = [sys.executable, RUN_TESTS, "--accel", ACCEL, "--mem", MEM] + list(args)
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=timeout, cwd=REPO,
                          start_new_session=True)
    return proc.returncode, proc.stdout, proc.stderr


def closing_line(stdout):
    """The last non-empty line of the runner's output."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def mem_bytes(text):
    """'128M' -> bytes (QEMU's -m suffixes; plain numbers are MiB)."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    text = text.strip().upper().rstrip("B")
    if text[-1:] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text) << 20
