#!/usr/bin/env python3
"""make lab LAB=NAME FIX=off|on: boots oomlab with that fix's switches on
the kernel command line (64M, as the grader), types `lab run NAME fix=FIX`
at the first prompt and then hands the serial console to this terminal, so
the student stays at the shell (or SysRq: Ctrl-\\ then a key) after the
verdict. Quit QEMU with Ctrl-A then X. Read first: the switches come from
`lab list --checks`, the same table tools/grade.py uses.
"""
import os
import select
import subprocess
import sys
import termios
import threading
import tty

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tools"))
import grade  # noqa: E402
import qemu  # noqa: E402


def interactive_argv(kernel, cmdline, mem, accel, initrd=qemu.AUTO):
    argv = qemu.kernel_argv(kernel, cmdline, mem, accel, initrd=initrd)
    argv[argv.index("-serial") + 1] = "mon:stdio"
    i = argv.index("-monitor")
    del argv[i:i + 2]
    return argv


def run_interactive(argv, command=None):
    """QEMU on this terminal (raw mode); command typed at the first prompt."""
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    typed = threading.Event()
    if not command:
        typed.set()

    def relay_output():
        seen = b""
        for chunk in iter(lambda: proc.stdout.read1(4096), b""):
            os.write(sys.stdout.fileno(), chunk)
            if not typed.is_set():
                seen += chunk
                if grade.PROMPT in seen:
                    proc.stdin.write(f"{command}\r".encode())
                    proc.stdin.flush()
                    typed.set()

    out = threading.Thread(target=relay_output, daemon=True)
    out.start()
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd) if os.isatty(fd) else None
    try:
        if saved:
            tty.setraw(fd)
        while proc.poll() is None:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                data = os.read(fd, 1024)
                if not data:
                    break
                proc.stdin.write(data)
                proc.stdin.flush()
    finally:
        if saved:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        if proc.poll() is None:
            proc.terminate()
        proc.wait()
        out.join(timeout=1)


def main():
    if len(sys.argv) != 3:
        print("usage: lab_session.py LAB FIX", file=sys.stderr)
        return 2
    lab, fix = sys.argv[1:]
    kernel = os.path.join(REPO, "build", "oomlab.elf")
    mine = [c for c in grade.list_checks(os.path.join(REPO, "build", "user", "bin", "lab"))
            if c.lab == lab]
    checks = [c for c in mine if c.fix == fix] or (mine if len(mine) == 1 else [])
    fix = checks[0].fix if checks else fix  # a lab with one fix (killer) needs no FIX=
    if not checks:
        print(f"make lab: no lab {lab!r} with fix {fix!r}; `build/user/bin/lab list` shows them",
              file=sys.stderr)
        return 2
    cmdline = " ".join(checks[0].switches)
    print(f"oomlab: booting with '{cmdline}' ({grade.MEM}); then `lab run {lab} fix={fix}`. "
          "Quit QEMU with Ctrl-A then X.", flush=True)
    run_interactive(interactive_argv(kernel, cmdline, grade.MEM, os.environ.get("ACCEL", "tcg")),
                    f"lab run {lab} fix={fix}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
