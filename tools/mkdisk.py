#!/usr/bin/env python3
"""Builds oomlab's disk: an ext2 image (Debian's mke2fs -d) holding the user
programs at /bin and the lab data at /data, attached as virtio disk vda
and mounted at /mnt. Read first: the data files are generated here, never
committed, and their shapes are a contract with the tests: a sparse file
whose last bytes need triple-indirect blocks, a file big enough for
double-indirect ones (1 KiB blocks: past 268 KiB), a directory tree, and
a 40 MiB file of real data (every block on the disk) for reclaim to drop.

Usage: mkdisk.py -o IMAGE --root DIR [--bin PROGRAM]...
(DIR is rebuilt from scratch: the tree mke2fs copies, and the host's view
that tests compare the guest's against.)
"""
import argparse
import os
import random
import shutil
import subprocess
import sys

BLOCK_SIZE = 1024  # the smallest: indirect blocks are reached soonest
IMAGE_KIB = 64 * 1024  # the 40 MiB file, the programs, and room to spare
# Sizes chosen by where ext2's block map changes level with 1 KiB blocks:
# 12 direct, 256 single-indirect, 65536 double-indirect blocks.
DOUBLE_INDIRECT_SIZE = 300 * 1024 + 77
SPARSE_SIZE = 70 * 1024 * 1024 + 5  # past 12+256+65536 blocks: triple indirect
SPARSE_CHUNKS = ((0, b"sparse head\n"), (200 * 1024, b"in the single-indirect range\n"),
                 (5 * 1024 * 1024, b"in the double-indirect range\n"),
                 (SPARSE_SIZE - 5, b"tail\n"))
HELLO_TEXT = b"hello from the disk\n"
CACHE_FILE_SIZE = 40 * 1024 * 1024  # issue 15's acceptance: cat it, then a 40 MiB hog
CACHE_FILE_SEED = 40


def pattern(size: int, seed: int) -> bytes:
    """Bytes no two blocks of which are alike (a xorshift stream)."""
    out = bytearray(size)
    x = seed
    for i in range(size):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out[i] = x & 0xFF
    return bytes(out)


def random_bytes(size: int, seed: int) -> bytes:
    """Reproducible bytes, fast enough for tens of MiB (pattern() is not)."""
    return random.Random(seed).randbytes(size)


def write(path: str, data: bytes, mode: int = 0o644) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def make_tree(root: str, bins) -> None:
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(root)
    for b in bins:
        dst = os.path.join(root, "bin", os.path.basename(b))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(b, dst)
        os.chmod(dst, 0o755)
    data = os.path.join(root, "data")
    write(os.path.join(data, "hello.txt"), HELLO_TEXT)
    write(os.path.join(data, "empty"), b"")
    write(os.path.join(data, "small.bin"), pattern(5000, 7))
    write(os.path.join(data, "big.bin"), pattern(DOUBLE_INDIRECT_SIZE, 11))
    write(os.path.join(data, "cache40.bin"), random_bytes(CACHE_FILE_SIZE, CACHE_FILE_SEED))
    with open(os.path.join(data, "sparse.bin"), "wb") as f:
        for off, chunk in SPARSE_CHUNKS:
            f.seek(off)
            f.write(chunk)
    deep = os.path.join(data, "a", "b", "c")
    write(os.path.join(deep, "deep.txt"), b"three levels down\n")
    many = os.path.join(data, "many")
    for i in range(120):  # several directory blocks
        write(os.path.join(many, f"file-with-a-longish-name-{i:03d}"), f"{i}\n".encode())
    os.symlink("hello.txt", os.path.join(data, "link-to-hello"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--bin", action="append", default=[])
    args = ap.parse_args()
    make_tree(args.root, args.bin)
    tmp = args.output + ".tmp"
    if os.path.exists(tmp):
        os.unlink(tmp)
    # No resize inode: a read-only image never grows, and without its
    # reserved GDT blocks all of group 0's metadata stays in the first
    # 256 KiB, which the ext2 suite's corruption tests copy.
    cmd = ["mke2fs", "-q", "-F", "-t", "ext2", "-b", str(BLOCK_SIZE), "-O", "^resize_inode",
           "-L", "oomlab",
           "-d", args.root, tmp, f"{IMAGE_KIB}k"]
    env = dict(os.environ, E2FSPROGS_FAKE_TIME=os.environ.get("SOURCE_DATE_EPOCH", "0"))
    try:
        subprocess.run(cmd, check=True, env=env)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"mkdisk.py: {' '.join(cmd)}: {e}", file=sys.stderr)
        return 1
    os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
