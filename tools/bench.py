#!/usr/bin/env python3
"""Benchmarks (never pass/fail): wall time from QEMU start to the first
KTAP line with a direct -kernel boot, and to the user shell's prompt through
the GRUB ISO; then one table of page allocator costs, cycles per alloc+free
pair, from the kernel (the harness-only suite bench_page_alloc, rdtsc under
QEMU) and from the same allocator built for the host (build/bench/bench_mm,
the same suite source); then reclaim and the OOM killer in a 64M guest with
the disk (tools/bench_reclaim.py: kswapd and direct reclaim throughput,
thrashing to the first kill, the killer's own time) and the OOM labs.
Prints medians over a few runs; --quick does one run of each and a single
reclaim smoke instead of the reclaim table and the labs (make test runs
that, so the driver cannot rot unnoticed). Exits 1 when a row got no figure."""
import argparse
import os
import platform
import re
import select
import statistics
import subprocess
import sys
import time

import bench_reclaim  # tools/, beside this file

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = 5
BOOT_TIMEOUT = 60.0
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
BASE = ["-m", "128M", "-cpu", "max", "-accel", "tcg", "-display", "none",
        "-monitor", "none", "-serial", "stdio", "-no-reboot",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def read_until(stream, marker, deadline):
    """True once marker has come out of stream, False at EOF or at the
    deadline (time.monotonic()). select() bounds every wait, so a child that
    prints nothing cannot hold the reader past the deadline."""
    fd = stream.fileno()
    tail = b""
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return False
        chunk = os.read(fd, 4096)
        if not chunk:
            return False
        tail = (tail + chunk)[-(len(marker) + 4096):]
        if marker in tail:
            return True


def time_until(args, marker, timeout=BOOT_TIMEOUT):
    start = time.monotonic()
    proc = subprocess.Popen([QEMU] + BASE + args, stdout=subprocess.PIPE, cwd=REPO,
                            stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if read_until(proc.stdout, marker, start + timeout):
            return time.monotonic() - start
        return None
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()


# The boot figures: (row, QEMU arguments, what ends the wait).
BOOT_ROWS = [("boot to first KTAP line (-kernel, TCG)",
              ["-kernel", "build/oomlab.elf", "-append", "ktest=time"], b"KTAP version 1"),
             ("boot to shell prompt (GRUB ISO, TCG)", ["-cdrom", "build/oomlab.iso"], b"oomlab$ ")]


def report(name, args, marker, runs):
    samples = [t for t in (time_until(args, marker) for _ in range(runs)) if t is not None]
    if not samples:
        print(f"{name:40s} FAILED (marker {marker!r} not seen within {BOOT_TIMEOUT:g} s)",
              flush=True)
        return False
    print(f"{name:40s} median {statistics.median(samples) * 1000:8.1f} ms "
          f"(min {min(samples) * 1000:.1f}, {len(samples)} runs)", flush=True)
    return True


# --- the page allocator ------------------------------------------------------

ALLOC_RUNS = 3
ALLOC_MEM = "512M"  # the host benchmark's synthetic machine has the same RAM
ALLOC_TIMEOUT = 300.0
HOST_BENCH = os.path.join(REPO, "build", "bench", "bench_mm")
BENCH_LINE = re.compile(r"# bench: name=(\S+) cycles_per_pair=(\d+) ns_per_pair=(\d+)")
ALLOC_ROWS = [("order0_pcp", "order-0, through the pcp list"),
              ("order0_buddy", "order-0, through the buddy lists"),
              ("order3", "order-3"),
              ("order9", "order-9")]


def bench_lines(text):
    """{name: (cycles, ns)} from the suite's "# bench:" lines."""
    return {m.group(1): (int(m.group(2)), int(m.group(3))) for m in BENCH_LINE.finditer(text)}


def kernel_alloc_run():
    argv = [QEMU, "-kernel", "build/oomlab.elf", "-append", "ktest=bench_page_alloc",
            "-m", ALLOC_MEM] + BASE[2:]
    try:
        out = subprocess.run(argv, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=REPO,
                             stderr=subprocess.DEVNULL, timeout=ALLOC_TIMEOUT)
    except subprocess.TimeoutExpired:
        return {}
    return bench_lines(out.stdout.decode(errors="replace"))


def host_alloc_run():
    try:
        out = subprocess.run([HOST_BENCH], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
                             timeout=ALLOC_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    return bench_lines(out.stdout.decode(errors="replace"))


def medians(runs):
    """Per name, the median cycles and ns over the runs that reported it."""
    names = {name for run in runs for name in run}
    return {name: (statistics.median(r[name][0] for r in runs if name in r),
                   statistics.median(r[name][1] for r in runs if name in r)) for name in names}


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def cell(fig):
    return f"{fig[0]:>9.0f} cyc {fig[1]:>7.0f} ns" if fig else f"{'-':>9}     {'-':>7}   "


def report_allocator(runs):
    kernel = medians([kernel_alloc_run() for _ in range(runs)])
    host = medians([host_alloc_run() for _ in range(runs)])
    print()
    print(f"page allocator, per alloc+free pair (median round of 16 blocks, GFP_KERNEL, "
          f"{ALLOC_MEM}; median of {runs} runs)")
    print(f"machine: {cpu_model()}, {os.cpu_count()} CPUs; kernel under QEMU TCG -cpu max")
    print(f"{'operation':34s} {'kernel (QEMU TCG)':>24s}   {'host (gcc -O2)':>24s}")
    for name, label in ALLOC_ROWS:
        print(f"{label:34s} {cell(kernel.get(name)):>24s}   {cell(host.get(name)):>24s}")
    missing = [side for side, figs in (("kernel", kernel), ("host", host))
               if len(figs) < len(ALLOC_ROWS)]
    if missing:
        print(f"FAILED: no figures from {' and '.join(missing)} "
              f"(ktest=bench_page_alloc, {HOST_BENCH})")
        return False
    return True


RECLAIM_RUNS = 3  # each scenario boots its own guest (tools/bench_reclaim.py)


# --- the OOM labs -------------------------------------------------------------

LAB_RUNS = 3


def report_labs(lab=""):
    """Per lab and fix: kills per OOM event and the OOM resolution time
    (guest ms, first "invoked oom-killer" to the lab's "done"), medians;
    lab: only that lab's rows."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__))))
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                    "tests", "runner"))
    import grade
    checks = [c for c in grade.list_checks("build/user/bin/lab") if not lab or c.lab == lab]
    if not checks:
        print(f"FAILED: no lab named {lab!r}")
        return False
    runs = []
    for _ in range(LAB_RUNS):  # as make grade runs them (timing-sensitive labs alone)
        runs += grade.run_checks(checks, os.cpu_count() or 2, "build/oomlab.elf",
                                 "build/bench-logs", "tcg")
    print()
    print(f"OOM labs ({grade.MEM}, TCG; median of {LAB_RUNS} runs; resolution: guest ms from the "
          "first OOM report to the allocation's success)")
    print(f"{'lab':8s} {'fix':8s} {'outcome':18s} {'kills':>5s} {'OOM events':>10s} "
          f"{'kills/event':>11s} {'resolved (ms)':>13s}  checks OK")
    ok = True
    for c in checks:
        mine = [r for r in runs if r.check == c]
        kills = statistics.median(r.kills for r in mine)
        ooms = statistics.median(r.ooms for r in mine)
        times = [r.resolved_ms for r in mine if r.resolved_ms is not None]
        resolved = f"{statistics.median(times):.0f}" if times else "never"
        per_event = f"{kills / ooms:.2f}" if ooms else "-"
        passed = sum(r.ok for r in mine)
        ok &= passed == len(mine)
        print(f"{c.lab:8s} {c.fix:8s} {grade.SHOWN.get(c.outcome, c.outcome):18s} {kills:5.0f} "
              f"{ooms:10.0f} {per_event:>11s} {resolved:>13s}  {passed}/{len(mine)}")
    return ok


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="one run per figure, no labs: checks the driver, not the figures")
    ap.add_argument("--labs", action="store_true", help="only the OOM labs' table")
    ap.add_argument("--lab", default="", help="with --labs: only this lab's rows")
    ap.add_argument("--reclaim", action="store_true",
                    help="only the reclaim and OOM-killer table")
    args = ap.parse_args(argv)
    if args.labs:
        return 0 if report_labs(args.lab) else 1
    if args.reclaim:
        return 0 if bench_reclaim.report(RECLAIM_RUNS)[0] else 1
    ok = True
    for name, qemu_args, marker in BOOT_ROWS:
        ok &= report(name, qemu_args, marker, 1 if args.quick else RUNS)
    ok &= report_allocator(1 if args.quick else ALLOC_RUNS)
    if args.quick:
        ok &= bench_reclaim.quick_smoke()
    else:
        ok &= bench_reclaim.report(RECLAIM_RUNS)[0]
        ok &= report_labs()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
