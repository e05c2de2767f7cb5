"""A scripted serial session with the user shell, as a student would type
it: hog allocates and touches 8 MiB, ps lists the processes, free and
/proc/meminfo read the kernel's counters, kill ends a background job, and
the machine powers off. Every step must reach the prompt again.
"""
import re
import unittest

from runner_support import ACCEL, KERNEL, SerialSession, qemu, require_file

PROMPT = b"oomlab$ "
BOOT_TIMEOUT = 60.0
STEP_TIMEOUT = 30.0
MEM = "128M"


class ShellSession(unittest.TestCase):
    def setUp(self):
        require_file(self, KERNEL)
        self.session = SerialSession(qemu.kernel_argv(KERNEL, "", MEM, ACCEL))
        self.addCleanup(self.session.kill)
        self.pos = self.session.wait_for(PROMPT, 0, BOOT_TIMEOUT)
        if self.pos is None:
            self.fail("no shell prompt; serial output ended with:\n" + self.session.text[-2000:])

    def run_cmd(self, cmd):
        """Type cmd; return what it printed before the next prompt."""
        start = self.pos
        self.session.send(cmd + "\r")
        end = self.session.wait_for(PROMPT, start, STEP_TIMEOUT)
        if end is None:
            self.fail(f"'{cmd}' never returned to the prompt:\n" + self.session.text[-2000:])
        self.pos = end
        return self.session.buf[start:end].decode("utf-8", "replace").replace("\r", "")

    def test_hog_ps_free_meminfo_kill_and_poweroff(self):
        out = self.run_cmd("hog -m 8M -x")
        self.assertRegex(out, r"hog\[\d+\]: touched 8 MiB", out)
        out = self.run_cmd("ps")
        self.assertRegex(out, r"(?m)^\s*PID\s+PPID\s+S\s", out)
        self.assertRegex(out, r"(?m)^\s*1\s+0\s+\w\s.*\binit$", out)
        self.assertRegex(out, r"(?m)\bsh$", out)
        out = self.run_cmd("free")
        self.assertRegex(out, r"(?m)^Mem:\s+\d+\s+\d+\s+\d+", out)
        out = self.run_cmd("cat /proc/meminfo")
        total = re.search(r"(?m)^MemTotal:\s+(\d+) kB", out)
        self.assertIsNotNone(total, out)
        self.assertGreater(int(total.group(1)), 100000, "128M guest")
        self.assertRegex(out, r"(?m)^MemFree:\s+\d+ kB", out)
        out = self.run_cmd("sleep 1000 &")
        job = re.search(r"\[\d+\]\s+(\d+)", out)
        self.assertIsNotNone(job, f"sh printed no job pid for '&':\n{out}")
        pid = job.group(1)
        self.assertRegex(self.run_cmd("ps"), rf"(?m)^\s*{pid}\s.*\bsleep$")
        self.run_cmd(f"kill {pid}")
        self.run_cmd("wait")
        self.assertNotRegex(self.run_cmd("ps"), rf"(?m)^\s*{pid}\s")
        self.session.send("poweroff\r")
        self.assertEqual(self.session.wait_exit(STEP_TIMEOUT), 0, "ACPI power-off exits QEMU 0")


if __name__ == "__main__":
    unittest.main()
