#!/usr/bin/env python3
"""Runs the Python unittest files of the given directories (test_*.py), one
line per test, and ends with a machine-readable "PYUNIT-SUMMARY {json}" line
that tools/run_tests.py --all counts. Usage: pyunit.py DIR... [-k SUBSTRING]
"""
import argparse
import json
import os
import sys
import time
import traceback
import unittest

TOOLS = os.path.dirname(os.path.abspath(__file__))


class LineResult(unittest.TestResult):
    """Prints PASS/FAIL/ERROR/SKIP per test; records one outcome per test id."""

    def __init__(self, stream):
        super().__init__()
        self.stream = stream
        self.outcome = {}  # test id -> pass/fail/skip
        self.details = []  # (label, traceback text)
        self._start = 0.0

    def _line(self, text):
        self.stream.write(text + "\n")
        self.stream.flush()

    def startTest(self, test):
        super().startTest(test)
        self._start = time.monotonic()
        self.outcome[test.id()] = "pass"

    def _elapsed(self):
        return f"{time.monotonic() - self._start:.2f}s"

    def addSuccess(self, test):
        super().addSuccess(test)
        if self.outcome.get(test.id()) == "pass":
            self._line(f"PASS  {test.id()} ({self._elapsed()})")

    def _bad(self, kind, test, err, owner=None):
        self.outcome[(owner or test).id()] = "fail"
        text = self._exc_info_to_string(err, test)
        summary = traceback.format_exception_only(err[0], err[1])
        last = summary[0].strip().splitlines()[0] if summary else kind
        self._line(f"{kind:5s} {test.id()}: {last[:200]}")
        self.details.append((f"{kind} {test.id()}", text))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._bad("FAIL", test, err)

    def addError(self, test, err):
        super().addError(test, err)
        self._bad("ERROR", test, err)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._bad("FAIL", subtest, err, owner=test)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.outcome[test.id()] = "skip"
        self._line(f"SKIP  {test.id()}: {reason}")

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._line(f"PASS  {test.id()} (expected failure)")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.outcome[test.id()] = "fail"
        self._line(f"FAIL  {test.id()}: unexpected success")


def load(dirs, keyword):
    loader = unittest.TestLoader()
    if keyword:
        loader.testNamePatterns = [f"*{keyword}*"]
    suite = unittest.TestSuite()
    for d in dirs:
        if not os.path.isdir(d):
            continue
        d = os.path.abspath(d)
        if d not in sys.path:
            sys.path.insert(0, d)
        suite.addTests(loader.discover(d, pattern="test_*.py", top_level_dir=d))
    return suite


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("-k", dest="keyword", help="run only tests whose id contains this")
    args = ap.parse_args()
    sys.path.insert(0, TOOLS)
    result = LineResult(sys.stdout)
    try:
        suite = load(args.dirs, args.keyword)
        suite.run(result)
    except Exception:  # a broken loader must still end with a summary
        result.outcome["(loading tests)"] = "fail"
        result.details.append(("ERROR loading tests", traceback.format_exc()))
    # Errors outside any test (setUpClass, module import) have no startTest.
    for holder, _ in result.errors:
        result.outcome.setdefault(holder.id(), "fail")
    for label, text in result.details:
        sys.stdout.write(f"\n==== {label}\n{text}")
    counts = {k: sum(v == k for v in result.outcome.values()) for k in ("pass", "fail", "skip")}
    summary = {"tests": len(result.outcome), "passed": counts["pass"],
               "failed": counts["fail"], "skipped": counts["skip"]}
    sys.stdout.write("PYUNIT-SUMMARY " + json.dumps(summary) + "\n")
    sys.stdout.flush()
    return 1 if counts["fail"] or not result.outcome else 0


if __name__ == "__main__":
    sys.exit(main())
