#!/usr/bin/env python3
"""make linux-run [LAB=NAME] [MEM=128M]: boots Debian's own stock kernel
(linux-image-cloud-amd64, fetched with `apt-get download` into build/linux/
and unpacked there, never installed) in QEMU with oomlab's initrd, so the
same static programs (hog, lab, ps...) run on real Linux beside oomlab.
Read first: /bin/linuxinit mounts /proc, /sys, /dev and tracefs, which
oomlab's kernel provides by itself, then becomes /bin/init. Linux has no
oom.* switches: `lab run NAME` runs with fix=as-set and only narrates.
"""
import glob
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tools"))
import lab_session  # noqa: E402
import qemu  # noqa: E402

META = "linux-image-cloud-amd64"  # the generic flavour cannot decompress itself in 64 MiB
LINUX_DIR = os.path.join(REPO, "build", "linux")


class NoPackage(Exception):
    pass


def run(argv, **kw):
    try:
        return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              check=True, timeout=600, **kw).stdout
    except (OSError, subprocess.SubprocessError) as e:
        detail = getattr(e, "stderr", "") or str(e)
        raise NoPackage(f"{' '.join(argv)}: {detail.strip()[-300:]}") from None


def fetch_kernel():
    """The unpacked vmlinuz, fetched once."""
    found = glob.glob(os.path.join(LINUX_DIR, "root", "boot", "vmlinuz-*"))
    if found:
        return sorted(found)[-1]
    deps = run(["apt-cache", "depends", META])
    image = next((line.split()[-1] for line in deps.splitlines()
                  if "Depends:" in line and "linux-image-" in line), None)
    if not image:
        raise NoPackage(f"apt-cache depends {META} names no kernel image")
    os.makedirs(LINUX_DIR, exist_ok=True)
    run(["apt-get", "download", image], cwd=LINUX_DIR)
    debs = glob.glob(os.path.join(LINUX_DIR, image + "_*.deb"))
    if not debs:
        raise NoPackage(f"apt-get download {image} left no .deb in {LINUX_DIR}")
    run(["dpkg-deb", "-x", debs[0], os.path.join(LINUX_DIR, "root")])
    found = glob.glob(os.path.join(LINUX_DIR, "root", "boot", "vmlinuz-*"))
    if not found:
        raise NoPackage(f"{debs[0]} has no boot/vmlinuz-*")
    return found[0]


def main():
    lab = sys.argv[1] if len(sys.argv) > 1 else ""
    mem = os.environ.get("MEM", "128M")
    try:
        vmlinuz = fetch_kernel()
    except NoPackage as e:
        print(f"make linux-run: cannot get Debian's {META}: {e}; stopping.", file=sys.stderr)
        return 2
    initrd = os.path.join(REPO, "build", "initrd.cpio")
    argv = lab_session.interactive_argv(vmlinuz, "console=ttyS0 rdinit=/bin/linuxinit panic=-1",
                                        mem, os.environ.get("ACCEL", "tcg"), initrd)
    print(f"linux-run: {os.path.relpath(vmlinuz, REPO)} at {mem} with build/initrd.cpio"
          + (f"; then `lab run {lab}`" if lab else "") + ". Quit QEMU with Ctrl-A then X.",
          flush=True)
    lab_session.run_interactive(argv, f"lab run {lab}" if lab else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
