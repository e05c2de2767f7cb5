#!/bin/sh
# Link the kernel with its own symbol table (as Linux's kallsyms passes):
# link once with an empty table, generate the table from that image, link
# again, and check that the table read back from the final image is the same.
# Usage: tools/link-kernel.sh OUT.elf LD NM CC "LDFLAGS" objects...
set -eu
out=$1 ld=$2 nm=$3 cc=$4 ldflags=$5
shift 5
dir=$(dirname "$out")
gen() { "$nm" -n -S --defined-only "$1" | python3 tools/gen_kallsyms.py > "$2"; }
asm() { "$cc" -c -x assembler-with-cpp "$1" -o "$2"; }

python3 tools/gen_kallsyms.py < /dev/null > "$dir/kallsyms0.S"
asm "$dir/kallsyms0.S" "$dir/kallsyms0.o"
$ld $ldflags -o "$out.pass1" "$@" "$dir/kallsyms0.o"
gen "$out.pass1" "$dir/kallsyms1.S"
asm "$dir/kallsyms1.S" "$dir/kallsyms1.o"
$ld $ldflags -o "$out.pass2" "$@" "$dir/kallsyms1.o"
gen "$out.pass2" "$dir/kallsyms2.S"
if ! cmp -s "$dir/kallsyms1.S" "$dir/kallsyms2.S"; then
	echo "link-kernel: symbol table moved between passes (text depends on table size?)" >&2
	exit 1
fi
mv "$out.pass2" "$out"
rm -f "$out.pass1"
