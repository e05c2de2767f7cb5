"""Tests for tools/mkbadelf.py, the malformed ELF files for the loader tests.

Read first: the headers are decoded here with this file's own offset table,
not the tool's, so "only the named fields changed" is checked independently.
End to end, kernel/elf_parse.c is built into a host program
(tests/host/elf_check.c) that must refuse each file by exactly the rule the
file names; and goodelf, run on a Linux x86_64 host, must exit 42 while every
badelf-* gets ENOEXEC from Linux too (strictelf-* need oomlab's loader).
Run: python3 -m unittest discover -s tests/host -p 'test_*.py'
"""

import errno
import importlib.util
import os
import platform
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(ROOT, "tools", "mkbadelf.py")

_spec = importlib.util.spec_from_file_location("mkbadelf", TOOL)
mk = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mk)

# Elf64_Ehdr and Elf64_Phdr, field by field: (name, offset, struct code).
EHDR = (("e_type", 16, "H"), ("e_machine", 18, "H"), ("e_version", 20, "I"),
        ("e_entry", 24, "Q"), ("e_phoff", 32, "Q"), ("e_shoff", 40, "Q"),
        ("e_flags", 48, "I"), ("e_ehsize", 52, "H"), ("e_phentsize", 54, "H"),
        ("e_phnum", 56, "H"), ("e_shentsize", 58, "H"), ("e_shnum", 60, "H"),
        ("e_shstrndx", 62, "H"))
PHDR = (("p_type", 0, "I"), ("p_flags", 4, "I"), ("p_offset", 8, "Q"), ("p_vaddr", 16, "Q"),
        ("p_paddr", 24, "Q"), ("p_filesz", 32, "Q"), ("p_memsz", 40, "Q"),
        ("p_align", 48, "Q"))
EHDR_SIZE, PHDR_SIZE = 64, 56
GOOD_PHNUM = 4
PT_LOAD, PF_X = 1, 1
PAGE = 4096
EXIT_STATUS = 42


def decode(image, phnum=GOOD_PHNUM, phoff=EHDR_SIZE):
    """{field: value} of e_ident bytes, the ELF header and phnum program
    headers at phoff (goodelf's table position unless told otherwise)."""
    fields = {("e_ident", i): image[i] for i in range(16)}
    for name, offset, code in EHDR:
        fields[(name, None)] = struct.unpack_from("<" + code, image, offset)[0]
    for index in range(phnum):
        for name, offset, code in PHDR:
            at = phoff + index * PHDR_SIZE + offset
            fields[(name, index)] = struct.unpack_from("<" + code, image, at)[0]
    return fields


def byte_span(field):
    name, index = field
    if name == "e_ident":
        return index, index + 1
    for table, base in ((EHDR, 0), (PHDR, EHDR_SIZE + (index or 0) * PHDR_SIZE)):
        for n, offset, code in table:
            if n == name:
                start = base + offset
                return start, start + struct.calcsize("<" + code)
    raise KeyError(name)


def have(tool):
    return shutil.which(tool) is not None


def on_linux_x86_64():
    return sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64")


