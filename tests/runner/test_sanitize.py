"""The sanitize kernel (make kernel-sanitize: UBSan and the stack protector)
proves that each checker reports, through the runner as make test sees it:
a smashed canary ends in Linux's stack-protector panic naming the function,
any "UBSAN:" line fails a run even when every KTAP case passed, and
usertests passes on it with no report.
"""
import contextlib
import io
import os
import shutil
import tempfile
import unittest
from unittest import mock

from runner_support import KERNEL, REPO, require_file, run_runner
from shell_support import ShellTestCase
import test_usertests_oomlab
import qemu  # tools/, on sys.path through runner_support
import run_tests
import verdict
from test_ram_sizes import FakeQemu

SANITIZE_KERNEL = os.environ.get("OOMLAB_SANITIZE_KERNEL",
                                 os.path.join(REPO, "build", "sanitize", "oomlab.elf"))
SKIP_REASON = "needs the sanitize build (make kernel-sanitize)"
KTAP_PASS = """KTAP version 1
1..1
    KTAP version 1
    # Subtest: s
    1..1
    ok 1 a
ok 1 s
"""
REPORT = ("[    0.1] " + "=" * 80 + "\n"
          "[    0.1] UBSAN: shift-out-of-bounds in mm/page_alloc.c:12:34\n"
          "[    0.1] shift exponent 65 is too large for 64-bit type 'long unsigned int'\n")


class UbsanLinesFailARun(unittest.TestCase):
    """verdict.judge_kernel on made-up serial logs (no QEMU)."""

    def judge(self, text, status=qemu.EXIT_PASS):
        return verdict.judge_kernel("s", qemu.Outcome(status, False, 0.1, text, ""), 120)

    def test_a_clean_log_passes(self):
        self.assertTrue(self.judge(KTAP_PASS).ok)

    def test_a_report_fails_a_run_whose_cases_all_passed(self):
        text = KTAP_PASS.replace("    ok 1 a\n", REPORT + "    ok 1 a\n")
        res = self.judge(text)
        self.assertFalse(res.ok)
        self.assertEqual(res.causes, ["ubsan: shift-out-of-bounds in mm/page_alloc.c:12:34"])
        self.assertEqual(res.passed, 1)

    def test_several_reports_are_counted_and_the_first_named(self):
        second = REPORT.replace("mm/page_alloc.c:12:34", "mm/slab.c:1:2")
        res = self.judge(REPORT + second + KTAP_PASS)
        self.assertEqual(res.causes,
                         ["ubsan: 2 reports, first: shift-out-of-bounds in mm/page_alloc.c:12:34"])

    def test_the_word_elsewhere_in_a_line_is_not_a_report(self):
        self.assertTrue(self.judge("[    0.1] no UBSAN: here\n" + KTAP_PASS).ok)


class ShellSessionsFailOnUbsan(unittest.TestCase):
    """The shell session tests check their whole serial log at the end."""

    class FakeSession:
        def __init__(self, text):
            self.text = text

    def check(self, text):
        case = ShellTestCase("_check_no_ubsan_report")
        case.session = self.FakeSession(text)
        case._check_no_ubsan_report()

    def test_a_clean_session_passes(self):
        self.check("oomlab$ ls\r\nbin dev proc\r\noomlab$ ")

    def test_a_session_with_a_report_fails(self):
        with self.assertRaisesRegex(AssertionError, r"ubsan: shift-out-of-bounds in mm/page_alloc"):
            self.check("oomlab$ hog\r\n" + REPORT.replace("\n", "\r\n") + "oomlab$ ")


