"""Tests of the other host tools: tools/deps.sh (with stub commands on a
private PATH, a fake `id` and a recording fake apt-get), tools/pyunit.py's
counting, and the host-binary tier of run_tests.py --all.
"""
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import unittest

from runner_support import REPO, TOOLS
import tiers

DEPS = os.path.join(TOOLS, "deps.sh")
CHMOD, MKDIR = shutil.which("chmod") or "/bin/chmod", shutil.which("mkdir") or "/bin/mkdir"
COMMANDS = ["gcc", "ld", "as", "objcopy", "nm", "make", "grub-mkrescue", "xorriso", "mformat",
            "qemu-system-x86_64", "python3", "gdb", "clang", "mke2fs", "clang-format", "cppcheck"]


def write_exe(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


class DepsScript(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="oomlab-deps-")
        self.bin = os.path.join(self.dir, "bin")
        self.grub = os.path.join(self.dir, "grub-i386-pc")
        self.apt_log = os.path.join(self.dir, "apt.log")
        os.makedirs(self.bin)
        os.makedirs(self.grub)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def stubs(self, missing=(), uid=1000):
        for cmd in COMMANDS:
            if cmd not in missing:
                write_exe(os.path.join(self.bin, cmd), "#!/bin/sh\nexit 0\n")
        write_exe(os.path.join(self.bin, "id"), f"#!/bin/sh\necho {uid}\n")
        # The fake apt-get records its calls; "install" provides every command.
        write_exe(os.path.join(self.bin, "apt-get"), textwrap.dedent(f"""\
            #!/bin/sh
            echo "$DEBIAN_FRONTEND $*" >> {self.apt_log}
            if [ "$1" = install ]; then
                for c in {' '.join(COMMANDS)}; do
                    printf '#!/bin/sh\\nexit 0\\n' > {self.bin}/$c; {CHMOD} +x {self.bin}/$c
                done
                {MKDIR} -p {self.grub}
            fi
            """))

    def deps(self, *args, grub=None):
        env = {"PATH": self.bin, "OOMLAB_GRUB_DIR": grub or self.grub, "HOME": self.dir}
        proc = subprocess.run([shutil.which("bash") or "/bin/bash", DEPS] + list(args), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
        return proc.returncode, proc.stdout, proc.stderr

    def apt_calls(self):
        if not os.path.exists(self.apt_log):
            return []
        with open(self.apt_log, encoding="utf-8") as f:
            return f.read().splitlines()

    def test_everything_present_is_quiet_and_calls_no_apt(self):
        self.stubs(uid=0)
        self.assertEqual(self.deps(), (0, "", ""))
        self.assertEqual(self.apt_calls(), [])

    def test_non_root_prints_the_exact_install_line(self):
        self.stubs(missing=("xorriso", "ld", "nm", "gdb"))
        rc, out, err = self.deps()
        self.assertEqual(rc, 1, err)
        self.assertEqual(out, "sudo apt-get install -y binutils xorriso gdb\n")
        self.assertEqual(self.apt_calls(), [])

    def test_missing_grub_modules_mean_grub_pc_bin(self):
        self.stubs()
        rc, out, _ = self.deps(grub=os.path.join(self.dir, "nowhere"))
        self.assertEqual((rc, out), (1, "sudo apt-get install -y grub-pc-bin\n"))

    def test_missing_mke2fs_means_e2fsprogs(self):
        self.stubs(missing=("mke2fs",))
        rc, out, _ = self.deps()
        self.assertEqual((rc, out), (1, "sudo apt-get install -y e2fsprogs\n"))

    def test_lint_tools_only_with_lint_flag(self):
        self.stubs(missing=("clang-format", "cppcheck"))
        self.assertEqual(self.deps()[0], 0)
        rc, out, _ = self.deps("--lint")
        self.assertEqual((rc, out), (1, "sudo apt-get install -y clang-format cppcheck\n"))

    def test_root_installs_with_apt_get(self):
        self.stubs(missing=("qemu-system-x86_64", "mformat"), uid=0)
        rc, out, err = self.deps()
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.apt_calls(), ["noninteractive update",
                                            "noninteractive install -y mtools qemu-system-x86"])

    def test_root_fails_when_install_does_not_provide_the_tool(self):
        self.stubs(missing=("gdb",), uid=0)
        os.remove(os.path.join(self.bin, "apt-get"))
        write_exe(os.path.join(self.bin, "apt-get"), f"#!/bin/sh\necho \"$*\" >> {self.apt_log}\n")
        rc, _, err = self.deps()
        self.assertEqual(rc, 1)
        self.assertIn("still missing", err)
        self.assertEqual(self.apt_calls(), ["update", "install -y gdb"])


class PyunitCounting(unittest.TestCase):
    SAMPLE = textwrap.dedent("""\
        import unittest

        class A(unittest.TestCase):
            def test_pass(self):
                pass
            def test_fail(self):
                self.assertEqual(1, 2)
            def test_error(self):
                raise RuntimeError("boom")
            @unittest.skip("not here")
            def test_skip(self):
                pass
            def test_subtests(self):
                for i in range(3):
                    with self.subTest(i=i):
                        self.assertNotEqual(i, 1)

        class B(unittest.TestCase):
            @classmethod
            def setUpClass(cls):
                raise RuntimeError("class setup fails")
            def test_never_runs(self):
                pass
        """)

    def run_pyunit(self, files):
        d = tempfile.mkdtemp(prefix="oomlab-pyunit-")
        self.addCleanup(shutil.rmtree, d, True)
        for name, text in files.items():
            with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                f.write(text)
        proc = subprocess.run([sys.executable, os.path.join(TOOLS, "pyunit.py"), d],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
        lines = [l for l in proc.stdout.splitlines() if l.startswith(tiers.SUMMARY_TAG)]
        self.assertEqual(len(lines), 1, proc.stdout)
        return proc.returncode, json.loads(lines[0][len(tiers.SUMMARY_TAG):]), proc.stdout

    def test_counts_pass_fail_error_skip_subtest_and_class_errors(self):
        rc, summary, out = self.run_pyunit({"test_sample.py": self.SAMPLE})
        self.assertEqual(rc, 1)
        self.assertEqual(summary, {"tests": 6, "passed": 1, "failed": 4, "skipped": 1}, out)

    def test_import_error_is_a_failure(self):
        rc, summary, _ = self.run_pyunit({"test_broken.py": "import no_such_module_xyz\n"})
        self.assertEqual(rc, 1)
        self.assertEqual((summary["passed"], summary["failed"]), (0, 1))

    def test_no_tests_is_a_failure(self):
        rc, summary, _ = self.run_pyunit({"helper.py": "X = 1\n"})
        self.assertEqual(rc, 1)
        self.assertEqual(summary["tests"], 0)


class HostTier(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="oomlab-host-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def binary(self, name, script):
        path = os.path.join(self.dir, name)
        write_exe(path, "#!/bin/sh\n" + textwrap.dedent(script))
        return path

    def test_only_executables_are_host_tests(self):
        self.binary("test_a", "exit 0\n")
        with open(os.path.join(self.dir, "test_a.o"), "w") as f:
            f.write("")
        with open(os.path.join(self.dir, "notes.txt"), "w") as f:
            f.write("")
        self.assertEqual([os.path.basename(p) for p in tiers.host_binaries(self.dir)], ["test_a"])

    def run_host(self, script, timeout=30):
        path = self.binary("test_x", script)
        return tiers.run_host_binary(path, REPO, os.path.join(self.dir, "logs"), timeout)

    def test_passing_binary(self):
        res = self.run_host("printf 'KTAP version 1\\n1..2\\nok 1 a\\nok 2 b\\n'\n")
        self.assertTrue(res.ok, res.causes)
        self.assertEqual((res.passed, res.failed), (2, 0))

    def test_failing_case(self):
        res = self.run_host("printf 'KTAP version 1\\n1..2\\n# x.c:3: expected 1\\nnot ok 1 a\\nok 2 b\\n'\n"
                            "exit 1\n")
        self.assertEqual((res.passed, res.failed), (1, 1))
        self.assertEqual(res.cases[0].diagnostics, ["x.c:3: expected 1"])

    def test_crash_without_plan(self):
        res = self.run_host("echo 'AddressSanitizer: SEGV' >&2\nkill -SEGV $$\n")
        self.assertFalse(res.ok)
        self.assertTrue(any("signal 11" in c for c in res.causes), res.causes)
        with open(res.log, encoding="utf-8") as f:
            self.assertIn("AddressSanitizer", f.read())

    def test_crash_mid_run(self):
        res = self.run_host("printf 'KTAP version 1\\n1..3\\nok 1 a\\n'\nkill -ABRT $$\n")
        self.assertEqual((res.passed, res.failed), (1, 1))
        self.assertTrue(any("missing cases: plan said 3, got 1" in c for c in res.causes), res.causes)

    def test_hang_is_killed(self):
        res = self.run_host("printf 'KTAP version 1\\n1..1\\n'\nsleep 600\n", timeout=1)
        self.assertEqual(res.causes[0], "timeout after 1s")


if __name__ == "__main__":
    unittest.main()
