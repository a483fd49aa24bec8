"""Values of a change as people read them: fields rather than JSON, changed words marked (no Django).

The compare page prints a changed description with the words that differ highlighted, an added property as
its fields (``logicalType: string``), and a list of scalars as a comma-separated list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from dc43_portal.diff.text import Segment, word_diff


@dataclass
class Readable:
    """One side of a change: ``segments`` for a scalar or a short list, ``fields`` for a mapping."""

    segments: list[Segment] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.segments and not self.fields


def scalar_text(value: Any) -> str:
    """A value as the document writes it: ``true``, ``12``, text as is, a list of scalars comma-separated."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str | int | float | bool) for v in value):
        return ", ".join(scalar_text(v) if not isinstance(v, bool) else json.dumps(v) for v in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _fields(value: dict[str, Any], skip: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(k, scalar_text(v)) for k, v in value.items() if k not in skip]


def readable_pair(old: Any, new: Any, *, skip: tuple[str, ...] = ()) -> tuple[Readable, Readable]:
    """Both sides of a change; two texts get their differing words marked."""
    if isinstance(old, dict) or isinstance(new, dict):
        left = Readable(fields=_fields(old, skip)) if isinstance(old, dict) else _plain(old)
        right = Readable(fields=_fields(new, skip)) if isinstance(new, dict) else _plain(new)
        return left, right
    old_text, new_text = scalar_text(old), scalar_text(new)
    if old_text and new_text:
        left_segments, right_segments = word_diff(old_text, new_text)
        return Readable(segments=left_segments), Readable(segments=right_segments)
    return _plain(old), _plain(new)


def _plain(value: Any) -> Readable:
    text = scalar_text(value)
    return Readable(segments=[(False, text)] if text else [])
