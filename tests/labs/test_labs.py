"""The OOM labs as make test checks them: every fix of every lab shows
exactly its expected outcome (tools/grade.py runs them, one QEMU each, in
parallel, once for the whole module), and each write-up's expected verdict
lines (docs/labs/*.md) match what the lab prints today, step verdicts of a
lab of steps (lab reclaim) too. Read first: numbers that vary from run to
run (pids, milliseconds, seconds; every number in a step's details) are
compared as N.
"""
import glob
import os
import re
import sys
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
for sub in ("tools", os.path.join("tests", "runner")):
    if os.path.join(REPO, sub) not in sys.path:
        sys.path.insert(0, os.path.join(REPO, sub))
import grade  # noqa: E402

KERNEL = os.environ.get("OOMLAB_KERNEL", os.path.join(REPO, "build", "oomlab.elf"))
LAB_BINARY = os.path.join(os.path.dirname(KERNEL), "user", "bin", "lab")
JOBS = int(os.environ.get("OOMLAB_JOBS", "2"))
LOG_DIR = os.path.join(REPO, "build", "test-logs", "labs")
VERDICT = re.compile(r"lab (\w+): fix=(\w+): (recovered|deadlock|livelock|no verdict):[^\n`]*")
STEP = re.compile(r"lab (\w+): step (\d+), [^:\n`]+: [^:\n`]+:[^\n`]*")


def normalized(verdict):
    """Run-to-run numbers as N: pids, times, the hung task's seconds."""
    v = re.sub(r":\d+ blocked", ":N blocked", verdict)
    v = re.sub(r"\d+(\.\d+)? (ms|s|seconds)\b", r"N \2", v)
    v = re.sub(r"\d+ allocation stall warnings?", "N allocation stall warnings", v)
    return v.strip()


def normalized_step(line):
    """'lab L: step N, WHAT: OUTCOME: details' with every number of the details as N."""
    head, _, details = line.strip().partition(": ")  # "lab L"
    what, _, rest = details.partition(": ")  # "step N, WHAT"
    outcome, _, numbers = rest.partition(": ")
    return f"{head}: {what}: {outcome}: {re.sub(r'[0-9]+', 'N', numbers)}"


def documented_steps():
    """{(lab, step): step verdict line} from docs/labs."""
    found = {}
    for path in sorted(glob.glob(os.path.join(REPO, "docs", "labs", "*.md"))):
        with open(path, encoding="utf-8") as f:
            for m in STEP.finditer(f.read()):
                found.setdefault((m.group(1), int(m.group(2))), (m.group(0), os.path.basename(path)))
    return found


def documented_verdicts():
    """{(lab, fix): verdict line} from the expected-output blocks of docs/labs."""
    found = {}
    for path in sorted(glob.glob(os.path.join(REPO, "docs", "labs", "*.md"))):
        with open(path, encoding="utf-8") as f:
            for m in VERDICT.finditer(f.read()):
                found.setdefault((m.group(1), m.group(2)), (m.group(0), os.path.basename(path)))
    return found


class Labs(unittest.TestCase):
    results = {}

    @classmethod
    def setUpClass(cls):
        if not os.path.isfile(LAB_BINARY):
            return  # each test fails on its own, naming the missing build
        checks = grade.list_checks(LAB_BINARY)
        for res in grade.run_checks(checks, JOBS, KERNEL, LOG_DIR, os.environ.get(
                "OOMLAB_ACCEL", "tcg")):
            cls.results[(res.check.lab, res.check.fix)] = res

    def result(self, lab, fix):
        self.assertTrue(os.path.isfile(LAB_BINARY), f"{LAB_BINARY} is missing: run make")
        res = self.results.get((lab, fix))
        self.assertIsNotNone(res, f"no check {lab} fix={fix}: is the lab in lab_table.c?")
        return res

    def check(self, lab, fix):
        res = self.result(lab, fix)
        self.assertTrue(res.ok, f"{res.check.label}: {res.why}; verdict {res.verdict!r}; "
                                f"serial log {res.log}")

    def test_every_documented_verdict_matches_what_the_lab_prints(self):
        docs = documented_verdicts()
        self.assertTrue(docs, "docs/labs has no expected verdict lines")
        for (lab, fix), (line, doc) in docs.items():
            res = self.result(lab, fix)
            self.assertEqual(normalized(line), normalized(res.verdict),
                             f"{doc} shows a verdict the lab no longer prints")

    def printed_steps(self, lab):
        """{step: line} of the first fix of lab that printed steps."""
        for (name, _), res in sorted(self.results.items()):
            if name == lab and res.steps:
                return {int(STEP.match(line).group(2)): line for line in res.steps
                        if STEP.match(line)}
        return {}

    def test_every_documented_step_verdict_matches_what_the_lab_prints(self):
        for (lab, step), (line, doc) in documented_steps().items():
            printed = self.printed_steps(lab)
            self.assertIn(step, printed, f"{doc} shows step {step} of lab {lab}, never printed")
            self.assertEqual(normalized_step(line), normalized_step(printed[step]),
                             f"{doc} shows a step verdict the lab no longer prints")

    def test_every_step_a_lab_prints_is_documented(self):
        docs = documented_steps()
        for lab in {name for name, _ in self.results}:
            for step in self.printed_steps(lab):
                self.assertIn((lab, step), docs, f"docs/labs never shows lab {lab} step {step}")

    def test_every_lab_fix_has_its_documented_verdict(self):
        docs = documented_verdicts()
        for lab, fix in self.results:
            res = self.results[(lab, fix)]
            if res.check.outcome != "panic":
                self.assertIn((lab, fix), docs, f"docs/labs never shows lab {lab} fix={fix}")


def _add_check(lab, fix, outcome):
    def test(self):
        self.check(lab, fix)
    name = f"test_{lab}_fix_{fix}_{grade.SHOWN.get(outcome, outcome).replace(' ', '_')}"
    setattr(Labs, name, test)


if os.path.isfile(LAB_BINARY):
    for _c in grade.list_checks(LAB_BINARY):
        _add_check(_c.lab, _c.fix, _c.outcome)
else:
    def test_the_lab_program_is_built(self):
        self.fail(f"{LAB_BINARY} is missing: run make")
    Labs.test_the_lab_program_is_built = test_the_lab_program_is_built


if __name__ == "__main__":
    unittest.main()
