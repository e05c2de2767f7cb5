"""The disk at the shell: init mounts the virtio disk (build/disk.img, the
ext2 image of tools/mkdisk.py) at /mnt; every file there reads back with the
same POSIX checksum the host's coreutils cksum computes from the tree the
image was made of; programs run from /mnt; mount/umount work from the shell.
Read first: the checksums read the 70 MiB sparse file whole; the larger
guest keeps that free of reclaim (tests/runner/test_reclaim_session.py
reads it at 64M).
"""
import os
import re
import subprocess
import tempfile
import unittest

from runner_support import REPO, qemu, require_file
from shell_support import PROMPT, ShellTestCase

DISK = os.path.join(REPO, "build", "disk.img")
DISK_ROOT = os.path.join(REPO, "build", "disk-root")
CKSUM_TIMEOUT = 300.0


def host_cksums(root):
    """{"/mnt/<path>": "CRC SIZE"} for every regular file below root."""
    files = []
    for d, _, names in os.walk(root):
        files += [os.path.join(d, n) for n in names
                  if os.path.isfile(os.path.join(d, n)) and not os.path.islink(os.path.join(d, n))]
    out = subprocess.run(["cksum"] + sorted(files), check=True, capture_output=True,
                         text=True).stdout
    sums = {}
    for line in out.splitlines():
        crc, size, path = line.split(" ", 2)
        sums["/mnt/" + os.path.relpath(path, root)] = f"{crc} {size}"
    return sums


def diskstats_reads(text):
    m = re.search(r"(?m)^\s*254\s+0 vda (\d+) \d+ (\d+) ", text)
    return (int(m.group(1)), int(m.group(2))) if m else None


class DiskSession(ShellTestCase):
    MEM = "256M"

    def setUp(self):
        require_file(self, DISK)
        if not os.path.isdir(DISK_ROOT):
            self.fail(f"prerequisite {os.path.relpath(DISK_ROOT, REPO)} is missing (run make first)")
        super().setUp()

    def output(self, cmd, timeout=None):
        """What cmd printed: without the echoed command line and the prompt."""
        out = self.run_cmd(cmd) if timeout is None else self.run_cmd(cmd, timeout)
        body = out.split("\n", 1)[1] if "\n" in out else ""
        if body.endswith(PROMPT.decode()):
            body = body[:-len(PROMPT)]
        return body.rstrip("\n")

    def test_mount_lists_the_disk_in_linux_format(self):
        out = self.output("mount")
        self.assertIn("/dev/vda /mnt ext2 ro,relatime 0 0", out)
        self.assertIn("proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0", out)
        self.assertEqual(out, self.output("cat /proc/mounts"))

    def test_every_file_on_the_disk_matches_the_host(self):
        want = host_cksums(DISK_ROOT)
        self.assertGreater(len(want), 100)
        out = self.run_cmd("cksum -r /mnt", timeout=CKSUM_TIMEOUT)
        got = {}
        for line in out.splitlines():
            m = re.match(r"^(\d+ \d+) (/mnt/\S+)$", line)
            if m:
                got[m.group(2)] = m.group(1)
        self.assertEqual(sorted(got), sorted(want), "the guest and the host see other files")
        for path, value in want.items():
            self.assertEqual(got[path], value, f"{path}: guest and host checksums differ")

    def test_the_raw_disk_reads_as_the_image(self):
        want = subprocess.run(["cksum", DISK], check=True, capture_output=True,
                              text=True).stdout.split(" ")[:2]
        out = self.output("cksum /dev/vda", timeout=CKSUM_TIMEOUT)
        self.assertEqual(out.split(" ")[:2], want, out)

    def test_programs_run_from_the_disk(self):
        before = diskstats_reads(self.run_cmd("cat /proc/diskstats"))
        self.assertIsNotNone(before)
        out = self.run_cmd("/mnt/bin/echo text mapped from the disk")
        self.assertIn("text mapped from the disk", out)
        after = diskstats_reads(self.run_cmd("cat /proc/diskstats"))
        self.assertGreater(after[0], before[0], "echo's pages never came from the disk")
        # Its text is mapped from the ext2 file: cat shows its own mappings.
        maps = self.output("/mnt/bin/cat /proc/self/maps")
        self.assertRegex(maps, r"(?m)^[0-9a-f]+-[0-9a-f]+ r-xp .* /mnt/bin/cat$")

    def test_umount_then_mount_again_from_the_shell(self):
        self.assertEqual(self.output("umount /mnt"), "")
        self.assertIn("No such file or directory", self.run_cmd("cat /mnt/data/hello.txt"))
        self.assertIn("not mounted", self.run_cmd("umount /mnt"))
        self.assertNotIn("/mnt", self.output("mount"))
        self.assertNotIn("mount:", self.output("mount /dev/vda /mnt"))
        self.assertIn("hello from the disk", self.run_cmd("cat /mnt/data/hello.txt"))
        self.assertIn("already mounted or mount point busy",
                      self.run_cmd("mount /dev/vda /mnt"))
        self.assertIn("is not a block device", self.run_cmd("mount /dev/null /proc"))


class DiskArgv(unittest.TestCase):
    def test_the_disk_beside_the_kernel_is_attached_read_only_by_default(self):
        with tempfile.TemporaryDirectory() as d:
            kernel = os.path.join(d, "oomlab.elf")
            self.assertNotIn("-drive", qemu.kernel_argv(kernel, ""))
            open(os.path.join(d, "disk.img"), "wb").close()
            argv = qemu.kernel_argv(kernel, "")
            self.assertEqual(argv[argv.index("-drive") + 1],
                             f"file={os.path.join(d, 'disk.img')},if=virtio,format=raw,readonly=on")
            self.assertNotIn("-drive", qemu.kernel_argv(kernel, "", disk=None))


if __name__ == "__main__":
    unittest.main()
