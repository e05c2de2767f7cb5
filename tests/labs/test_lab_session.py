"""A lab as a student runs it at the shell: after lab reaper's deadlock
verdict the machine still answers SysRq on the serial line, and the dumps
show the story: the victim blocked on the allocator's mmap_lock, which
the allocator holds. Read first: nothing here may allocate in the guest,
which is stuck at the OOM; SysRq runs in the serial receive interrupt.
"""
import os
import sys
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
for sub in ("tools", os.path.join("tests", "runner")):
    if os.path.join(REPO, sub) not in sys.path:
        sys.path.insert(0, os.path.join(REPO, sub))
from shell_support import ShellTestCase  # noqa: E402

LAB_TIMEOUT = 120


class ReaperDeadlockAtTheShell(ShellTestCase):
    MEM = "64M"
    CMDLINE = "oom.reaper=0"

    def wait(self, needle, start, timeout=LAB_TIMEOUT):
        end = self.session.wait_for(needle.encode(), start, timeout)
        self.assertIsNotNone(end, f"no {needle!r}:\n" + self.session.text[-3000:])
        return end

    def test_sysrq_w_and_d_show_the_victim_blocked_on_the_allocators_mmap_lock(self):
        self.session.send("lab run reaper\r")
        end = self.wait("lab reaper: fix=off: as expected", self.pos)
        out = self.session.buf[self.pos:end].decode("utf-8", "replace")
        self.assertIn("lab reaper: fix=off: deadlock: hog:", out, "fix=off found from the switches")
        self.session.send("\x1cw")
        end = self.wait("Show Blocked State", end, 30)
        end = self.wait("task:hog", end, 30)
        self.session.send("\x1cd")
        end = self.wait("Showing all locks held in the system:", end, 30)
        end = self.wait("mmap_lock", end, 30)
        tail = self.session.buf[end - 4000:end].decode("utf-8", "replace")
        self.assertIn("alloc", tail, "the allocator holds the lock")


if __name__ == "__main__":
    unittest.main()
