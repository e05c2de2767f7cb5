"""User land on this Linux host: our programs are static Linux x86_64 ELFs
with their own libc, so they run here unchanged before oomlab can run them.
Read first: usertests must pass whole (KTAP, no skips); the other cases
drive sh, hog, ps, free, oomctl and friends the way the serial-console
tests will, and check the ELF layout the kernel's loader insists on.
"""
import os
import signal
import struct
import subprocess
import tempfile
import unittest

from runner_support import REPO, require_file
import ktap

USER = os.path.join(REPO, "build", "user")
BIN = os.path.join(USER, "bin")
BAD = os.path.join(USER, "bad")
PROGRAMS = ["init", "sh", "ps", "free", "cat", "echo", "dmesg", "kill", "sleep", "oomctl",
            "hog", "usertests"]
TIMEOUT = 300


def ignore_like_background_job():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGQUIT, signal.SIG_IGN)


def run(argv, timeout=60, **kw):
    """Runs a program from build/user/bin; returns (status, stdout, stderr)."""
    env = {"PATH": BIN}
    env.update(kw.pop("env", {}))
    argv = [os.path.join(BIN, argv[0])] + list(argv[1:])
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=timeout, env=env,
                          start_new_session=True, **kw)
    return proc.returncode, proc.stdout, proc.stderr


def sh(script, timeout=60):
    """Runs script through our sh from a file, as "sh FILE" does."""
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as f:
        f.write(script)
    try:
        return run(["sh", f.name], timeout=timeout)
    finally:
        os.unlink(f.name)


class UserBuild(unittest.TestCase):
    def setUp(self):
        for name in PROGRAMS:
            require_file(self, os.path.join(BIN, name), "run make user")
        require_file(self, os.path.join(BAD, "goodelf"), "run make user")


class Usertests(UserBuild):
    # CI runs this on a loaded 2-core machine, so every case usertests runs
    # here (no -s) depends only on its own process: its /proc/self/status,
    # its children's wait status and rusage. The cases that compare the
    # system-wide /proc/meminfo counters (AnonPages, Shmem, Mlocked,
    # KernelStack, Committed_AS) around a change are oomlab-only: other
    # processes here move those counters by more than the case's change
    # (user/usertests/meminfo_tests.c says how they failed).
    def test_all_ok(self):
        # Started as a shell's "&" starts it: SIGINT and SIGQUIT ignored.
        status, out, err = run(["usertests", "-d", BAD], timeout=TIMEOUT,
                               preexec_fn=ignore_like_background_job)
        doc = ktap.parse(out)
        self.assertTrue(doc.found, out + err)
        passed, failed, skipped = ktap.tally(doc.root)
        self.assertEqual(failed, 0, out + err)
        # The one reason to skip here: this host is set otherwise than
        # Linux's default (vm.overcommit_memory), which a case must not change.
        for name, case in ktap.leaves(doc.root):
            if case.status == ktap.SKIP:
                self.assertIn("overcommit_memory", case.skip_reason, name)
        self.assertEqual(passed + skipped, doc.root.plan, out)
        self.assertGreaterEqual(passed, 20)
        self.assertIn("# Totals: pass:%d fail:0" % passed, out)
        self.assertEqual(status, 0, err)

    def test_strict_elf_cases_fail_on_linux(self):
        # Linux commits to an image before checking its segments; these
        # cases are only for oomlab's loader (usertests -s).
        status, out, _ = run(["usertests", "-d", BAD, "-s", "exec_strictelf"], timeout=TIMEOUT)
        self.assertIn("not ok 1 exec_strictelf", out)
        self.assertNotEqual(status, 0)


