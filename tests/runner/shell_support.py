"""The user shell over the serial line, for the runner's session tests:
boot the kernel to the "oomlab$ " prompt, type a command, read what it
printed. Read first: every session's whole serial log is kept in
build/test-logs/runner/ (pass or fail), so a panic or hang in the guest can
be read after the run.
"""
import os
import re
import unittest

from runner_support import ACCEL, KERNEL, REPO, SerialSession, qemu, require_file
import verdict  # tools/, on sys.path through runner_support

PROMPT = b"oomlab$ "
BOOT_TIMEOUT = 60.0
STEP_TIMEOUT = 30.0
LOG_DIR = os.path.join(REPO, "build", "test-logs", "runner")


class ShellTestCase(unittest.TestCase):
    """One QEMU per test, at the class's MEM, booted to the shell."""

    MEM = "128M"
    CMDLINE = ""
    KERNEL = KERNEL  # a subclass may boot another build (the sanitize kernel)

    def setUp(self):
        require_file(self, self.KERNEL)
        self.session = SerialSession(qemu.kernel_argv(self.KERNEL, self.CMDLINE, self.MEM, ACCEL))
        self.addCleanup(self._check_no_ubsan_report)  # runs last, on the whole log
        self.addCleanup(self.session.kill)
        self.addCleanup(self._save_log)
        self.pos = self.session.wait_for(PROMPT, 0, BOOT_TIMEOUT)
        if self.pos is None:
            self.fail("no shell prompt; serial output ended with:\n" + self.session.text[-2000:])

    def _save_log(self):
        os.makedirs(LOG_DIR, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", self.id().split(".", 1)[-1])
        with open(os.path.join(LOG_DIR, name + ".log"), "w", encoding="utf-8") as f:
            f.write(self.session.text)

    def _check_no_ubsan_report(self):
        """Undefined behaviour the kernel met during the session fails the test."""
        causes = verdict.ubsan_causes(self.session.text)
        if causes:
            self.fail(f"{causes[0]} (serial log in {os.path.relpath(LOG_DIR, REPO)})")

    def run_cmd(self, cmd, timeout=STEP_TIMEOUT):
        """Type cmd; return what it printed before the next prompt."""
        start = self.pos
        self.session.send(cmd + "\r")
        end = self.session.wait_for(PROMPT, start, timeout)
        if end is None:
            self.fail(f"'{cmd}' never returned to the prompt within {timeout:g}s:\n"
                      + self.session.text[-2000:])
        self.pos = end
        return self.session.buf[start:end].decode("utf-8", "replace").replace("\r", "")

    def meminfo_kb(self, field):
        out = self.run_cmd("cat /proc/meminfo")
        m = re.search(rf"(?m)^{field}:\s+(\d+) kB", out)
        self.assertIsNotNone(m, f"no {field} in /proc/meminfo:\n{out}")
        return int(m.group(1))
