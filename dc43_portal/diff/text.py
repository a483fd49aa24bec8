"""The line diff of two texts, bounded in time, as side-by-side rows with word-level highlights (no Django).

difflib takes seconds on 1.5 MB documents; diff-match-patch in line mode with its ``Diff_Timeout`` stops
searching at a deadline and still returns a correct (if coarser) diff, so a request never waits long.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import time
from dataclasses import dataclass, field
from typing import Any

from diff_match_patch import diff_match_patch

CONTEXT = 3
MAX_ROWS = 2000  # rows rendered on a page; past it the page says so and offers the downloads
MAX_WORD_LINE = 2000  # longer changed lines are highlighted whole
_WORDS = re.compile(r"\w+|\s+|[^\w\s]")

Segment = tuple[bool, str]  # (changed, text)


@dataclass
class TextRow:
    """One row of the side-by-side view: ``kind`` is context, changed, del, add or gap (a skipped stretch)."""

    kind: str
    old_no: int | None = None
    new_no: int | None = None
    old: list[Segment] = field(default_factory=list)
    new: list[Segment] = field(default_factory=list)
    skipped: int = 0


@dataclass
class TextDiff:
    rows: list[TextRow]
    added: int
    removed: int
    timed_out: bool  # the search hit its deadline: the diff is correct but may be coarser than minimal
    truncated: bool  # more rows than MAX_ROWS: only the first are kept
    seconds: float

    @property
    def identical(self) -> bool:
        return self.added == 0 and self.removed == 0


def line_diff(old: str, new: str, *, timeout: float = 0.5) -> TextDiff:
    """The side-by-side diff of ``old`` and ``new``, line by line, searching at most ``timeout`` seconds."""
    start = time.monotonic()
    dmp = diff_match_patch()
    dmp.Diff_Timeout = timeout
    chars_old, chars_new, lines = dmp.diff_linesToChars(old, new)
    ops = dmp.diff_main(chars_old, chars_new, False)
    timed_out = time.monotonic() - start >= timeout
    dmp.diff_charsToLines(ops, lines)
    rows, added, removed, truncated = _rows([(op, text.splitlines()) for op, text in ops])
    return TextDiff(rows, added, removed, timed_out, truncated, time.monotonic() - start)


def _rows(ops: list[tuple[int, list[str]]]) -> tuple[list[TextRow], int, int, bool]:
    rows: list[TextRow] = []
    old_no = new_no = added = removed = 0
    i = 0
    while i < len(ops):
        op, lines = ops[i]
        if op == 0:
            last = i == len(ops) - 1
            rows.extend(_context(lines, old_no, new_no, first=i == 0, last=last))
            old_no, new_no = old_no + len(lines), new_no + len(lines)
        else:
            dels = lines if op < 0 else []
            adds = lines if op > 0 else []
            if op < 0 and i + 1 < len(ops) and ops[i + 1][0] > 0:
                i += 1
                adds = ops[i][1]
            rows.extend(_changed(dels[: MAX_ROWS + 1], adds[: MAX_ROWS + 1], old_no, new_no))
            old_no, new_no = old_no + len(dels), new_no + len(adds)
            added, removed = added + len(adds), removed + len(dels)
        if len(rows) > MAX_ROWS:
            return rows[:MAX_ROWS], added, removed, True
        i += 1
    return rows, added, removed, False


def _context(lines: list[str], old_no: int, new_no: int, *, first: bool, last: bool) -> list[TextRow]:
    """Equal lines: three around each change, the rest folded into one gap row."""
    keep_head = 0 if first else CONTEXT
    keep_tail = 0 if last else CONTEXT
    if len(lines) <= keep_head + keep_tail + 1:
        picked = list(enumerate(lines))
        return [_same(old_no + n, new_no + n, text) for n, text in picked]
    head = [_same(old_no + n, new_no + n, lines[n]) for n in range(keep_head)]
    tail_from = len(lines) - keep_tail
    tail = [_same(old_no + n, new_no + n, lines[n]) for n in range(tail_from, len(lines))]
    return [*head, TextRow(kind="gap", skipped=tail_from - keep_head), *tail]


def _same(old_no: int, new_no: int, text: str) -> TextRow:
    return TextRow(kind="context", old_no=old_no + 1, new_no=new_no + 1, old=[(False, text)], new=[(False, text)])


def _changed(dels: list[str], adds: list[str], old_no: int, new_no: int) -> list[TextRow]:
    """Removed and added lines side by side; a pair of lines gets its changed words marked."""
    rows = []
    for n in range(max(len(dels), len(adds))):
        old = dels[n] if n < len(dels) else None
        new = adds[n] if n < len(adds) else None
        row = TextRow(kind="changed" if old is not None and new is not None else ("del" if new is None else "add"))
        if old is not None:
            row.old_no = old_no + n + 1
        if new is not None:
            row.new_no = new_no + n + 1
        if old is not None and new is not None:
            row.old, row.new = word_diff(old, new)
        else:
            row.old = [(True, old)] if old is not None else []
            row.new = [(True, new)] if new is not None else []
        rows.append(row)
    return rows


def word_diff(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """Both texts cut into segments, the words that differ marked ``True``."""
    if len(old) > MAX_WORD_LINE or len(new) > MAX_WORD_LINE:
        return [(True, old)], [(True, new)]
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i2 > i1:
            _append(left, tag != "equal", "".join(a[i1:i2]))
        if j2 > j1:
            _append(right, tag != "equal", "".join(b[j1:j2]))
    return left, right


def _append(segments: list[Segment], changed: bool, text: str) -> None:
    if segments and segments[-1][0] == changed:
        segments[-1] = (changed, segments[-1][1] + text)
    else:
        segments.append((changed, text))


def yaml_diff(old_doc: dict[str, Any], new_doc: dict[str, Any], timeout: float) -> TextDiff:
    """Both documents as YAML, diffed line by line: what the compare page's child process runs."""
    from dc43_portal import odcs  # pure, like this module; imported here so the child loads it once

    return line_diff(odcs.dump_yaml(old_doc), odcs.dump_yaml(new_doc), timeout=timeout)


def lower_priority() -> None:
    """A diff process's initializer (importable without Django): it yields the cores to the web requests."""
    with contextlib.suppress(OSError):  # a platform that refuses it: the diff still runs, at normal priority
        os.nice(10)
