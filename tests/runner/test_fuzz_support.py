"""How the syscall fuzz session reads a serial log (tests/runner/
fuzz_support.py), without booting: which lines fail a run, which child a
report is pinned on, and what counts as free memory. Read first: the logs
here are shaped like oomlab's own lines (kernel/traps.c, mm/page_debug.c,
kernel/hung_task.c, user/fuzz/main.c).
"""
import unittest

from fuzz_support import FAILURE, FuzzSession, memory_snapshot

CHILDREN = ("fuzz: seed 7, 20 s, 4 children, 400 calls each, 52 syscalls known\n"
            "fuzz: child 0 pid 40\nfuzz: child 1 pid 41\nfuzz: child 2 pid 42\n")


def verdict(log):
    """(the failing line's text, the culprit) or None for a clean log."""
    bad = FAILURE.search(log)
    if not bad:
        return None
    return log[bad.start():log.find("\n", bad.start())], FuzzSession.culprit(log, bad.start())


class ReportsFailTheRun(unittest.TestCase):
    def test_an_oops_is_pinned_on_the_child_whose_pid_it_names(self):
        log = CHILDREN + ("[ 3.1] BUG: kernel NULL pointer dereference, address: 0000000000000000\n"
                          "[ 3.1] Oops: 0002 [#1] PREEMPT\n"
                          "[ 3.1] CPU: 0 PID: 41 Comm: fuzz Not tainted\n")
        self.assertEqual(verdict(log)[1], "child 1 (pid 41)")

    def test_bad_page_state_in_a_fork_says_so_and_lists_the_running_children(self):
        log = CHILDREN + ("[ 3.1] BUG: Bad page state in process fuzz  pfn:01234\n"
                          "[ 3.1] CPU: 0 PID: 99 Comm: fuzz Not tainted\n")
        self.assertEqual(verdict(log)[1], "pid 99, a fork of a child; children running: 0, 1, 2")

    def test_a_hung_task_names_its_pid(self):
        log = CHILDREN + "[ 130.0] INFO: task fuzz:42 blocked for more than 120 seconds.\n"
        self.assertEqual(verdict(log)[1], "child 2 (pid 42)")

    def test_a_child_that_outlives_sigkill_fails_the_run(self):
        log = CHILDREN + "fuzz: FAIL: child 1 pid 41 (seed 7) alive 20 s after SIGKILL\n"
        self.assertEqual(verdict(log)[1], "child 1 (pid 41)")

    def test_ubsan_lockdep_and_panic_lines_fail_the_run(self):
        for line in ("UBSAN: shift-out-of-bounds in mm/page_alloc.c:12:3",
                     "WARNING: possible circular locking dependency detected",
                     "Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009",
                     "general protection fault, maybe for address 0000800000000000"):
            self.assertIsNotNone(verdict(CHILDREN + f"[ 3.1] {line}\n"), line)

    def test_user_faults_and_failed_allocations_do_not(self):
        log = CHILDREN + (
            "[ 3.1] fuzz[41]: segfault at ffffffff80000008 ip 0000000000403478 sp ffffffff80000000 error 6\n"
            "[ 3.2] traps: fuzz[42] trap general protection fault ip:40211d sp:7fffffeffc08 error:0\n"
            "[ 3.3] fuzz: page allocation failure: order:0, mode:0x100dca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO)\n"
            "[ 3.4] execve: /test/badelf-magic: magic (ENOEXEC)\n")
        self.assertIsNone(verdict(log))


class FreeMemory(unittest.TestCase):
    SNAPSHOT = ("MemFree:           58000 kB\nSlab:                300 kB\n"
                "  pagesets\n    cpu: 0\n              count: 10\n              high:  71\n"
                "  pagesets\n    cpu: 0\n              count: 2\n"
                "kmalloc-64            18     64     64   64    1 : tunables    0    0    0 : slabdata      1      1      0\n"
                "nr_free_pages 14500\npgalloc_dma32 500\npgalloc_fail 3\npgfree 480\n")

    def test_counts_pcp_and_slab_pages_as_free_and_slab_objects_by_cache(self):
        free, slabs, info = memory_snapshot(self.SNAPSHOT)
        self.assertEqual(free, 58000 + 12 * 4 + 300)
        self.assertEqual(slabs, {"kmalloc-64": 18})
        self.assertEqual(info["pages_allocated"], 20)


if __name__ == "__main__":
    unittest.main()
