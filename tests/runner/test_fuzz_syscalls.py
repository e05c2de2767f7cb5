"""The syscall fuzzer against the kernel (user/fuzz): random and
adversarial calls from forked children leave no kernel report, no hang,
and no memory behind. Read first: this is the short pass of make test
(20 s of fuzzing after an 8 s warm-up); "make fuzz-syscalls" runs the same
session for longer (OOMLAB_FUZZ_SECONDS, OOMLAB_FUZZ_SEED, OOMLAB_FUZZ_MEM,
OOMLAB_FUZZ_CMDLINE), see README.md.
"""
import os
import unittest

from fuzz_support import FuzzSession


class SyscallFuzz(FuzzSession):
    MEM = os.environ.get("OOMLAB_FUZZ_MEM") or "64M"
    CMDLINE = os.environ.get("OOMLAB_FUZZ_CMDLINE", "")
    SECONDS = 20

    def test_random_syscalls_leave_no_kernel_report_and_no_memory_behind(self):
        self.run_fuzz_session()


if __name__ == "__main__":
    unittest.main()
