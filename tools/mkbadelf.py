#!/usr/bin/env python3
"""Writes malformed static ELF64 executables, one per rule of the kernel's
ELF parser (kernel/elf_parse.c), and one well-formed control, into OUTDIR.

Read first: every file is the same tiny, runnable program, goodelf (it exits
with status 42 only if its data was loaded and its bss zeroed), with one rule
broken, nearly always by changing one or two header fields. Two prefixes:
badelf-<case> is refused with ENOEXEC by Linux too, strictelf-<case> only by
oomlab's stricter loader (Linux maps it and it crashes, or even runs). In the
initrd they live in /test/ (tools/initrd.mk, user/user.mk): usertests exec
goodelf expecting exit status 42, and every badelf-* (and with -s every
strictelf-*) expecting ENOEXEC; on a Linux host it runs without -s.

Usage: mkbadelf.py OUTDIR      write goodelf, goodelf-hugebss, every badelf-*
                               and strictelf-*
       mkbadelf.py --list      one line per file: name, parser rule, what
"""
from __future__ import annotations

import argparse
import os
import struct
import sys
from typing import Dict, List, NamedTuple, Optional, Tuple

# ELF64 layouts (little-endian), as in kernel/elf.h: (field, struct code).
EHDR_LAYOUT = (("e_ident", "16s"), ("e_type", "H"), ("e_machine", "H"), ("e_version", "I"),
               ("e_entry", "Q"), ("e_phoff", "Q"), ("e_shoff", "Q"), ("e_flags", "I"),
               ("e_ehsize", "H"), ("e_phentsize", "H"), ("e_phnum", "H"),
               ("e_shentsize", "H"), ("e_shnum", "H"), ("e_shstrndx", "H"))
PHDR_LAYOUT = (("p_type", "I"), ("p_flags", "I"), ("p_offset", "Q"), ("p_vaddr", "Q"),
               ("p_paddr", "Q"), ("p_filesz", "Q"), ("p_memsz", "Q"), ("p_align", "Q"))
EHDR_FORMAT = "<" + "".join(code for _, code in EHDR_LAYOUT)
PHDR_FORMAT = "<" + "".join(code for _, code in PHDR_LAYOUT)
EHDR_SIZE = struct.calcsize(EHDR_FORMAT)  # 64
PHDR_SIZE = struct.calcsize(PHDR_FORMAT)  # 56

EI_CLASS, EI_DATA, EI_VERSION = 4, 5, 6
ELFCLASS32, ELFCLASS64 = 1, 2
ELFDATA2LSB, ELFDATA2MSB = 1, 2
EV_CURRENT = 1
ET_REL, ET_EXEC, ET_DYN = 1, 2, 3
EM_386, EM_X86_64 = 3, 62
PT_NULL, PT_LOAD, PT_INTERP, PT_GNU_STACK = 0, 1, 3, 0x6474E551
PF_X, PF_W, PF_R = 1, 2, 4
PN_XNUM = 0xFFFF

PAGE = 0x1000
U64 = 1 << 64
TASK_SIZE_MAX = (1 << 47) - PAGE  # the parser's ELF_TASK_SIZE_MAX
MAX_LOAD_SEGMENTS = 16  # the parser's ELF_MAX_LOAD_SEGMENTS

# goodelf's layout: a read-only page of headers, text, then data with bss.
BASE_VADDR = 0x400000
TEXT_OFFSET, TEXT_VADDR = 0x1000, 0x401000
DATA_OFFSET, DATA_VADDR = 0x2000, 0x402000
DATA_VALUE = 40  # the u64 in .data; the u64 after it is bss
DATA_FILESZ, DATA_MEMSZ = 8, PAGE
EXIT_STATUS = 42
PH_HEADERS, PH_TEXT, PH_DATA, PH_STACK = range(4)
PHNUM = 4
HEADERS_SIZE = EHDR_SIZE + PHNUM * PHDR_SIZE

