#!/usr/bin/env bash
# "make gdb": starts QEMU halted (-S) with its gdb stub and -kernel KERNEL,
# then gdb with the kernel's symbols, a hardware breakpoint at kmain and
# "continue". QEMU is killed when gdb exits. Extra args go to gdb (-batch...).
# Usage: tools/gdb.sh KERNEL.elf [gdb args]   env: GDB_PORT MEM ACCEL CMDLINE QEMU
set -eu
if [ $# -lt 1 ] || [ ! -f "$1" ]; then
	echo "usage: tools/gdb.sh KERNEL.elf [gdb args...] (kernel '${1-}' not found)" >&2
	exit 2
fi
kernel=$1
shift
qemu=${QEMU:-qemu-system-x86_64}
port=${GDB_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
serial_log="$(dirname "$kernel")/gdb-serial.log"

# setsid: ^C in gdb interrupts the guest through gdb and must not kill QEMU.
setsid "$qemu" -kernel "$kernel" -append "${CMDLINE-}" -m "${MEM:-128M}" -cpu max \
	-accel "${ACCEL:-tcg}" -display none -monitor none -serial "file:$serial_log" \
	-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-S -gdb "tcp:127.0.0.1:$port" </dev/null &
qemu_pid=$!
trap 'kill "$qemu_pid" 2>/dev/null || true; wait "$qemu_pid" 2>/dev/null || true' EXIT

echo "gdb.sh: QEMU (pid $qemu_pid) halted, gdb stub on 127.0.0.1:$port; serial output in $serial_log" >&2
status=0
gdb -q -ex 'set pagination off' -ex 'set confirm off' \
	-ex 'set architecture i386:x86-64' -ex "file $kernel" \
	-ex "target remote 127.0.0.1:$port" -ex 'hbreak kmain' -ex 'continue' "$@" || status=$?
exit "$status"
