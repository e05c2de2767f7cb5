#!/usr/bin/env python3
"""make student LAB=NAME: a copy of the tree (build/student-NAME/) in which
the lab's fix is gone: each region from `/* LAB NAME: student begin: write
F() */` to `#if 0 /* LAB NAME: student stub */` becomes a TODO naming F and
the lab's write-up, and the stub after it (the code as it was before the
fix) is compiled instead, up to `#endif /* LAB NAME: student end */`. Read
first: the stub keeps the fix-off behaviour, so there `make grade LAB=NAME`
passes fix=off and fails fix=on until the student writes F.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE_EXT = (".c", ".h", ".S")


class MarkerError(Exception):
    pass


def strip_regions(text, lab, writeup):
    """text with every student region of lab replaced; (text, [functions])."""
    begin = re.compile(rf"/\* LAB {re.escape(lab)}: student begin: (.*?) \*/")
    stub = f"LAB {lab}: student stub"
    end = f"LAB {lab}: student end"
    out, names, state = [], [], "copy"
    for n, line in enumerate(text.splitlines(keepends=True), 1):
        m = begin.search(line)
        if state == "copy" and m:
            names.append(m.group(1))
            out.append(f"/* TODO (lab {lab}): {m.group(1)}: see {writeup}. */\n")
            state = "drop"
        elif state == "drop" and stub in line:
            if not line.lstrip().startswith("#if 0"):
                raise MarkerError(f"line {n}: the stub marker must be on an '#if 0' line")
            state = "stub"
        elif state == "stub" and end in line:
            if not line.lstrip().startswith("#endif"):
                raise MarkerError(f"line {n}: the end marker must be on an '#endif' line")
            state = "copy"
        elif state in ("copy", "stub"):
            out.append(line)
        elif begin.search(line) or end in line:
            raise MarkerError(f"line {n}: marker out of order")
    if state != "copy":
        raise MarkerError(f"a student region of lab {lab} is not closed")
    return "".join(out), names


def tree_files():
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO,
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    return [f for f in out.split("\0") if f and not f.startswith("build/")]


def writeup_for(lab):
    for path in sorted(glob.glob(os.path.join(REPO, "docs", "labs", "*.md"))):
        if re.search(rf"`make student LAB={re.escape(lab)}`", open(path, encoding="utf-8").read()):
            return os.path.relpath(path, REPO)
    return "docs/labs/"


def make_student_tree(lab, dest, seed_build=False):
    writeup = writeup_for(lab)
    if os.path.exists(dest):
        shutil.rmtree(dest)
    todo = []
    for rel in tree_files():
        src, dst = os.path.join(REPO, rel), os.path.join(dest, rel)
        if not os.path.isfile(src):
            continue  # deleted in the working tree
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if rel.endswith(SOURCE_EXT):
            with open(src, encoding="utf-8") as f:
                text = f.read()
            try:
                stripped, names = strip_regions(text, lab, writeup)
            except MarkerError as e:
                raise MarkerError(f"{rel}: {e}") from None
            if names:
                with open(dst, "w", encoding="utf-8") as f:
                    f.write(stripped)
                shutil.copymode(src, dst)
                todo += [(rel, name) for name in names]
                continue
        shutil.copy2(src, dst)  # keeps the mtime: a seeded build stays valid
    if not todo:
        raise MarkerError(f"no '/* LAB {lab}: student begin: ... */' region anywhere")
    if seed_build and os.path.isdir(os.path.join(REPO, "build")):
        shutil.copytree(os.path.join(REPO, "build"), os.path.join(dest, "build"), symlinks=True,
                        ignore=shutil.ignore_patterns("student-*", "grade-logs", "test-logs"))
    return todo, writeup


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lab")
    ap.add_argument("--dest", help="default: build/student-LAB")
    ap.add_argument("--seed-build", action="store_true",
                    help="start from a copy of build/ (only the stripped files rebuild)")
    args = ap.parse_args()
    dest = args.dest or os.path.join(REPO, "build", f"student-{args.lab}")
    try:
        todo, writeup = make_student_tree(args.lab, dest, args.seed_build)
    except MarkerError as e:
        print(f"make student: {e}", file=sys.stderr)
        return 2
    print(f"student tree for lab {args.lab}: {os.path.relpath(dest)}")
    for rel, what in todo:
        print(f"  TODO in {rel}: {what}")
    print(f"Read {writeup}; then, in that directory, `make grade LAB={args.lab}` fails "
          "fix=on until your code works.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
