"""The bench driver (make bench) must keep working: one quick run finishes
and prints a figure in every row; the figures themselves are never judged.
Its reads wait with a deadline, so a QEMU that goes quiet cannot hang it.
The reclaim scenarios' parsing is checked on text recorded from the guest.
"""
import os
import re
import subprocess
import sys
import time
import unittest

from runner_support import ISO, KERNEL, REPO, TOOLS, qemu, require_file
import bench  # tools/, on sys.path through runner_support
import bench_reclaim

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


# Recorded from a 64M guest: a sample (the shell's echo of the typed line,
# then the kmsg record with its timestamp, /proc/vmstat cut short, PSI).
SAMPLE = """echo bench-sample-3 > /dev/kmsg; cat /proc/vmstat /proc/pressure/memory
[   15.656512] bench-sample-3
nr_free_pages 10518
workingset_refault_file 41
allocstall_dma 0
allocstall_dma32 2
allocstall_normal 0
pgscan_kswapd 6697
pgscan_direct 120
pgsteal_kswapd 6690
pgsteal_direct 118
oom_kill 0
some avg10=1.25 avg60=0.30 avg300=0.06 total=183211
full avg10=0.50 avg60=0.10 avg300=0.02 total=90210
"""

# Two OOM events as the console shows them at loglevel 7 (report cut), a
# third whose header has no kill after it yet.
OOM_TEXT = """hog -m 200M -x
hog[7]: 200 MiB in 1 thread
[    0.404876] hog invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), order=0, oom_score_adj=0
[    0.413686] CPU: 0 PID: 7 Comm: hog Not tainted
[    0.415267] Mem-Info:
[    0.421458] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=hog,pid=7,uid=0
[    0.421879] Out of memory: Killed process 7 (hog) total-vm:57500kB, anon-rss:56608kB, file-rss:20kB, shmem-rss:0kB, UID:0 pgtables:144kB oom_score_adj:0
Killed
oomlab$ hog -m 200M -x
[    1.200000] hog invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), order=0, oom_score_adj=0
[    1.203500] Out of memory: Killed process 9 (hog) total-vm:57500kB, anon-rss:56608kB, file-rss:20kB, shmem-rss:0kB, UID:0 pgtables:144kB oom_score_adj:0
[    2.000000] hog invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO), order=0, oom_score_adj=0
"""

TRACE = """# tracer: nop
#
# entries-in-buffer/entries-written: 2/2   #P:1
#
#                                _-----=> irqs-off/BH-disabled
#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
#              | |         |   |||||     |         |
             hog-12      [000] d..1.    21.004000: mm_vmscan_direct_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE
         kswapd0-3       [000] .....    20.981250: mm_vmscan_kswapd_wake: nid=0 order=0
"""
PRESSURE = {"mm_vmscan_kswapd_wake", "mm_vmscan_direct_reclaim_begin"}


def sample_at(t, **counters):
    vm = dict.fromkeys(("pgscan_kswapd", "pgscan_direct", "pgsteal_kswapd", "pgsteal_direct"), 0)
    vm.update(counters)
    return bench_reclaim.Sample(t, vm, {"some": {"avg10": 0.0, "total": 0}})


