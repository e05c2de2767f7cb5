"""Issue 13's acceptance 4, as a student would check it: with the oom
trace events on, an OOM kill of a victim stuck in D state (lab reaper's
scenario) leaves mark_victim, wake_reaper, start_task_reaping and
finish_task_reaping in /sys/kernel/tracing/trace, in that order, all for
the victim's pid. Read first: the events are switched on from boot, one
by one, so the 256-line ring holds nothing else that could push them out.
"""
import os
import re
import sys
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
for sub in ("tools", os.path.join("tests", "runner")):
    if os.path.join(REPO, sub) not in sys.path:
        sys.path.insert(0, os.path.join(REPO, sub))
from shell_support import ShellTestCase  # noqa: E402

LAB_TIMEOUT = 120
REAPING = ("mark_victim", "wake_reaper", "start_task_reaping", "finish_task_reaping")
EVENT_LINE = re.compile(r"^\s*\S+-\d+\s+\[\d+\]\s+\S+\s+[\d.]+: (\w+): pid=(\d+)", re.M)


class ReaperTraceOrder(ShellTestCase):
    MEM = "64M"
    CMDLINE = "trace_event=" + ",".join("oom:" + e for e in REAPING)

    def test_a_stuck_victim_is_marked_queued_and_reaped_in_that_order(self):
        out = self.run_cmd("lab run reaper fix=on", timeout=LAB_TIMEOUT)
        self.assertIn("lab reaper: fix=on: recovered", out)
        trace = self.run_cmd("cat /sys/kernel/tracing/trace")
        events = EVENT_LINE.findall(trace)
        self.assertTrue(events, trace)
        victim = events[0][1]
        self.assertEqual(events[0][0], "mark_victim", trace)
        mine = [name for name, pid in events if pid == victim]
        self.assertEqual(mine, list(REAPING), trace)
        self.assertRegex(out, rf"oom_reaper: reaped process {victim} \(hog\)")


if __name__ == "__main__":
    unittest.main()
