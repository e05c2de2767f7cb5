"""Boots the real GRUB ISO (build/oomlab.iso) as a user would, over serial
pipes: GRUB's output, then the kernel's banner, boot protocol, command line,
memory map and the initrd GRUB loaded, then the user shell (/bin/init
starts /bin/sh): echo, dmesg (the kernel log through /proc/dmesg), cat of
/proc/meminfo and poweroff.
"""
import os
import re
import time
import unittest

from runner_support import ACCEL, GRUB_CFG, ISO, MEM, SerialSession, mem_bytes, qemu, require_file

PROMPT = b"oomlab$ "
BOOT_TIMEOUT = 120.0 if ACCEL == "kvm" else 60.0
COMMAND_TIMEOUT = 30.0
POWEROFF_TIMEOUT = 30.0
INITRD_UNPACKED = re.compile(r"initramfs: unpacked (\d+) files, (\d+) directories")
E820_USABLE = re.compile(r"BIOS-e820: \[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\] usable")
TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\]\s?")
MIB = 1 << 20


def grub_cfg():
    """(kernel command line, first menu entry title) from boot/grub.cfg."""
    cmdline = title = None
    with open(GRUB_CFG, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            m = re.match(r"multiboot2\s+/boot/oomlab\.elf(?:\s+(.*))?$", line)
            if m and cmdline is None:
                cmdline = (m.group(1) or "").strip()
            m = re.match(r"menuentry\s+[\"']([^\"']+)[\"']", line)
            if m and title is None:
                title = m.group(1)
    return cmdline, title


class IsoBoot(unittest.TestCase):
    """One boot for the whole class; each test checks one part of the transcript."""

    session = None
    steps = {}  # step name -> text printed for it (None: never finished)
    exit_status = None
    exit_seconds = None

    @classmethod
    def setUpClass(cls):
        cls.steps = {}
        if not os.path.isfile(ISO):
            return  # each test fails in setUp with the reason
        cls.session = s = SerialSession(qemu.iso_argv(ISO, MEM, ACCEL))
        try:
            end = s.wait_for(PROMPT, 0, BOOT_TIMEOUT)
            cls.steps["boot"] = s.text[:end] if end else None
            for name, cmd in (("echo", "echo hello from the shell"), ("dmesg", "dmesg"),
                              ("meminfo", "cat /proc/meminfo")):
                if end is None:
                    break
                s.send(cmd + "\r")
                start = end
                end = s.wait_for(PROMPT, start, COMMAND_TIMEOUT)
                cls.steps[name] = s.buf[start:end].decode("utf-8", "replace") if end else None
            if end is not None:
                s.send("poweroff\r")
                t0 = time.monotonic()
                cls.exit_status = s.wait_exit(POWEROFF_TIMEOUT)
                cls.exit_seconds = time.monotonic() - t0
        finally:
            s.kill()

    def setUp(self):
        require_file(self, ISO)
        require_file(self, GRUB_CFG, "boot/grub.cfg is part of the tree")

    def step(self, name):
        text = self.steps.get(name)
        if text is None:
            tail = self.session.text[-1500:] if self.session else ""
            self.fail(f"step '{name}' never reached the prompt {PROMPT!r}; serial output ended with:\n{tail}")
        return text

    def kernel_lines(self):
        return [TIMESTAMP.sub("", line.replace("\r", "")) for line in self.step("boot").splitlines()]

    def test_grub_output_comes_before_the_kernel(self):
        boot = self.step("boot")
        _, title = grub_cfg()
        self.assertIsNotNone(title, "no menuentry in boot/grub.cfg")
        grub = boot.find(f"Booting `{title}'")
        self.assertGreaterEqual(grub, 0, f"GRUB's \"Booting `{title}'\" not on the serial line:\n{boot[:600]}")
        kernel = boot.find("oomlab version")
        self.assertGreater(kernel, grub, "the kernel banner must follow GRUB's output")

    def test_banner(self):
        self.assertTrue(any("oomlab" in line and "version" in line for line in self.kernel_lines()),
                        self.step("boot"))

    def test_booted_via_multiboot2(self):
        lines = [line for line in self.kernel_lines() if line.startswith("Booted via ")]
        self.assertEqual(len(lines), 1, self.step("boot"))
        self.assertRegex(lines[0], r"^Booted via multiboot2 by GRUB")

    def test_command_line_is_grub_cfg_line(self):
        want, _ = grub_cfg()
        self.assertIsNotNone(want, "no 'multiboot2 /boot/oomlab.elf' line in boot/grub.cfg")
        got = [line[len("Command line:"):].strip() for line in self.kernel_lines()
               if line.startswith("Command line:")]
        self.assertEqual(got, [want])

    def test_e820_usable_ram_matches_qemu_m(self):
        usable = [(int(a, 16), int(b, 16)) for a, b in E820_USABLE.findall(self.step("boot"))]
        self.assertGreaterEqual(len(usable), 1, self.step("boot"))
        total = sum(end - start + 1 for start, end in usable)
        size = mem_bytes(MEM)
        self.assertLessEqual(total, size)
        self.assertGreaterEqual(total, size - 2 * MIB, f"usable {total} bytes for -m {MEM}")

    def test_initrd_module_is_unpacked(self):
        boot = self.step("boot")
        self.assertNotIn("Initramfs unpacking failed", boot)
        m = INITRD_UNPACKED.search(boot)
        self.assertIsNotNone(m, f"no 'initramfs: unpacked N files' line:\n{boot[-1500:]}")
        self.assertGreater(int(m.group(1)), 0, m.group(0))

    def test_shell_runs_a_program(self):
        self.assertRegex(self.step("echo"), r"(?m)^hello from the shell\r?$")

    def test_dmesg_replays_the_banner_and_the_map(self):
        banner = next((line for line in self.kernel_lines() if "oomlab" in line and "version" in line), None)
        self.assertIsNotNone(banner, "no banner at boot")
        text = self.step("dmesg")
        self.assertIn(banner.strip(), text)
        self.assertEqual(E820_USABLE.findall(text), E820_USABLE.findall(self.step("boot")), text)

    def test_proc_meminfo_reads_as_linux(self):
        text = self.step("meminfo")
        for field in ("MemTotal:", "MemFree:", "MemAvailable:", "Cached:"):
            self.assertRegex(text, rf"(?m)^{field}\s+\d+ kB", text)

    def test_poweroff_exits_qemu(self):
        self.step("meminfo")
        self.assertIsNotNone(self.exit_status, f"QEMU still running {POWEROFF_TIMEOUT:g}s after poweroff")
        self.assertEqual(self.exit_status, 0, "ACPI power-off makes QEMU exit 0")


if __name__ == "__main__":
    unittest.main()
