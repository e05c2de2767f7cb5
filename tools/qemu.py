"""QEMU command lines and child-process control for the oomlab test tools.
Every child runs in its own session so that a timeout, ^C or a crash of the
runner kills its whole process group: no QEMU is ever left behind.
"""
from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from typing import IO, List, Optional, Sequence

QEMU = os.environ.get("QEMU", "qemu-system-x86_64")

# isa-debug-exit writes (value << 1) | 1; the kernel's chosen values.
EXIT_PASS, EXIT_FAIL, EXIT_PANIC = 33, 35, 37
# QEMU's own: 0 after a triple fault under -no-reboot or an ACPI power-off,
# 1 when it cannot start or load the kernel.
EXIT_RESET, EXIT_QEMU_ERROR = 0, 1


def machine_args(mem: str = "128M", accel: str = "tcg") -> List[str]:
    """The standard machine for every test boot (never -no-shutdown)."""
    return ["-m", mem, "-cpu", "max", "-accel", accel, "-display", "none",
            "-monitor", "none", "-serial", "stdio", "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


# kernel_argv's initrd default: initrd.cpio beside the kernel, if it is there.
INITRD_BESIDE_KERNEL = "initrd.cpio"
AUTO = "auto"


def default_initrd(kernel: str) -> Optional[str]:
    """build/initrd.cpio for build/oomlab.elf, or None when it was not built."""
    path = os.path.join(os.path.dirname(kernel), INITRD_BESIDE_KERNEL)
    return path if os.path.isfile(path) else None


# kernel_argv's disk default: the ext2 image beside the kernel (make builds
# it), attached read-only as virtio disk vda.
DISK_BESIDE_KERNEL = "disk.img"


def default_disk(kernel: str) -> Optional[str]:
    """build/disk.img for build/oomlab.elf, or None when it was not built."""
    path = os.path.join(os.path.dirname(kernel), DISK_BESIDE_KERNEL)
    return path if os.path.isfile(path) else None


def disk_args(disk: Optional[str]) -> List[str]:
    """-drive for a read-only virtio disk (several QEMUs may share it)."""
    if not disk:
        return []
    return ["-drive", f"file={disk},if=virtio,format=raw,readonly=on"]


def kernel_argv(kernel: str, cmdline: str, mem: str = "128M", accel: str = "tcg",
                extra: Sequence[str] = (), qemu: Optional[str] = None,
                initrd: Optional[str] = AUTO, disk: Optional[str] = AUTO) -> List[str]:
    """Direct (PVH) boot of the kernel ELF with a command line. initrd: a
    cpio file for -initrd, None for none, AUTO for default_initrd(kernel);
    disk likewise (default_disk)."""
    if initrd == AUTO:
        initrd = default_initrd(kernel)
    if disk == AUTO:
        disk = default_disk(kernel)
    argv = [qemu or QEMU, "-kernel", kernel, "-append", cmdline]
    if initrd:
        argv += ["-initrd", initrd]
    return argv + machine_args(mem, accel) + disk_args(disk) + list(extra)


def iso_argv(iso: str, mem: str = "128M", accel: str = "tcg", extra: Sequence[str] = (),
             qemu: Optional[str] = None) -> List[str]:
    """Boot the GRUB ISO, as a user's "make run" does."""
    return [qemu or QEMU, "-cdrom", iso] + machine_args(mem, accel) + list(extra)


def free_port() -> int:
    """A TCP port that was free a moment ago (for QEMU's gdb stub)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- process groups ---------------------------------------------------------

_live: set = set()
_live_lock = threading.Lock()
_stopping = threading.Event()  # set on ^C/SIGTERM: start nothing new


def spawn(argv: Sequence[str], **kwargs) -> subprocess.Popen:
    """Popen in a new session, remembered until reaped or killed."""
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    with _live_lock:
        if _stopping.is_set():
            raise OSError("interrupted: not starting new processes")
        proc = subprocess.Popen(list(argv), start_new_session=True, **kwargs)
        _live.add(proc)
    return proc


def forget(proc: subprocess.Popen) -> None:
    with _live_lock:
        _live.discard(proc)


def kill_group(proc: subprocess.Popen, grace: float = 2.0) -> None:
    """SIGTERM the child's process group, SIGKILL it if it lingers; reap it."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    # The leader may be gone while others of its group live on.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    forget(proc)


def kill_all() -> None:
    with _live_lock:
        procs = list(_live)
    for proc in procs:
        kill_group(proc, grace=0.5)


def install_cleanup() -> None:
    """Kill every child on exit, ^C or SIGTERM (call once from a main())."""
    atexit.register(kill_all)

    def handler(signum, frame):
        _stopping.set()
        kill_all()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGHUP, handler)


# --- running with a log and a timeout ------------------------------------------

@dataclass
class Outcome:
    status: Optional[int]  # exit status; negative: killed by that signal; None: timed out
    timed_out: bool
    duration: float
    stdout: str  # what the child wrote on stdout (the serial line for QEMU)
    stderr: str


LOG_CAP = 32 << 20  # a runaway printer must not fill the disk or memory


def _pump(src: IO[bytes], sinks: List, collect: List[bytes]) -> None:
    kept = 0
    while True:
        chunk = src.read1(65536) if hasattr(src, "read1") else src.read(65536)
        if not chunk:
            break
        if kept >= LOG_CAP:
            continue  # keep draining so the child never blocks
        chunk = chunk[:LOG_CAP - kept]
        kept += len(chunk)
        if kept >= LOG_CAP:
            chunk += b"\n[output truncated by the test runner]\n"
        collect.append(chunk)
        for sink in sinks:
            try:
                sink.write(chunk)
                sink.flush()
            except (OSError, ValueError):
                pass


def run(argv: Sequence[str], timeout: Optional[float], log_path: Optional[str] = None,
        echo: Optional[IO[bytes]] = None, cwd: Optional[str] = None,
        env: Optional[dict] = None) -> Outcome:
    """Run argv, streaming stdout to log_path (and echo), killing the whole
    process group after timeout seconds. stderr is collected separately."""
    start = time.monotonic()
    log = open(log_path, "wb") if log_path else None
    out_chunks: List[bytes] = []
    err_chunks: List[bytes] = []
    try:
        try:
            proc = spawn(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env)
        except OSError as e:
            return Outcome(127, False, 0.0, "", f"cannot run {argv[0]}: {e}\n")
        sinks = [s for s in (log, echo) if s is not None]
        readers = [threading.Thread(target=_pump, args=(proc.stdout, sinks, out_chunks), daemon=True),
                   threading.Thread(target=_pump, args=(proc.stderr, [], err_chunks), daemon=True)]
        for t in readers:
            t.start()
        timed_out = False
        try:
            status = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_group(proc)
            status = None
        # Stragglers of the group could hold the pipes open.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for t in readers:
            t.join(timeout=10)
        forget(proc)
        proc.stdout.close()
        proc.stderr.close()
    finally:
        if log:
            log.close()
    return Outcome(status, timed_out, time.monotonic() - start,
                   b"".join(out_chunks).decode("utf-8", "replace"),
                   b"".join(err_chunks).decode("utf-8", "replace"))
