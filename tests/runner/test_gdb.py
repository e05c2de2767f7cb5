"""gdb against the kernel: QEMU halted with -S and its gdb stub, a scripted
"gdb -batch" that breaks at kmain and prints a backtrace; the same through
tools/gdb.sh (what "make gdb" runs) and through run_tests.py --gdb.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from runner_support import ACCEL, KERNEL, MEM, REPO, RUN_TESTS, TOOLS, qemu, require_file

GDB_TIMEOUT = 120.0
HIT = re.compile(r"(?m)^(?:Breakpoint|Hardware assisted breakpoint) 1, (?:0x[0-9a-f]+ in )?kmain \(")
BT_TOP = re.compile(r"(?m)^#0\s+(?:0x[0-9a-f]+ in )?kmain \(")


def gdb_batch(port, *commands):
    argv = ["gdb", "-nx", "-batch", "-ex", "set pagination off",
            "-ex", "set architecture i386:x86-64", "-ex", f"file {KERNEL}",
            "-ex", f"target remote 127.0.0.1:{port}"]
    for c in commands:
        argv += ["-ex", c]
    return qemu.run(argv, GDB_TIMEOUT)


def processes_with(needle):
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if needle.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


class GdbSession(unittest.TestCase):
    def setUp(self):
        require_file(self, KERNEL)

    def assert_stopped_in_kmain(self, out):
        text = out.stdout + out.stderr
        self.assertFalse(out.timed_out, f"gdb timed out:\n{text}")
        self.assertRegex(text, HIT, f"breakpoint at kmain not hit:\n{text}")
        self.assertRegex(text, BT_TOP, f"backtrace does not start in kmain:\n{text}")

    def test_gdb_batch_breaks_in_kmain(self):
        for _ in range(3):  # the free port may be taken between choosing and binding
            port = qemu.free_port()
            argv = qemu.kernel_argv(KERNEL, "", MEM, ACCEL, ["-S", "-gdb", f"tcp:127.0.0.1:{port}"])
            proc = qemu.spawn(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                time.sleep(0.3)
                if proc.poll() is not None:
                    continue
                out = gdb_batch(port, "hbreak kmain", "continue", "bt")
                self.assert_stopped_in_kmain(out)
                self.assertIsNone(proc.poll(), "QEMU should still be halted in kmain")
                return
            finally:
                qemu.kill_group(proc, grace=0.5)
        self.fail("QEMU never started with a gdb stub")

    def test_gdb_script_used_by_make_gdb(self):
        port = qemu.free_port()
        env = dict(os.environ, GDB_PORT=str(port), ACCEL=ACCEL, MEM=MEM)
        out = qemu.run([os.path.join(TOOLS, "gdb.sh"), KERNEL, "-nx", "-batch", "-ex", "bt"],
                       GDB_TIMEOUT, cwd=REPO, env=env)
        self.assert_stopped_in_kmain(out)
        time.sleep(0.3)
        self.assertEqual(processes_with(f"tcp:127.0.0.1:{port}"), [], "gdb.sh left QEMU running")

    def test_runner_gdb_mode(self):
        logs = tempfile.mkdtemp(prefix="oomlab-gdb-mode-")
        self.addCleanup(shutil.rmtree, logs, True)
        listing = qemu.run([sys.executable, RUN_TESTS, "--kernel", KERNEL, "--log-dir", logs,
                            "--accel", ACCEL, "--mem", MEM, "--list"], GDB_TIMEOUT)
        # The first word: a suite with ram sizes lists them after its name.
        suites = [line.split()[0] for line in listing.stdout.splitlines()
                  if line.strip() and "harness" not in line]
        self.assertTrue(suites, listing.stdout + listing.stderr)
        argv = [sys.executable, RUN_TESTS, "--kernel", KERNEL, "--accel", ACCEL, "--mem", MEM,
                "--log-dir", logs, "--gdb", suites[0]]
        runner = qemu.spawn(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            port, seen = None, []
            for line in runner.stdout:
                seen.append(line)
                m = re.search(r"halted for gdb on port (\d+)", line)
                if m:
                    port = int(m.group(1))
                    break
            self.assertIsNotNone(port, "".join(seen))
            out = gdb_batch(port, "hbreak kmain", "continue", "bt", "delete", "continue")
            self.assert_stopped_in_kmain(out)
            rest, _ = runner.communicate(timeout=GDB_TIMEOUT)
            report = "".join(seen) + rest
            self.assertEqual(runner.returncode, 0, report)
            self.assertRegex(report, rf"(?m)^PASS  {re.escape(suites[0])} ")
        finally:
            qemu.kill_group(runner, grace=0.5)


if __name__ == "__main__":
    unittest.main()
