"""Properties every diff has: nothing against itself, a mirror image when reversed, and blindness to list order."""

from __future__ import annotations

import json
import random
from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dc43_portal.diff import ADDED, CHANGED, REMOVED, RULES, diff, suggested_bump
from tests.diff.strategies import DOCUMENT, JSON, NAMES, mutated, shuffled

MIRROR = {ADDED: REMOVED, REMOVED: ADDED, CHANGED: CHANGED}


def _signature(parts: tuple[str, ...], kind: str, old: Any, new: Any) -> tuple[Any, ...]:
    return (parts, kind, json.dumps(old, sort_keys=True), json.dumps(new, sort_keys=True))


@settings(max_examples=100, deadline=None)
@given(DOCUMENT)
def test_it_finds_nothing_between_a_document_and_itself(doc: dict[str, Any]) -> None:
    assert list(diff(doc, doc)) == []
    assert suggested_bump(diff(doc, json.loads(json.dumps(doc)))) is None


def _assert_mirrored(a: dict[str, Any], b: dict[str, Any]) -> None:
    forward = Counter(_signature(c.parts, c.kind, c.old, c.new) for c in diff(a, b))
    backward = Counter(_signature(c.parts, MIRROR[c.kind], c.new, c.old) for c in diff(b, a))
    assert forward == backward


@settings(max_examples=60, deadline=None)
@given(DOCUMENT, DOCUMENT)
def test_it_mirrors_every_change_between_unrelated_documents(a: dict[str, Any], b: dict[str, Any]) -> None:
    _assert_mirrored(a, b)


@settings(max_examples=100, deadline=None)
@given(DOCUMENT, st.randoms(use_true_random=False))
def test_it_mirrors_every_change_between_related_documents(a: dict[str, Any], rng: random.Random) -> None:
    _assert_mirrored(a, mutated(a, rng))


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(NAMES, JSON, max_size=6), st.dictionaries(NAMES, JSON, max_size=6))
def test_it_mirrors_and_never_fails_on_arbitrary_json(a: dict[str, Any], b: dict[str, Any]) -> None:
    _assert_mirrored(a, b)
    assert all(c.rule in RULES for c in diff(a, b))


SECTIONS = st.sampled_from(["schema", "servers", "team", "quality", "slaProperties", "support", "tags", "price"])
FIELDS = st.sampled_from(["name", "id", "properties", "items", "quality", "required", "logicalTypeOptions", "enum"])
MALFORMED = st.dictionaries(
    SECTIONS,
    st.one_of(JSON, st.lists(st.one_of(JSON, st.dictionaries(FIELDS, JSON, max_size=4)), max_size=3)),
    max_size=4,
)


@settings(max_examples=100, deadline=None)
@given(MALFORMED, MALFORMED)
def test_it_mirrors_and_never_fails_on_malformed_sections(a: dict[str, Any], b: dict[str, Any]) -> None:
    _assert_mirrored(a, b)


@settings(max_examples=100, deadline=None)
@given(DOCUMENT, st.randoms(use_true_random=False))
def test_it_ignores_the_order_of_lists(doc: dict[str, Any], rng: random.Random) -> None:
    assert list(diff(doc, shuffled(doc, rng))) == []


@settings(max_examples=30, deadline=None)
@given(DOCUMENT, DOCUMENT)
def test_it_ignores_status_and_version(a: dict[str, Any], b: dict[str, Any]) -> None:
    other = {**a, "status": "deprecated", "version": "9.9.9"}
    assert list(diff(a, other)) == []
    assert suggested_bump(diff(a, b)) == suggested_bump(diff(a, {**b, "status": "proposed", "version": "2.0.0"}))
