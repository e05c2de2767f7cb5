"""Tests for tools/gen_kallsyms.py, the kernel symbol table generator.

Read first: the crafted nm text below mimics a linked kernel (boot code
below _stext, data after _etext, aliases, local labels); the end-to-end
case links the generated table with kernel/kallsyms.c into a host program
and asks it for symbols, so what is tested is what the kernel will see.
Run: python3 -m unittest discover -s tests/host -p 'test_*.py'
"""

import importlib.util
import os
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(ROOT, "tools", "gen_kallsyms.py")

_spec = importlib.util.spec_from_file_location("gen_kallsyms", TOOL)
gen = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gen)

NM_TEXT = """\
0000000000100000 T _start
0000000000100000 0000000000000040 t boot32
ffffffff80101000 T _stext
ffffffff80101000 0000000000000020 t entry_trampoline
ffffffff80101000 0000000000000020 T entry_64
ffffffff80101020 0000000000000100 T start_kernel
ffffffff80101020 0000000000000004 t .Ltmp12
ffffffff80101120 0000000000000010 t $x
ffffffff80101130 0000000000000030 t idle_loop
ffffffff80101160 0000000000000010 W arch_cpu_idle
ffffffff80101170 0000000000000050 t oom_badness.cold
ffffffff801011c0 D _etext
ffffffff801011c0 0000000000000008 r some_rodata
ffffffff80102000 0000000000000004 D jiffies
ffffffff80102000 0000000000000004 b bss_thing
"""

C_DRIVER = r"""
#include <stdio.h>
#include "kernel/kallsyms.h"
#include "kernel/vsprintf.h"
int main(void)
{
	static const unsigned long long probes[] = { 0xffffffff80101000ull, 0xffffffff80101025ull,
		0xffffffff801011bfull, 0xffffffff801011c0ull, 0x100000ull };
	char buf[96];
	printf("num=%u\n", kallsyms_kernel_table.num);
	for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		sprint_symbol_in(&kallsyms_kernel_table, buf, sizeof(buf), probes[i]);
		printf("%s\n", buf);
	}
	printf("%llx\n", (unsigned long long)kallsyms_lookup_name_in(&kallsyms_kernel_table,
								       "idle_loop"));
	return 0;
}
"""


def run_tool(stdin_text, *args):
    return subprocess.run(["python3", TOOL, *args], input=stdin_text, capture_output=True,
                          text=True, check=True).stdout


def have(tool):
    return shutil.which(tool) is not None


class SelectionTest(unittest.TestCase):
    def names(self, text=NM_TEXT):
        return [name for _, _, name in gen.select_symbols(gen.parse_nm(text.splitlines()))]

    def test_keeps_only_text_symbols_inside_stext_etext(self):
        names = self.names()
        self.assertNotIn("_start", names)
        self.assertNotIn("boot32", names)
        self.assertNotIn("some_rodata", names)
        self.assertNotIn("jiffies", names)
        self.assertIn("oom_badness.cold", names)

    def test_skips_local_labels_and_dollar_mapping_symbols(self):
        names = self.names()
        self.assertNotIn(".Ltmp12", names)
        self.assertNotIn("$x", names)

    def test_text_bounds_markers_never_name_a_function(self):
        names = self.names()
        self.assertNotIn("_stext", names)
        self.assertNotIn("_etext", names)

    def test_prefers_global_over_local_at_one_address_then_first_seen(self):
        self.assertEqual(self.names()[0], "entry_64")
        text = ("ffffffff80000000 T _stext\nffffffff80000000 T alpha\n"
                "ffffffff80000000 W beta\nffffffff80000010 T _etext\n")
        self.assertEqual(self.names(text), ["alpha"])

    def test_sizes_run_to_the_next_symbol_and_the_last_to_etext(self):
        syms = gen.select_symbols(gen.parse_nm(NM_TEXT.splitlines()))
        self.assertEqual([name for _, _, name in syms],
                         ["entry_64", "start_kernel", "idle_loop", "arch_cpu_idle",
                          "oom_badness.cold"])
        self.assertEqual([size for _, size, _ in syms], [0x20, 0x110, 0x30, 0x10, 0x50])

    def test_without_bounds_all_text_counts_and_the_last_uses_its_nm_size(self):
        text = ("0000000000001000 0000000000000010 T f\n"
                "0000000000001040 0000000000000024 t g\n"
                "0000000000002000 0000000000000008 D d\n")
        syms = gen.select_symbols(gen.parse_nm(text.splitlines()))
        self.assertEqual(syms, [(0x1000, 0x40, "f"), (0x1040, 0x24, "g")])

    def test_garbage_lines_are_ignored(self):
        text = "\nvmlinux:\nnot hex T x\n" + NM_TEXT
        self.assertEqual(len(self.names(text)), 5)

    def test_odd_names_are_escaped_for_the_assembler(self):
        self.assertEqual(gen.asm_string('a"b\\c'), '"a\\042b\\134c"')
        self.assertEqual(gen.asm_string("caf\u00e9"), '"caf\\303\\251"')


