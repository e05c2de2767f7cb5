"""A scripted serial session with the user shell, as a student would type
it: hog allocates and touches 8 MiB, ps lists the processes, free and
/proc/meminfo read the kernel's counters, kill ends a background job, and
the machine powers off. Every step must reach the prompt again.
"""
import re
import unittest

from shell_support import STEP_TIMEOUT, ShellTestCase


class ShellSession(ShellTestCase):
    MEM = "128M"

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
