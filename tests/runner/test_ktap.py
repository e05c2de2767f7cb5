"""Unit tests of the runner's pure parts on text samples: the KTAP parser
(tools/ktap.py), the verdict on a run (tools/verdict.py: crashes, resets,
timeouts, missing cases) and suite selection (run_tests.choose).
"""
import unittest

import runner_support  # noqa: F401  (puts tools/ on sys.path)
import ktap
import qemu
import run_tests
import verdict

KUNIT_PASS = """\
[    0.000000] oomlab 0.1 booting
KTAP version 1
1..1
    KTAP version 1
    # Subtest: buddy
    1..3
    ok 1 alloc_order0
    ok 2 free_merges
    ok 3 watermarks
ok 1 buddy
"""


def cases(text):
    return [(name, t.status) for name, t in ktap.leaves(ktap.parse(text).root)]


class ParserTest(unittest.TestCase):
    def test_simple_suite(self):
        doc = ktap.parse(KUNIT_PASS)
        self.assertTrue(doc.found)
        self.assertEqual(doc.root.plan, 1)
        suite = doc.root.subtests[0]
        self.assertEqual((suite.name, suite.status, suite.plan), ("buddy", ktap.PASS, 3))
        self.assertEqual(cases(KUNIT_PASS), [("buddy.alloc_order0", "pass"),
                                             ("buddy.free_merges", "pass"),
                                             ("buddy.watermarks", "pass")])
        self.assertEqual(ktap.problems(doc.root), [])
        self.assertEqual(ktap.tally(doc.root), (3, 0, 0))

    def test_failure_diagnostics_attach_to_the_failing_case(self):
        text = """KTAP version 1
1..1
    KTAP version 1
    # Subtest: s
    1..2
    # a_case: EXPECTATION FAILED at tests/kernel/x_test.c:12
    # Expected x == 42, but
    #     x == 41 (0x29)
    not ok 1 a_case
    ok 2 b_case
not ok 1 s
"""
        suite = ktap.parse(text).root.subtests[0]
        failing, passing = suite.subtests
        self.assertEqual(failing.status, ktap.FAIL)
        self.assertEqual(failing.diagnostics[0], "a_case: EXPECTATION FAILED at tests/kernel/x_test.c:12")
        self.assertEqual(len(failing.diagnostics), 3)
        self.assertEqual(passing.diagnostics, [])
        self.assertEqual(ktap.tally(ktap.parse(text).root), (1, 1, 0))
        self.assertEqual(ktap.problems(ktap.parse(text).root), [])

    def test_skip_directive(self):
        text = """KTAP version 1
1..3
ok 1 a # SKIP needs 8 GiB
ok 2 - b # skip
not ok 3 c # SKIP not today
"""
        root = ktap.parse(text).root
        self.assertEqual([t.status for t in root.subtests], [ktap.SKIP] * 3)
        self.assertEqual(root.subtests[0].skip_reason, "needs 8 GiB")
        self.assertEqual(root.subtests[1].name, "b")
        self.assertEqual(ktap.tally(root), (0, 0, 3))

    def test_interleaved_kernel_log_lines_are_ignored(self):
        text = """[    0.000001] early log
KTAP version 1
[    0.100000] timer: tick
1..1
    KTAP version 1
[    0.200000] another line 1..5 ok 9 not a result
    # Subtest: s
[    0.300000]     ok 7 fake_indented_result
    1..2
    ok 1 a
[    0.400000] not ok 2 b
    ok 2 b
ok 1 s
"""
        root = ktap.parse(text).root
        self.assertEqual(cases(text), [("s.a", "pass"), ("s.b", "pass")])
        self.assertEqual(ktap.problems(root), [])

    def test_unknown_lines_and_carriage_returns(self):
        text = "garbage\r\nKTAP version 1\r\n1..1\r\nrandom words here\r\nok 1 x\r\n"
        root = ktap.parse(text).root
        self.assertEqual(cases(text), [("x", "pass")])
        self.assertEqual(ktap.problems(root), [])

    def test_nested_subtests_count_only_leaves(self):
        text = """KTAP version 1
1..2
    KTAP version 1
    # Subtest: outer
    1..2
        KTAP version 1
        # Subtest: param_case
        1..3
        ok 1 order=0
        not ok 2 order=1
        ok 3 order=2 # SKIP no memory
    not ok 1 param_case
    ok 2 plain_case
not ok 1 outer
    KTAP version 1
    # Subtest: second
    1..1
    ok 1 only
ok 2 second
"""
        root = ktap.parse(text).root
        self.assertEqual(cases(text), [("outer.param_case.order=0", "pass"),
                                       ("outer.param_case.order=1", "fail"),
                                       ("outer.param_case.order=2", "skip"),
                                       ("outer.plain_case", "pass"),
                                       ("second.only", "pass")])
        self.assertEqual(ktap.tally(root), (3, 1, 1))
        self.assertEqual(ktap.problems(root), [])

    def test_missing_plan(self):
        text = """KTAP version 1
1..1
    KTAP version 1
    # Subtest: s
    ok 1 a
ok 1 s
"""
        self.assertIn("no plan in s", ktap.problems(ktap.parse(text).root))

    def test_truncated_output_reports_missing_cases(self):
        text = """KTAP version 1
1..2
    KTAP version 1
    # Subtest: s
    1..3
    ok 1 a
[    1.000000] Kernel panic - not syncing: boom
"""
        root = ktap.parse(text).root
        probs = ktap.problems(root)
        self.assertIn("missing cases: plan said 3, got 1 in s", probs)
        self.assertIn("no result line for s", probs)
        self.assertIn("missing cases: plan said 2, got 1", probs)
        self.assertEqual(cases(text), [("s.a", "pass")])

    def test_truncated_mid_line(self):
        text = "KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: s\n    1..2\n    ok 1 a\n    o"
        root = ktap.parse(text).root
        self.assertIn("missing cases: plan said 2, got 1 in s", ktap.problems(root))

    def test_new_block_without_previous_result_line(self):
        text = """KTAP version 1
1..2
    KTAP version 1
    # Subtest: first
    1..2
    ok 1 a
    KTAP version 1
    # Subtest: second
    1..1
    ok 1 b
ok 2 second
"""
        root = ktap.parse(text).root
        self.assertEqual([t.name for t in root.subtests], ["first", "second"])
        self.assertIsNone(root.subtests[0].status)
        self.assertIn("no result line for first", ktap.problems(root))

    def test_no_ktap_at_all(self):
        doc = ktap.parse("[    0.1] booting\nsome text\n")
        self.assertFalse(doc.found)

    def test_plan_without_version_line_is_accepted(self):
        doc = ktap.parse("1..2\nok 1 a\nnot ok 2 b\n")
        self.assertTrue(doc.found)
        self.assertEqual(ktap.tally(doc.root), (1, 1, 0))

    def test_extra_and_misnumbered_results(self):
        text = "KTAP version 1\n1..1\nok 1 a\nok 3 b\n"
        probs = ktap.problems(ktap.parse(text).root)
        self.assertIn("extra cases: plan said 1, got 2", probs)
        self.assertIn("b numbered 3, expected 2", probs)

    def test_parent_status_contradicting_children(self):
        text = """KTAP version 1
1..1
    KTAP version 1
    # Subtest: s
    1..1
    not ok 1 a
ok 1 s
"""
        self.assertIn("s reported ok but a case in it failed", ktap.problems(ktap.parse(text).root))

    def test_sanitizer_frames_do_not_open_blocks(self):
        text = """KTAP version 1
1..2
ok 1 a
==123==ERROR: AddressSanitizer: heap-buffer-overflow
    #0 0x55d1 in b_case tests/host/x.c:10
    #1 0x55d2 in main tests/host/x.c:99
"""
        root = ktap.parse(text).root
        self.assertEqual(len(root.subtests), 1)
        self.assertIn("missing cases: plan said 2, got 1", ktap.problems(root))

    def test_second_document_is_a_problem(self):
        text = "KTAP version 1\n1..1\nok 1 a\nKTAP version 1\n1..1\nok 1 a\n"
        probs = ktap.problems(ktap.parse(text).root)
        self.assertTrue(any("second KTAP document" in p for p in probs), probs)


