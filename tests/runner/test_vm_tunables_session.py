"""The run-time VM tunables at the shell, as on Linux: a write to
/proc/sys/vm/min_free_kbytes moves every zone's min/low/high in
/proc/zoneinfo at once, a bad one is refused and changes nothing; the disk's
names stay cached after use (/proc/sys/fs/dentry-state counts them unused)
until drop_caches 2 prunes them, unless vm.vfs_cache_pressure is 0.
"""
import os
import re
import unittest

from runner_support import REPO, require_file
from shell_support import PROMPT, ShellTestCase

DISK = os.path.join(REPO, "build", "disk.img")


def zone_marks(zoneinfo):
    """{zone: (min, low, high)} from /proc/zoneinfo text."""
    marks = {}
    for m in re.finditer(r"Node 0, zone\s+(\S+)\n(?:.*\n)*?\s+min\s+(\d+)\n\s+low\s+(\d+)\n"
                         r"\s+high\s+(\d+)", zoneinfo):
        marks[m.group(1)] = tuple(int(v) for v in m.group(2, 3, 4))
    return marks


class VmTunablesSession(ShellTestCase):
    MEM = "64M"

    def setUp(self):
        require_file(self, DISK)
        super().setUp()

    def output(self, cmd):
        """What cmd printed: without the echoed command line and the prompt."""
        out = self.run_cmd(cmd)
        body = out.split("\n", 1)[1] if "\n" in out else ""
        if body.endswith(PROMPT.decode()):
            body = body[:-len(PROMPT)]
        return body.replace("\r", "").rstrip("\n")

    def test_min_free_kbytes_write_moves_the_zone_marks_and_bad_ones_are_refused(self):
        before = zone_marks(self.output("cat /proc/zoneinfo"))
        self.assertIn("DMA32", before)
        old = int(self.output("cat /proc/sys/vm/min_free_kbytes"))
        self.assertGreater(old, 0)
        self.run_cmd(f"echo {old * 4} > /proc/sys/vm/min_free_kbytes")
        self.assertEqual(self.output("cat /proc/sys/vm/min_free_kbytes"), str(old * 4))
        after = zone_marks(self.output("cat /proc/zoneinfo"))
        for zone, (lo_min, lo_low, lo_high) in before.items():
            if lo_min == 0:
                continue  # an empty zone
            a_min, a_low, a_high = after[zone]
            self.assertGreater(a_min, lo_min, zone)
            self.assertGreater(a_low, lo_low, zone)
            self.assertGreater(a_high, lo_high, zone)
        for bad in ("-1", "lots"):
            self.assertIn("Invalid argument",
                          self.run_cmd(f"echo {bad} > /proc/sys/vm/min_free_kbytes"))
        self.assertIn("Invalid argument",
                      self.run_cmd("echo 3001 > /proc/sys/vm/watermark_scale_factor"))
        self.assertEqual(zone_marks(self.output("cat /proc/zoneinfo")), after)
        self.run_cmd(f"echo {old} > /proc/sys/vm/min_free_kbytes")
        self.assertEqual(zone_marks(self.output("cat /proc/zoneinfo")), before)

    def dentry_state(self):
        fields = self.output("cat /proc/sys/fs/dentry-state").split("\t")
        self.assertEqual(len(fields), 6, fields)
        self.assertEqual(fields[2], "45")
        return [int(f) for f in fields]

    def test_disk_names_stay_cached_until_drop_caches_unless_pressure_is_zero(self):
        self.assertEqual(self.output("cat /proc/sys/vm/vfs_cache_pressure"), "100")
        self.assertEqual(self.output("cat /mnt/data/hello.txt"), "hello from the disk")
        self.assertGreaterEqual(self.dentry_state()[1], 1)
        self.run_cmd("echo 0 > /proc/sys/vm/vfs_cache_pressure")
        unused = self.dentry_state()[1]
        self.run_cmd("echo 2 > /proc/sys/vm/drop_caches")
        self.assertEqual(self.dentry_state()[1], unused)
        self.run_cmd("echo 100 > /proc/sys/vm/vfs_cache_pressure")
        total = self.dentry_state()[0]
        self.run_cmd("echo 2 > /proc/sys/vm/drop_caches")
        state = self.dentry_state()
        self.assertEqual(state[1], 0)
        self.assertLess(state[0], total)


if __name__ == "__main__":
    unittest.main()
