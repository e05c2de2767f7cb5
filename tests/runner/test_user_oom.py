"""A process that touches more memory than the machine has: the allocator
runs the OOM killer, which reports as Linux does and kills the process
with the most memory (the hog) exactly once; every page comes back and
the shell goes on working. Read first: the hog's fault gets no page,
__alloc_pages_may_oom calls out_of_memory(), and the hog (now a victim
with ALLOC_OOM) returns to user mode only to die of its SIGKILL.
"""
import re
import unittest

from shell_support import ShellTestCase

# MemFree counts the buddy lists only; the per-CPU lists and slab caches
# that a fork and an exec leave warm can hold a few pages more afterwards.
MEMFREE_SLACK_KB = 1024


def vmstat(out, name):
    m = re.search(rf"(?m)^{name} (\d+)$", out)
    return int(m.group(1)) if m else None


class HogLargerThanRam(ShellTestCase):
    MEM = "64M"

    def test_is_oom_killed_once_with_linux_messages_and_the_system_stays_usable(self):
        self.assertRegex(self.run_cmd("hog -m 1M -x"), r"touched 1 MiB")  # warm the caches
        self.assertEqual(vmstat(self.run_cmd("cat /proc/vmstat"), "oom_kill"), 0)
        total = self.meminfo_kb("MemTotal")
        free_before = self.meminfo_kb("MemFree")
        self.assertLess(total, 200 * 1024, "the hog must want more than the machine has")

        out = self.run_cmd("hog -m 200M -x", timeout=120)
        started = re.search(r"hog\[(\d+)\]: 200 MiB", out)
        self.assertIsNotNone(started, out)
        pid = started.group(1)
        # dump_header, in Linux's order and format.
        self.assertRegex(out, r"hog invoked oom-killer: gfp_mask=0x[0-9a-f]+\(GFP_HIGHUSER_MOVABLE"
                              r"[^)]*\), order=0, oom_score_adj=0", out)
        self.assertRegex(out, rf"CPU: 0 PID: {pid} Comm: hog", out)
        self.assertIn("Call Trace:", out)
        self.assertIn("out_of_memory", out, "the call trace shows the path")
        self.assertIn("Mem-Info:", out)
        self.assertIn("[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem "
                      "pgtables_bytes swapents oom_score_adj name", out)
        self.assertRegex(out, rf"\[\s*{pid}\]\s+0\s+{pid}\s+\d+\s+\d+\s+\d+\s+\d+\s+0\s+\d+\s+0"
                              r"\s+0 hog", out)
        self.assertRegex(out, r"oom-kill:constraint=CONSTRAINT_NONE,nodemask=\(null\),cpuset=/,"
                              rf"mems_allowed=0,global_oom,task_memcg=/,task=hog,pid={pid},uid=0",
                         out)
        kills = re.findall(r"Out of memory: Killed process (\d+) \(hog\) total-vm:\d+kB, "
                           r"anon-rss:(\d+)kB, file-rss:\d+kB, shmem-rss:\d+kB, UID:0 "
                           r"pgtables:\d+kB oom_score_adj:0", out)
        self.assertEqual([k[0] for k in kills], [pid], "exactly one kill, of the hog")
        self.assertGreater(int(kills[0][1]), 32 * 1024, "the victim held most of RAM")
        self.assertNotIn("Out of memory and no killable processes", out)
        self.assertRegex(out, r"(?m)^Killed", "sh reports the SIGKILL")
        self.assertNotRegex(out, r"touched 200 MiB", out)
        self.assertNotRegex(out, r"Kernel panic|Oops|BUG:", out)
        self.assertNotRegex(out, r"hog\[\d+\] killed: no page", "the private message is gone")

        self.assertEqual(vmstat(self.run_cmd("cat /proc/vmstat"), "oom_kill"), 1)
        free_after = self.meminfo_kb("MemFree")
        self.assertGreaterEqual(free_after, free_before - MEMFREE_SLACK_KB,
                                f"MemFree {free_before} kB before, {free_after} kB after")
        self.assertNotRegex(self.run_cmd("ps"), rf"(?m)^\s*{pid}\s", "the hog is reaped")
        self.assertRegex(self.run_cmd("hog -m 8M -x"), r"hog\[\d+\]: touched 8 MiB")
        self.assertIn("still here", self.run_cmd("echo still here"))


if __name__ == "__main__":
    unittest.main()