def outcome(stdout, status, timed_out=False, stderr=""):
    return qemu.Outcome(status, timed_out, 0.5, stdout, stderr)


class VerdictTest(unittest.TestCase):
    def test_clean_pass(self):
        res = verdict.judge_kernel("buddy", outcome(KUNIT_PASS, 33), 120)
        self.assertTrue(res.ok)
        self.assertEqual((res.passed, res.failed, res.skipped), (3, 0, 0))
        self.assertEqual(res.causes, [])

    def test_panic_counts_cases_plus_one_crash(self):
        text = """KTAP version 1
1..1
    KTAP version 1
    # Subtest: s
    1..3
    ok 1 a
[    0.5] Kernel panic - not syncing: harness_panic test
"""
        res = verdict.judge_kernel("s", outcome(text, 37), 120)
        self.assertEqual((res.passed, res.failed), (1, 1))
        self.assertEqual(res.causes[0], "crash: kernel panic (harness_panic test)")
        self.assertIn("missing cases: plan said 3, got 1 (stopped in case 2)", res.causes)

    def test_oops_then_panic(self):
        text = KUNIT_PASS.split("    ok 1")[0] + """[    0.5] BUG: kernel NULL pointer dereference, address: 0x10
[    0.5] Oops: 0000 [#1]
[    0.5] Call Trace:
[    0.5]  ktest_fault_here+0x4/0x10
[    0.5] Kernel panic - not syncing: Fatal exception
"""
        res = verdict.judge_kernel("buddy", outcome(text, 37), 120)
        self.assertTrue(res.causes[0].startswith("crash: oops (BUG: kernel NULL pointer"), res.causes)
        self.assertEqual(res.causes[1], "crash: kernel panic (Fatal exception)")
        self.assertEqual(res.failed, 1)

    def test_exit_37_without_message(self):
        res = verdict.judge_kernel("s", outcome("", 37), 120)
        self.assertIn("crash: kernel panic (exit 37, no panic message in the log)", res.causes)

    def test_reset(self):
        res = verdict.judge_kernel("s", outcome("KTAP version 1\n1..1\n", 0), 120)
        self.assertIn("reset: triple fault or unexpected power-off (exit 0)", res.causes)
        self.assertFalse(res.ok)

    def test_timeout(self):
        res = verdict.judge_kernel("s", outcome(KUNIT_PASS.split("    ok 1")[0], None, True), 5)
        self.assertEqual(res.causes[0], "timeout after 5s")
        self.assertIn("missing cases: plan said 3, got 0 (stopped in case 1)", res.causes)
        self.assertEqual(res.failed, 1)

    def test_qemu_failed_to_start(self):
        res = verdict.judge_kernel("s", outcome("", 1, stderr="qemu: could not load kernel 'x'\n"), 120)
        self.assertEqual(res.causes, ["qemu failed to start (exit 1): qemu: could not load kernel 'x'"])

    def test_exit_33_with_failing_case_is_a_failure(self):
        text = KUNIT_PASS.replace("    ok 2 free_merges", "    not ok 2 free_merges")
        res = verdict.judge_kernel("buddy", outcome(text, 33), 120)
        self.assertFalse(res.ok)
        self.assertTrue(any("exited 33" in c for c in res.causes), res.causes)

    def test_exit_33_with_truncated_ktap_is_a_failure(self):
        text = "\n".join(KUNIT_PASS.splitlines()[:7])
        res = verdict.judge_kernel("buddy", outcome(text, 33), 120)
        self.assertFalse(res.ok)
        self.assertIn("missing cases: plan said 3, got 1", res.causes)

    def test_exit_35_with_failure_counts_cases(self):
        text = KUNIT_PASS.replace("    ok 2 free_merges", "    # x.c:1: bad\n    not ok 2 free_merges")
        text = text.replace("ok 1 buddy", "not ok 1 buddy")
        res = verdict.judge_kernel("buddy", outcome(text, 35), 120)
        self.assertEqual((res.passed, res.failed), (2, 1))
        self.assertEqual(res.causes, [])

    def test_exit_35_without_failing_case(self):
        res = verdict.judge_kernel("buddy", outcome(KUNIT_PASS, 35), 120)
        self.assertFalse(res.ok)

    def test_empty_plan_means_no_suite_ran(self):
        res = verdict.judge_kernel("nosuch", outcome("KTAP version 1\n1..0\n", 33), 120)
        self.assertFalse(res.ok)

    def test_wrong_suite_name(self):
        res = verdict.judge_kernel("slab", outcome(KUNIT_PASS, 33), 120)
        self.assertFalse(res.ok)

    def test_no_ktap_output(self):
        res = verdict.judge_kernel("s", outcome("[    0.1] hello\n", 33), 120)
        self.assertEqual(res.causes, ["no KTAP output"])

    def test_host_binary_crash_without_plan(self):
        res = verdict.judge_host("host/x", outcome("", -11), 60)
        self.assertFalse(res.ok)
        self.assertIn("crashed with signal 11", res.causes)

    def test_host_binary_nonzero_exit_with_passing_ktap(self):
        res = verdict.judge_host("host/x", outcome("KTAP version 1\n1..1\nok 1 a\n", 1), 60)
        self.assertFalse(res.ok)
        self.assertEqual(res.passed, 1)

    def test_host_binary_pass(self):
        res = verdict.judge_host("host/x", outcome("KTAP version 1\n1..2\nok 1 a\nok 2 b\n# Totals\n", 0), 60)
        self.assertTrue(res.ok)
        self.assertEqual(res.passed, 2)


