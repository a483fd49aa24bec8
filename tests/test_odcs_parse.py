"""Parsing: bounds, encodings, safe YAML and JSON values (DESIGN §2)."""

from __future__ import annotations

import json

import pytest

from dc43_portal import odcs
from dc43_portal.errors import DocumentTooLarge, InvalidContract
from tests.conftest import make_doc


def test_it_parses_json_and_yaml_to_the_same_document() -> None:
    doc = make_doc()
    assert odcs.parse_document(json.dumps(doc).encode()) == doc
    assert odcs.parse_document(odcs.dump_yaml(doc)) == doc


def test_it_checks_the_size_before_parsing() -> None:
    huge = b"{" + b" " * 2000 + b"]"  # invalid JSON: only the size check can answer first
    with pytest.raises(DocumentTooLarge, match="limit is 1000 bytes"):
        odcs.parse_document(huge, max_bytes=1000)


def test_it_accepts_a_utf8_bom() -> None:
    assert odcs.parse_document("\ufeff" + json.dumps(make_doc()))["id"] == "sales.orders"


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_it_refuses_other_encodings(encoding: str) -> None:
    text = odcs.dump_yaml(make_doc(name="Café ☕" if encoding == "utf-16" else "Café"))
    with pytest.raises(InvalidContract, match="not UTF-8"):
        odcs.parse_document(text.encode(encoding))


@pytest.mark.parametrize(
    "text",
    ['{"id": "a", "id": "b"}', "id: a\nid: b\n", "schema:\n  - name: a\n    name: b\n"],
    ids=["json", "yaml", "yaml-nested"],
)
def test_it_refuses_duplicate_keys(text: str) -> None:
    with pytest.raises(InvalidContract, match="duplicate key"):
        odcs.parse_document(text)


def test_it_keeps_yaml_timestamps_as_strings() -> None:
    doc = odcs.parse_document("id: x\ncontractCreatedTs: 2022-10-03\nwhen: 2022-10-03T10:00:00Z\n")
    assert doc["contractCreatedTs"] == "2022-10-03"
    assert doc["when"] == "2022-10-03T10:00:00Z"


def test_it_bounds_alias_expansion() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 9):
        prev = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        bomb += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    with pytest.raises(InvalidContract, match="too many nodes"):
        odcs.parse_document(bomb)


def test_it_refuses_recursive_aliases() -> None:
    with pytest.raises(InvalidContract, match="refers to itself"):
        odcs.parse_document("a: &a\n  - *a\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("- just\n- a list\n", "must be a mapping"),
        ("id: [unclosed\n", "invalid YAML at line"),
        ('{"id": ', "invalid JSON at line 1"),
        ('{"x": NaN}', "NaN is not a JSON value"),
        ("x: .nan\n", "NaN and infinity"),
        ("1: one\n", "keys must be strings"),
        ("x: !!binary aGVsbG8=\n", "bytes is not a JSON value"),
        ("x: !!python/object:os.system {}\n", "invalid YAML"),
    ],
)
def test_it_refuses_what_json_cannot_hold(text: str, message: str) -> None:
    with pytest.raises(InvalidContract, match=message):
        odcs.parse_document(text)


def test_deep_json_nesting_is_a_clear_error() -> None:
    with pytest.raises(InvalidContract):
        odcs.parse_document("{" + '"a":[' * 100_000 + "]" * 100_000 + "}")


def test_it_bounds_any_nesting_before_recursive_consumers_see_it() -> None:
    deep = "[" * 300 + "]" * 300
    with pytest.raises(InvalidContract, match="nested more than 100 levels"):
        odcs.parse_document(
            json.dumps(make_doc(customProperties=[{"property": "x", "value": "PLACEHOLDER"}])).replace(
                '"PLACEHOLDER"', deep
            )
        )