class Programs(UserBuild):
    def test_hog_touches_and_exits(self):
        status, out, err = run(["hog", "-m", "8M", "-x"])
        self.assertEqual(status, 0, err)
        self.assertRegex(out, r"hog\[\d+\]: touched 8 MiB\n\Z")

    def test_hog_threads_rate_lock_idle_adj(self):
        status, out, err = run(["hog", "-m", "4M", "-t", "2", "-r", "32", "-l", "-i",
                                "-a", "300", "-x"])
        self.assertEqual(status, 0, err)
        self.assertIn("in 2 threads, mlocked, SCHED_IDLE, at 32 MiB/s", out)
        self.assertRegex(out, r"touched 4 MiB\n\Z")

    def test_hog_rejects_bad_sizes(self):
        for bad in ("8Q", "", "-1", "0"):
            status, _, err = run(["hog", "-m", bad, "-x"])
            self.assertEqual(status, 2, bad)
            self.assertIn("usage: hog", err)

    def test_free_layout(self):
        status, out, _ = run(["free"])
        self.assertEqual(status, 0)
        lines = out.splitlines()
        self.assertEqual(lines[0], " " * 15 + "total        used        free      shared"
                         "  buff/cache   available")
        total = int(lines[1].split()[1])
        with open("/proc/meminfo") as f:
            self.assertIn("MemTotal:%s kB" % str(total).rjust(15), f.read())
        self.assertTrue(lines[2].startswith("Swap:"))

    def test_ps_lists_itself(self):
        status, out, _ = sh("ps\n")
        self.assertEqual(status, 0)
        lines = out.splitlines()
        self.assertEqual(lines[0].split(), ["PID", "PPID", "S", "POLICY", "NI", "RSS",
                                            "OOM_SCORE", "OOM_ADJ", "COMMAND"])
        mine = [line.split() for line in lines[1:] if line.split()[-1] == "ps"]
        self.assertTrue(mine, out)
        self.assertEqual(mine[0][2], "R")
        self.assertEqual(mine[0][3], "TS")

    def test_oomctl_lists_reads_sets(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "oom.reaper"), "w") as f:
                f.write("1\n")
            os.mkdir(os.path.join(d, "oom"))
            with open(os.path.join(d, "oom", "lock"), "w") as f:
                f.write("trylock\n")
            env = {"OOMCTL_DIR": d}
            status, out, _ = run(["oomctl"], env=env)
            self.assertEqual(status, 0)
            self.assertEqual(sorted(out.splitlines()), ["oom.lock = trylock", "oom.reaper = 1"])
            status, out, _ = run(["oomctl", "oom.reaper=0", "oom.lock"], env=env)
            self.assertEqual((status, out), (0, "oom.reaper = 0\noom.lock = trylock\n"))
            with open(os.path.join(d, "oom.reaper")) as f:
                self.assertEqual(f.read(), "0\n")
            status, _, err = run(["oomctl", "oom.nope"], env=env)
            self.assertEqual((status, err), (1, "oomctl: oom.nope: No such file or directory\n"))

    def test_small_tools(self):
        self.assertEqual(run(["echo", "a", "b c"])[1], "a b c\n")
        self.assertEqual(run(["echo", "-n", "x"])[1], "x")
        self.assertEqual(run(["cat", os.path.join(REPO, "user", "user.ld")])[1],
                         open(os.path.join(REPO, "user", "user.ld")).read())
        status, _, err = run(["cat", "/no/such"])
        self.assertEqual((status, err), (1, "cat: /no/such: No such file or directory\n"))
        self.assertEqual(run(["sleep", "0.05"])[0], 0)
        self.assertIn("9) SIGKILL", run(["kill", "-l"])[1])
        self.assertEqual(run(["kill", "-0", str(os.getpid())])[0], 0)
        status, _, err = run(["kill", "-9", "999999999"])
        self.assertIn("No such process", err)
        status, _, err = run(["dmesg"])
        self.assertEqual(status, 1)  # no /proc/dmesg on Linux: the message names it
        self.assertIn("/proc/dmesg", err)


