"""What a user sees of the kernel's memory accounting, at the shell of a
64 MiB guest: the overcommit and Committed_AS cases of usertests (the
oomlab-only ones included, since they may change /proc/sys/vm or read
system-wide counters here), the vm sysctls and meminfo's commit lines, and /proc/pressure in Linux's format.
Read first: usertests' own output is KTAP; a case that fails prints why.
"""
import re
import unittest

from shell_support import ShellTestCase
import ktap  # tools/, on sys.path through runner_support

USERTESTS_TIMEOUT = 300.0


class AccountingAtTheShell(ShellTestCase):
    MEM = "64M"

    def test_overcommit_cases_pass_in_a_small_guest(self):
        out = self.run_cmd("usertests -s overcommit committed_as",
                           timeout=USERTESTS_TIMEOUT)
        doc = ktap.parse(out)
        self.assertTrue(doc.found, out)
        passed, failed, skipped = ktap.tally(doc.root)
        self.assertEqual((passed, failed, skipped), (3, 0, 0), out)

    def test_vm_sysctls_read_as_linux_defaults(self):
        self.assertRegex(self.run_cmd("cat /proc/sys/vm/overcommit_memory"), r"(?m)^0\r?$")
        self.assertRegex(self.run_cmd("cat /proc/sys/vm/overcommit_ratio"), r"(?m)^50\r?$")
        self.assertRegex(self.run_cmd("cat /proc/sys/vm/overcommit_kbytes"), r"(?m)^0\r?$")
        meminfo = self.run_cmd("cat /proc/meminfo")
        total = int(re.search(r"MemTotal:\s+(\d+) kB", meminfo).group(1))
        limit = int(re.search(r"CommitLimit:\s+(\d+) kB", meminfo).group(1))
        self.assertEqual(limit, total // 4 * 50 // 100 * 4, meminfo)
        self.assertRegex(meminfo, r"(?m)^Committed_AS:\s+\d+ kB")

    def test_a_refused_sysctl_write_says_invalid_argument(self):
        out = self.run_cmd("echo 3 > /proc/sys/vm/overcommit_memory")
        self.assertIn("Invalid argument", out)
        self.assertRegex(self.run_cmd("cat /proc/sys/vm/overcommit_memory"), r"(?m)^0\r?$")

    def test_pressure_files_read_in_linux_format(self):
        line = r"avg10=\d+\.\d\d avg60=\d+\.\d\d avg300=\d+\.\d\d total=\d+\r?$"
        for resource in ("memory", "cpu"):
            out = self.run_cmd(f"cat /proc/pressure/{resource}")
            self.assertRegex(out, r"(?m)^some " + line, out)
            self.assertRegex(out, r"(?m)^full " + line, out)
        self.assertRegex(self.run_cmd("cat /proc/pressure/cpu"),
                         r"(?m)^full avg10=0\.00 avg60=0\.00 avg300=0\.00 total=0\r?$")


if __name__ == "__main__":
    unittest.main()
