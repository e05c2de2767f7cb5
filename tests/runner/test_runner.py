"""The harness proves itself: tools/run_tests.py is run against the real
kernel with each deliberately failing harness suite and must fail with the
right cause; a corrupted or missing kernel must fail too; a good suite must pass.
"""
import json
import os
import re
import shutil
import struct
import tempfile
import time
import unittest
import uuid

from runner_support import KERNEL, REPO, closing_line, require_file, run_runner

CLOSING = re.compile(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$")
SEE_LOG = re.compile(r"\(see (\S+)\)")


class RunnerAgainstKernel(unittest.TestCase):
    def setUp(self):
        require_file(self, KERNEL)
        self.logs = tempfile.mkdtemp(prefix="oomlab-runner-test-")
        self.token = "oomlab_selftest=" + uuid.uuid4().hex[:12]

    def tearDown(self):
        shutil.rmtree(self.logs, ignore_errors=True)

    def runner(self, *args, kernel=KERNEL):
        return run_runner(["--kernel", kernel, "--log-dir", self.logs,
                           "--cmdline-extra", self.token, "-j", "2"] + list(args))

    def counts(self, out):
        m = CLOSING.match(closing_line(out))
        self.assertIsNotNone(m, f"no closing line in:\n{out}")
        return int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)

    def assert_failed_run(self, rc, out, err):
        self.assertNotEqual(rc, 0, f"runner passed:\n{out}\n{err}")
        passed, failed, _ = self.counts(out)
        self.assertGreaterEqual(failed, 1, out)
        self.assertNotIn(" 0 failed", " " + closing_line(out))
        return passed, failed

    def fail_line(self, out, suite):
        lines = [line for line in out.splitlines() if line.startswith(f"FAIL  {suite}")]
        self.assertEqual(len(lines), 1, out)
        return lines[0]

    def log_of(self, line):
        m = SEE_LOG.search(line)
        self.assertIsNotNone(m, f"no log path in: {line}")
        path = m.group(1)
        path = path if os.path.isabs(path) else os.path.join(REPO, path)
        self.assertTrue(os.path.isfile(path), path)
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def assert_no_qemu_left(self):
        """No process still carries this test's unique command-line token."""
        time.sleep(0.2)
        for pid in os.listdir("/proc"):
            if not pid.isdigit() or int(pid) == os.getpid():
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    cmd = f.read()
            except OSError:
                continue
            self.assertNotIn(self.token.encode(), cmd, f"process {pid} left behind: {cmd[:200]!r}")

    def first_plain_suite(self):
        rc, out, err = self.runner("--list")
        self.assertEqual(rc, 0, out + err)
        # The first word: a suite with ram sizes lists them after its name.
        # One that also runs under preempt_stress is two runs: not plain.
        plain = [line.split()[0] for line in out.splitlines()
                 if line.strip() and "harness only" not in line and not CLOSING.match(line)
                 and "preempt_stress" not in line]
        self.assertTrue(plain, f"no ordinary suite listed:\n{out}")
        return plain[0]

    # --- the runner can pass --------------------------------------------------

    def test_good_suite_passes(self):
        suite = self.first_plain_suite()
        rc, out, err = self.runner(suite)
        self.assertEqual(rc, 0, out + err)
        passed, failed, _ = self.counts(out)
        self.assertGreaterEqual(passed, 1)
        self.assertEqual(failed, 0)
        self.assertRegex(out, rf"(?m)^PASS  {re.escape(suite)} \({passed} cases")
        self.assertTrue(os.path.isfile(os.path.join(self.logs, f"{suite}.log")))

    def test_repeat_runs_each_suite_again(self):
        suite = self.first_plain_suite()
        rc, out, _ = self.runner(suite)
        once = self.counts(out)[0]
        rc, out, err = self.runner("--repeat", "2", suite)
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.counts(out)[0], 2 * once)
        for i in (1, 2):
            self.assertTrue(os.path.isfile(os.path.join(self.logs, f"{suite}.{i}.log")))

    # --- each harness suite fails, for the right reason ---------------------------

    def test_assertion_failure(self):
        rc, out, err = self.runner("harness_assert_fails")
        passed, failed = self.assert_failed_run(rc, out, err)
        self.assertEqual((passed, failed), (1, 1), out)
        self.fail_line(out, "harness_assert_fails")
        self.assertIn("not ok harness_assert_fails.harness_expectation_fails", out)
        self.assertNotIn("not ok harness_assert_fails.harness_expectation_passes", out)
        self.assertRegex(out, r"# .*tests/kernel/harness_test\.c:\d+")

    def test_panic(self):
        rc, out, err = self.runner("harness_panic")
        self.assertEqual(self.assert_failed_run(rc, out, err), (0, 1))
        line = self.fail_line(out, "harness_panic")
        self.assertIn("crash: kernel panic", line)
        self.assertIn("Kernel panic - not syncing: harness_panic test", self.log_of(line))

    def test_page_fault_oops(self):
        rc, out, err = self.runner("harness_page_fault")
        self.assert_failed_run(rc, out, err)
        line = self.fail_line(out, "harness_page_fault")
        self.assertIn("crash:", line)
        log = self.log_of(line)
        trace = log[log.index("Call Trace:"):] if "Call Trace:" in log else ""
        self.assertRegex(trace, r"ktest_fault_here\+0x[0-9a-f]+/0x[0-9a-f]+", log)
        self.assertRegex(log, r"RIP: .*ktest_fault_here\+0x")

    def test_triple_fault(self):
        rc, out, err = self.runner("harness_triple_fault")
        self.assert_failed_run(rc, out, err)
        self.assertIn("reset: triple fault", self.fail_line(out, "harness_triple_fault"))

    def test_hang_times_out_and_leaves_no_qemu(self):
        start = time.monotonic()
        rc, out, err = self.runner("--timeout", "5", "harness_hang")
        self.assertLess(time.monotonic() - start, 60)
        self.assert_failed_run(rc, out, err)
        self.assertIn("timeout after 5s", self.fail_line(out, "harness_hang"))
        self.assert_no_qemu_left()

    def test_stack_overflow(self):
        rc, out, err = self.runner("harness_stack_overflow")
        self.assert_failed_run(rc, out, err)
        line = self.fail_line(out, "harness_stack_overflow")
        self.assertIn("crash:", line)
        self.assertIn("double fault", self.log_of(line))

    def test_all_harness_suites_at_once(self):
        names = ["harness_assert_fails", "harness_panic", "harness_page_fault",
                 "harness_triple_fault", "harness_stack_overflow", "harness_hang"]
        rc, out, err = self.runner("--timeout", "5", *names)
        passed, failed = self.assert_failed_run(rc, out, err)
        self.assertEqual((passed, failed), (1, 6), out)
        for name in names:
            self.fail_line(out, name)
        self.assert_no_qemu_left()

    def test_json_results(self):
        path = os.path.join(self.logs, "results.json")
        rc, out, err = self.runner("--json", path, "harness_assert_fails", "harness_panic")
        self.assert_failed_run(rc, out, err)
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        self.assertEqual((doc["passed"], doc["failed"]), (1, 2))
        by_name = {r["name"]: r for r in doc["kernel"]}
        self.assertEqual(by_name["harness_panic"]["exit_status"], 37)
        self.assertTrue(any(c.startswith("crash: kernel panic") for c in by_name["harness_panic"]["causes"]))
        statuses = {c["name"]: c["status"] for c in by_name["harness_assert_fails"]["cases"]}
        self.assertEqual(statuses, {"harness_expectation_fails": "fail",
                                    "harness_expectation_passes": "pass"})

    # --- a broken kernel or a bad request is a failure ------------------------------

    def corrupted_copy(self, how):
        path = os.path.join(self.logs, f"corrupt-{how}.elf")
        shutil.copyfile(KERNEL, path)
        with open(path, "r+b") as f:
            data = bytearray(f.read())
            self.assertEqual(data[:4], b"\x7fELF")
            if how == "header":
                data[0x10:0x40] = b"\xff" * 0x30  # e_type .. e_shoff: garbage
            else:  # the kernel's code (not the boot entry, not the notes) becomes int3
                entry, phoff = struct.unpack_from("<QQ", data, 0x18)
                phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
                segs = [struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
                        for i in range(phnum)]
                notes = [(off, off + size) for typ, _, off, _, _, size in segs if typ == 4]
                hit = 0
                for typ, flags, off, vaddr, paddr, size in segs:
                    holds_entry = paddr <= entry < paddr + size or vaddr <= entry < vaddr + size
                    holds_note = any(off <= a < off + size for a, _ in notes)
                    if typ == 1 and flags & 1 and size and not holds_entry and not holds_note:
                        data[off:off + size] = b"\xcc" * size
                        hit += 1
                self.assertGreater(hit, 0, "no executable PT_LOAD segment to corrupt")
            f.seek(0)
            f.write(data)
        return path

    def test_corrupted_elf_header_fails(self):
        rc, out, err = self.runner("--timeout", "20", kernel=self.corrupted_copy("header"))
        self.assert_failed_run(rc, out, err)
        self.assertIn("(listing suites)", out)
        self.assert_no_qemu_left()

    def test_corrupted_elf_text_fails(self):
        rc, out, err = self.runner("--timeout", "20", kernel=self.corrupted_copy("text"))
        self.assert_failed_run(rc, out, err)
        self.assertIn("(listing suites)", out)
        self.assert_no_qemu_left()

    def test_missing_kernel_fails(self):
        rc, out, err = self.runner(kernel=os.path.join(self.logs, "no-such.elf"))
        self.assert_failed_run(rc, out, err)
        self.assertIn("not found", out)

    def test_unknown_suite_fails(self):
        rc, out, err = self.runner("no_such_suite_xyz")
        self.assert_failed_run(rc, out, err)
        self.assertIn("no suite matches 'no_such_suite_xyz'", out)

    def test_wildcard_does_not_run_harness_suites(self):
        rc, out, err = self.runner("harness_*")
        self.assert_failed_run(rc, out, err)
        self.assertIn("no suite matches 'harness_*'", out)
        self.assertNotIn("FAIL  harness_panic", out)


if __name__ == "__main__":
    unittest.main()