# exit_group(data + bss + 2): 42 only if .data came from the file and the
# bss is zero.
TEXT = bytes.fromhex(
    "488b3c25" + struct.pack("<I", DATA_VADDR).hex()        # mov rdi, [data]
    + "48033c25" + struct.pack("<I", DATA_VADDR + 8).hex()  # add rdi, [bss]
    + "4883c7%02x" % (EXIT_STATUS - DATA_VALUE)             # add rdi, 2
    + "b8e7000000"                                          # mov eax, 231
    + "0f05"                                                # syscall
    + "0f0b")                                               # ud2


def pack_phdr(p_type: int, flags: int, offset: int, vaddr: int, filesz: int,
              memsz: int) -> bytes:
    return struct.pack(PHDR_FORMAT, p_type, flags, offset, vaddr, vaddr, filesz, memsz, PAGE)


def good_image() -> bytearray:
    """The control: a complete static executable that exits 42."""
    ident = b"\x7fELF" + bytes([ELFCLASS64, ELFDATA2LSB, EV_CURRENT]) + bytes(9)
    image = bytearray(DATA_OFFSET + DATA_FILESZ)
    image[:EHDR_SIZE] = struct.pack(EHDR_FORMAT, ident, ET_EXEC, EM_X86_64, EV_CURRENT,
                                    TEXT_VADDR, EHDR_SIZE, 0, 0, EHDR_SIZE, PHDR_SIZE, PHNUM,
                                    0, 0, 0)
    phdrs = [
        pack_phdr(PT_LOAD, PF_R, 0, BASE_VADDR, HEADERS_SIZE, HEADERS_SIZE),
        pack_phdr(PT_LOAD, PF_R | PF_X, TEXT_OFFSET, TEXT_VADDR, len(TEXT), len(TEXT)),
        pack_phdr(PT_LOAD, PF_R | PF_W, DATA_OFFSET, DATA_VADDR, DATA_FILESZ, DATA_MEMSZ),
        pack_phdr(PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0),
    ]
    image[EHDR_SIZE:HEADERS_SIZE] = b"".join(phdrs)
    image[TEXT_OFFSET:TEXT_OFFSET + len(TEXT)] = TEXT
    image[DATA_OFFSET:DATA_OFFSET + DATA_FILESZ] = struct.pack("<Q", DATA_VALUE)
    return image


# ---- patching named fields -------------------------------------------------

# A patch: ("e_type", None, value) in the ELF header, ("p_vaddr", 2, value)
# in program header 2, ("e_ident", EI_CLASS, value) one byte of e_ident.
Patch = Tuple[str, Optional[int], int]


def field_span(name: str, index: Optional[int]) -> Tuple[int, str]:
    """(file offset, struct format) of a field of goodelf's headers."""
    if name == "e_ident":
        return index, "<B"
    layout, base = EHDR_LAYOUT, 0
    if name.startswith("p_"):
        layout, base = PHDR_LAYOUT, EHDR_SIZE + index * PHDR_SIZE
    offset = 0
    for field, code in layout:
        if field == name:
            return base + offset, "<" + code
        offset += struct.calcsize("<" + code)
    raise KeyError(name)


def apply_patches(image: bytearray, patches: Tuple[Patch, ...]) -> None:
    for name, index, value in patches:
        offset, fmt = field_span(name, index)
        struct.pack_into(fmt, image, offset, value)


class Case(NamedTuple):
    name: str  # the file's name: badelf-<case> or strictelf-<case>
    rule: str  # elf_error_name() of the rule the parser must report
    what: str
    patches: Tuple[Patch, ...] = ()
    data: Tuple[Tuple[int, bytes], ...] = ()  # (file offset, bytes) written too
    size: Optional[int] = None  # truncate the file to this many bytes


def bad(case: str, *args, **kw) -> Case:
    """Refused by Linux as well (stable across versions: header checks)."""
    return Case(BAD_PREFIX + case, *args, **kw)


def strict(case: str, *args, **kw) -> Case:
    """Refused by oomlab only."""
    return Case(STRICT_PREFIX + case, *args, **kw)


