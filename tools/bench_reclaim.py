"""Reclaim and OOM-killer figures for make bench (issues 15 and 13): each
scenario boots its own guest (64M with the disk; the killer's time at 80M,
beside Debian's kernel) and drives the shell. Read
first: every time is guest time, the printk clock, read from the kernel's
own timestamp on a line the driver writes to /dev/kmsg just before it
reads /proc/vmstat and /proc/pressure/memory (a "sample"), or on the
kernel's OOM lines; host time never enters a figure, only the deadlines.
"""
import os
import re
import statistics
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "runner"))
from runner_support import SerialSession  # noqa: E402
import linux_run  # noqa: E402  (tools/, beside this file)
import qemu  # noqa: E402

KERNEL = os.path.join(REPO, "build", "oomlab.elf")
DISK = os.path.join(REPO, "build", "disk.img")
GUEST_MEM = "64M"
PROMPT = b"oomlab$ "
BOOT_TIMEOUT = 120.0
STEP_TIMEOUT = 300.0  # one shell command; generous, the host is shared
THRASH_TIMEOUT = 600.0  # host seconds the thrashing loop may take in all

CACHE_FILE = "/mnt/data/cache40.bin"
KSWAPD_HOG = "hog -m 40M -r 8M -x"  # slow enough that kswapd mostly keeps up
# Sixteen threads share the one CPU with kswapd: their faults outrun it and stall.
DIRECT_HOG = "hog -m 40M -t 16 -x"
THRASH_FILL = "hog -m 40M"  # most of RAM at once, held: the slow part starts near the edge
THRASH_HOG = "hog -m 200M -r 1M"  # grows slowly, holds what it has
# The thrashing loop: programs whose text lives on the disk, run again and
# again (with /mnt/bin/cat for the sample), so reclaim keeps dropping their
# text and they keep reading it back.
THRASH_PROGRAMS = ("/mnt/bin/echo thrash > /dev/null; /mnt/bin/cksum /mnt/data/hello.txt > /dev/null; "
                   "/mnt/bin/free > /dev/null; /mnt/bin/ps > /dev/null; /mnt/bin/dmesg > /dev/null")
OOM_HOG = "hog -m 200M -x"
# The killer's time is measured beside Debian's kernel, which needs 80M to
# unpack an initrd (at 72M it panics, at 64M QEMU stops at once): both at 80M.
KILLER_MEM = "80M"
OOM_KILLS = 5
QUIET_LOGLEVEL = 1
PRESSURE_EVENTS = ("vmscan/mm_vmscan_kswapd_wake", "vmscan/mm_vmscan_direct_reclaim_begin")
TRACEFS = "/sys/kernel/tracing"
INITRD = os.path.join(REPO, "build", "initrd.cpio")
LINUX_CMDLINE = "console=ttyS0 rdinit=/bin/linuxinit panic=-1"
KMSG_SETTLE_SEC = 2  # the whole log comes out at once; then cat waits

# --- parsing (pure: the tests feed it recorded text) ---------------------------

# A printk line as the console and dmesg show it: "[   12.345678] text".
PRINTK_LINE = re.compile(r"(?m)^\[\s*(\d+)\.(\d{6})\] (.*)$")
VMSTAT_LINE = re.compile(r"(?m)^([a-z][a-z0-9_]*) (\d+)$")
PSI_LINE = re.compile(r"(?m)^(some|full) avg10=(\d+\.\d+) avg60=(\d+\.\d+) "
                      r"avg300=(\d+\.\d+) total=(\d+)$")
OOM_HEADER = re.compile(r"\S+ invoked oom-killer: ")
OOM_KILLED = re.compile(r"Out of memory: Killed process (\d+) \((.*?)\)")
# A trace line: "  kswapd0-3  [000] ..... 12.345678: mm_vmscan_kswapd_wake: ...".
TRACE_LINE = re.compile(r"(?m)^\s*\S.*?\[\d+\]\s+\S+\s+(\d+)\.(\d{6}): (\w+):")
TRACE_COUNTS = re.compile(r"entries-in-buffer/entries-written: (\d+)/(\d+)")


# A /dev/kmsg record as Linux's `cat /dev/kmsg` shows it: "4,512,1234567,-;text".
KMSG_RECORD = re.compile(r"(?m)^\d+,\d+,(\d+),[^;]*;(.*)$")


