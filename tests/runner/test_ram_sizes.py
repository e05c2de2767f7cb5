"""Suites that declare guest RAM sizes (struct kunit_suite.ram_sizes): the
runner reads them from the listing, runs one job per size as NAME@SIZE, lets
an explicit --mem override them, and gives big guests a longer timeout. The
last class drives run_tests.kernel_tier against a fake QEMU, so the wiring
(-m, ktest=, log names, labels) is checked without a kernel.
"""
import contextlib
import io
import os
import shutil
import tempfile
import threading
import unittest
from unittest import mock

import runner_support  # noqa: F401  (puts tools/ on sys.path)
import qemu
import run_tests

Suite, Job = run_tests.Suite, run_tests.Job


class ListLineParsing(unittest.TestCase):
    def parse(self, line):
        return run_tests.parse_suite_line(line)

    def test_plain_line_is_a_suite_without_ram_sizes(self):
        self.assertEqual(self.parse("ktest-suite: boot"), Suite("boot", False, ()))

    def test_harness_flag_is_read(self):
        self.assertEqual(self.parse("ktest-suite: harness_hang harness"),
                         Suite("harness_hang", True, ()))

    def test_ram_sizes_are_split_in_declared_order(self):
        self.assertEqual(self.parse("ktest-suite: mm ram=16M,64M,512M,4G"),
                         Suite("mm", False, ("16M", "64M", "512M", "4G")))

    def test_harness_flag_and_ram_sizes_together(self):
        self.assertEqual(self.parse("ktest-suite: harness_oom harness ram=8M,1G"),
                         Suite("harness_oom", True, ("8M", "1G")))

    def test_carriage_return_and_surrounding_blanks_are_ignored(self):
        self.assertEqual(self.parse("  ktest-suite: mm ram=16M,4G \r"),
                         Suite("mm", False, ("16M", "4G")))

    def test_repeated_or_empty_sizes_are_dropped(self):
        self.assertEqual(self.parse("ktest-suite: mm ram=16M,,16M,4G,"),
                         Suite("mm", False, ("16M", "4G")))

    def test_other_lines_are_not_suites(self):
        for line in ("", "[    0.001] ktest-suite: mm", "ktest-suite:", "KTAP version 1",
                     "ktest-suite: mm bogus", "ktest-suite: mm ram=16M harness"):
            with self.subTest(line=line):
                self.assertIsNone(self.parse(line))


class MemSizesAndTimeouts(unittest.TestCase):
    def test_mem_bytes_reads_qemu_suffixes_and_plain_mib(self):
        self.assertEqual(run_tests.mem_bytes("128M"), 128 << 20)
        self.assertEqual(run_tests.mem_bytes("4g"), 4 << 30)
        self.assertEqual(run_tests.mem_bytes("512"), 512 << 20)
        self.assertEqual(run_tests.mem_bytes("1.5G"), 3 << 29)
        self.assertEqual(run_tests.mem_bytes("65536K"), 64 << 20)

    def test_mem_bytes_of_nonsense_is_none(self):
        for text in ("", "lots", "4GB", "size=4G", "-1M"):
            with self.subTest(text=text):
                self.assertIsNone(run_tests.mem_bytes(text))

    def test_timeout_is_unchanged_up_to_1g(self):
        for mem in ("16M", "128M", "512M", "1G", "1024"):
            with self.subTest(mem=mem):
                self.assertEqual(run_tests.timeout_for(120.0, mem), 120.0)

    def test_timeout_doubles_at_4g_and_keeps_growing_with_ram(self):
        self.assertEqual(run_tests.timeout_for(120.0, "4G"), 240.0)
        self.assertGreater(run_tests.timeout_for(120.0, "2G"), 120.0)
        self.assertLess(run_tests.timeout_for(120.0, "2G"), 240.0)
        self.assertGreater(run_tests.timeout_for(120.0, "8G"), 240.0)

    def test_timeout_of_unreadable_mem_is_the_base(self):
        self.assertEqual(run_tests.timeout_for(30.0, "size=4G"), 30.0)

    def test_mem_defaults_to_128m_and_is_not_explicit(self):
        args = run_tests.parse_args([])
        self.assertEqual((args.mem, args.mem_given), ("128M", False))

    def test_mem_on_the_command_line_is_explicit_even_at_the_default(self):
        args = run_tests.parse_args(["--mem", "128M"])
        self.assertEqual((args.mem, args.mem_given), ("128M", True))


