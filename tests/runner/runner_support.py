"""Shared helpers for the runner's self-tests: repository paths, the QEMU
settings chosen by "run_tests.py --all" (OOMLAB_ACCEL/OOMLAB_MEM), and a
prerequisite check that FAILS a test (never skips it) when a build is missing.
"""
import os
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = os.path.join(REPO, "tools")
if TOOLS not in sys.path:
    sys.path.insert(0, TOOLS)
import qemu  # noqa: E402

KERNEL = os.environ.get("OOMLAB_KERNEL", os.path.join(REPO, "build", "oomlab.elf"))
ISO = os.environ.get("OOMLAB_ISO", os.path.join(REPO, "build", "oomlab.iso"))
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


class SerialSession:
    """QEMU with its serial line on stdin/stdout pipes: wait for text, type."""

    def __init__(self, argv):
        self.proc = qemu.spawn(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
        self.buf = b""
        self.err = b""
        self._cond = threading.Condition()
        self._eof = False
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _read(self):
        while True:
            chunk = self.proc.stdout.read1(65536)
            with self._cond:
                if not chunk:
                    self._eof = True
                    self._cond.notify_all()
                    return
                self.buf += chunk
                self._cond.notify_all()

    def _read_err(self):
        for chunk in iter(lambda: self.proc.stderr.read1(65536), b""):
            self.err += chunk

    @property
    def text(self):
        with self._cond:
            return self.buf.decode("utf-8", "replace")

    def wait_for(self, needle, start=0, timeout=60.0):
        """Offset just past the first needle (bytes) at or after start, or None."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                i = self.buf.find(needle, start)
                if i >= 0:
                    return i + len(needle)
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    return None
                self._cond.wait(min(left, 0.5))

    def send(self, text):
        try:
            self.proc.stdin.write(text.encode())
            self.proc.stdin.flush()
        except OSError:
            pass  # QEMU already gone: the wait that follows reports it

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        qemu.kill_group(self.proc, grace=0.5)
        try:
            self.proc.stdin.close()
        except OSError:
            pass