def kmsg_lines(text):
    """[(guest seconds, text)] for every /dev/kmsg record in text."""
    return [(int(m.group(1)) / 1e6, m.group(2)) for m in KMSG_RECORD.finditer(
        text.replace("\r", ""))]


def printk_lines(text):
    """[(guest seconds, text)] for every printk line in text, in order."""
    return [(int(m.group(1)) + int(m.group(2)) / 1e6, m.group(3))
            for m in PRINTK_LINE.finditer(text.replace("\r", ""))]


def stamp_of(text, tag):
    """Guest seconds of the kmsg record whose text is exactly tag, or None
    (the shell's echo of the typed command has no timestamp, so it never matches)."""
    for t, line in printk_lines(text):
        if line.strip() == tag:
            return t
    return None


def vmstat_fields(text):
    return {m.group(1): int(m.group(2)) for m in VMSTAT_LINE.finditer(text.replace("\r", ""))}


def psi_memory(text):
    """{"some": {"avg10", "avg60", "avg300", "total"}, "full": {...}} from
    /proc/pressure/memory's two lines (averages in %, total in us)."""
    out = {}
    for m in PSI_LINE.finditer(text.replace("\r", "")):
        out[m.group(1)] = {"avg10": float(m.group(2)), "avg60": float(m.group(3)),
                           "avg300": float(m.group(4)), "total": int(m.group(5))}
    return out


def oom_kill_latencies(text, lines=printk_lines):
    """Guest ms from each "invoked oom-killer" header to the "Killed
    process" line after it (a header with no kill before the next header
    has no figure: that OOM event killed nobody). lines: printk_lines for
    the console and oomlab's dmesg, kmsg_lines for Linux's /dev/kmsg."""
    out, header = [], None
    for t, line in lines(text):
        if OOM_HEADER.search(line):
            header = t
        elif header is not None and OOM_KILLED.search(line):
            out.append((t - header) * 1000.0)
            header = None
    return out


def first_kill(text):
    """Guest seconds of the first "Killed process" line, or None."""
    for t, line in printk_lines(text):
        if OOM_KILLED.search(line):
            return t
    return None


def first_trace_event(text, names):
    """Guest seconds of the earliest trace line of one of names, or None,
    also None when the ring dropped lines (the first one may be gone)."""
    counts = TRACE_COUNTS.search(text)
    if counts and counts.group(1) != counts.group(2):
        return None
    times = [int(m.group(1)) + int(m.group(2)) / 1e6
             for m in TRACE_LINE.finditer(text.replace("\r", "")) if m.group(3) in names]
    return min(times, default=None)


class Sample:
    """The counters at one guest instant: t (s), vmstat {name: n}, psi."""

    def __init__(self, t, vmstat, psi):
        self.t, self.vmstat, self.psi = t, vmstat, psi

    def some_avg10(self):
        return self.psi["some"]["avg10"]


def parse_sample(text, tag):
    """A Sample from the output of sample_command(tag), or None when a part
    is missing (a parse that silently gave zeros would be a wrong figure)."""
    t, vm, psi = stamp_of(text, tag), vmstat_fields(text), psi_memory(text)
    if t is None or "pgscan_kswapd" not in vm or "some" not in psi:
        return None
    return Sample(t, vm, psi)


def rate(before, after, name):
    """name's increase per guest second between two samples."""
    span = after.t - before.t
    return (after.vmstat[name] - before.vmstat[name]) / span if span > 0 else 0.0


def delta(before, after, *names):
    return sum(after.vmstat[n] - before.vmstat[n] for n in names)


def pressure_start(samples):
    """The first sample at which reclaim had scanned or stolen anything
    since the first sample; None if it never did."""
    base = samples[0]
    for s in samples[1:]:
        if delta(base, s, "pgscan_kswapd", "pgscan_direct", "pgsteal_kswapd",
                 "pgsteal_direct") > 0:
            return s
    return None


# --- the guest -----------------------------------------------------------------

class GuestError(Exception):
    pass


def sample_command(tag, programs="cat"):
    return f"echo {tag} > /dev/kmsg; {programs} /proc/vmstat /proc/pressure/memory"


