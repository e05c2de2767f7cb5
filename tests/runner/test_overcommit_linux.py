"""Overcommit's answers checked against Linux itself: usertests' overcommit
cases (modes 0, 1 and 2, the same requests oomlab answers in
test_usertests_oomlab.py) typed at our shell on Debian's stock kernel in
QEMU, with oomlab's initrd. Read first: modes 1 and 2 change
/proc/sys/vm for the whole machine, so they never run on the host others
share (test_user_host.py runs mode 0 only); this throwaway VM, booted with
usertests.scratch=1, is where Linux answers them. Debian's kernel is
fetched as make linux-run does (apt-get download); without it, a skip.
"""
import os
import unittest

from runner_support import ACCEL, REPO, SerialSession, qemu, require_file
from shell_support import PROMPT, ShellTestCase
import ktap  # tools/, on sys.path through runner_support
import linux_run  # tools/

INITRD = os.path.join(REPO, "build", "initrd.cpio")
CMDLINE = "console=ttyS0 rdinit=/bin/linuxinit panic=-1 usertests.scratch=1"
BOOT_TIMEOUT = 240.0
CASES_TIMEOUT = 300.0
CASES = ["overcommit_heuristic_refuses_what_ram_and_swap_cannot_hold",
         "overcommit_strict_and_always_modes"]


class OvercommitOnLinux(ShellTestCase):
    MEM = "256M"

    def setUp(self):
        require_file(self, INITRD)
        try:
            self.KERNEL = linux_run.fetch_kernel()
        except linux_run.NoPackage as e:
            self.skipTest(f"Debian's kernel is not available ({e})")
        argv = qemu.kernel_argv(self.KERNEL, CMDLINE, self.MEM, ACCEL, initrd=INITRD, disk=None)
        self.session = SerialSession(argv)
        self.addCleanup(self.session.kill)
        self.addCleanup(self._save_log)
        self.pos = self.session.wait_for(PROMPT, 0, BOOT_TIMEOUT)
        if self.pos is None:
            self.fail("no shell prompt on Linux; serial output ended with:\n"
                      + self.session.text[-2000:])

    def test_every_mode_gives_the_answers_usertests_expects(self):
        self.assertIn("Linux", self.run_cmd("cat /proc/version"))
        out = self.run_cmd("usertests -s overcommit", timeout=CASES_TIMEOUT)
        doc = ktap.parse(out)
        self.assertTrue(doc.found, out)
        self.assertEqual([(name, case.status) for name, case in ktap.leaves(doc.root)],
                         [(name, ktap.PASS) for name in CASES], out)
        # The settings went back to Linux's defaults.
        self.assertRegex(self.run_cmd("cat /proc/sys/vm/overcommit_memory"), r"(?m)^0$")


if __name__ == "__main__":
    unittest.main()
