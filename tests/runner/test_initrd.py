"""The initrd from the runner's side: mkinitrd.py writes an archive the
kernel unpacks, direct boots pass it with -initrd by default, and a missing
or malformed initrd is one clear boot line after which the kernel still
reaches its monitor.
"""
import os
import subprocess
import sys
import tempfile
import unittest

from runner_support import ACCEL, KERNEL, MEM, REPO, TOOLS, SerialSession, qemu, require_file

PROMPT = b"oomlab> "
BOOT_TIMEOUT = 60.0
POWEROFF_TIMEOUT = 30.0
MKINITRD = os.path.join(TOOLS, "mkinitrd.py")


def boot_to_monitor(initrd):
    """Boot with this initrd (None: none) to the monitor prompt, power off;
    the serial text, or None when the prompt never came."""
    s = SerialSession(qemu.kernel_argv(KERNEL, "", MEM, ACCEL, initrd=initrd))
    try:
        end = s.wait_for(PROMPT, 0, BOOT_TIMEOUT)
        if end is not None:
            s.send("poweroff\r")
            s.wait_exit(POWEROFF_TIMEOUT)
        return s.text if end is not None else None
    finally:
        s.kill()


class KernelArgv(unittest.TestCase):
    def test_initrd_beside_the_kernel_is_passed_by_default(self):
        with tempfile.TemporaryDirectory() as d:
            kernel = os.path.join(d, "oomlab.elf")
            self.assertNotIn("-initrd", qemu.kernel_argv(kernel, ""))
            open(os.path.join(d, "initrd.cpio"), "wb").close()
            argv = qemu.kernel_argv(kernel, "")
            self.assertEqual(argv[argv.index("-initrd") + 1], os.path.join(d, "initrd.cpio"))
            self.assertNotIn("-initrd", qemu.kernel_argv(kernel, "", initrd=None))
            argv = qemu.kernel_argv(kernel, "", initrd="/x.cpio")
            self.assertEqual(argv[argv.index("-initrd") + 1], "/x.cpio")


class Mkinitrd(unittest.TestCase):
    def test_archive_is_newc_and_reproducible(self):
        with tempfile.TemporaryDirectory() as d:
            prog = os.path.join(d, "hog")
            with open(prog, "wb") as f:
                f.write(b"\x7fELF-ish")
            outs = []
            for name in ("a.cpio", "b.cpio"):
                out = os.path.join(d, name)
                subprocess.run([sys.executable, MKINITRD, "-o", out, "--bin", prog], check=True,
                               cwd=REPO)
                with open(out, "rb") as f:
                    outs.append(f.read())
            self.assertEqual(outs[0], outs[1])
            data = outs[0]
            self.assertTrue(data.startswith(b"070701"))
            self.assertIn(b"bin/hog\0", data)
            self.assertIn(b"dev/console\0", data)
            self.assertIn(b"TRAILER!!!\0", data)
            self.assertEqual(len(data) % 4, 0)


class BadInitrd(unittest.TestCase):
    def setUp(self):
        require_file(self, KERNEL)

    def test_malformed_initrd_is_reported_and_boot_goes_on(self):
        with tempfile.NamedTemporaryFile(suffix=".cpio") as f:
            f.write(b"this is not a cpio archive\n" * 40)
            f.flush()
            text = boot_to_monitor(f.name)
        self.assertIsNotNone(text, "no monitor prompt after a malformed initrd")
        self.assertIn("Initramfs unpacking failed: no cpio magic", text)

    def test_missing_initrd_is_reported_and_boot_goes_on(self):
        text = boot_to_monitor(None)
        self.assertIsNotNone(text, "no monitor prompt without an initrd")
        self.assertIn("initramfs: no initrd from the boot loader", text)


if __name__ == "__main__":
    unittest.main()