class Guest:
    """One guest booted to the shell: oomlab at GUEST_MEM with the disk at
    /mnt, unless argv gives another QEMU command line."""

    def __init__(self, argv=None):
        self.session = SerialSession(argv or qemu.kernel_argv(KERNEL, "", GUEST_MEM, "tcg"))
        self.pos = self.session.wait_for(PROMPT, 0, BOOT_TIMEOUT)
        self.samples = 0
        if self.pos is None:
            self.close()
            raise GuestError(f"no shell prompt within {BOOT_TIMEOUT:g} s; the serial line "
                             f"ended with:\n{self.session.text[-800:]}")

    def run(self, cmd, timeout=STEP_TIMEOUT):
        """Type cmd; what it printed before the next prompt."""
        start = self.pos
        self.session.send(cmd + "\r")
        end = self.session.wait_for(PROMPT, start, timeout)
        if end is None:
            raise GuestError(f"'{cmd}' did not return to the prompt within {timeout:g} s")
        self.pos = end
        return self.session.buf[start:end].decode("utf-8", "replace")

    def sample(self, before="", cat="cat", required=True):
        """Runs before (shell commands, may be empty), then takes a Sample;
        one that does not parse is an error, or None if not required."""
        self.samples += 1
        tag = f"bench-sample-{self.samples}"
        out = self.run((before + "; " if before else "") + sample_command(tag, cat))
        s = parse_sample(out, tag)
        if s is None and required:
            raise GuestError(f"sample {tag} did not parse:\n{out[-1500:]}")
        return s

    def text(self):
        return self.session.text

    def printed(self, needle, start=0):
        """Whether needle (bytes) came out of the serial line at or after start."""
        return self.session.buf.find(needle, start) >= 0

    def close(self):
        self.session.kill()


def linux_argv():
    """QEMU booting Debian's stock kernel with oomlab's initrd (as make
    linux-run, which fetches it once into build/linux/), same machine."""
    return qemu.kernel_argv(linux_run.fetch_kernel(), LINUX_CMDLINE, KILLER_MEM, "tcg",
                            initrd=INITRD, disk=None)


def booted(fn, argv=None):
    """Runs fn(guest) in a fresh guest (argv() gives its QEMU command line;
    without it, oomlab's at GUEST_MEM); None (and a line on stderr) if the
    guest failed, so one bad run leaves a gap rather than ending the bench."""
    def run(*args):
        try:
            guest = Guest(argv() if argv else None)
        except (GuestError, OSError, linux_run.NoPackage) as e:
            print(f"  {fn.__name__}: {e}", file=sys.stderr)
            return None
        try:
            return fn(guest, *args)
        except GuestError as e:
            print(f"  {fn.__name__}: {e}", file=sys.stderr)
            return None
        finally:
            guest.close()
    run.__name__ = fn.__name__
    return run


# --- the scenarios -------------------------------------------------------------

def reclaim_figures(before, after, kind):
    return {"window_s": after.t - before.t,
            "scanned_per_s": rate(before, after, f"pgscan_{kind}"),
            "stolen_per_s": rate(before, after, f"pgsteal_{kind}"),
            "scanned": delta(before, after, f"pgscan_{kind}"),
            "stolen": delta(before, after, f"pgsteal_{kind}"),
            "allocstall": delta(before, after, "allocstall_dma", "allocstall_dma32",
                                "allocstall_normal"),
            "stolen_any": delta(before, after, "pgsteal_kswapd", "pgsteal_direct"),
            "oom_kill": delta(before, after, "oom_kill")}


def cached_then_hog(guest, hog, kind):
    """The page cache filled from the disk's 40 MiB file, then hog: the
    window runs from just before the hog starts to just after it ends."""
    guest.run(f"cat {CACHE_FILE} > /dev/null")
    before = guest.sample()
    after = guest.sample(hog)
    return reclaim_figures(before, after, kind)


@booted
def kswapd_reclaim(guest):
    return cached_then_hog(guest, KSWAPD_HOG, "kswapd")


@booted
def direct_reclaim(guest):
    return cached_then_hog(guest, DIRECT_HOG, "direct")


