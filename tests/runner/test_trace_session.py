"""Tracing from the user shell, typed as on Linux: echo into
/sys/kernel/tracing switches events on, a write to /proc/self/oom_score_adj
shows up in /sys/kernel/tracing/trace as oom:oom_score_adj_update in
Linux's line format, "> trace" clears it, SysRq-z dumps it, and redirection
mistakes name the file and the reason; trace_event= turns events on from
boot. Read first: the shell applies a
redirection in the child it forks, so /proc/self there is echo itself.
"""
import re
import unittest

from shell_support import ShellTestCase

TRACING = "/sys/kernel/tracing"
SYSRQ = "\x1c"  # Ctrl-\ on the serial line, then the key
DASHES = b"---------------------------------"


class TraceSession(ShellTestCase):
    MEM = "128M"

    def value(self, name):
        """The one-line value of a tracefs file (0, 1 or X)."""
        out = self.run_cmd(f"cat {TRACING}/{name}")
        m = re.search(r"(?m)^(\S+)$", out.split("\n", 1)[1])
        self.assertIsNotNone(m, out)
        return m.group(1)

    def test_echo_enables_oom_events_and_trace_shows_oom_score_adj_update(self):
        self.assertEqual(self.value("events/oom/enable"), "0")
        self.assertIn("status=0", self.run_cmd(
            f"echo 1 > {TRACING}/events/oom/enable; echo status=$?"))
        self.assertEqual(self.value("events/oom/mark_victim/enable"), "1")
        self.assertEqual(self.value("events/enable"), "X")
        self.assertIn("status=0", self.run_cmd(
            "echo -1000 > /proc/self/oom_score_adj; echo status=$?"))
        out = self.run_cmd(f"cat {TRACING}/trace")
        self.assertIn("# tracer: nop\n", out)
        self.assertIn("# entries-in-buffer/entries-written: 1/1   #P:1\n", out)
        self.assertRegex(out, r"(?m)^ +echo-(\d+) +\[000\] [.dNh0-9a-f]{5} +\d+\.\d{6}: "
                         r"oom_score_adj_update: pid=\1 comm=echo oom_score_adj=-1000$")

        # As Linux, "> trace" (an O_TRUNC open) empties the buffer.
        self.assertIn("status=0", self.run_cmd(f"> {TRACING}/trace; echo status=$?"))
        out = self.run_cmd(f"cat {TRACING}/trace")
        self.assertIn("entries-in-buffer/entries-written: 0/0", out)
        self.assertNotIn("oom_score_adj_update:", out)

        # A bad value is refused by the kernel, and echo says so.
        out = self.run_cmd(f"echo 2 > {TRACING}/events/oom/enable; echo status=$?")
        self.assertIn("echo: write error: Invalid argument", out)
        self.assertIn("status=1", out)

        # SysRq-z prints the buffer on the console and consumes it.
        self.run_cmd("echo 17 > /proc/self/oom_score_adj")
        start = self.pos
        self.session.send(SYSRQ + "z")
        end = self.session.wait_for(b"Dumping ftrace buffer:", start, 30)
        for _ in range(2):  # the dump sits between two lines of dashes
            end = end and self.session.wait_for(DASHES, end, 30)
        self.assertIsNotNone(end, self.session.text[-2000:])
        dump = self.session.buf[start:end].decode("utf-8", "replace")
        self.assertIn("Dumping ftrace buffer:", dump)
        self.assertIn("oom_score_adj_update: pid=", dump)
        self.assertIn("oom_score_adj=17", dump)
        self.assertEqual(self.value("tracing_on"), "0")

    def test_redirection_errors_name_the_file_and_set_status_1(self):
        out = self.run_cmd("echo x > /nope/x; echo status=$?")
        self.assertIn("sh: /nope/x: No such file or directory", out)
        self.assertIn("status=1", out)
        self.assertNotRegex(out, r"(?m)^x$")
        out = self.run_cmd("echo x > /bin/new; echo status=$?")
        self.assertIn("sh: /bin/new: Read-only file system", out)
        out = self.run_cmd("cat < /proc/meminfo | cat > /dev/null 2>&1; echo status=$?")
        self.assertEqual(re.findall(r"status=\d+", out), ["status=0"])
        out = self.run_cmd("cat /nope 2>&1 | cat; echo status=$?")
        self.assertIn("cat: /nope: No such file or directory", out)


class TraceEventSwitch(ShellTestCase):
    """Linux's trace_event= switch: events on from boot, a bad name said once."""

    MEM = "128M"
    CMDLINE = "trace_event=oom:oom_score_adj_update,nosuch"

    def test_the_named_events_are_on_from_boot(self):
        out = self.run_cmd(f"cat {TRACING}/set_event")
        self.assertEqual(out.splitlines()[1:-1], ["oom:oom_score_adj_update"])
        self.assertIn("Failed to enable trace event: nosuch", self.run_cmd("dmesg"))
        self.run_cmd("echo 5 > /proc/self/oom_score_adj")
        self.assertIn("comm=echo oom_score_adj=5", self.run_cmd(f"cat {TRACING}/trace"))
        self.run_cmd(f"> {TRACING}/set_event")
        self.assertEqual(self.run_cmd(f"cat {TRACING}/set_event").splitlines()[1:-1], [])


if __name__ == "__main__":
    unittest.main()
