"""The OOM killer seen from the shell, scenario by scenario: hogs that
together want more than the machine has end with the fewest kills, one per
OOM event; nothing killable ends in Linux's panic; the vm sysctls and
SysRq f do what Linux's do. Read first: each test boots its own QEMU at
64M (about 50 MiB free at the prompt) and reads the kernel's messages from
the serial console, where the shell's output appears too.
"""
import re
import time
import unittest

from shell_support import ShellTestCase
import qemu

HOG_TIMEOUT = 180
KILLED = r"Out of memory(?: \(oom_kill_allocating_task\))?: Killed process (\d+) \((\w+)\)"


def vmstat(out, name):
    m = re.search(rf"(?m)^{name} (\d+)$", out)
    return int(m.group(1)) if m else None


class OomShell(ShellTestCase):
    MEM = "64M"

    def wait_text(self, needle, timeout=HOG_TIMEOUT):
        end = self.session.wait_for(needle.encode(), self.pos, timeout)
        if end is None:
            self.fail(f"no {needle!r} within {timeout}s:\n" + self.session.text[-3000:])
        return end

    def since(self, start):
        return self.session.buf[start:].decode("utf-8", "replace").replace("\r", "")


class FourHogs(OomShell):
    def test_one_and_a_half_times_ram_ends_with_the_fewest_kills_one_per_oom_event(self):
        free_kb = self.meminfo_kb("MemFree")
        hog_mib = 20  # four of them: 80 MiB, about 1.5x what is free
        fit = free_kb // (hog_mib * 1024)
        self.assertEqual(fit, 2, f"MemFree {free_kb} kB: the scenario assumes two hogs fit")
        start = self.pos
        self.run_cmd(" & ".join([f"hog -m {hog_mib}M -H"] * 4) + " &")
        # Linux kills the biggest process, which may be a hog that had
        # finished: wait until `fit` hogs hold their memory and live.
        deadline = time.monotonic() + HOG_TIMEOUT
        while True:
            out = self.since(start)
            kills = re.findall(KILLED, out)
            holding = set(re.findall(rf"hog\[(\d+)\]: holding {hog_mib} MiB", out))
            survivors = sorted(holding - {k[0] for k in kills})
            if len(survivors) >= fit or time.monotonic() > deadline:
                break
            time.sleep(1)
        self.assertEqual(len(survivors), fit, out[-4000:])
        self.assertEqual(len(kills), 4 - fit, out[-4000:])
        self.assertEqual(len(re.findall(r"invoked oom-killer", out)), len(kills), out[-4000:])
        # One kill per OOM event: when the second report lists the tasks,
        # the first victim has already given its memory back.
        tables = out.split("invoked oom-killer")[2:]
        for victim, table in zip(kills, tables):
            self.assertNotRegex(table.split("Killed process")[0], rf"\[\s*{victim[0]}\]",
                                "a second kill while the first victim still held its mm")
        self.assertEqual(vmstat(self.run_cmd("cat /proc/vmstat"), "oom_kill"), 4 - fit)
        ps = self.run_cmd("ps")
        for pid in survivors:
            self.assertRegex(ps, rf"(?m)^\s*{pid}\s", "the survivors live on")
        self.run_cmd("kill -9 " + " ".join(survivors))
        self.assertIn("still here", self.run_cmd("echo still here"))


class NothingKillable(OomShell):
    CMDLINE = "panic_action=exit"

    def test_a_hog_nobody_may_kill_ends_in_the_deadlock_panic(self):
        self.session.send("hog -m 200M -a -1000 -x\r")
        end = self.session.wait_for(b"System is deadlocked on memory", self.pos, HOG_TIMEOUT)
        self.assertIsNotNone(end, self.session.text[-3000:])
        out = self.since(self.pos)
        self.assertIn("Out of memory and no killable processes...", out)
        self.assertIn("Kernel panic - not syncing: System is deadlocked on memory", out)
        self.assertNotRegex(out, r"Killed process \d+ \(hog\)", "adj -1000 is never killed")
        self.assertEqual(self.session.wait_exit(60), qemu.EXIT_PANIC)


class Sysctls(OomShell):
    CMDLINE = "panic_action=exit"

    def test_vm_sysctls_read_and_validate_as_linux(self):
        for name, value in (("panic_on_oom", "0"), ("oom_kill_allocating_task", "0"),
                            ("oom_dump_tasks", "1")):
            self.assertRegex(self.run_cmd(f"cat /proc/sys/vm/{name}"), rf"(?m)^{value}$")
        out = self.run_cmd("oomctl vm.panic_on_oom=3")
        self.assertIn("oomctl: vm.panic_on_oom=3: Invalid argument", out)
        self.assertIn("bad value '3' for 'vm.panic_on_oom'", out)
        self.assertRegex(self.run_cmd("cat /proc/sys/vm/panic_on_oom"), r"(?m)^0$")

    def test_panic_on_oom_panics_instead_of_killing(self):
        self.run_cmd("oomctl vm.panic_on_oom=1")
        self.session.send("hog -m 200M -x\r")
        end = self.session.wait_for(b"panic_on_oom is enabled", self.pos, HOG_TIMEOUT)
        self.assertIsNotNone(end, self.session.text[-3000:])
        out = self.since(self.pos)
        self.assertIn("Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is "
                      "enabled", out)
        self.assertIn("invoked oom-killer", out)
        self.assertNotIn("Killed process", out)
        self.assertEqual(self.session.wait_exit(60), qemu.EXIT_PANIC)

    def test_oom_kill_allocating_task_kills_the_caller_not_the_biggest(self):
        self.run_cmd("oomctl vm.oom_kill_allocating_task=1 vm.oom_dump_tasks=0")
        start = self.pos
        self.run_cmd("hog -m 30M -H &")
        self.wait_text("touched 30 MiB")
        big = re.search(r"hog\[(\d+)\]: touched 30 MiB", self.since(start)).group(1)
        out = self.run_cmd("hog -m 40M -x", timeout=HOG_TIMEOUT)
        small = re.search(r"hog\[(\d+)\]: 40 MiB", out).group(1)
        self.assertEqual(re.findall(KILLED, out), [(small, "hog")], out[-3000:])
        self.assertIn("Out of memory (oom_kill_allocating_task): Killed process", out)
        self.assertNotIn("[  pid  ]", out, "vm.oom_dump_tasks=0: no task table")
        self.assertRegex(self.run_cmd("ps"), rf"(?m)^\s*{big}\s", "the big hog lives")
        self.run_cmd(f"kill -9 {big}")