@booted
def thrash_to_first_kill(guest):
    """A hog grows slowly in the background while the loop re-runs programs
    from the disk, sampling each round, until the OOM killer fires."""
    guest.run(f"{THRASH_FILL} &")
    if guest.session.wait_for(b"holding", guest.pos, STEP_TIMEOUT) is None:
        raise GuestError(f"'{THRASH_FILL}' never held its memory")
    for event in PRESSURE_EVENTS:
        guest.run(f"echo 1 > {TRACEFS}/events/{event}/enable")
    samples = [guest.sample()]
    samples_from = guest.pos
    guest.run(f"{THRASH_HOG} &")
    deadline = time.monotonic() + THRASH_TIMEOUT
    tracing, failed = True, 0
    while not guest.printed(b"Killed process", samples_from):
        if time.monotonic() > deadline:
            raise GuestError(f"no OOM kill within {THRASH_TIMEOUT:g} s of thrashing")
        s = guest.sample(THRASH_PROGRAMS, cat="/mnt/bin/cat", required=False)
        if s is None:  # a program's exec or fault failed under pressure: that round is lost
            failed += 1
            continue
        samples.append(s)
        if tracing and pressure_start(samples):
            # Keep the ring's first lines: later wakes would push them out.
            for event in PRESSURE_EVENTS:
                guest.run(f"echo 0 > {TRACEFS}/events/{event}/enable")
            tracing = False
    after = guest.sample()
    killed = first_kill(guest.text())
    start = first_trace_event(guest.run(f"cat {TRACEFS}/trace"),
                              {e.split("/")[1] for e in PRESSURE_EVENTS})
    source = "trace"
    if start is None:
        polled = pressure_start(samples + [after])
        start, source = (polled.t if polled else None), "samples"
    if start is None:
        raise GuestError("the OOM killer fired but reclaim never ran")
    during = [s for s in samples if s.t <= killed]
    # avg10 moves every 2 s, so the sample just after the kill may be the
    # first to show the stall: it counts for the maximum.
    return {"to_kill_s": killed - start,
            "psi_max": max(s.some_avg10() for s in during + [after]),
            "psi_last": during[-1].some_avg10(),
            "psi_some_ms": (after.psi["some"]["total"] - samples[0].psi["some"]["total"]) / 1000,
            "refaults": delta(samples[0], after, "workingset_refault_file"),
            "start_from": source, "rounds": len(samples) - 1, "failed_rounds": failed, "loop_s": killed - samples[0].t}


def killer_argv():
    return qemu.kernel_argv(KERNEL, "", KILLER_MEM, "tcg")


def oom_killer_time(guest, kills):
    """The killer's own time over kills OOM kills at loglevel 7 (the whole
    report on the serial console) and at loglevel 1 (read back from dmesg)."""
    loud_from = guest.pos
    for _ in range(kills):
        guest.run(OOM_HOG)
    loud = oom_kill_latencies(guest.session.buf[loud_from:].decode("utf-8", "replace"))
    guest.run(f"echo {QUIET_LOGLEVEL} > /proc/sys/oomlab/loglevel")
    for _ in range(kills):
        guest.run(OOM_HOG)
    quiet = oom_kill_latencies(guest.run("dmesg"))[-kills:]
    if len(loud) < kills or len(quiet) < kills:
        raise GuestError(f"{len(loud)} and {len(quiet)} of {kills} kills seen")
    # dmesg holds the loud ones too: its last kills lines are the quiet ones.
    return {"loud_ms": loud, "quiet_ms": quiet}


def linux_oom_killer_time(guest, kills):
    """The same measure on Debian's kernel: the console at its default
    loglevel, then printk's level at 1 and the records read back from
    /dev/kmsg (cat blocks at the end of the log, so the shell kills it;
    Linux's console here is no controlling tty, so Ctrl-C would not)."""
    loud_from = guest.pos
    for _ in range(kills):
        guest.run(OOM_HOG)
    loud = oom_kill_latencies(guest.session.buf[loud_from:].decode("utf-8", "replace"))
    guest.run(f"echo {QUIET_LOGLEVEL} > /proc/sys/kernel/printk")
    for _ in range(kills):
        guest.run(OOM_HOG)
    # The job is the shell's only one: the guest ran nothing else in the background.
    kmsg = guest.run(f"cat /dev/kmsg & sleep {KMSG_SETTLE_SEC}; kill %1; wait")
    quiet = oom_kill_latencies(kmsg, kmsg_lines)[-kills:]
    if len(loud) < kills or len(quiet) < kills:
        raise GuestError(f"{len(loud)} and {len(quiet)} of {kills} kills seen")
    return {"loud_ms": loud, "quiet_ms": quiet}


oom_killer_time = booted(oom_killer_time, killer_argv)
linux_oom_killer_time = booted(linux_oom_killer_time, linux_argv)


# --- the table -----------------------------------------------------------------

def median_of(results, key):
    figs = [r[key] for r in results if r is not None]
    return statistics.median(figs) if figs else None


def every_figure(results, key):
    return [fig for r in results if r is not None for fig in r[key]]


def fmt(value, spec, unit=""):
    return "-" if value is None else f"{value:{spec}}{unit}"


