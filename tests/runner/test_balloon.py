"""The memory balloon from the shell, as a hypervisor would drive it: `balloon
inflate` takes pages out of free memory and every view agrees on how many
(/proc/balloon, /proc/vmstat, /proc/meminfo), `balloon deflate` gives them
back; and a program that needs more memory than is free gets it from the
balloon through the OOM notifier, with oom.notifier inside (Linux) or
outside (seed 3) oom_lock. Read first: sizes are relative to MemFree after
boot, so the tests hold at any RAM size the class names.
"""
import re
import unittest

from shell_support import ShellTestCase

PAGE_KB = 4
INFLATE_MB = 20
# What the hog needs beyond what is left free: only the balloon can give it.
SHORTFALL_MB = 8
HOG_MB = 16


def proc_figure(text, name):
    m = re.search(rf"(?m)^{name} (\d+)$", text)
    return int(m.group(1)) if m else None


class BalloonFromTheShell(ShellTestCase):
    MEM = "64M"

    def balloon_file(self):
        return self.run_cmd("cat /proc/balloon")

    def test_inflate_shows_everywhere_and_deflate_gives_it_back(self):
        free_before = self.meminfo_kb("MemFree")
        out = self.run_cmd(f"balloon inflate {INFLATE_MB}M")
        pages = INFLATE_MB * 1024 // PAGE_KB
        self.assertIn(f"balloon: {INFLATE_MB * 1024} kB ({pages} pages)", out)
        text = self.balloon_file()
        self.assertEqual(proc_figure(text, "size"), pages, text)
        self.assertEqual(proc_figure(text, "target"), pages, text)
        self.assertEqual(proc_figure(text, "inflated"), pages, text)
        vmstat = self.run_cmd("cat /proc/vmstat")
        self.assertEqual(proc_figure(vmstat, "nr_balloon_pages"), pages, vmstat)
        self.assertEqual(proc_figure(vmstat, "balloon_inflate"), pages, vmstat)
        self.assertEqual(self.meminfo_kb("Balloon"), INFLATE_MB * 1024)
        self.assertLessEqual(self.meminfo_kb("MemFree"), free_before - INFLATE_MB * 1024 + 1024)

        self.run_cmd("balloon deflate")
        text = self.balloon_file()
        self.assertEqual(proc_figure(text, "size"), 0, text)
        self.assertEqual(proc_figure(text, "deflated"), pages, text)
        vmstat = self.run_cmd("cat /proc/vmstat")
        self.assertEqual(proc_figure(vmstat, "balloon_deflate"), pages, vmstat)
        self.assertEqual(self.meminfo_kb("Balloon"), 0)
        self.assertGreaterEqual(self.meminfo_kb("MemFree"), free_before - 1024)

    def test_bad_sizes_and_targets_are_refused_with_a_clear_line(self):
        self.assertIn("balloon: bad size 'lots'", self.run_cmd("balloon inflate lots"))
        self.assertIn("balloon: target 4194304 pages: Invalid argument (more than all of RAM)",
                      self.run_cmd("balloon target 16G"))
        self.assertIn("bad value 'sideways' for 'oom.notifier'",
                      self.run_cmd("oomctl oom.notifier=sideways"))
        self.assertIn("oom.notifier = inside", self.run_cmd("oomctl oom.notifier"))

    def hog_lives_on_the_balloon(self):
        free_kb = self.meminfo_kb("MemFree")
        self.run_cmd(f"balloon inflate {free_kb // 1024 - (HOG_MB - SHORTFALL_MB)}M")
        before = proc_figure(self.balloon_file(), "oom_deflated")
        out = self.run_cmd(f"hog -m {HOG_MB}M -x", timeout=120)
        self.assertRegex(out, rf"hog\[\d+\]: touched {HOG_MB} MiB", out)
        self.assertNotRegex(out, r"Out of memory|Killed|Kernel panic", out)
        after = proc_figure(self.balloon_file(), "oom_deflated")
        self.assertGreater(after, before)
        self.assertEqual(after % 256, 0, "the notifier deflates 256 pages at a time")
        self.assertIn("oom_notifier: freed 256 pages", self.run_cmd("dmesg"))
        self.run_cmd("balloon deflate")

    def test_a_program_needing_the_balloon_gets_it_inside_and_outside_oom_lock(self):
        self.hog_lives_on_the_balloon()
        self.assertIn("oom.notifier = outside", self.run_cmd("oomctl oom.notifier=outside"))
        self.hog_lives_on_the_balloon()


class FillUnderBalloonLock(ShellTestCase):
    """The lab's scenario knob: with balloon.inflate_gfp=kernel the filling
    task allocates holding balloon_lock, reaches the OOM notifiers, and the
    balloon's notifier waits for that lock: lockdep names the recursion and
    khungtaskd the task stuck on it (a deadlock, as Linux before
    c7cdff0e8647, never a corrupted lock)."""
    MEM = "64M"
    CMDLINE = "balloon.inflate_gfp=kernel hung_task_timeout_secs=2"

    def test_a_fill_past_free_memory_deadlocks_on_balloon_lock_and_is_reported(self):
        pages = self.meminfo_kb("MemTotal") // PAGE_KB - 1
        start = len(self.session.buf)
        self.session.send(f"balloon target {pages}\r")
        for needle in (b"WARNING: possible recursive locking detected",
                       b"INFO: task balloon:", b"is blocked on balloon_lock"):
            at = self.session.wait_for(needle, start, 120)
            self.assertIsNotNone(at, f"no '{needle.decode()}':\n" + self.session.text[-3000:])
        self.assertNotRegex(self.session.text, r"general protection|Kernel panic|BUG:")


if __name__ == "__main__":
    unittest.main()
