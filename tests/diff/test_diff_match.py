"""Pairing list items by identity: stable ids, natural keys, loose keys, content, and the labels in paths."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from dc43_portal.diff.match import MISSING, canonical, dump, field_key, hint, match, scalar_text

NAME = field_key("name")
ID = field_key("id")


def pairs(old: list[Any], new: list[Any], **kw: Any) -> list[tuple[str, Any, Any]]:
    return [
        (label, None if o is MISSING else o, None if n is MISSING else n) for label, o, n in match(old, new, NAME, **kw)
    ]


def test_it_reads_the_first_field_that_holds_a_key() -> None:
    key = field_key("username", "name", "id")
    assert key({"username": "", "name": "ann", "id": "x"}) == "ann"
    assert key({"username": None, "name": 7}) == "7"
    assert key({"name": 1.5}) == "1.5"
    assert key({"name": True, "id": "i"}) == "i"
    assert key({"name": ["a"]}) is None and key("ann") is None and key({}) is None


def test_it_pairs_by_name_and_lists_new_items_first() -> None:
    a, b, c = {"name": "a", "v": 1}, {"name": "b"}, {"name": "c"}
    assert pairs([a, b], [c, {"name": "a", "v": 2}]) == [
        ("c", None, c),
        ("a", a, {"name": "a", "v": 2}),
        ("b", b, None),
    ]


def test_it_pairs_a_renamed_item_by_its_stable_id_and_labels_it_by_the_id() -> None:
    old, new = [{"id": "p1", "name": "amount"}], [{"id": "p1", "name": "total"}]
    assert pairs(old, new, stable=ID) == [("p1", old[0], new[0])]
    same = [{"id": "p1", "name": "amount", "v": 2}]
    assert pairs(old, same, stable=ID) == [("amount", old[0], same[0])]


def test_it_ignores_a_stable_id_that_pairs_nothing_or_is_shared() -> None:
    old, new = [{"id": "p1", "name": "a"}], [{"id": "p2", "name": "a"}]
    assert pairs(old, new, stable=ID) == [("a", old[0], new[0])]
    twins = [{"id": "p", "name": "x"}, {"id": "p", "name": "y"}]
    assert [label for label, _, _ in pairs(twins, twins, stable=ID)] == ["x", "y"]


def test_it_falls_back_to_the_content_for_duplicate_names_and_numbers_duplicates() -> None:
    twin = {"name": "a", "v": 1}
    found = pairs([twin, {"name": "a", "v": 2}], [twin, twin])
    assert [(label.split("~")[0], o, n) for label, o, n in found] == [
        ("item", twin, twin),
        ("item", None, twin),
        ("item", {"name": "a", "v": 2}, None),
    ]
    labels = [label for label, _, _ in found]
    assert labels[1] == labels[0] + "#2" and len(set(labels)) == 3


def test_it_pairs_unnamed_items_by_a_loose_key() -> None:
    def loose(item: Any) -> str:
        return str(item.get("metric"))

    old, new = [{"metric": "nulls", "mustBe": 0}], [{"metric": "nulls", "mustBe": 1}]
    assert match(old, new, NAME, loose=loose) == [("nulls", old[0], new[0])]
    assert len(match(old, new, NAME)) == 2


def test_it_labels_colliding_hints_with_a_hash_of_the_content() -> None:
    old, new = [{"metric": "m", "v": 1}], [{"metric": "m", "v": 2}]
    labels = [label for label, _, _ in match(old, new, NAME)]
    expected = ["m~" + hashlib.sha1(canonical(item).encode("utf-8")).hexdigest()[:8] for item in (new[0], old[0])]
    assert labels == expected
    assert [label for label, _, _ in match([], [{"metric": "m"}], NAME)] == ["m"]


def test_it_skips_nulls() -> None:
    assert pairs([None, {"name": "a"}], [{"name": "a"}, None]) == [("a", {"name": "a"}, {"name": "a"})]


def test_it_hints_at_what_an_item_checks() -> None:
    assert hint({"rule": "r", "metric": "m"}) == "m"
    assert hint({"rule": "r", "type": "t"}) == "r"
    assert hint({"type": "t", "url": "u"}) == "t"
    assert hint({"value": "v"}) == "v" and hint({"url": "u"}) == "u"
    assert hint({"metric": 3}) == "item" and hint({}, "rule") == "rule"
    assert hint("x" * 50) == "x" * 40
    assert hint(12) == "12"


def test_its_canonical_text_ignores_key_and_set_order_but_not_ordered_lists() -> None:
    assert canonical({"b": [2, 1], "a": 1}) == canonical({"a": 1, "b": [1, 2]}) == '{"a":1,"b":[1,2]}'
    assert canonical({"mustBeBetween": [2, 1]}) == '{"mustBeBetween":[2,1]}'
    assert canonical({"from": [2, 1], "to": [2, 1], "mustNotBeBetween": [2, 1]}).count("[2,1]") == 3
    assert dump({"é": 1}) == '{"é":1}' and scalar_text("é") == "é" and scalar_text(1) == "1"
    assert canonical([{"a": 2}, {"a": 1}]) == canonical([{"a": 1}, {"a": 2}]) == '[{"a":1},{"a":2}]'
    assert canonical({"day": datetime.date(2024, 1, 2)}) == '{"day":"2024-01-02"}'  # YAML reads dates