class SanitizeTierWithFakeQemu(unittest.TestCase):
    """What run_tests.py --all boots on the sanitize kernel (no QEMU)."""

    LISTING = ["ktest-suite: boot", "ktest-suite: page_alloc ram=16M,4G",
               "ktest-suite: address_space", "ktest-suite: filemap", "ktest-suite: user_mode",
               "ktest-suite: sanitizers", "ktest-suite: stack_protector_smash harness",
               "ktest-suite: oom_new ram=64M"]

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="oomlab-sanitize-tier-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.kernel = os.path.join(self.dir, "oomlab.elf")
        with open(self.kernel, "wb") as f:
            f.write(b"\x7fELF")  # only its existence is checked

    def tier(self, listing, fake_qemu=FakeQemu):
        fake = fake_qemu(listing)
        args = run_tests.parse_args(["--sanitize-kernel", self.kernel, "--log-dir", self.dir,
                                     "--timeout", "10", "-j", "1"])
        with mock.patch.object(qemu, "run", fake), contextlib.redirect_stdout(io.StringIO()):
            results = run_tests.sanitize_tier(args)
        return results, fake

    def test_memory_suites_and_the_named_ones_run_labelled_as_sanitize(self):
        results, fake = self.tier(self.LISTING)
        self.assertEqual([r.label for r in results],
                         ["sanitize:page_alloc@16M", "sanitize:page_alloc@4G",
                          "sanitize:address_space", "sanitize:filemap", "sanitize:user_mode",
                          "sanitize:sanitizers", "sanitize:oom_new@64M"])
        self.assertTrue(all(r.ok for r in results))
        self.assertTrue(all(argv[argv.index("-kernel") + 1] == self.kernel
                            for *_, argv in fake.boots))
        self.assertTrue(os.path.isfile(os.path.join(self.dir, "sanitize", "page_alloc@4G.log")))

    def test_a_named_suite_the_kernel_lacks_is_a_failure(self):
        results, _ = self.tier([line for line in self.LISTING if "user_mode" not in line])
        bad = [r for r in results if not r.ok]
        self.assertEqual([(r.name, r.causes) for r in bad],
                         [("sanitize:user_mode", ["the sanitize kernel does not list this suite"])])

    def test_skipped_sanitizer_checks_are_a_failure_here(self):
        class NormalBuildQemu(FakeQemu):
            """The sanitizers suite skips, as in a kernel built without them."""

            def __call__(self, argv, *args, **kwargs):
                out = super().__call__(argv, *args, **kwargs)
                if "ktest=sanitizers" in argv[argv.index("-append") + 1].split():
                    out.stdout = out.stdout.replace("ok 1 works", "ok 1 works # SKIP " + SKIP_REASON)
                return out

        results, _ = self.tier(self.LISTING, NormalBuildQemu)
        bad = [(r.name, r.skipped, r.causes) for r in results if not r.ok]
        self.assertEqual(bad, [("sanitize:sanitizers", 1, [
            "the sanitizer checks skipped: not a sanitize build (make kernel-sanitize)"])])


class SanitizeKernel(unittest.TestCase):
    def setUp(self):
        require_file(self, SANITIZE_KERNEL, "run make kernel-sanitize first")
        self.logs = tempfile.mkdtemp(prefix="oomlab-sanitize-test-")
        self.addCleanup(shutil.rmtree, self.logs, True)

    def runner(self, kernel, *suites):
        return run_runner(["--kernel", kernel, "--log-dir", self.logs, "-j", "2"] + list(suites))

    def test_a_smashed_canary_panics_naming_the_function(self):
        rc, out, err = self.runner(SANITIZE_KERNEL, "stack_protector_smash")
        self.assertNotEqual(rc, 0, out + err)
        self.assertRegex(out, r"(?m)^FAIL  stack_protector_smash: crash: kernel panic "
                         r"\(stack-protector: Kernel stack is corrupted in: "
                         r"stack_protector_smash_canary\+0x[0-9a-f]+/0x[0-9a-f]+\)")
        with open(os.path.join(self.logs, "stack_protector_smash.log"), encoding="utf-8",
                  errors="replace") as f:
            log = f.read()
        trace = log[log.index("Call Trace:"):] if "Call Trace:" in log else ""
        self.assertIn("__stack_chk_fail+0x", trace, log)

    def test_a_ubsan_report_fails_the_run_though_every_case_passed(self):
        rc, out, err = self.runner(SANITIZE_KERNEL, "harness_ubsan")
        self.assertNotEqual(rc, 0, out + err)
        self.assertRegex(out, r"(?m)^FAIL  harness_ubsan: ubsan: signed-integer-overflow in "
                         r"tests/kernel/sanitizer_test\.c:\d+:\d+")
        self.assertIn("1 passed, 1 failed", out)

    def test_the_disk_is_beside_it_so_reclaim_suites_run_their_cases(self):
        # Without it the reclaim suites (vmscan, rmap, reclaim_*) skip every case.
        disk = qemu.default_disk(SANITIZE_KERNEL)
        self.assertIsNotNone(disk, "no disk.img beside the sanitize kernel (make kernel-sanitize)")
        self.assertTrue(os.path.samefile(disk, os.path.join(REPO, "build", "disk.img")))

    def test_the_sanitizer_checks_pass_on_the_sanitize_kernel(self):
        rc, out, err = self.runner(SANITIZE_KERNEL, "sanitizers")
        self.assertEqual(rc, 0, out + err)
        self.assertRegex(out, r"(?m)^PASS  sanitizers \(\d+ cases\)$")

    def test_the_normal_kernel_skips_them_with_the_reason(self):
        require_file(self, KERNEL)
        rc, out, err = self.runner(KERNEL, "sanitizers", "stack_protector_smash")
        self.assertEqual(rc, 0, out + err)
        self.assertRegex(out, r"(?m)^PASS  sanitizers \((\d+) cases, \1 skipped\)$")
        with open(os.path.join(self.logs, "sanitizers.log"), encoding="utf-8") as f:
            self.assertIn(f"# SKIP {SKIP_REASON}", f.read())


class UsertestsOnTheSanitizeKernel(test_usertests_oomlab.UsertestsOnOomlab):
    """Every system call path usertests takes, with UBSan watching (a
    report fails the test through ShellTestCase's log check)."""
    KERNEL = SANITIZE_KERNEL


if __name__ == "__main__":
    unittest.main()
