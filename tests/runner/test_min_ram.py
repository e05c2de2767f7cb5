"""A guest with too little RAM is refused at boot in one clear line instead of
failing later somewhere in the allocator; under ktest the kernel then exits
QEMU with the failure status, so the runner reports it rather than timing out.
"""
import re
import unittest

from runner_support import ACCEL, KERNEL, require_file
import qemu

REFUSAL = re.compile(r"oomlab needs at least (\d+) MiB of RAM, got (\d+) MiB")
TOO_LITTLE = "6M"
TIMEOUT = 60.0


class MinimumRam(unittest.TestCase):
    def setUp(self):
        require_file(self, KERNEL)

    def test_too_little_ram_is_refused_with_a_clear_message(self):
        out = qemu.run(qemu.kernel_argv(KERNEL, "ktest.list=1", TOO_LITTLE, ACCEL), TIMEOUT)
        serial = out.stdout.replace("\r", "")
        shown = f"exit {out.status}, serial output:\n{serial[-3000:]}\nstderr:\n{out.stderr[-1000:]}"
        self.assertFalse(out.timed_out, f"no exit within {TIMEOUT:g}s; {shown}")
        refusals = [m for m in map(REFUSAL.search, serial.splitlines()) if m]
        self.assertEqual(len(refusals), 1, f"want exactly one refusal line; {shown}")
        need, got = (int(n) for n in refusals[0].groups())
        self.assertGreater(need, got, shown)
        self.assertLessEqual(got, 6, f"the guest has only {TOO_LITTLE}; {shown}")
        self.assertEqual(out.status, qemu.EXIT_FAIL, shown)


if __name__ == "__main__":
    unittest.main()