class JobExpansion(unittest.TestCase):
    SUITES = [Suite("boot"), Suite("mm", False, ("16M", "64M", "4G")),
              Suite("mm_zones", False, ("64M", "1G")), Suite("harness_oom", True, ("8M", "1G"))]

    def jobs(self, globs, mem="128M", mem_given=False):
        picks, unmatched = run_tests.choose(self.SUITES, globs)
        return [job.label for job in run_tests.expand(picks, mem, mem_given)], unmatched

    def test_suite_with_ram_sizes_becomes_one_job_per_size(self):
        picks, _ = run_tests.choose(self.SUITES, ["mm"])
        self.assertEqual(run_tests.expand(picks, "128M", False),
                         [Job("mm", "16M", "mm@16M"), Job("mm", "64M", "mm@64M"),
                          Job("mm", "4G", "mm@4G")])

    def test_suite_without_ram_sizes_runs_once_at_mem_under_its_plain_name(self):
        picks, _ = run_tests.choose(self.SUITES, ["boot"])
        self.assertEqual(run_tests.expand(picks, "256M", False), [Job("boot", "256M", "boot")])

    def test_default_runs_every_size_of_every_non_harness_suite_in_listing_order(self):
        self.assertEqual(self.jobs([]), (["boot", "mm@16M", "mm@64M", "mm@4G",
                                          "mm_zones@64M", "mm_zones@1G"], []))

    def test_explicit_mem_runs_every_chosen_suite_once_at_that_size(self):
        picks, _ = run_tests.choose(self.SUITES, [])
        self.assertEqual(run_tests.expand(picks, "2G", True),
                         [Job("boot", "2G", "boot"), Job("mm", "2G", "mm"),
                          Job("mm_zones", "2G", "mm_zones")])

    def test_explicit_mem_also_overrides_a_name_at_size_glob(self):
        picks, _ = run_tests.choose(self.SUITES, ["mm@4G"])
        self.assertEqual(run_tests.expand(picks, "64M", True), [Job("mm", "64M", "mm")])

    def test_glob_matches_the_suite_name_not_the_sizes(self):
        self.assertEqual(self.jobs(["mm*"]), (["mm@16M", "mm@64M", "mm@4G",
                                               "mm_zones@64M", "mm_zones@1G"], []))

    def test_name_at_size_picks_one_size(self):
        self.assertEqual(self.jobs(["mm@64M"]), (["mm@64M"], []))

    def test_name_at_size_matches_by_value_and_by_glob(self):
        self.assertEqual(self.jobs(["mm@4096M"]), (["mm@4G"], []))
        self.assertEqual(self.jobs(["mm@4g"]), (["mm@4G"], []))
        self.assertEqual(self.jobs(["*@64M"]), (["mm@64M", "mm_zones@64M"], []))
        self.assertEqual(self.jobs(["mm@*M"]), (["mm@16M", "mm@64M"], []))

    def test_name_at_undeclared_size_matches_nothing(self):
        self.assertEqual(self.jobs(["mm@8G"]), ([], ["mm@8G"]))

    def test_name_at_size_of_a_suite_without_sizes_matches_nothing(self):
        self.assertEqual(self.jobs(["boot@128M"]), ([], ["boot@128M"]))

    def test_name_and_name_at_size_together_run_each_size_once(self):
        self.assertEqual(self.jobs(["mm@4G", "mm", "mm@16M"]),
                         (["mm@16M", "mm@64M", "mm@4G"], []))

    def test_sizes_picked_by_several_globs_keep_declared_order(self):
        self.assertEqual(self.jobs(["mm@4G", "mm@16M"]), (["mm@16M", "mm@4G"], []))

    def test_harness_suite_with_sizes_needs_its_exact_name(self):
        self.assertEqual(self.jobs(["harness_*@8M"]), ([], ["harness_*@8M"]))
        self.assertEqual(self.jobs(["harness_oom@8M"]), (["harness_oom@8M"], []))
        self.assertEqual(self.jobs(["harness_oom"]), (["harness_oom@8M", "harness_oom@1G"], []))


KTAP_PASS = """\
KTAP version 1
1..1
    KTAP version 1
    # Subtest: {name}
    1..1
    ok 1 works
ok 1 {name}
"""


class FakeQemu:
    """Stands in for qemu.run: lists the given suite lines for ktest.list=1,
    passes any ktest=NAME boot, and records every boot."""

    def __init__(self, listing):
        self.listing = listing
        self.boots = []  # (cmdline, -m value, timeout, log basename, argv)
        self._lock = threading.Lock()

    def __call__(self, argv, timeout, log_path=None, echo=None, **_):
        cmdline, mem = argv[argv.index("-append") + 1], argv[argv.index("-m") + 1]
        with self._lock:
            self.boots.append((cmdline, mem, timeout, os.path.basename(log_path or ""), argv))
        words = cmdline.split()
        if "ktest.list=1" in words:
            text = "".join(line + "\n" for line in self.listing)
        else:
            name = next(w for w in words if w.startswith("ktest="))[len("ktest="):]
            text = KTAP_PASS.format(name=name)
        if log_path:
            with open(log_path, "w", encoding="utf-8") as f:
                f.write(text)
        return qemu.Outcome(qemu.EXIT_PASS, False, 0.01, text, "")