class Files(unittest.TestCase):
    """What the tool writes, and that each file differs from goodelf only
    where its case says."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        subprocess.run([sys.executable, TOOL, cls.tmp.name], check=True)
        cls.dir = cls.tmp.name
        with open(os.path.join(cls.dir, "goodelf"), "rb") as f:
            cls.good = f.read()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def read(self, name):
        with open(os.path.join(self.dir, name), "rb") as f:
            return f.read()

    def test_writes_goodelf_and_one_file_per_case_all_executable(self):
        names = sorted(os.listdir(self.dir))
        self.assertEqual(names, sorted(["goodelf", mk.HUGE_BSS] + [c.name for c in mk.CASES]))
        for name in names:
            self.assertTrue(name.startswith(("goodelf", "badelf-", "strictelf-")), name)
            mode = os.stat(os.path.join(self.dir, name)).st_mode
            self.assertTrue(mode & stat.S_IXUSR and mode & stat.S_IXOTH, name)

    def test_every_parser_rule_but_ok_has_a_file(self):
        rules = {c.rule for c in mk.CASES}
        with open(os.path.join(ROOT, "kernel", "elf_parse.c")) as f:
            source = f.read()
        named = set()
        for line in source.splitlines():
            if "[ELF_ERR_" in line and '= "' in line:
                named.add(line.split('"')[1])
        self.assertTrue(named)
        self.assertEqual(named - rules, set())

    def test_goodelf_is_a_sound_static_executable(self):
        f = decode(self.good)
        self.assertEqual(self.good[:4], b"\x7fELF")
        self.assertEqual((f[("e_ident", 4)], f[("e_ident", 5)], f[("e_ident", 6)]), (2, 1, 1))
        self.assertEqual((f[("e_type", None)], f[("e_machine", None)]), (2, 62))
        self.assertEqual((f[("e_ehsize", None)], f[("e_phentsize", None)]), (64, 56))
        self.assertEqual(f[("e_phnum", None)], GOOD_PHNUM)
        loads = [i for i in range(GOOD_PHNUM) if f[("p_type", i)] == PT_LOAD]
        self.assertEqual(len(loads), 3)
        end = 0
        for i in loads:
            vaddr, offset = f[("p_vaddr", i)], f[("p_offset", i)]
            self.assertEqual(vaddr % PAGE, offset % PAGE)
            self.assertGreaterEqual(vaddr, max(end, 0x10000))
            self.assertLessEqual(f[("p_filesz", i)], f[("p_memsz", i)])
            self.assertLessEqual(offset + f[("p_filesz", i)], len(self.good))
            end = -(-(vaddr + f[("p_memsz", i)]) // PAGE) * PAGE
        entry = f[("e_entry", None)]
        self.assertTrue(any(f[("p_flags", i)] & PF_X and
                            0 <= entry - f[("p_vaddr", i)] < f[("p_filesz", i)]
                            for i in loads))

    def test_each_case_changes_only_its_own_fields(self):
        for case in mk.CASES:
            if case.size is not None:
                continue
            with self.subTest(case=case.name):
                bad = self.read(case.name)
                self.assertEqual(len(bad), len(self.good))
                before, after = decode(self.good), decode(bad)
                changed = {k for k in before if before[k] != after[k]}
                patched = {(name, index) for name, index, _ in case.patches}
                self.assertEqual(changed, patched)
                for name, index, value in case.patches:
                    self.assertEqual(after[(name, index)], value, name)
                # Outside the patched fields, only the case's extra bytes differ.
                allowed = set()
                for field in patched:
                    allowed.update(range(*byte_span(field)))
                for offset, data in case.data:
                    allowed.update(range(offset, offset + len(data)))
                    self.assertEqual(bad[offset:offset + len(data)], data)
                diff = {i for i in range(len(bad)) if bad[i] != self.good[i]}
                self.assertLessEqual(diff, allowed)

    def test_truncated_is_a_prefix_of_goodelf(self):
        truncated = [c for c in mk.CASES if c.size is not None]
        self.assertTrue(truncated)
        for case in truncated:
            bad = self.read(case.name)
            self.assertLess(len(bad), EHDR_SIZE)
            self.assertEqual(bad, self.good[:len(bad)])

    def test_too_many_loads_holds_valid_extra_segments(self):
        bad = self.read("strictelf-too-many-loads")
        phnum = decode(bad)[("e_phnum", None)]
        f = decode(bad, phnum)
        loads = [i for i in range(phnum) if f[("p_type", i)] == PT_LOAD]
        self.assertEqual(len(loads), mk.MAX_LOAD_SEGMENTS + 1)
        vaddrs = [f[("p_vaddr", i)] for i in loads]
        self.assertEqual(vaddrs, sorted(vaddrs))

    def test_list_names_every_file(self):
        out = subprocess.run([sys.executable, TOOL, "--list"], capture_output=True, text=True,
                             check=True).stdout
        listed = [line.split()[0] for line in out.splitlines()]
        self.assertEqual(sorted(listed), sorted(os.listdir(self.dir)))

    def test_no_outdir_is_a_usage_error(self):
        proc = subprocess.run([sys.executable, TOOL], capture_output=True, text=True)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("OUTDIR", proc.stderr)


@unittest.skipUnless(have("gcc"), "needs gcc")
class Parser(unittest.TestCase):
    """kernel/elf_parse.c itself judges the files."""

    def test_parser_refuses_each_file_by_the_rule_it_names(self):
        with tempfile.TemporaryDirectory() as tmp:
            checker = os.path.join(tmp, "elf_check")
            subprocess.run(["gcc", "-std=gnu11", "-DHOST_TEST", "-I", ROOT, "-O1", "-g",
                            "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                            "-Wall", "-Wextra", "-Werror", "-o", checker,
                            os.path.join(ROOT, "tests", "host", "elf_check.c"),
                            os.path.join(ROOT, "kernel", "elf_parse.c")], check=True)
            files = os.path.join(tmp, "files")
            subprocess.run([sys.executable, TOOL, files], check=True)
            names = sorted(os.listdir(files))
            out = subprocess.run([checker] + [os.path.join(files, n) for n in names],
                                 capture_output=True, text=True, check=True).stdout
        verdicts = dict(line.rsplit(": ", 1) for line in out.splitlines())
        verdicts = {os.path.basename(path): rule for path, rule in verdicts.items()}
        expected = {c.name: c.rule for c in mk.CASES}
        expected["goodelf"] = "ok"
        expected[mk.HUGE_BSS] = "ok"
        self.assertEqual(verdicts, expected)


@unittest.skipUnless(on_linux_x86_64(), "needs a Linux x86_64 host")
class OnLinux(unittest.TestCase):
    """The host kernel agrees: goodelf runs, every badelf-* is ENOEXEC."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        subprocess.run([sys.executable, TOOL, cls.tmp.name], check=True)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def execute(self, name):
        path = os.path.join(self.tmp.name, name)
        try:
            return subprocess.run([path], capture_output=True, timeout=10).returncode
        except PermissionError:
            self.skipTest("cannot execute files in %s (noexec?)" % self.tmp.name)

    def test_goodelf_runs_and_exits_42(self):
        self.assertEqual(self.execute("goodelf"), EXIT_STATUS)

    def test_hugebss_runs_on_linux_whose_bss_is_lazy(self):
        self.assertEqual(self.execute(mk.HUGE_BSS), EXIT_STATUS)

    def test_linux_refuses_every_badelf_with_enoexec(self):
        self.execute("goodelf")  # skips here if nothing can run
        for case in mk.CASES:
            if not case.name.startswith("badelf-"):
                continue
            with self.subTest(case=case.name):
                with self.assertRaises(OSError) as caught:
                    self.execute(case.name)
                self.assertEqual(caught.exception.errno, errno.ENOEXEC)


if __name__ == "__main__":
    unittest.main()
