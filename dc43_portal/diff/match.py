"""Pairing the items of two lists by identity, never by position, for the semantic diff.

Passes, each only over the items the previous ones left unpaired:
1. a stable id (ODCS 3.2 ``id``), used only where it pairs one old item with one new item, so a
   renamed property is still the same property;
2. a natural key (a name, ``server``, ``username``...), used where it is unique on both sides;
3. a looser content key (for quality rules: what the rule checks, not its thresholds);
4. the content itself, blind to key and list order.
No pass depends on list order, so reordering a list changes nothing, and swapping the two lists
swaps every pair.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from typing import Any

KeyFn = Callable[[Any], str | None]
Key = tuple[str, str, int]  # (pass: "p", "n", "l" or "c"; key text; occurrence, for exact duplicates)
MISSING: Any = object()
# Lists whose order means something; they are compared as whole values.
ORDERED = frozenset({"mustBeBetween", "mustNotBeBetween", "from", "to"})


def field_key(*fields: str) -> KeyFn:
    """The first of ``fields`` that holds a non-empty string or a number."""

    def key(item: Any) -> str | None:
        if isinstance(item, dict):
            for name in fields:
                value = item.get(name)
                if (isinstance(value, str) and value) or (
                    isinstance(value, int | float) and not isinstance(value, bool)
                ):
                    return str(value)
        return None

    return key


def dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def scalar_text(value: Any) -> str:
    return value if isinstance(value, str) else dump(value)


def canonical(item: Any) -> str:
    """Content as text, blind to key order and to the order of unordered lists, like the diff itself."""
    return dump(_unordered(item))


def _unordered(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _unordered(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_unordered(v) for v in value]
        return items if key in ORDERED else sorted(items, key=dump)
    return value


def hint(item: Any, default: str = "item") -> str:
    """A readable label for an item without a name; built only from what its key holds."""
    if isinstance(item, dict):
        found = next((item[k] for k in ("metric", "rule", "type", "value", "url") if isinstance(item.get(k), str)), "")
        return found or default
    return scalar_text(item)[:40]


def match(
    old: list[Any],
    new: list[Any],
    natural: KeyFn,
    *,
    stable: KeyFn | None = None,
    loose: KeyFn | None = None,
    label_hint: Callable[[Any], str] = hint,
) -> list[tuple[str, Any, Any]]:
    """``(label, old item or MISSING, new item or MISSING)`` for every item, new items first in their order."""
    old, new = [i for i in old if i is not None], [i for i in new if i is not None]
    keys_old, keys_new = _keys(old, new, [("p", stable), ("n", natural), ("l", loose)])
    by_old = dict(zip(keys_old, old, strict=True))
    by_new = dict(zip(keys_new, new, strict=True))
    ordered = keys_new + [k for k in keys_old if k not in by_new]
    labels = _labels(ordered, by_old, by_new, natural, label_hint)
    return [(labels[k], by_old.get(k, MISSING), by_new.get(k, MISSING)) for k in ordered]


def _keys(old: list[Any], new: list[Any], passes: list[tuple[str, KeyFn | None]]) -> tuple[list[Key], list[Key]]:
    found_old: list[tuple[str, str] | None] = [None] * len(old)
    found_new: list[tuple[str, str] | None] = [None] * len(new)
    for tag, fn in passes:
        if fn is None:
            continue
        values_old = {i: fn(item) for i, item in enumerate(old) if found_old[i] is None}
        values_new = {i: fn(item) for i, item in enumerate(new) if found_new[i] is None}
        count_old, count_new = Counter(values_old.values()), Counter(values_new.values())
        for values, found in ((values_old, found_old), (values_new, found_new)):
            for i, value in values.items():
                if value is None or count_old[value] > 1 or count_new[value] > 1:
                    continue
                # A stable id identifies only when it pairs two items; a lone one falls through to the name.
                if tag != "p" or count_old[value] == count_new[value] == 1:
                    found[i] = (tag, value)
    return _numbered(old, found_old), _numbered(new, found_new)


def _numbered(items: list[Any], found: list[tuple[str, str] | None]) -> list[Key]:
    seen: Counter[tuple[str, str]] = Counter()
    keys: list[Key] = []
    for item, base in zip(items, found, strict=True):
        base = base or ("c", canonical(item))
        seen[base] += 1
        keys.append((*base, seen[base]))
    return keys


def _labels(
    keys: list[Key], by_old: dict[Key, Any], by_new: dict[Key, Any], natural: KeyFn, label_hint: Callable[[Any], str]
) -> dict[Key, str]:
    """Path segments: the name, the stable id of a renamed item, or a hint plus a short hash where hints collide."""
    items = {**by_old, **by_new}
    named: dict[Key, str] = {}
    for key in keys:
        if key[0] == "n":
            named[key] = key[1]
        elif key[0] == "p":
            old_name, new_name = natural(by_old[key]), natural(by_new[key])
            named[key] = old_name if old_name is not None and old_name == new_name else key[1]
    taken = set(named.values())
    # Every (pass, text) occurs first once on some side, so occurrence 1 stands for all of its duplicates.
    hints = Counter(label_hint(items[(k[0], k[1], 1)]) for k in {(k[0], k[1]) for k in keys if k not in named})
    labels: dict[Key, str] = {}
    for key in keys:
        label = named.get(key) or label_hint(items[key])
        if key not in named and (hints[label] > 1 or label in taken):
            label += "~" + hashlib.sha1(key[1].encode("utf-8")).hexdigest()[:8]
        labels[key] = label + (f"#{key[2]}" if key[2] > 1 else "")
    return labels