class KernelTierWithFakeQemu(unittest.TestCase):
    LISTING = ["ktest-suite: boot", "ktest-suite: mm ram=16M,4G",
               "ktest-suite: harness_hang harness"]

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="oomlab-ram-sizes-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.kernel = os.path.join(self.dir, "oomlab.elf")
        with open(self.kernel, "wb") as f:
            f.write(b"\x7fELF")  # only its existence is checked
        self.logs = os.path.join(self.dir, "logs")

    def tier(self, *argv, listing=None):
        """kernel_tier with a fake QEMU: (results, printed text, fake)."""
        fake = FakeQemu(listing or self.LISTING)
        args = run_tests.parse_args(["--kernel", self.kernel, "--log-dir", self.logs,
                                     "--timeout", "10", "-j", "1"] + list(argv))
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")  # --gdb echoes to .buffer
        with mock.patch.object(qemu, "run", fake), contextlib.redirect_stdout(out):
            results = run_tests.kernel_tier(args)
        out.flush()
        return results, out.buffer.getvalue().decode("utf-8"), fake

    def suite_boots(self, fake):
        return [(cmdline, mem, timeout, log) for cmdline, mem, timeout, log, _ in fake.boots
                if "ktest.list=1" not in cmdline.split()]

    def test_sized_suite_boots_once_per_size_with_its_own_label_log_and_timeout(self):
        results, out, fake = self.tier()
        self.assertEqual([r.label for r in results], ["boot", "mm@16M", "mm@4G"])
        self.assertTrue(all(r.ok for r in results), out)
        self.assertEqual(self.suite_boots(fake),
                         [("ktest=boot", "128M", 10.0, "boot.log"),
                          ("ktest=mm", "16M", 10.0, "mm@16M.log"),
                          ("ktest=mm", "4G", 20.0, "mm@4G.log")])
        self.assertIn("PASS  mm@4G (1 cases)", out)
        self.assertNotIn("harness_hang", out)

    def test_explicit_mem_boots_every_suite_once_at_that_size(self):
        results, _, fake = self.tier("--mem", "64M")
        self.assertEqual([r.label for r in results], ["boot", "mm"])
        self.assertEqual([b[1] for b in fake.boots], ["64M", "64M", "64M"])
        self.assertEqual(self.suite_boots(fake)[1][3], "mm.log")

    def test_name_at_size_boots_only_that_size(self):
        results, _, fake = self.tier("mm@4G")
        self.assertEqual([r.label for r in results], ["mm@4G"])
        self.assertEqual(self.suite_boots(fake), [("ktest=mm", "4G", 20.0, "mm@4G.log")])

    def test_listing_shows_ram_sizes(self):
        results, out, fake = self.tier("--list")
        self.assertEqual(results, [])
        self.assertEqual(out.splitlines(), ["boot", "mm (ram 16M,4G)", "harness_hang (harness only)"])
        self.assertEqual(len(fake.boots), 1)

    def test_listing_at_a_big_explicit_mem_gets_the_longer_timeout(self):
        _, _, fake = self.tier("--list", "--mem", "4G")
        self.assertEqual([(b[1], b[2]) for b in fake.boots], [("4G", 20.0)])

    def test_repeat_runs_every_size_again_with_numbered_logs(self):
        results, _, fake = self.tier("--repeat", "2", "mm")
        self.assertEqual([r.label for r in results], ["mm@16M #1", "mm@4G #1", "mm@16M #2", "mm@4G #2"])
        self.assertEqual([b[3] for b in self.suite_boots(fake)],
                         ["mm@16M.1.log", "mm@4G.1.log", "mm@16M.2.log", "mm@4G.2.log"])

    def test_gdb_refuses_a_suite_with_several_sizes(self):
        results, out, fake = self.tier("--gdb", "mm")
        self.assertEqual([r.label for r in results], ["--gdb"])
        self.assertIn("NAME@SIZE", out)
        self.assertEqual(self.suite_boots(fake), [])

    def test_gdb_boots_one_size_halted_without_timeout(self):
        results, _, fake = self.tier("--gdb", "mm@4G")
        self.assertEqual([r.label for r in results], ["mm@4G"])
        (cmdline, mem, timeout, _, argv), = [b for b in fake.boots if b[0] == "ktest=mm"]
        self.assertEqual((mem, timeout), ("4G", None))
        self.assertIn("-S", argv)

    def test_undeclared_size_fails_with_a_hint(self):
        results, out, fake = self.tier("mm@8G")
        self.assertEqual([r.ok for r in results], [False])
        self.assertIn("no suite matches 'mm@8G'", out)
        self.assertIn("SIZE must be one the suite declares", out)
        self.assertEqual(self.suite_boots(fake), [])

    def test_unreadable_suite_line_fails_the_listing(self):
        results, out, fake = self.tier(listing=["ktest-suite: boot", "ktest-suite: mm ram 16M"])
        self.assertEqual([r.label for r in results], ["(listing suites)"])
        self.assertIn("unreadable suite line", out)
        self.assertEqual(self.suite_boots(fake), [])


if __name__ == "__main__":
    unittest.main()
