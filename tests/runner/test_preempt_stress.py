"""Suites that declare preempt_stress (struct kunit_suite.preempt_stress):
the runner reads the flag from the listing and boots each such suite once
more, as NAME[@SIZE]+preempt_stress, with preempt_stress=1 on the command
line and QEMU's instruction counter, so that the kernel's random short ticks
come on time however loaded the host is.
"""
import contextlib
import io
import shutil
import tempfile
import os
import unittest
from unittest import mock

import runner_support  # noqa: F401  (puts tools/ on sys.path)
import qemu
import run_tests
from test_ram_sizes import FakeQemu

Suite, Job = run_tests.Suite, run_tests.Job
STRESS_CMDLINE, STRESS_QEMU = run_tests.PREEMPT_STRESS_CMDLINE, run_tests.PREEMPT_STRESS_QEMU


class ListLineParsing(unittest.TestCase):
    def test_preempt_stress_flag_is_read(self):
        self.assertEqual(run_tests.parse_suite_line("ktest-suite: locks preempt_stress"),
                         Suite("locks", False, (), True))

    def test_flag_comes_after_the_ram_sizes(self):
        self.assertEqual(run_tests.parse_suite_line("ktest-suite: mm ram=16M,4G preempt_stress"),
                         Suite("mm", False, ("16M", "4G"), True))
        self.assertIsNone(run_tests.parse_suite_line("ktest-suite: mm preempt_stress ram=16M"))

    def test_a_suite_without_the_flag_has_none(self):
        self.assertFalse(run_tests.parse_suite_line("ktest-suite: boot").preempt_stress)


class JobExpansion(unittest.TestCase):
    SUITES = [Suite("boot"), Suite("locks", False, (), True),
              Suite("mm", False, ("16M", "64M"), True)]

    def expand(self, globs, mem="128M", mem_given=False, stress=True):
        picks, _ = run_tests.choose(self.SUITES, globs)
        return run_tests.expand(picks, mem, mem_given, stress)

    def test_a_stress_suite_runs_plain_then_under_preempt_stress(self):
        self.assertEqual(self.expand(["locks"]),
                         [Job("locks", "128M", "locks"),
                          Job("locks", "128M", "locks+preempt_stress", STRESS_CMDLINE, STRESS_QEMU)])

    def test_a_sized_stress_suite_runs_under_preempt_stress_once_at_its_first_size(self):
        self.assertEqual([(j.label, j.mem, j.cmdline) for j in self.expand(["mm"])],
                         [("mm@16M", "16M", ""), ("mm@64M", "64M", ""),
                          ("mm@16M+preempt_stress", "16M", STRESS_CMDLINE)])

    def test_explicit_mem_gives_the_stress_run_that_size(self):
        self.assertEqual([(j.label, j.mem) for j in self.expand(["mm"], "64M", True)],
                         [("mm", "64M"), ("mm+preempt_stress", "64M")])

    def test_other_suites_run_once(self):
        self.assertEqual(self.expand(["boot"]), [Job("boot", "128M", "boot")])

    def test_without_stress_only_the_plain_runs_remain(self):
        self.assertEqual([j.label for j in self.expand([], stress=False)],
                         ["boot", "locks", "mm@16M", "mm@64M"])


class KernelTierWithFakeQemu(unittest.TestCase):
    LISTING = ["ktest-suite: boot", "ktest-suite: locks preempt_stress"]

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="oomlab-preempt-stress-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.kernel = os.path.join(self.dir, "oomlab.elf")
        with open(self.kernel, "wb") as f:
            f.write(b"\x7fELF")
        self.logs = os.path.join(self.dir, "logs")

    def tier(self, *argv):
        fake = FakeQemu(self.LISTING)
        args = run_tests.parse_args(["--kernel", self.kernel, "--log-dir", self.logs,
                                     "--timeout", "10", "-j", "1"] + list(argv))
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        with mock.patch.object(qemu, "run", fake), contextlib.redirect_stdout(out):
            results = run_tests.kernel_tier(args)
        out.flush()
        boots = [b for b in fake.boots if "ktest.list=1" not in b[0].split()]
        return results, out.buffer.getvalue().decode("utf-8"), boots

    def test_stress_boot_has_the_switch_the_instruction_counter_and_its_own_log(self):
        results, out, boots = self.tier("--cmdline-extra", "loglevel=3")
        self.assertEqual([r.label for r in results], ["boot", "locks", "locks+preempt_stress"])
        self.assertTrue(all(r.ok for r in results), out)
        cmdline, _, _, log, argv = boots[2]
        self.assertEqual(cmdline, f"ktest=locks {STRESS_CMDLINE} loglevel=3")
        self.assertEqual(log, "locks+preempt_stress.log")
        self.assertEqual(argv[argv.index("-icount"):argv.index("-icount") + 2], list(STRESS_QEMU))
        for plain in boots[:2]:
            self.assertNotIn("-icount", plain[4])
            self.assertNotIn(STRESS_CMDLINE, plain[0])
        self.assertIn("PASS  locks+preempt_stress (1 cases)", out)

    def test_listing_says_which_suites_also_run_under_preempt_stress(self):
        _, out, _ = self.tier("--list")
        self.assertEqual(out.splitlines(), ["boot", "locks (and under preempt_stress)"])

    def test_gdb_boots_only_the_plain_run(self):
        results, _, boots = self.tier("--gdb", "locks")
        self.assertEqual([r.label for r in results], ["locks"])
        self.assertEqual(len(boots), 1)


if __name__ == "__main__":
    unittest.main()
