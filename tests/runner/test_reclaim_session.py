"""Reclaim at the shell, in a 64 MiB guest (issue 15's acceptance 2): `cat`
of the disk's 40 MiB file of real data fills the page cache, `free` shows
it cached, a 40 MiB hog runs without a kill, /proc/vmstat shows the steals
and /proc/pressure/memory is non-zero. The disk's 70 MiB sparse file is larger than RAM, so `cat` can read it only
while reclaim drops what it read before; `free` shows the page cache; a
40 MiB hog then fits only once the cache is dropped, and runs without an
OOM kill; /proc/vmstat shows the steals; a program whose text on the
disk was reclaimed is read from the disk again, counted as refaults, and
runs correctly; drop_caches 2 runs the shrinkers; vm.swappiness is a sysctl.
Read first: holes read as zeros without touching the disk, so the
program's second run is what proves its text left the cache.
"""
import os
import re

from runner_support import REPO, require_file
from shell_support import PROMPT, ShellTestCase

DISK = os.path.join(REPO, "build", "disk.img")
SPARSE = "/mnt/data/sparse.bin"
CACHE40 = "/mnt/data/cache40.bin"
CACHE40_KB = 40 * 1024
HOG_MB = 40
READ_TIMEOUT = 300.0


def vmstat(text, name):
    m = re.search(rf"(?m)^{name} (\d+)$", text)
    return int(m.group(1)) if m else None


def diskstats_reads(text):
    m = re.search(r"(?m)^\s*254\s+0 vda (\d+) ", text)
    return int(m.group(1)) if m else None


class ReclaimSession(ShellTestCase):
    MEM = "64M"

    def setUp(self):
        require_file(self, DISK)
        super().setUp()

    def output(self, cmd, timeout=None):
        out = self.run_cmd(cmd) if timeout is None else self.run_cmd(cmd, timeout)
        body = out.split("\n", 1)[1] if "\n" in out else ""
        if body.endswith(PROMPT.decode()):
            body = body[:-len(PROMPT)]
        return body.rstrip("\n")

    def meminfo_kb(self, field):
        m = re.search(rf"(?m)^{re.escape(field)}:\s+(\d+) kB", self.output("cat /proc/meminfo"))
        self.assertIsNotNone(m, field)
        return int(m.group(1))

    def steals(self):
        text = self.output("cat /proc/vmstat")
        return vmstat(text, "pgsteal_kswapd") + vmstat(text, "pgsteal_direct"), text

    def test_acceptance_a_40_mib_file_is_cached_then_a_40_mib_hog_runs_without_a_kill(self):
        reads = diskstats_reads(self.output("cat /proc/diskstats"))
        self.assertEqual(self.output(f"cat {CACHE40} > /dev/null", READ_TIMEOUT), "")
        self.assertGreater(diskstats_reads(self.output("cat /proc/diskstats")) - reads,
                           CACHE40_KB // 4 // 2, "the file's blocks were not read from the disk")
        free = self.output("free")
        m = re.search(r"(?m)^Mem:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", free)
        self.assertIsNotNone(m, free)
        # free's buff/cache column (KiB): most of the 40 MiB that fit in 64 MiB.
        self.assertGreater(int(m.group(5)), CACHE40_KB // 2, free)
        cached_kb = self.meminfo_kb("Cached")
        out = self.run_cmd(f"hog -m {HOG_MB}M -x", timeout=READ_TIMEOUT)
        self.assertRegex(out, rf"hog\[\d+\]: touched {HOG_MB} MiB", out)
        self.assertNotRegex(out, r"Out of memory|Killed|Kernel panic", out)
        self.assertLess(self.meminfo_kb("Cached"), cached_kb, "the cache was not dropped")
        stolen, text = self.steals()
        self.assertGreater(stolen, 0, "no pgsteal_* moved")
        self.assertEqual(vmstat(text, "oom_kill"), 0, "the hog fit by reclaim alone")
        pressure = self.output("cat /proc/pressure/memory")
        m = re.search(r"(?m)^some avg10=[\d.]+ avg60=[\d.]+ avg300=[\d.]+ total=(\d+)$", pressure)
        self.assertIsNotNone(m, pressure)
        self.assertGreater(int(m.group(1)), 0, "reclaim stalled nobody, says PSI")

    def test_a_file_larger_than_ram_is_cached_then_dropped_for_a_hog_without_a_kill(self):
        self.assertEqual(self.output(f"cat {SPARSE} > /dev/null", READ_TIMEOUT), "")
        cached_kb = self.meminfo_kb("Cached")
        self.assertGreater(cached_kb, 20 * 1024, "the file's pages are not in the page cache")
        self.assertGreater(self.meminfo_kb("Inactive(file)") + self.meminfo_kb("Active(file)"),
                           20 * 1024)
        free = self.output("free")
        self.assertRegex(free, r"(?m)^Mem:")
        stolen, text = self.steals()
        self.assertGreater(stolen, 0, "reading 70 MiB into 64 MiB reclaimed nothing")
        self.assertEqual(vmstat(text, "oom_kill"), 0)
        out = self.run_cmd(f"hog -m {HOG_MB}M -x", timeout=READ_TIMEOUT)
        self.assertRegex(out, rf"hog\[\d+\]: touched {HOG_MB} MiB", out)
        self.assertNotRegex(out, r"Out of memory|Killed|Kernel panic", out)
        self.assertLess(self.meminfo_kb("Cached"), cached_kb)
        after, text = self.steals()
        self.assertGreater(after, stolen)
        self.assertEqual(vmstat(text, "oom_kill"), 0, "the hog fit by reclaim alone")

    def test_a_program_whose_text_was_reclaimed_runs_again_from_the_disk(self):
        self.assertIn("first run", self.output("/mnt/bin/echo first run"))
        self.assertEqual(self.output(f"cat {SPARSE} > /dev/null", READ_TIMEOUT), "")
        before = diskstats_reads(self.output("cat /proc/diskstats"))
        refaults = vmstat(self.output("cat /proc/vmstat"), "workingset_refault_file")
        self.assertEqual(self.output("/mnt/bin/echo second run, text read again"),
                         "second run, text read again")
        after = diskstats_reads(self.output("cat /proc/diskstats"))
        self.assertGreater(after, before, "echo's text was still cached: nothing reclaimed it")
        self.assertGreater(vmstat(self.output("cat /proc/vmstat"), "workingset_refault_file"),
                           refaults, "its text came back without counting as a refault")

    def test_drop_caches_2_runs_the_shrinkers_and_swappiness_is_a_sysctl(self):
        self.assertIn("hello from the disk", self.run_cmd("cat /mnt/data/hello.txt"))
        self.run_cmd("echo 2 > /proc/sys/vm/drop_caches")
        m = re.search(r"drop_caches: (\d+) slab objects freed", self.output("dmesg"))
        self.assertIsNotNone(m, "drop_caches 2 did not run the shrinkers")
        self.assertGreater(int(m.group(1)), 0, "no unused ext2 inode was freed")
        self.assertEqual(self.output("cat /proc/sys/vm/swappiness"), "60")
        self.assertEqual(self.output("echo 10 > /proc/sys/vm/swappiness"), "")
        self.assertEqual(self.output("cat /proc/sys/vm/swappiness"), "10")
