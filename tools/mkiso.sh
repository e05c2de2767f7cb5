#!/bin/sh
# Build a GRUB rescue ISO (BIOS) holding the kernel, its initrd and
# boot/grub.cfg.
# Usage: tools/mkiso.sh KERNEL.elf OUT.iso [CMDLINE]
# With CMDLINE, the kernel arguments on grub.cfg's multiboot2 line are replaced.
# The initrd is $INITRD, else initrd.cpio beside the kernel; without one the
# module2 line is left out, and the kernel says it booted without an initrd.
set -eu
kernel=$1 out=$2 cmdline=${3-}
initrd=${INITRD:-$(dirname "$kernel")/initrd.cpio}
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
if [ -f "$initrd" ]; then
	cp "$initrd" "$work/boot/initrd.cpio"
else
	sed -i '/^[[:space:]]*module2 \/boot\/initrd.cpio/d' "$work/boot/grub/grub.cfg"
fi
grub-mkrescue -d /usr/lib/grub/i386-pc -o "$out" "$work" > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
