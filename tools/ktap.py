"""KTAP version 1 parser (the format of Linux's KUnit) for the oomlab runner.
Turns serial or host-test output into a tree of results, ignoring kernel log
lines and other unknown lines, and lists what is missing when output stops.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, List, Optional, Tuple

PASS, FAIL, SKIP = "pass", "fail", "skip"

# "[    0.123456] text": a printk line, never part of KTAP.
LOG_LINE = re.compile(r"^\s*\[\s*\d+\.\d+\]")
VERSION = re.compile(r"^(?:KTAP|TAP) version (\d+)\s*$")
PLAN = re.compile(r"^1\.\.(\d+)\s*(?:#.*)?$")
RESULT = re.compile(r"^(ok|not ok)\s+(\d+)(?:\s+-)?(?:\s+([^#]*?))?\s*(?:#\s*(.*?))?\s*$")
SUBTEST = re.compile(r"^#\s*Subtest:\s*(.*?)\s*$")
DIAG = re.compile(r"^#\s?(.*?)\s*$")


@dataclass
class Test:
    """One KTAP test: a leaf (a result line alone) or a block with a plan."""

    name: str = ""
    number: Optional[int] = None
    status: Optional[str] = None  # PASS/FAIL/SKIP from the result line; None: no result line
    directive: str = ""  # the text after "# " on the result line, e.g. "SKIP no RAM"
    diagnostics: List[str] = field(default_factory=list)  # "# ..." lines before the result
    is_block: bool = False  # had its own version/subtest/plan lines
    plan: Optional[int] = None
    subtests: List["Test"] = field(default_factory=list)
    trailing: List[str] = field(default_factory=list)  # diagnostics after the last result
    indent: int = 0
    problems: List[str] = field(default_factory=list)  # structural problems seen while parsing
    # parser state
    _pending: Optional["Test"] = field(default=None, repr=False)
    _diags: List[str] = field(default_factory=list, repr=False)

    @property
    def skip_reason(self) -> str:
        if self.directive.upper().startswith("SKIP"):
            return self.directive[4:].strip()
        return ""

    def has_content(self) -> bool:
        return self.plan is not None or bool(self.subtests) or self._pending is not None


@dataclass
class Document:
    """A parsed KTAP document; root is the top-level block."""

    found: bool
    root: Test


def _lines(text: str) -> Iterator[Tuple[int, str]]:
    for raw in text.splitlines():
        raw = raw.replace("\r", "").rstrip()
        if not raw.strip() or LOG_LINE.match(raw):
            continue
        expanded = raw.expandtabs(8)
        content = expanded.lstrip(" ")
        yield len(expanded) - len(content), content


def _classify(content: str):
    m = VERSION.match(content)
    if m:
        return "version", m
    m = PLAN.match(content)
    if m:
        return "plan", m
    m = RESULT.match(content)
    if m:
        return "result", m
    m = SUBTEST.match(content)
    if m:
        return "subtest", m
    m = DIAG.match(content)
    if m:
        return "diag", m
    return None, None


def _adopt_unfinished(parent: Test, child: Test) -> None:
    """A nested block ended without its result line (crash, truncation)."""
    if parent._pending is not None:
        parent.subtests.append(parent._pending)
    parent._pending = None
    child.trailing.extend(child._diags)
    child._diags = []
    if child._pending is not None:
        child.subtests.append(child._pending)
        child._pending = None
    parent.subtests.append(child)


def _close_into_parent(stack: List[Test]) -> None:
    closed = stack.pop()
    parent = stack[-1]
    closed.trailing.extend(closed._diags)
    closed._diags = []
    if closed._pending is not None:
        closed.subtests.append(closed._pending)
        closed._pending = None
    if parent._pending is not None:  # an earlier block never got a result line
        parent.subtests.append(parent._pending)
    parent._pending = closed


def parse(text: str) -> Document:
    """Parse KTAP from text that may hold anything before and around it."""
    lines = list(_lines(text))
    start = None
    for i, (_, content) in enumerate(lines):
        if VERSION.match(content):
            start = i
            break
    if start is None:  # tolerate a document without its version line
        for i, (_, content) in enumerate(lines):
            if PLAN.match(content):
                start = i
                break
    root = Test(name="", is_block=True)
    if start is None:
        return Document(False, root)
    root.indent = lines[start][0]
    stack = [root]
    for indent, content in lines[start:]:
        kind, m = _classify(content)
        if kind is None:
            continue
        if indent < root.indent:
            continue  # below the document's own margin: not ours
        while len(stack) > 1 and indent < stack[-1].indent:
            _close_into_parent(stack)
        top = stack[-1]
        if indent > top.indent and kind == "diag":
            pass  # a deeper comment (e.g. a sanitizer's "#0 0x..." frame) opens no block
        elif indent > top.indent:
            child = Test(indent=indent, is_block=True)
            if top._pending is not None:
                top.subtests.append(top._pending)
                top._pending = None
            stack.append(child)
            top = child
        elif kind in ("version", "subtest") and top is not root and top.has_content():
            # A new block at the same depth while the previous one never got
            # its result line: the previous one was cut short.
            stack.pop()
            _adopt_unfinished(stack[-1], top)
            top = Test(indent=indent, is_block=True)
            stack.append(top)
        elif kind == "version" and top is root and root.has_content():
            root.problems.append("a second KTAP document started (kernel restarted?)")
            continue

        if kind == "version":
            continue
        if kind == "subtest":
            top.name = m.group(1)
        elif kind == "plan":
            if top.plan is None:
                top.plan = int(m.group(1))
            else:
                top.problems.append(f"second plan line 1..{m.group(1)}")
        elif kind == "diag":
            top._diags.append(m.group(1))
        elif kind == "result":
            ok, number, name, directive = m.group(1), int(m.group(2)), m.group(3) or "", m.group(4) or ""
            child = top._pending if top._pending is not None else Test(indent=indent)
            top._pending = None
            if child.is_block and child.name and name and child.name != name:
                child.problems.append(f"subtest '{child.name}' closed by result for '{name}'")
            child.name = name or child.name
            child.number = number
            child.directive = directive
            upper = directive.upper()
            if upper.startswith("SKIP") or upper.startswith("TODO"):
                child.status = SKIP
            else:
                child.status = PASS if ok == "ok" else FAIL
            child.diagnostics = top._diags + child.diagnostics
            top._diags = []
            top.subtests.append(child)
    while len(stack) > 1:
        closed = stack.pop()
        _adopt_unfinished(stack[-1], closed)
    root.trailing.extend(root._diags)
    root._diags = []
    if root._pending is not None:
        root.subtests.append(root._pending)
        root._pending = None
    return Document(True, root)


def leaves(test: Test, prefix: str = "") -> List[Tuple[str, Test]]:
    """The countable cases under test, named "a.b.c" by their path."""
    out = []
    for sub in test.subtests:
        path = f"{prefix}.{sub.name}" if prefix else sub.name
        if sub.is_block and (sub.subtests or sub.status is None):
            out.extend(leaves(sub, path))
        elif sub.is_block and sub.status == SKIP:
            out.append((path, sub))  # a whole block skipped: counts as one skip
        elif not sub.is_block:
            out.append((path, sub))
    return out


def _has_failed_leaf(test: Test) -> bool:
    return any(t.status == FAIL for _, t in leaves(test))


def problems(test: Test, label: str = "") -> List[str]:
    """Structural problems: short plans, missing result lines, contradictions."""
    out = [f"{label}: {p}" if label else p for p in test.problems]
    if test.is_block:
        got = len(test.subtests)
        where = f" in {label}" if label else ""
        if test.plan is None:
            out.append(f"no plan{where}")
        elif got < test.plan:
            out.append(f"missing cases: plan said {test.plan}, got {got}{where}")
        elif got > test.plan:
            out.append(f"extra cases: plan said {test.plan}, got {got}{where}")
        for expected, sub in enumerate(test.subtests, 1):
            sub_label = f"{label}.{sub.name}" if label else (sub.name or f"#{expected}")
            if sub.status is None:
                out.append(f"no result line for {sub_label}")
            if sub.number is not None and sub.number != expected:
                out.append(f"{sub_label} numbered {sub.number}, expected {expected}")
            if sub.is_block and sub.status is not None and sub.subtests:
                failed_below = _has_failed_leaf(sub)
                if sub.status == PASS and failed_below:
                    out.append(f"{sub_label} reported ok but a case in it failed")
                if sub.status == FAIL and not failed_below:
                    out.append(f"{sub_label} reported not ok but none of its cases failed")
            if sub.is_block:
                out.extend(problems(sub, sub_label))
    return out


def tally(test: Test) -> Tuple[int, int, int]:
    """(passed, failed, skipped) over the leaves."""
    counts = {PASS: 0, FAIL: 0, SKIP: 0}
    for _, t in leaves(test):
        counts[t.status or FAIL] += 1
    return counts[PASS], counts[FAIL], counts[SKIP]
