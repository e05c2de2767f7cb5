"""The memory switches on the kernel command line take effect: the watermark
suite, booted with vm.min_free_kbytes and vm.watermark_scale_factor set,
checks the watermarks against the same formulas with the given values; a bad
value is refused in one line and the default stands.
"""
import unittest

from runner_support import ACCEL, KERNEL, closing_line, require_file, run_runner
import qemu

TIMEOUT = 120.0


class MemorySwitches(unittest.TestCase):
    def setUp(self):
        require_file(self, KERNEL)

    def test_min_free_kbytes_and_scale_factor_switches_set_the_watermarks(self):
        status, out, err = run_runner(["--mem", "64M", "--cmdline-extra",
                                       "vm.min_free_kbytes=4000 vm.watermark_scale_factor=200",
                                       "watermark"])
        self.assertEqual(status, 0, out + err)
        self.assertRegex(closing_line(out), r"^[1-9]\d* passed, 0 failed$", out)

    def test_bad_min_free_kbytes_is_refused_and_the_rule_stands(self):
        out = qemu.run(qemu.kernel_argv(KERNEL, "ktest=watermark vm.min_free_kbytes=lots", "64M",
                                        ACCEL), TIMEOUT)
        serial = out.stdout.replace("\r", "")
        self.assertIn("bad value 'lots' for 'vm.min_free_kbytes'", serial)
        self.assertEqual(out.status, qemu.EXIT_PASS, serial[-3000:])


if __name__ == "__main__":
    unittest.main()