def report(runs, kills=OOM_KILLS, linux=True, out=print):
    """Runs every scenario runs times; prints the table; returns (ok, rows)
    where rows are the figures (None where no run gave one). linux: also
    time Debian's killer for comparison (issue 13's yardstick); a Debian
    kernel that cannot be had leaves its rows empty, never a failure."""
    ks = [kswapd_reclaim() for _ in range(runs)]
    dr = [direct_reclaim() for _ in range(runs)]
    th = [thrash_to_first_kill() for _ in range(runs)]
    oo = [oom_killer_time(kills) for _ in range(runs)]
    lx = [linux_oom_killer_time(kills) for _ in range(runs)] if linux else []
    loud, quiet = every_figure(oo, "loud_ms"), every_figure(oo, "quiet_ms")
    lx_loud, lx_quiet = every_figure(lx, "loud_ms"), every_figure(lx, "quiet_ms")
    out("")
    out(f"reclaim and the OOM killer ({GUEST_MEM}, TCG, disk at /mnt; guest time from printk "
        f"timestamps; median of {runs} run{'s' if runs > 1 else ''})")
    for name, res, kind in (("kswapd reclaim", ks, "kswapd"), ("direct reclaim", dr, "direct")):
        out(f"{name:28s} scanned {fmt(median_of(res, 'scanned_per_s'), '8.0f')} pages/s  "
            f"stolen {fmt(median_of(res, 'stolen_per_s'), '8.0f')} pages/s  "
            f"window {fmt(median_of(res, 'window_s'), '.2f', ' s')}  "
            f"allocstall {fmt(median_of(res, 'allocstall'), '.0f')}")
    out(f"{'thrashing to first kill':28s} pressure to kill "
        f"{fmt(median_of(th, 'to_kill_s'), '.2f', ' s')}  "
        f"PSI some avg10 max {fmt(median_of(th, 'psi_max'), '.2f', '%')} "
        f"last {fmt(median_of(th, 'psi_last'), '.2f', '%')} "
        f"(stalled {fmt(median_of(th, 'psi_some_ms'), '.0f', ' ms')})  "
        f"refaults {fmt(median_of(th, 'refaults'), '.0f')}  "
        f"rounds {fmt(median_of(th, 'rounds'), '.0f')} "
        f"(failed {fmt(median_of(th, 'failed_rounds'), '.0f')})")
    out(f"OOM killer's own time ({KILLER_MEM}, {OOM_HOG}; guest ms from the "
        "'invoked oom-killer' line to 'Killed process')")
    killer_rows = [("oomlab, loglevel 7", loud), ("oomlab, loglevel 1", quiet)]
    if linux:
        killer_rows += [("Debian's kernel, loglevel 7", lx_loud),
                        ("Debian's kernel, loglevel 1", lx_quiet)]
    for name, figs in killer_rows:
        med = statistics.median(figs) if figs else None
        span = f" (min {min(figs):.1f}, max {max(figs):.1f}, {len(figs)} kills)" if figs else ""
        out(f"{name:28s} median {fmt(med, '.1f', ' ms')}{span}")
    rows = {"kswapd": ks, "direct": dr, "thrash": th, "oom_loud": loud, "oom_quiet": quiet,
            "linux_loud": lx_loud, "linux_quiet": lx_quiet}
    ok = all(any(r is not None for r in res) for res in (ks, dr, th, oo))
    if not ok:
        out("FAILED: a reclaim or OOM scenario gave no figure (see above)")
    return ok, rows


def quick_smoke(out=print):
    """make test's smoke: one direct-reclaim run; True when its figures
    parsed and reclaim moved (the figures themselves are never judged)."""
    r = direct_reclaim()
    if r is None:
        out("reclaim smoke                FAILED (no figures)")
        return False
    out(f"{'reclaim smoke (direct)':28s} scanned {r['scanned_per_s']:8.0f} pages/s  "
        f"stolen {r['stolen_per_s']:8.0f} pages/s  window {r['window_s']:.2f} s  "
        f"allocstall {r['allocstall']}")
    return smoke_ok(r, out)


def smoke_ok(r, out=print):
    """The smoke's checks: a window of guest time, nothing negative, and
    some page stolen (40 MiB of cache then a 40 MiB hog in 64M must reclaim)."""
    bad = [k for k, v in r.items() if v < 0]
    if r["window_s"] <= 0 or bad or r["stolen_any"] <= 0:
        out(f"FAILED: reclaim smoke figures {r}")
        return False
    return True
