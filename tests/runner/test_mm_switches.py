"""The memory switches on the kernel command line take effect: the watermark
suite, booted with vm.min_free_kbytes and vm.watermark_scale_factor set,
checks the watermarks against the same formulas with the given values; a bad
value is refused in one line and the default stands.
"""
import os
import shutil
import tempfile
import unittest

from runner_support import ACCEL, KERNEL, closing_line, require_file, run_runner
import qemu

TIMEOUT = 120.0


class MemorySwitches(unittest.TestCase):
    def setUp(self):
        require_file(self, KERNEL)
        self.log_dir = tempfile.mkdtemp(prefix="oomlab-mm-switches-")
        self.addCleanup(shutil.rmtree, self.log_dir, ignore_errors=True)

    def test_min_free_kbytes_and_scale_factor_switches_set_the_watermarks(self):
        status, out, err = run_runner(["--mem", "64M", "--cmdline-extra",
                                       "vm.min_free_kbytes=4000 vm.watermark_scale_factor=200",
                                       "watermark"])
        self.assertEqual(status, 0, out + err)
        self.assertRegex(closing_line(out), r"^[1-9]\d* passed, 0 failed$", out)

    def test_page_poison_from_boot_checks_every_allocation_cleanly(self):
        # Every page freed at boot is poisoned; the allocator suites then
        # hand out only pages whose poison must be intact.
        status, out, err = run_runner(["--mem", "64M", "--cmdline-extra", "page_poison=1",
                                       "--log-dir", self.log_dir, "page_alloc", "page_debug",
                                       "mm_init"])
        self.assertEqual(status, 0, out + err)
        self.assertRegex(closing_line(out), r"^[1-9]\d* passed, 0 failed$", out)
        with open(os.path.join(self.log_dir, "page_alloc.log"), encoding="utf-8",
                  errors="replace") as f:
            self.assertNotIn("pagealloc: memory corruption", f.read())

    def test_bad_min_free_kbytes_is_refused_and_the_rule_stands(self):
        out = qemu.run(qemu.kernel_argv(KERNEL, "ktest=watermark vm.min_free_kbytes=lots", "64M",
                                        ACCEL), TIMEOUT)
        serial = out.stdout.replace("\r", "")
        self.assertIn("bad value 'lots' for 'vm.min_free_kbytes'", serial)
        self.assertEqual(out.status, qemu.EXIT_PASS, serial[-3000:])


if __name__ == "__main__":
    unittest.main()