def e(name: str, value: int) -> Patch:
    return (name, None, value)


def p(index: int, name: str, value: int) -> Patch:
    return (name, index, value)


def ident(index: int, value: int) -> Patch:
    return ("e_ident", index, value)


def extra_load_phdrs(count: int) -> bytes:
    """Valid one-page PT_LOADs above the data (mapping the header page)."""
    first = DATA_VADDR + DATA_MEMSZ + PAGE
    return b"".join(pack_phdr(PT_LOAD, PF_R, 0, first + i * PAGE, EHDR_SIZE, EHDR_SIZE)
                    for i in range(count))


CONTROL = "goodelf"
BAD_PREFIX = "badelf-"
STRICT_PREFIX = "strictelf-"
SIZE = DATA_OFFSET + DATA_FILESZ
INTERP = b"/lib/ld-oomlab.so.1\0"  # no such file on Linux either: ENOENT there
INTERP_OFFSET = 0x200  # in the header page, after the program headers
EXTRA_LOADS = MAX_LOAD_SEGMENTS + 1 - 3  # goodelf has 3

CASES: List[Case] = [
    bad("truncated", "truncated", "the file ends inside the ELF header", size=40),
    bad("magic", "magic", "\\177ELG instead of \\177ELF", (ident(3, ord("G")),)),
    bad("type-rel", "type", "ET_REL, an object file", (e("e_type", ET_REL),)),
    bad("machine", "machine", "EM_386", (e("e_machine", EM_386),)),
    bad("phentsize", "phentsize", "e_phentsize 32 (Elf32_Phdr's)", (e("e_phentsize", 32),)),
    bad("phnum-zero", "phnum", "no program headers", (e("e_phnum", 0),)),
    bad("phnum-huge", "phnum", "e_phnum PN_XNUM (65535)", (e("e_phnum", PN_XNUM),)),
    bad("phdrs-past-eof", "phdrs-past-eof", "the program header table runs past the end",
        (e("e_phoff", SIZE - PHDR_SIZE),)),
    strict("class32", "class", "ELFCLASS32", (ident(EI_CLASS, ELFCLASS32),)),
    strict("bigendian", "data", "ELFDATA2MSB", (ident(EI_DATA, ELFDATA2MSB),)),
    strict("ident-version", "version", "e_ident[EI_VERSION] 0", (ident(EI_VERSION, 0),)),
    strict("version", "version", "e_version 0", (e("e_version", 0),)),
    strict("type-dyn", "type", "ET_DYN (PIE): only ET_EXEC is loaded", (e("e_type", ET_DYN),)),
    strict("ehsize", "ehsize", "e_ehsize 52 (Elf32_Ehdr's)", (e("e_ehsize", 52),)),
    strict("interp", "interp", "PT_INTERP: asks for a dynamic linker",
           (p(PH_STACK, "p_type", PT_INTERP), p(PH_STACK, "p_offset", INTERP_OFFSET),
            p(PH_STACK, "p_filesz", len(INTERP))), data=((INTERP_OFFSET, INTERP),)),
    strict("too-many-loads", "too-many-loads",
           "%d PT_LOADs, %d allowed" % (MAX_LOAD_SEGMENTS + 1, MAX_LOAD_SEGMENTS),
           (e("e_phnum", PHNUM + EXTRA_LOADS),),
           data=((HEADERS_SIZE, extra_load_phdrs(EXTRA_LOADS)),)),
    strict("filesz-gt-memsz", "filesz-gt-memsz", "headers segment: p_filesz > p_memsz",
           (p(PH_HEADERS, "p_memsz", HEADERS_SIZE - 1),)),
    strict("empty-segment", "empty-segment", "data segment of p_memsz 0",
           (p(PH_DATA, "p_filesz", 0), p(PH_DATA, "p_memsz", 0))),
    strict("segment-past-eof", "segment-past-eof", "data segment's file bytes run past the end",
           (p(PH_DATA, "p_filesz", 2 * DATA_FILESZ),)),
    strict("offset-wraps", "segment-past-eof", "p_offset + p_filesz wraps past 2^64",
           (p(PH_DATA, "p_offset", U64 - PAGE), p(PH_DATA, "p_filesz", PAGE + DATA_FILESZ),
            p(PH_DATA, "p_memsz", 2 * PAGE))),
    strict("low-address", "segment-low", "headers segment at address 0 (the NULL page)",
           (p(PH_HEADERS, "p_vaddr", 0),)),
    strict("kernel-address", "segment-not-user", "data segment in the kernel half",
           (p(PH_DATA, "p_vaddr", 0xFFFFFFFF80000000 + DATA_VADDR),)),
    strict("guard-page", "segment-not-user", "data segment in the page below the hole",
           (p(PH_DATA, "p_vaddr", TASK_SIZE_MAX),)),
    strict("wraps", "segment-not-user", "p_vaddr + p_memsz wraps past 2^64",
           (p(PH_DATA, "p_memsz", U64 - PAGE),)),
    strict("misaligned", "segment-misaligned", "text's p_offset and p_vaddr differ mod 4096",
           (p(PH_TEXT, "p_offset", TEXT_OFFSET + 0x10),)),
    strict("overlap", "segments-overlap", "data segment on top of the text",
           (p(PH_DATA, "p_vaddr", TEXT_VADDR),)),
    strict("unsorted", "segments-overlap", "PT_LOADs not in address order",
           (p(PH_HEADERS, "p_vaddr", DATA_VADDR + DATA_MEMSZ),)),
    strict("no-load", "no-load", "no PT_LOAD at all",
           (p(PH_HEADERS, "p_type", PT_NULL), p(PH_TEXT, "p_type", PT_NULL),
            p(PH_DATA, "p_type", PT_NULL))),
    strict("entry-not-exec", "entry", "e_entry in the data segment (not PF_X)",
           (e("e_entry", DATA_VADDR),)),
    strict("entry-outside", "entry", "e_entry in no segment", (e("e_entry", 0x300000),)),
]