class ReclaimParsing(unittest.TestCase):
    def test_a_sample_is_timed_by_its_kmsg_record_and_holds_vmstat_and_psi(self):
        s = bench_reclaim.parse_sample(SAMPLE, "bench-sample-3")
        self.assertAlmostEqual(s.t, 15.656512)
        self.assertEqual(s.vmstat["pgsteal_kswapd"], 6690)
        self.assertEqual(s.vmstat["workingset_refault_file"], 41)
        self.assertEqual(s.some_avg10(), 1.25)
        self.assertEqual(s.psi["full"]["total"], 90210)

    def test_the_typed_command_echoed_by_the_shell_is_no_timestamp(self):
        self.assertIsNone(bench_reclaim.stamp_of(SAMPLE.splitlines()[0], "bench-sample-3"))
        self.assertIsNone(bench_reclaim.stamp_of(SAMPLE, "bench-sample-30"))

    def test_a_sample_without_its_pressure_lines_does_not_parse(self):
        cut = SAMPLE.split("some avg10")[0]
        self.assertIsNone(bench_reclaim.parse_sample(cut, "bench-sample-3"))
        self.assertIsNone(bench_reclaim.parse_sample(SAMPLE, "bench-sample-4"))

    def test_reclaim_figures_are_counts_per_guest_second_between_two_samples(self):
        before = sample_at(10.0, pgscan_kswapd=100, pgsteal_kswapd=90, allocstall_dma32=1)
        after = sample_at(12.5, pgscan_kswapd=1100, pgsteal_kswapd=590, allocstall_dma32=4,
                          pgsteal_direct=7)
        for s in (before, after):
            s.vmstat.setdefault("allocstall_dma", 0)
            s.vmstat.setdefault("allocstall_normal", 0)
            s.vmstat.setdefault("oom_kill", 0)
        f = bench_reclaim.reclaim_figures(before, after, "kswapd")
        self.assertEqual(f["window_s"], 2.5)
        self.assertEqual(f["scanned_per_s"], 400.0)
        self.assertEqual(f["stolen_per_s"], 200.0)
        self.assertEqual(f["allocstall"], 3)
        self.assertEqual(f["stolen_any"], 507)

    def test_pressure_starts_at_the_first_sample_where_reclaim_moved(self):
        samples = [sample_at(1.0, pgscan_kswapd=5), sample_at(2.0, pgscan_kswapd=5),
                   sample_at(3.0, pgscan_kswapd=5, pgsteal_direct=1), sample_at(4.0, pgscan_kswapd=9)]
        self.assertEqual(bench_reclaim.pressure_start(samples).t, 3.0)
        self.assertIsNone(bench_reclaim.pressure_start(samples[:2]))

    def test_the_oom_killers_time_runs_from_each_header_to_its_killed_line(self):
        ms = bench_reclaim.oom_kill_latencies(OOM_TEXT)
        self.assertEqual(len(ms), 2, "a header with no kill after it has no figure")
        self.assertAlmostEqual(ms[0], 17.003)
        self.assertAlmostEqual(ms[1], 3.5)
        self.assertAlmostEqual(bench_reclaim.first_kill(OOM_TEXT), 0.421879)
        self.assertIsNone(bench_reclaim.first_kill(SAMPLE))

    def test_linux_kmsg_records_time_the_killer_in_microseconds(self):
        kmsg = ("cat /dev/kmsg\n"
                "6,700,5200100,-;hog invoked oom-killer: gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE"
                "|__GFP_ZERO), order=0, oom_score_adj=0\n"
                " SUBSYSTEM=x\n"
                "4,701,5200150,c;CPU: 0 PID: 90 Comm: hog Not tainted 6.1.0-57-cloud-amd64\n"
                "3,760,5207350,-;Out of memory: Killed process 90 (hog) total-vm:57500kB, "
                "anon-rss:56608kB, file-rss:20kB, shmem-rss:0kB, UID:0 pgtables:144kB "
                "oom_score_adj:0\n^C\n")
        ms = bench_reclaim.oom_kill_latencies(kmsg, bench_reclaim.kmsg_lines)
        self.assertEqual(len(ms), 1)
        self.assertAlmostEqual(ms[0], 7.25)
        self.assertEqual(bench_reclaim.oom_kill_latencies(kmsg), [], "no printk prefix there")

    def test_pressure_starts_at_the_first_trace_line_unless_the_ring_dropped_some(self):
        self.assertAlmostEqual(bench_reclaim.first_trace_event(TRACE, PRESSURE), 20.98125)
        self.assertAlmostEqual(
            bench_reclaim.first_trace_event(TRACE, {"mm_vmscan_direct_reclaim_begin"}), 21.004)
        self.assertIsNone(bench_reclaim.first_trace_event(TRACE, {"mm_vmscan_kswapd_sleep"}))
        dropped = TRACE.replace("2/2", "256/300")
        self.assertIsNone(bench_reclaim.first_trace_event(dropped, PRESSURE))

    def test_the_smoke_needs_a_guest_time_window_and_a_stolen_page(self):
        good = {"window_s": 0.3, "scanned_per_s": 0.0, "stolen_per_s": 0.0, "scanned": 0,
                "stolen": 0, "allocstall": 0, "stolen_any": 6697, "oom_kill": 0}
        quiet = []
        self.assertTrue(bench_reclaim.smoke_ok(good, quiet.append))
        for key, value in (("window_s", 0.0), ("stolen_any", 0), ("allocstall", -1)):
            self.assertFalse(bench_reclaim.smoke_ok(dict(good, **{key: value}), quiet.append),
                             key)


class QuickBench(unittest.TestCase):
    def test_quick_run_finishes_with_a_figure_in_every_row(self):
        for path in (KERNEL, ISO, BENCH_MM, bench_reclaim.DISK):
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
        self.assertRegex(out, r"(?m)^reclaim smoke \(direct\)\s+scanned\s+\d+ pages/s\s+stolen\s+"
                              r"\d+ pages/s\s+window \d+\.\d\d s\s+allocstall \d+$", out)


if __name__ == "__main__":
    unittest.main()