@unittest.skipUnless(have("as") and have("gcc") and have("nm"), "needs binutils and gcc")
class AssemblyTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def assemble(self, source, with_gcc=False):
        src, obj = self.path("k.S"), self.path("k.o")
        with open(src, "w") as f:
            f.write(source)
        if with_gcc:
            subprocess.run(["gcc", "-c", "-x", "assembler-with-cpp", src, "-o", obj], check=True)
        else:
            subprocess.run(["as", "--64", src, "-o", obj], check=True)
        return obj

    def section_size(self, obj):
        out = subprocess.run(["objdump", "-h", obj], capture_output=True, text=True,
                             check=True).stdout
        for line in out.splitlines():
            fields = line.split()
            if len(fields) > 2 and fields[1] == ".rodata.kallsyms":
                return int(fields[2], 16)
        self.fail(".rodata.kallsyms missing:\n" + out)

    def test_empty_input_gives_a_table_with_num_zero_that_assembles(self):
        for args in ([], ["/dev/null"]):
            source = run_tool("", *args)
            self.assertIn("kallsyms_kernel_table:\n\t.long 0\n", source)
            obj = self.assemble(source)
            self.assertEqual(self.section_size(obj), gen.TABLE_HEADER_BYTES + 1)
            self.assemble(source, with_gcc=True)

    def test_output_assembles_and_defines_the_global_table(self):
        source = run_tool(NM_TEXT)
        self.assertIn('.section .note.GNU-stack,"",@progbits', source)
        for with_gcc in (False, True):
            obj = self.assemble(source, with_gcc)
            nm = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
            self.assertRegex(nm, r"\bR kallsyms_kernel_table\b")
        self.assertIn('.asciz "start_kernel"', source)
        self.assertIn('.asciz "oom_badness.cold"', source)
        self.assertIn(".quad 0xffffffff80101130", source)

    def test_table_size_depends_only_on_the_names(self):
        # Same symbols and aliases; every address moved and the gaps widened.
        lines = NM_TEXT.splitlines()
        distinct = sorted({int(line[:16], 16) for line in lines})
        moved = "".join("%016x %s\n" % (int(line[:16], 16) + 0x1000 * (distinct.index(
            int(line[:16], 16)) + 1), line[17:]) for line in lines)
        self.assertNotEqual(run_tool(moved), run_tool(NM_TEXT))
        a = self.section_size(self.assemble(run_tool(NM_TEXT)))
        b = self.section_size(self.assemble(run_tool(moved)))
        self.assertEqual(a, b)

    def test_file_argument_and_output_option(self):
        nm_file, out_file = self.path("nm.txt"), self.path("out.S")
        with open(nm_file, "w") as f:
            f.write(NM_TEXT)
        run_tool("", nm_file, "-o", out_file)
        with open(out_file) as f:
            self.assertEqual(f.read(), run_tool(NM_TEXT))

    def test_real_nm_output_of_an_object_is_understood(self):
        c_file, obj = self.path("f.c"), self.path("f.o")
        with open(c_file, "w") as f:
            f.write("static int helper(int x) { return x * 3; }\n"
                    "int exported(int x) { return helper(x) + 1; }\n"
                    "int table[4];\n")
        subprocess.run(["gcc", "-O0", "-c", c_file, "-o", obj], check=True)
        nm = subprocess.run(["nm", "-n", "-S", "--defined-only", obj], capture_output=True,
                            text=True, check=True).stdout
        names = [n for _, _, n in gen.select_symbols(gen.parse_nm(nm.splitlines()))]
        self.assertEqual(sorted(names), ["exported", "helper"])

    def test_kernel_lookup_code_reads_the_generated_table(self):
        table_obj = self.assemble(run_tool(NM_TEXT))
        driver, exe = self.path("driver.c"), self.path("driver")
        with open(driver, "w") as f:
            f.write(C_DRIVER)
        subprocess.run(["gcc", "-std=gnu11", "-DHOST_TEST", "-I", ROOT, "-no-pie", "-Wall",
                        "-Werror", "-o", exe, driver, os.path.join(ROOT, "kernel/kallsyms.c"),
                        os.path.join(ROOT, "kernel/vsprintf.c"), table_obj], check=True)
        out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
        self.assertEqual(out.splitlines(), [
            "num=5",
            "entry_64+0x0/0x20",
            "start_kernel+0x5/0x110",
            "oom_badness.cold+0x4f/0x50",
            "0xffffffff801011c0",
            "0x0000000000100000",
            "ffffffff80101130",
        ])


if __name__ == "__main__":
    unittest.main()
