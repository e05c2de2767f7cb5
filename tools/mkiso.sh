#!/bin/sh
# Build a GRUB rescue ISO (BIOS) holding the kernel and boot/grub.cfg.
# Usage: tools/mkiso.sh KERNEL.elf OUT.iso [CMDLINE]
# With CMDLINE, the kernel arguments on grub.cfg's multiboot2 line are replaced.
set -eu
kernel=$1 out=$2 cmdline=${3-}
work=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$work" "$log"' EXIT
mkdir -p "$work/boot/grub"
cp "$kernel" "$work/boot/oomlab.elf"
if [ -n "$cmdline" ]; then
	esc=$(printf '%s' "$cmdline" | sed 's/[&|\\]/\\&/g')
	sed "s|^\([[:space:]]*multiboot2 /boot/oomlab.elf\).*|\1 $esc|" boot/grub.cfg > "$work/boot/grub/grub.cfg"
else
	cp boot/grub.cfg "$work/boot/grub/grub.cfg"
fi
grub-mkrescue -d /usr/lib/grub/i386-pc -o "$out" "$work" > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
