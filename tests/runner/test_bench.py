"""The bench driver (make bench) must keep working: one quick run finishes
and prints a figure in every row; the figures themselves are never judged.
Its reads wait with a deadline, so a QEMU that goes quiet cannot hang it.
"""
import os
import re
import subprocess
import sys
import time
import unittest

from runner_support import ISO, KERNEL, REPO, TOOLS, qemu, require_file
import bench  # tools/, on sys.path through runner_support

BENCH_MM = os.path.join(REPO, "build", "bench", "bench_mm")
QUICK_TIMEOUT = 900.0  # generous: a hang must end, load must not fail it
QUIET_CHILD_SEC = 30
DEADLINE_SEC = 1.0


class ReadUntil(unittest.TestCase):
    def child(self, script):
        proc = qemu.spawn(["sh", "-c", script], stdout=subprocess.PIPE)
        self.addCleanup(proc.stdout.close)
        self.addCleanup(qemu.kill_group, proc, 0.5)
        return proc

    def test_a_quiet_child_cannot_hold_the_reader_past_the_deadline(self):
        proc = self.child(f"sleep {QUIET_CHILD_SEC}")
        start = time.monotonic()
        self.assertFalse(bench.read_until(proc.stdout, b"oomlab$ ", start + DEADLINE_SEC))
        self.assertLess(time.monotonic() - start, QUIET_CHILD_SEC / 2)

    def test_a_marker_split_across_writes_is_found(self):
        proc = self.child("printf 'booting... oom'; sleep 0.3; printf 'lab$ '; sleep 30")
        self.assertTrue(bench.read_until(proc.stdout, b"oomlab$ ", time.monotonic() + 20))

    def test_end_of_output_without_the_marker_is_false(self):
        proc = self.child("printf 'oomlab> '")
        self.assertFalse(bench.read_until(proc.stdout, b"oomlab$ ", time.monotonic() + 20))


class QuickBench(unittest.TestCase):
    def test_quick_run_finishes_with_a_figure_in_every_row(self):
        for path in (KERNEL, ISO, BENCH_MM):
            require_file(self, path)
        proc = subprocess.run([sys.executable, os.path.join(TOOLS, "bench.py"), "--quick"],
                              cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=QUICK_TIMEOUT,
                              start_new_session=True)
        out = proc.stdout
        self.assertEqual(proc.returncode, 0, out)
        self.assertNotIn("FAILED", out)
        for name, _, _ in bench.BOOT_ROWS:
            self.assertRegex(out, rf"(?m)^{re.escape(name)}\s+median\s+\d+\.\d ms", out)
        for _, label in bench.ALLOC_ROWS:
            # One figure from the kernel, one from the host build.
            self.assertRegex(out, rf"(?m)^{re.escape(label)}\s+(\d+ cyc\s+\d+ ns[ \t]*){{2}}$", out)


if __name__ == "__main__":
    unittest.main()