def build(case: Case) -> bytes:
    image = good_image()
    for offset, data in case.data:
        image[offset:offset + len(data)] = data
    apply_patches(image, case.patches)
    if case.size is not None:
        del image[case.size:]
    return bytes(image)


# Well-formed too, and exits 42 on Linux, whose exec maps .bss lazily; but
# oomlab's exec fills every anonymous page of a segment after the point of no
# return, so a .bss larger than the guest's RAM runs out of memory there and
# the exec must end in SIGKILL with nothing leaked (issue 16, defect 3).
HUGE_BSS = "goodelf-hugebss"
HUGE_BSS_MEMSZ = 1 << 30


def huge_bss_image() -> bytes:
    image = good_image()
    apply_patches(image, (p(PH_DATA, "p_memsz", HUGE_BSS_MEMSZ),))
    return bytes(image)


def files() -> Dict[str, bytes]:
    """Every file mkbadelf writes, by name."""
    out = {CONTROL: bytes(good_image()), HUGE_BSS: huge_bss_image()}
    for case in CASES:
        out[case.name] = build(case)
    return out


def write_all(outdir: str) -> List[str]:
    os.makedirs(outdir, exist_ok=True)
    written = []
    for name, data in files().items():
        path = os.path.join(outdir, name)
        with open(path, "wb") as f:
            f.write(data)
        # Executable: without x permission exec fails with EACCES, not ENOEXEC.
        os.chmod(path, 0o755)
        written.append(path)
    return written


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", nargs="?", help="directory to write the files into")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    args = ap.parse_args(argv)
    if args.list:
        print("%-26s %-18s %s" % (CONTROL, "ok", "well-formed; exits %d" % EXIT_STATUS))
        print("%-26s %-18s %s" % (HUGE_BSS, "ok", "goodelf with a 1 GiB .bss"))
        for case in CASES:
            print("%-26s %-18s %s" % (case.name, case.rule, case.what))
        return 0
    if not args.outdir:
        ap.error("give OUTDIR (or --list)")
    write_all(args.outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
