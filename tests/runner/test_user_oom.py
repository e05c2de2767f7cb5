"""A process that touches more memory than the machine has: the kernel
stops it with a clear message, gives back every page it had, and the
shell goes on working. Read first: until the OOM killer exists, the task
whose fault cannot get a page is the one that dies (mm/fault.c); this test
keeps holding whatever the OOM killer changes about who dies, as long as
the hog dies and the shell lives.
"""
import re
import unittest

from shell_support import ShellTestCase

# MemFree counts the buddy lists only; the per-CPU lists and slab caches
# that a fork and an exec leave warm can hold a few pages more afterwards.
MEMFREE_SLACK_KB = 1024


class HogLargerThanRam(ShellTestCase):
    MEM = "64M"

    def test_is_killed_with_a_message_and_the_system_stays_usable(self):
        self.assertRegex(self.run_cmd("hog -m 1M -x"), r"touched 1 MiB")  # warm the caches
        total = self.meminfo_kb("MemTotal")
        free_before = self.meminfo_kb("MemFree")
        self.assertLess(total, 200 * 1024, "the hog must want more than the machine has")

        out = self.run_cmd("hog -m 200M -x", timeout=120)
        started = re.search(r"hog\[(\d+)\]: 200 MiB", out)
        self.assertIsNotNone(started, out)
        pid = started.group(1)
        self.assertRegex(out, rf"Out of memory: hog\[{pid}\] killed", out)
        self.assertRegex(out, r"(?m)^Killed", "sh reports the SIGKILL")
        self.assertNotRegex(out, r"touched 200 MiB", out)
        self.assertNotRegex(out, r"Kernel panic|Oops|BUG:", out)

        free_after = self.meminfo_kb("MemFree")
        self.assertGreaterEqual(free_after, free_before - MEMFREE_SLACK_KB,
                                f"MemFree {free_before} kB before, {free_after} kB after")
        self.assertNotRegex(self.run_cmd("ps"), rf"(?m)^\s*{pid}\s", "the hog is reaped")
        self.assertRegex(self.run_cmd("hog -m 8M -x"), r"hog\[\d+\]: touched 8 MiB")
        self.assertIn("still here", self.run_cmd("echo still here"))


if __name__ == "__main__":
    unittest.main()