class Shell(UserBuild):
    def test_script_features(self):
        status, out, err = sh(
            "# a comment\n"
            "echo one   # trailing comment\n"
            "nosuchprogram\n"
            "echo status=$?\n"
            "sh -c 'exit 7'; echo seven=$?\n"
            "echo \"a  b\" 'c $?' d\\ e\n"
            "echo piped | cat | cat\n"
            "sleep 5 &\n"
            "jobs\n"
            "kill %1\n"
            "wait %1\n"
            "echo killed=$?\n"
            "sleep 0.1 & wait\n"
            "hog -m 1M -x | cat\n"
            "exit 3\n"
            "echo not reached\n")
        self.assertEqual(status, 3, err)
        self.assertIn("sh: nosuchprogram: not found", err)
        lines = out.splitlines()
        self.assertEqual(lines[:5], ["one", "status=127", "seven=7", "a  b c $? d e", "piped"])
        self.assertRegex(lines[5], r"^\[1\] \d+$")
        self.assertRegex(lines[6], r"^\[1\] \d+ Running\tsleep 5$")
        self.assertIn("killed=143", lines)
        self.assertRegex(out, r"hog\[\d+\]: touched 1 MiB\n")
        self.assertNotIn("not reached", out)

    def test_syntax_errors_set_status(self):
        status, out, err = sh("echo a | | b\necho $?\necho \"open\necho $?\n")
        self.assertEqual(out, "2\n2\n")
        self.assertIn("syntax error", err)
        self.assertIn("unterminated", err)

    def test_redirections_write_append_read_and_empty_files(self):
        with tempfile.TemporaryDirectory() as d:
            status, out, err = sh(
                f"echo one > {d}/f\n"
                f"echo two >> {d}/f\n"
                f"cat < {d}/f\n"
                f"echo three>{d}/g; cat {d}/g\n"      # no spaces needed
                f"echo 2 >{d}/h; cat {d}/h\n"         # "2 >" is a word, then >
                f"> {d}/g; cat {d}/g; echo empty=$?\n"  # only a redirection: empties
                f"echo replaced > {d}/f; cat {d}/f\n")
            self.assertEqual((status, err), (0, ""))
            self.assertEqual(out, "one\ntwo\nthree\n2\nempty=0\nreplaced\n")

    def test_stderr_redirections_apply_left_to_right(self):
        with tempfile.TemporaryDirectory() as d:
            status, out, err = sh(
                f"cat /no/such 2> {d}/err; cat /no/such 2>> {d}/err; echo status=$?\n"
                f"cat {d}/err\n"
                f"cat /no/such > {d}/both 2>&1; cat {d}/both\n"
                f"cat /no/such 2>&1 > {d}/out | cat; echo -n out=; cat {d}/out; echo .\n"
                f"echo to-err 1>&2 2>{d}/none\n"
                f"echo via3 3>{d}/three >&3; cat {d}/three\n")
            self.assertEqual(out.splitlines()[:5],
                             ["status=1"] + ["cat: /no/such: No such file or directory"] * 4)
            self.assertEqual(out.splitlines()[5:], ["out=.", "via3"])
            self.assertEqual(err, "to-err\n")

    def test_a_failed_redirection_names_the_file_runs_nothing_and_sets_status_1(self):
        status, out, err = sh("echo ran > /no/such/x\necho status=$?\n"
                              "cat < /no/such\necho status=$?\n"
                              "echo ran >&9\necho status=$?\n"
                              "jobs > /no/such/x\necho status=$?\n"
                              "echo x >\necho status=$?\n")
        self.assertEqual(out, "status=1\nstatus=1\nstatus=1\nstatus=1\nstatus=2\n")
        self.assertEqual(err.splitlines()[:4],
                         ["sh: /no/such/x: No such file or directory",
                          "sh: /no/such: No such file or directory",
                          "sh: 9: Bad file descriptor",
                          "sh: /no/such/x: No such file or directory"])
        self.assertIn("syntax error", err)

    def test_builtins_take_redirections_and_the_shell_gets_its_fds_back(self):
        with tempfile.TemporaryDirectory() as d:
            status, out, err = sh(f"sleep 5 &\njobs > {d}/jobs\nkill 2> {d}/usage\n"
                                  f"kill %1; wait\necho after\ncat {d}/jobs {d}/usage\n")
            lines = out.splitlines()
            self.assertRegex(lines[0], r"^\[1\] \d+$")
            self.assertEqual(lines[1], "after")
            self.assertRegex(lines[2], r"^\[1\] \d+ Running\tsleep 5$")
            self.assertEqual(lines[3], "usage: kill [-SIGNAL] PID|%JOB...")
            self.assertEqual(err, "")

    def test_interactive_prompt_and_signals(self):
        proc = subprocess.run([os.path.join(BIN, "sh")], input="echo hi\nsh -c 'kill -SEGV $$'\n"
                              "echo $?\n", stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, timeout=60, env={"PATH": BIN}, start_new_session=True)
        self.assertEqual(proc.stdout, "oomlab$ hi\noomlab$ oomlab$ 139\noomlab$ exit\n")
        self.assertEqual(proc.stderr, "Segmentation fault\n")


PT_LOAD, PT_INTERP, PT_GNU_STACK = 1, 3, 0x6474E551


def program_headers(path):
    with open(path, "rb") as f:
        data = f.read()
    e_type, e_machine = struct.unpack_from("<HH", data, 16)
    e_phoff, = struct.unpack_from("<Q", data, 32)
    e_phentsize, e_phnum = struct.unpack_from("<HH", data, 54)
    phdrs = [struct.unpack_from("<IIQQQQQQ", data, e_phoff + i * e_phentsize)
             for i in range(e_phnum)]
    return e_type, e_machine, phdrs


class ElfLayout(UserBuild):
    """What oomlab's ELF loader demands (kernel/elf_parse.c): ET_EXEC for
    x86_64, no interpreter, PT_LOADs sorted and each on pages of its own
    with matching file and memory page offsets, text R-X, rodata R, data RW."""

    def test_every_program(self):
        for name in PROGRAMS:
            e_type, machine, phdrs = program_headers(os.path.join(BIN, name))
            self.assertEqual((e_type, machine), (2, 62), name)
            self.assertNotIn(PT_INTERP, [p[0] for p in phdrs], name)
            loads = [p for p in phdrs if p[0] == PT_LOAD]
            self.assertEqual([p[1] for p in loads], [5, 4, 6], name)  # R-X, R, RW
            stack = [p for p in phdrs if p[0] == PT_GNU_STACK]
            self.assertEqual([p[1] for p in stack], [6], name)  # no executable stack
            end = 0
            for _, _, offset, vaddr, _, filesz, memsz, _ in loads:
                self.assertEqual(offset % 4096, vaddr % 4096, name)
                self.assertGreaterEqual(vaddr & ~4095, end, name)
                self.assertLessEqual(filesz, memsz, name)
                end = (vaddr + memsz + 4095) & ~4095
            self.assertEqual(loads[0][3], 0x400000, name)


if __name__ == "__main__":
    unittest.main()
