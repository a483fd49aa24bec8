"""The bounded line diff: side-by-side rows, word highlights, and a deadline on large, shuffled texts."""

from __future__ import annotations

import random
import time

from dc43_portal.diff.text import MAX_ROWS, line_diff, word_diff


def test_it_pairs_changed_lines_and_marks_the_changed_words() -> None:
    old = "a: 1\nb: the quick fox\nc: 3\n"
    new = "a: 1\nb: the slow fox\nc: 3\nd: 4\n"
    found = line_diff(old, new)
    kinds = [row.kind for row in found.rows]
    assert kinds == ["context", "changed", "context", "add"]
    changed = found.rows[1]
    assert changed.old_no == 2 and changed.new_no == 2
    assert (True, "quick") in changed.old and (True, "slow") in changed.new
    assert (False, "b: the ") in changed.old
    assert found.added == 2 and found.removed == 1 and not found.timed_out and not found.truncated


def test_it_folds_long_unchanged_stretches_into_a_gap() -> None:
    lines = [f"line {n}" for n in range(100)]
    new = [*lines]
    new[50] = "line fifty"
    found = line_diff("\n".join(lines) + "\n", "\n".join(new) + "\n")
    gaps = [row.skipped for row in found.rows if row.kind == "gap"]
    assert gaps == [47, 46]
    assert sum(1 for row in found.rows if row.kind == "context") == 6


def test_identical_texts_have_no_change() -> None:
    assert line_diff("a\nb\n", "a\nb\n").identical


def test_word_diff_gives_up_on_very_long_lines() -> None:
    left, right = word_diff("x " * 5000, "y " * 5000)
    assert left == [(True, "x " * 5000)] and right == [(True, "y " * 5000)]


def test_it_stops_at_its_deadline_on_large_shuffled_texts() -> None:
    rng = random.Random(7)
    lines = [f"  - name: col_{n}\n    description: column {n} of a wide table" for n in range(30000)]
    shuffled = lines[:]
    rng.shuffle(shuffled)
    old, new = "\n".join(lines) + "\n", "\n".join(shuffled) + "\n"
    start = time.monotonic()
    found = line_diff(old, new, timeout=0.3)
    elapsed = time.monotonic() - start
    assert found.timed_out and found.truncated and len(found.rows) == MAX_ROWS
    # The search stops at 0.3 s; preparing the lines and rows adds a bounded amount on a loaded machine.
    assert elapsed < 6, elapsed
