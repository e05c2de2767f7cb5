"""/dev/kmsg as Linux's: a write logs one line (a "<N>" prefix sets the
level), a read returns one record as "level,seq,usec,-;text", and a
blocking reader waits for the next record. Read first: `cat /dev/kmsg &`
prints every record in the ring and then sleeps until a new one comes.
"""
import re
import unittest

from shell_support import ShellTestCase

RECORD = r"(?m)^(\d),(\d+),(\d+),-;{text}$"


class DevKmsg(ShellTestCase):
    def test_a_write_is_logged_and_a_blocked_reader_gets_the_next_record(self):
        self.run_cmd("echo '<6>kmsg-test one' > /dev/kmsg")
        self.assertRegex(self.run_cmd("dmesg"), r"(?m)^\[\s*\d+\.\d{6}\] kmsg-test one$")
        out = self.run_cmd("cat /dev/kmsg &")
        job = re.search(r"\[\d+\]\s+(\d+)", out)
        self.assertIsNotNone(job, out)
        mark = self.pos
        self.run_cmd("echo 'kmsg-test two' > /dev/kmsg")
        # The reader first replays the whole ring over the serial line.
        end = self.session.wait_for(b",-;kmsg-test two\r\n", mark, 60)
        self.assertIsNotNone(end, self.session.text[-2000:])
        # The serial line carries the reader's output, the shell's prompt and
        # the console's own copy of each record, interleaved at any byte (the
        # console printed "[ t] kmsg-test two" inside record one's line in a
        # loaded run): take the prompt and the console's lines out first.
        text = self.session.buf[:end].decode("utf-8", "replace").replace("\r", "")
        text = text.replace("oomlab$ ", "")
        text = re.sub(r"\[\s*\d+\.\d{6}\] kmsg-test (?:one|two)\n", "", text)
        one = re.search(RECORD.format(text="kmsg-test one"), text)
        two = re.search(RECORD.format(text="kmsg-test two"), text)
        self.assertIsNotNone(one, text[-2000:])
        self.assertIsNotNone(two, text[-2000:])
        self.assertEqual(one.group(1), "6", "<6> sets the level")
        self.assertEqual(two.group(1), "4", "no prefix: Linux's default level")
        self.assertGreater(int(two.group(2)), int(one.group(2)), "sequence numbers grow")
        self.assertGreaterEqual(int(two.group(3)), int(one.group(3)), "usec timestamps")
        self.run_cmd(f"kill -9 {job.group(1)}")
        self.assertIn("still here", self.run_cmd("echo still here"))


if __name__ == "__main__":
    unittest.main()