class ChooseTest(unittest.TestCase):
    SUITES = [run_tests.Suite("boot"), run_tests.Suite("buddy"),
              run_tests.Suite("harness_panic", True), run_tests.Suite("harness_hang", True)]

    def choose(self, globs):
        """Names of the chosen suites, and the unmatched globs."""
        picks, unmatched = run_tests.choose(self.SUITES, globs)
        return [suite.name for suite, _ in picks], unmatched

    def test_default_is_every_non_harness_suite(self):
        self.assertEqual(self.choose([]), (["boot", "buddy"], []))

    def test_wildcard_never_picks_harness_suites(self):
        self.assertEqual(self.choose(["*"]), (["boot", "buddy"], []))
        self.assertEqual(self.choose(["harness_*"]), ([], ["harness_*"]))

    def test_exact_name_picks_harness_suite(self):
        self.assertEqual(self.choose(["harness_hang", "b*"]),
                         (["boot", "buddy", "harness_hang"], []))

    def test_unmatched_glob_is_reported(self):
        self.assertEqual(self.choose(["nosuch"]), ([], ["nosuch"]))

    def test_closing_line(self):
        self.assertEqual(run_tests.closing(3, 0, 0), "3 passed, 0 failed")
        self.assertEqual(run_tests.closing(3, 1, 2), "3 passed, 1 failed, 2 skipped")


if __name__ == "__main__":
    unittest.main()