class SysrqF(OomShell):
    def test_ctrl_backslash_f_kills_the_biggest_process(self):
        start = self.pos
        self.run_cmd("hog -m 16M -H &")
        self.wait_text("touched 16 MiB")
        pid = re.search(r"hog\[(\d+)\]: touched 16 MiB", self.since(start)).group(1)
        mark = len(self.session.buf)
        self.session.send("\x1cf")
        end = self.session.wait_for(f"Killed process {pid} (hog)".encode(), mark, 60)
        self.assertIsNotNone(end, self.session.text[-3000:])
        out = self.session.buf[mark:end].decode("utf-8", "replace")
        self.assertIn("sysrq: Manual OOM execution", out)
        self.assertRegex(out, r"kworker/0:moom invoked oom-killer: gfp_mask=0xcc0\(GFP_KERNEL\), "
                              r"order=-1, oom_score_adj=0")
        self.assertEqual(vmstat(self.run_cmd("cat /proc/vmstat"), "oom_kill"), 1)
        self.assertIn("still here", self.run_cmd("echo still here"))


class ReaperOff(OomShell):
    CMDLINE = "oom.reaper=0"

    def test_oom_reaper_0_at_boot_starts_no_thread_and_victims_exit_by_themselves(self):
        self.assertNotIn("[oom_reaper]", self.run_cmd("ps"))
        out = self.run_cmd("hog -m 200M -x", timeout=HOG_TIMEOUT)
        self.assertEqual(len(re.findall(KILLED, out)), 1, out[-3000:])
        self.assertNotIn("oom_reaper:", out)
        self.assertEqual(vmstat(self.run_cmd("cat /proc/vmstat"), "oom_kill"), 1)

    def test_switching_the_reaper_on_at_run_time_starts_the_thread(self):
        self.assertNotIn("[oom_reaper]", self.run_cmd("ps"))
        self.run_cmd("oomctl oom.reaper=1")
        self.assertIn("[oom_reaper]", self.run_cmd("ps"))
        self.run_cmd("oomctl oom.reaper=0 oom.reaper=1")  # one thread, however often
        self.assertEqual(self.run_cmd("ps").count("[oom_reaper]"), 1)


class SeedSwitches(OomShell):
    def test_the_oom_reaper_thread_runs_by_default(self):
        self.assertIn("[oom_reaper]", self.run_cmd("ps"))

    def test_the_switches_are_also_files_under_proc_sys_oomlab_oom(self):
        self.assertRegex(self.run_cmd("cat /proc/sys/oomlab/oom/lock"), r"(?m)^trylock$")
        self.run_cmd("echo killable > /proc/sys/oomlab/oom/lock")
        self.assertRegex(self.run_cmd("oomctl oom.lock"), r"(?m)^oom.lock = killable$")
        self.assertIn("Invalid argument",
                      self.run_cmd("echo banana > /proc/sys/oomlab/oom/lock"))

    def test_every_seed_switch_is_listed_settable_and_checked(self):
        out = self.run_cmd("oomctl")
        for name, default in (("oom.kill_reserves", "victim"), ("oom.reaper", "1"),
                              ("oom.reaper_delay_ms", "2000"), ("oom.lock", "trylock"),
                              ("oom.reap_mlocked", "1"), ("oom.reap_timeout_ms", "0")):
            self.assertRegex(out, rf"(?m)^{re.escape(name)} = {default}$", out)
        self.assertEqual(self.run_cmd("oomctl oom.lock=killable oom.reaper_delay_ms=0").count(
            "Invalid"), 0)
        out = self.run_cmd("oomctl oom.lock oom.reaper_delay_ms")
        self.assertIn("oom.lock = killable", out)
        self.assertIn("oom.reaper_delay_ms = 0", out)
        for bad in ("oom.kill_reserves=everyone", "oom.reaper_delay_ms=60001",
                    "oom.reap_timeout_ms=-1", "oom.reaper=maybe"):
            name, value = bad.split("=")
            out = self.run_cmd(f"oomctl {bad}")
            self.assertIn(f"oomctl: {bad}: Invalid argument", out)
            self.assertIn(f"bad value '{value}' for '{name}'", out)


if __name__ == "__main__":
    unittest.main()
