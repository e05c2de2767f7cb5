#!/usr/bin/env python3
"""Benchmarks (never pass/fail): wall time from QEMU start to the first
KTAP line with a direct -kernel boot, and to the monitor prompt through the
GRUB ISO. Prints medians over a few runs."""
import os
import statistics
import subprocess
import sys
import time

RUNS = 5
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
BASE = ["-m", "128M", "-cpu", "max", "-accel", "tcg", "-display", "none",
        "-monitor", "none", "-serial", "stdio", "-no-reboot",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def time_until(args, marker, timeout=60.0):
    start = time.monotonic()
    proc = subprocess.Popen([QEMU] + BASE + args, stdout=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seen = b""
    try:
        while time.monotonic() - start < timeout:
            chunk = proc.stdout.read1(4096)
            if not chunk:
                break
            seen += chunk
            if marker in seen:
                return time.monotonic() - start
        return None
    finally:
        proc.kill()
        proc.wait()


def report(name, args, marker):
    samples = [t for t in (time_until(args, marker) for _ in range(RUNS)) if t is not None]
    if not samples:
        print(f"{name:40s} FAILED (marker {marker!r} never seen)")
        return False
    print(f"{name:40s} median {statistics.median(samples) * 1000:8.1f} ms "
          f"(min {min(samples) * 1000:.1f}, {len(samples)} runs)")
    return True


def main():
    ok = report("boot to first KTAP line (-kernel, TCG)",
                ["-kernel", "build/oomlab.elf", "-append", "ktest=time"], b"KTAP version 1")
    ok &= report("boot to monitor prompt (GRUB ISO, TCG)",
                 ["-cdrom", "build/oomlab.iso"], b"oomlab> ")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
