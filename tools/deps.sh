#!/usr/bin/env bash
# Checks the tools oomlab needs (build, ISO, QEMU, tests, gdb, clang for the
# libFuzzer target); installs the missing Debian packages with apt-get as
# root, otherwise prints the exact install line and exits 1. Fast (no apt
# call) when everything is present.
# Usage: tools/deps.sh [--lint]   (--lint also requires clang-format, cppcheck)
set -u

GRUB_DIR=${OOMLAB_GRUB_DIR:-/usr/lib/grub/i386-pc}
lint=0
for arg in "$@"; do
	case $arg in
	--lint) lint=1 ;;
	-h | --help)
		sed -n '2,6s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*)
		echo "deps.sh: unknown argument '$arg'" >&2
		exit 2
		;;
	esac
done

missing=()
want() { # want PACKAGE what-is-missing...
	local pkg=$1
	shift
	for p in "${missing[@]+"${missing[@]}"}"; do
		[ "$p" = "$pkg" ] && return
	done
	missing+=("$pkg")
	echo "deps.sh: missing $* (package $pkg)" >&2
}
need_cmd() { # need_cmd PACKAGE COMMAND...
	local pkg=$1 cmd
	shift
	for cmd in "$@"; do
		command -v "$cmd" >/dev/null 2>&1 || want "$pkg" "command '$cmd'"
	done
}

need_cmd gcc gcc
need_cmd binutils ld as objcopy nm
need_cmd make make
[ -d "$GRUB_DIR" ] || want grub-pc-bin "directory $GRUB_DIR"
need_cmd grub-common grub-mkrescue
need_cmd xorriso xorriso
need_cmd mtools mformat
need_cmd qemu-system-x86 qemu-system-x86_64
need_cmd python3 python3
need_cmd gdb gdb
need_cmd clang clang
need_cmd e2fsprogs mke2fs
if [ "$lint" = 1 ]; then
	need_cmd clang-format clang-format
	need_cmd cppcheck cppcheck
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ -n "${OOMLAB_DEPS_RECHECK-}" ]; then
	echo "deps.sh: still missing after apt-get install: ${missing[*]}" >&2
	exit 1
fi

if [ "$(id -u)" = 0 ]; then
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "deps.sh: apt-get not found; install these packages by hand: ${missing[*]}" >&2
		exit 1
	fi
	echo "deps.sh: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update || exit 1
	apt-get install -y "${missing[@]}" || exit 1
	# Check again: a package that installed but did not provide the tool is an error.
	OOMLAB_DEPS_RECHECK=1 exec "$BASH" "$0" "$@"
fi

echo "deps.sh: some tools are missing. Install them with:" >&2
echo "sudo apt-get install -y ${missing[*]}"
exit 1
