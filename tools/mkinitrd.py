#!/usr/bin/env python3
"""Writes oomlab's initrd: a newc cpio archive (Linux's initramfs format)
holding the user programs at /bin/NAME, test files at /test/NAME, the
fixtures the kernel's vfs suites read under /test/vfs, and the skeleton
directories and device nodes (/dev/console, /dev/null, /proc, /etc).

Read first: the archive is reproducible (sorted, fixed inode numbers,
mtime from SOURCE_DATE_EPOCH or 0), and the fixture contents are a
contract with tests/kernel/vfs_test.c: change one, change the other.

Usage: mkinitrd.py -o OUT [--bin PROGRAM]... [--test-dir DIR]...
"""
import argparse
import os
import stat
import sys

NEWC_MAGIC = b"070701"
TRAILER = "TRAILER!!!"
ALIGN = 4

# Device numbers, as Linux's (5:1 console, 1:3 null).
CONSOLE_DEV = (5, 1)
NULL_DEV = (1, 3)

# The vfs suite's fixtures (see tests/kernel/vfs_test.c).
HELLO_TEXT = b"hello, initramfs\n"
PATTERN_SIZE = 3 * 4096 + 123


def pattern_byte(i):
    """Byte i of /test/vfs/pattern.bin: differs between pages, so a read
    from the wrong page or offset shows."""
    return (i * 7 + (i >> 8) * 13 + (i >> 12) * 101) & 0xFF


def pattern_bytes():
    return bytes(pattern_byte(i) for i in range(PATTERN_SIZE))


class Archive:
    """Entries by path; directories implied by a path are added."""

    def __init__(self):
        self.entries = {}  # path -> (mode, data bytes, (rdevmajor, rdevminor))

    def add_dir(self, path, perm=0o755):
        path = path.strip("/")
        if not path:
            return
        parent = os.path.dirname(path)
        if parent:
            self.add_dir(parent)
        old = self.entries.get(path)
        if old and not stat.S_ISDIR(old[0]):
            raise SystemExit(f"mkinitrd: {path} is both a directory and a file")
        if not old:
            self.entries[path] = (stat.S_IFDIR | perm, b"", (0, 0))

    def add_file(self, path, data, perm=0o644, kind=stat.S_IFREG, rdev=(0, 0)):
        path = path.strip("/")
        if path in self.entries:
            raise SystemExit(f"mkinitrd: {path} given twice")
        self.add_dir(os.path.dirname(path))
        self.entries[path] = (kind | perm, data, rdev)

    def add_symlink(self, path, target):
        self.add_file(path, target.encode(), 0o777, stat.S_IFLNK)

    def add_node(self, path, perm, rdev):
        self.add_file(path, b"", perm, stat.S_IFCHR, rdev)

    def write(self, out, mtime):
        chunks = []
        for ino, path in enumerate(sorted(self.entries), start=1):
            mode, data, rdev = self.entries[path]
            nlink = 2 if stat.S_ISDIR(mode) else 1
            chunks.append(entry(path, ino, mode, nlink, mtime, data, rdev))
        chunks.append(entry(TRAILER, 0, 0, 1, 0, b"", (0, 0)))
        with open(out, "wb") as f:
            f.write(b"".join(chunks))


def pad(n):
    return b"\0" * (-n % ALIGN)


def entry(name, ino, mode, nlink, mtime, data, rdev):
    """One newc record: header, name, padding, data, padding."""
    name_bytes = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, nlink, mtime, len(data), 0, 0, rdev[0], rdev[1],
              len(name_bytes), 0]
    header = NEWC_MAGIC + b"".join(b"%08X" % v for v in fields)
    head = header + name_bytes
    return head + pad(len(head)) + data + pad(len(data))


def add_skeleton(a):
    for d in ("bin", "etc", "mnt", "proc", "test"):
        a.add_dir(d)
    a.add_dir("dev")
    a.add_node("dev/console", 0o600, CONSOLE_DEV)
    a.add_node("dev/null", 0o666, NULL_DEV)
    a.add_file("etc/hostname", b"oomlab\n")


def add_vfs_fixtures(a):
    a.add_file("test/vfs/hello.txt", HELLO_TEXT)
    a.add_file("test/vfs/empty", b"")
    a.add_file("test/vfs/pattern.bin", pattern_bytes())
    a.add_file("test/vfs/dir/a", b"a\n")
    a.add_file("test/vfs/dir/b", b"bb\n")
    a.add_file("test/vfs/dir/sub/c", b"ccc\n")
    a.add_symlink("test/vfs/link", "hello.txt")
    a.add_symlink("test/vfs/abslink", "/test/vfs/dir")
    a.add_symlink("test/vfs/loop", "loop")


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--bin", action="append", default=[], metavar="PROGRAM",
                   help="a user program, placed at /bin/<its name>")
    p.add_argument("--test-dir", action="append", default=[], metavar="DIR",
                   help="every regular file of DIR (dot files aside) at /test/<name>")
    args = p.parse_args(argv)

    a = Archive()
    add_skeleton(a)
    add_vfs_fixtures(a)
    for prog in args.bin:
        a.add_file("bin/" + os.path.basename(prog), read_file(prog), 0o755)
    for d in args.test_dir:
        for name in sorted(os.listdir(d)):
            path = os.path.join(d, name)
            if name.startswith(".") or not os.path.isfile(path):
                continue
            a.add_file("test/" + name, read_file(path), stat.S_IMODE(os.stat(path).st_mode))
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    tmp = args.output + ".tmp"
    a.write(tmp, mtime)
    os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
