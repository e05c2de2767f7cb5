"""Student mode: `make student LAB=NAME` strips the lab's fix and compiles
the pre-fix stub instead; the stripped tree builds, passes the fix-off
check and fails the fix-on check (lab mlock, as the issue asks). Read
first: the student tree starts from a copy of build/, so only the stripped
file is compiled again.
"""
import os
import subprocess
import sys
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tools"))
import grade  # noqa: E402
import student  # noqa: E402

DEST = os.path.join(REPO, "build", "student-mlock-test")
JOBS = int(os.environ.get("OOMLAB_JOBS", "2"))
BUILD_TIMEOUT = 900

REGION = """keep 1
/* LAB demo: student begin: write f() */
int f(void) { return 1; }
#if 0 /* LAB demo: student stub */
int f(void) { return 0; }
#endif /* LAB demo: student end */
keep 2
"""


class StripRegions(unittest.TestCase):
    def test_the_fix_becomes_a_todo_and_the_stub_is_compiled(self):
        text, names = student.strip_regions(REGION, "demo", "docs/labs/x.md")
        self.assertEqual(names, ["write f()"])
        self.assertEqual(text, "keep 1\n/* TODO (lab demo): write f(): see docs/labs/x.md. */\n"
                               "int f(void) { return 0; }\nkeep 2\n")

    def test_other_labs_regions_stay_whole(self):
        text, names = student.strip_regions(REGION, "other", "x")
        self.assertEqual((text, names), (REGION, []))

    def test_an_unclosed_region_is_an_error(self):
        with self.assertRaisesRegex(student.MarkerError, "not closed"):
            student.strip_regions(REGION.split("#endif")[0], "demo", "x")

    def test_a_stub_marker_off_an_if_0_line_is_an_error(self):
        with self.assertRaisesRegex(student.MarkerError, "#if 0"):
            student.strip_regions(REGION.replace("#if 0 /*", "/*"), "demo", "x")


class StudentTreeMlock(unittest.TestCase):
    def test_builds_passes_fix_off_and_fails_fix_on_until_the_student_writes_it(self):
        kernel = os.path.join(REPO, "build", "oomlab.elf")
        self.assertTrue(os.path.isfile(kernel), "run make first")
        todo, writeup = student.make_student_tree("mlock", DEST, seed_build=True)
        self.assertEqual(todo, [("mm/oom_reaper.c", "write oom_reap_vma()")])
        self.assertTrue(writeup.endswith("07-mlock-and-the-reaper.md"), writeup)
        with open(os.path.join(DEST, "mm", "oom_reaper.c"), encoding="utf-8") as f:
            self.assertIn("TODO (lab mlock): write oom_reap_vma()", f.read())
        build = subprocess.run(["make", "-j2", "all"], cwd=DEST, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, timeout=BUILD_TIMEOUT)
        self.assertEqual(build.returncode, 0, build.stdout[-3000:])
        checks = [c for c in grade.list_checks(os.path.join(DEST, "build", "user", "bin", "lab"))
                  if c.lab == "mlock"]
        self.assertEqual({c.fix for c in checks}, {"off", "on", "timeout"})
        results = {r.check.fix: r for r in grade.run_checks(
            checks, JOBS, os.path.join(DEST, "build", "oomlab.elf"),
            os.path.join(REPO, "build", "test-logs", "student-mlock"),
            os.environ.get("OOMLAB_ACCEL", "tcg"))}
        self.assertTrue(results["off"].ok, results["off"].why)
        self.assertTrue(results["timeout"].ok, results["timeout"].why)
        self.assertFalse(results["on"].ok, "the stub must not recover with fix=on")
        self.assertIn("Kernel panic", results["on"].verdict)


if __name__ == "__main__":
    unittest.main()
