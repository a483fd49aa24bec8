"""The finer points of each rule, one example each: the rule, its severity, the path and the object of every change.

The severity is read from the table in the diff's docstring (which a test keeps equal to the code's table), so a
slip in either shows here.
"""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal import diff as diff_module
from dc43_portal.diff import change_payload, diff
from tests.diff.test_diff_rules import AMOUNT, Q, _table_rows, amount, doc, rule

DOCUMENTED = _table_rows(diff_module.__doc__ or "")
LTO = f"{AMOUNT}.logicalTypeOptions"


def opts(**options: Any) -> dict[str, Any]:
    return doc(amount(logicalTypeOptions=options))


def expected_object(path: str) -> str | None:
    return path.split(".")[1] if path.startswith("schema.") else None


def check(old: dict[str, Any], new: dict[str, Any], *expected: tuple[str, str]) -> None:
    found = [change_payload(c) for c in diff(old, new)]
    assert [(p["rule"], p["severity"], p["path"], p["object"]) for p in found] == [
        (rule_id, DOCUMENTED[rule_id], path, expected_object(path)) for rule_id, path in expected
    ]


C = f"{AMOUNT}.classification"
# (old, new, the rule of the one change at schema.orders.properties.amount.classification)
CLASSIFICATIONS = [
    ("public", "open", "metadata-changed"),
    ("unclassified", "open", "metadata-changed"),
    ("private", "internal", "metadata-changed"),
    ("sensitive", "confidential", "metadata-changed"),
    (" Internal ", "internal", "metadata-changed"),
    ("public", "internal", "classification-raised"),
    ("open", "internal", "classification-raised"),
    ("unclassified", "private", "classification-raised"),
    ("internal", "confidential", "classification-raised"),
    ("private", "sensitive", "classification-raised"),
    ("confidential", "restricted", "classification-raised"),
    ("sensitive", "highly confidential", "classification-raised"),
    ("restricted", "secret", "classification-raised"),
    ("highly confidential", "secret", "classification-raised"),
    ("secret", "top secret", "classification-raised"),
    ("restricted", "confidential", "classification-weakened"),
    ("highly confidential", "confidential", "classification-weakened"),
    ("top secret", "secret", "classification-weakened"),
    ("internal", "public", "classification-weakened"),
    ("public", "tier-1", "classification-weakened"),
    ("tier-1", "public", "classification-weakened"),
    ("public", 3, "classification-weakened"),
    (None, "internal", "classification-raised"),
    (None, "tier-1", "classification-raised"),
    ("public", None, "classification-raised"),
    ("open", None, "classification-raised"),
    ("unclassified", None, "classification-raised"),
    ("private", None, "classification-weakened"),
    ("tier-1", None, "classification-weakened"),
]


@pytest.mark.parametrize(("old", "new", "rule_id"), CLASSIFICATIONS, ids=[f"{c[0]}->{c[1]}" for c in CLASSIFICATIONS])
def test_it_ranks_classifications(old: Any, new: Any, rule_id: str) -> None:
    check(doc(amount(classification=old)), doc(amount(classification=new)), (rule_id, C))


S, LO = "quality-rule-stricter", "quality-rule-loosened"
# (old thresholds, new thresholds, rule, the keys reported in order, when not the one key of the old side)
THRESHOLD_CASES: list[tuple[dict[str, Any], dict[str, Any], str, list[str] | None]] = [
    ({"mustNotBe": 0}, {"mustNotBe": 1}, S, None),
    ({"mustBeGreaterThanOrEqualTo": 0}, {"mustBeGreaterThanOrEqualTo": 1}, S, None),
    ({"mustBeGreaterThanOrEqualTo": 1}, {"mustBeGreaterThanOrEqualTo": 0}, LO, None),
    ({"mustBeGreaterOrEqualTo": 1}, {"mustBeGreaterOrEqualTo": 0}, LO, None),
    ({"mustBeLessThanOrEqualTo": 5}, {"mustBeLessThanOrEqualTo": 4}, S, None),
    ({"mustBeLessThanOrEqualTo": 4}, {"mustBeLessThanOrEqualTo": 5}, LO, None),
    ({"mustBeLessOrEqualTo": 4}, {"mustBeLessOrEqualTo": 3}, S, None),
    ({"mustBeGreaterThan": 0}, {"mustBeGreaterThan": -1}, LO, None),
    ({"mustBeLessThan": 5}, {"mustBeLessThan": 4}, S, None),
    ({"mustBeBetween": [0, 10]}, {"mustBeBetween": [-5, 10]}, LO, None),
    ({"mustBeBetween": [0, 10]}, {"mustBeBetween": [0, 9]}, S, None),
    ({"mustBeBetween": [0, 10]}, {"mustBeBetween": [10, 0]}, LO, None),
    ({"mustBeBetween": [0, 10]}, {"mustBeBetween": [0, "x"]}, S, None),
    ({"mustBeBetween": [0, 10]}, {"mustBeBetween": [0, 5, 10]}, S, None),
    ({"mustBeBetween": [0, 10]}, {"mustBeBetween": 5}, S, None),
    ({"mustBeGreaterThan": "a"}, {"mustBeGreaterThan": "b"}, S, None),
    ({"mustBeGreaterThan": 0}, {"mustBeGreaterThan": True}, S, None),
    ({"mustBeGreaterThan": 0}, {}, LO, None),
    ({}, {"mustBeLessThan": 0}, S, ["mustBeLessThan"]),
    # inclusive against exclusive bounds at the same value
    (
        {"mustBeGreaterThan": 0},
        {"mustBeGreaterThanOrEqualTo": 0},
        LO,
        ["mustBeGreaterThanOrEqualTo", "mustBeGreaterThan"],
    ),
    (
        {"mustBeGreaterThanOrEqualTo": 0},
        {"mustBeGreaterThan": 0},
        S,
        ["mustBeGreaterThan", "mustBeGreaterThanOrEqualTo"],
    ),
    ({"mustBeLessThan": 5}, {"mustBeLessOrEqualTo": 5}, LO, ["mustBeLessOrEqualTo", "mustBeLessThan"]),
    ({"mustBeLessOrEqualTo": 5}, {"mustBeLessThan": 5}, S, ["mustBeLessThan", "mustBeLessOrEqualTo"]),
    # the inclusive bounds of mustBeBetween
    ({"mustBeBetween": [0, 10]}, {"mustBeGreaterThan": 0}, S, ["mustBeGreaterThan", "mustBeBetween"]),
    ({"mustBeBetween": [0, 10]}, {"mustBeLessThan": 10}, S, ["mustBeLessThan", "mustBeBetween"]),
    ({"mustBeBetween": [0, 10]}, {"mustBeGreaterOrEqualTo": 0}, LO, ["mustBeGreaterOrEqualTo", "mustBeBetween"]),
    ({"mustBeBetween": [0, 10]}, {"mustBeLessThanOrEqualTo": 10}, LO, ["mustBeLessThanOrEqualTo", "mustBeBetween"]),
    # a mustBe replaced by a range that contains it, or not
    ({"mustBe": 5}, {"mustBeBetween": [0, 10]}, LO, ["mustBeBetween", "mustBe"]),
    ({"mustBe": 5}, {"mustBeBetween": [5, 5]}, LO, ["mustBeBetween", "mustBe"]),
    ({"mustBeBetween": [5, 5]}, {"mustBe": 5}, LO, ["mustBe", "mustBeBetween"]),
    ({"mustBeBetween": [0, 10]}, {"mustBe": 5}, S, ["mustBe", "mustBeBetween"]),
    ({"mustBe": 5}, {"mustBeBetween": [6, 10]}, S, ["mustBeBetween", "mustBe"]),
    ({"mustBe": 5}, {"mustBeBetween": [0, 4]}, S, ["mustBeBetween", "mustBe"]),
    ({"mustBe": "x"}, {"mustBeBetween": [0, 10]}, S, ["mustBeBetween", "mustBe"]),
    # mustNotBeBetween: a narrower gap accepts more; a malformed one cannot be compared
    ({"mustNotBeBetween": [0, 10]}, {"mustNotBeBetween": [0, 20]}, S, None),
    ({"mustNotBeBetween": [0, 10]}, {"mustNotBeBetween": [-1, 10]}, S, None),
    ({"mustNotBeBetween": [0, 10]}, {"mustNotBeBetween": [0, 9]}, LO, None),
    ({"mustNotBeBetween": [0, 10]}, {"mustNotBeBetween": [2]}, S, None),
    ({"mustNotBeBetween": [2]}, {"mustNotBeBetween": [0, 10]}, S, None),
    ({"mustNotBeBetween": [0, 10]}, {"mustNotBeBetween": ["a", "b"]}, S, None),
    (
        {"mustNotBeBetween": [0, 10]},
        {"mustNotBeBetween": [2, 8], "mustBeLessThan": 100},
        S,
        ["mustBeLessThan", "mustNotBeBetween"],
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "rule_id", "keys"), THRESHOLD_CASES, ids=[str(i) for i in range(len(THRESHOLD_CASES))]
)
def test_it_compares_thresholds(old: dict[str, Any], new: dict[str, Any], rule_id: str, keys: list[str] | None) -> None:
    check(doc(rule(**old)), doc(rule(**new)), *[(rule_id, f"{Q}.{key}") for key in keys or list(old)])


SEVERITIES = [
    ("info", "warning", "quality-rule-stricter"),
    ("warning", "info", "quality-rule-loosened"),
    ("warn", "warning", "metadata-changed"),
    ("WARNING", "warning", "metadata-changed"),
    ("warn", "error", "quality-rule-stricter"),
    ("error", "warn", "quality-rule-loosened"),
    ("info", "error", "quality-rule-stricter"),
    (None, "error", "metadata-changed"),
    ("error", None, "metadata-changed"),
    (None, "warning", "quality-rule-loosened"),
    ("info", None, "quality-rule-stricter"),
    ("warning", "critical", "quality-rule-redefined"),
    ("critical", "error", "quality-rule-redefined"),
]


@pytest.mark.parametrize(("old", "new", "rule_id"), SEVERITIES, ids=[f"{c[0]}->{c[1]}" for c in SEVERITIES])
def test_it_orders_quality_severities(old: str | None, new: str | None, rule_id: str) -> None:
    old_rule = rule(severity=old) if old else rule()
    new_rule = rule(severity=new) if new else rule()
    check(doc(old_rule), doc(new_rule), (rule_id, f"{Q}.severity"))


T, L = "constraint-tightened", "constraint-loosened"
# (old options, new options, rule of the one change, the option)
CONSTRAINTS = [
    ({"maxItems": 5}, {"maxItems": 3}, T, "maxItems"),
    ({"maxItems": 3}, {"maxItems": 5}, L, "maxItems"),
    ({"minItems": 1}, {"minItems": 2}, T, "minItems"),
    ({"minItems": 2}, {"minItems": 1}, L, "minItems"),
    ({"minLength": 1}, {"minLength": 2}, T, "minLength"),
    ({"maxLength": 2}, {"maxLength": 2.5}, L, "maxLength"),
    ({"minimum": 0}, {"minimum": -1}, L, "minimum"),
    ({"maximum": 10}, {"maximum": 9}, T, "maximum"),
    ({"exclusiveMinimum": 0}, {"exclusiveMinimum": 1}, T, "exclusiveMinimum"),
    ({"exclusiveMaximum": 10}, {"exclusiveMaximum": 11}, L, "exclusiveMaximum"),
    ({"minProperties": 1}, {"minProperties": 2}, T, "minProperties"),
    ({"maxProperties": 2}, {"maxProperties": 1}, T, "maxProperties"),
    ({"minimum": "2020-01-01"}, {"minimum": "2019-01-01"}, L, "minimum"),
    ({"minimum": "a"}, {"minimum": 5}, T, "minimum"),
    ({"maximum": 5}, {"maximum": "z"}, T, "maximum"),
    ({"format": "email"}, {"format": "uri"}, T, "format"),
    ({"format": "email"}, {}, L, "format"),
    ({}, {"format": "email"}, T, "format"),
    ({"timezone": "UTC"}, {"timezone": "CET"}, T, "timezone"),
    ({"defaultTimezone": "UTC"}, {"defaultTimezone": "CET"}, T, "defaultTimezone"),
    ({"pattern": "^a"}, {"pattern": "^b"}, T, "pattern"),
    ({}, {"maxLength": 5}, T, "maxLength"),
    ({"minLength": 5}, {}, L, "minLength"),
    ({"uniqueItems": False}, {"uniqueItems": True}, T, "uniqueItems"),
    ({"uniqueItems": True}, {"uniqueItems": False}, L, "uniqueItems"),
    ({}, {"uniqueItems": True}, T, "uniqueItems"),
    ({}, {"uniqueItems": "yes"}, L, "uniqueItems"),
    ({"uniqueItems": "yes"}, {"uniqueItems": True}, T, "uniqueItems"),
    ({"uniqueItems": True}, {"uniqueItems": "no"}, L, "uniqueItems"),
    ({"exclusiveMaximum": True}, {"exclusiveMaximum": False}, L, "exclusiveMaximum"),
    ({"multipleOf": 10}, {"multipleOf": 1}, L, "multipleOf"),
    ({"multipleOf": 10}, {"multipleOf": 0}, T, "multipleOf"),
    ({"multipleOf": 10}, {"multipleOf": 3}, T, "multipleOf"),
    ({"multipleOf": 0.3}, {"multipleOf": 0.1}, L, "multipleOf"),
    ({"multipleOf": 1}, {"multipleOf": 0.5}, L, "multipleOf"),
    ({"multipleOf": "a"}, {"multipleOf": 1}, T, "multipleOf"),
    ({"multipleOf": 2}, {"multipleOf": "a"}, T, "multipleOf"),
    ({}, {"multipleOf": 5}, T, "multipleOf"),
    ({"multipleOf": 5}, {}, L, "multipleOf"),
    ({"enum": ["a", "b"]}, {"enum": ["a"]}, T, "enum[b]"),
    ({"enum": ["a"]}, {"enum": ["a", "b"]}, L, "enum[b]"),
    ({"enum": ["a"]}, {}, L, "enum"),
    ({}, {"enum": ["a"]}, T, "enum"),
    ({"enum": "a"}, {"enum": ["a"]}, T, "enum"),
]


@pytest.mark.parametrize(
    ("old", "new", "rule_id", "key"), CONSTRAINTS, ids=[f"{i}-{c[3]}" for i, c in enumerate(CONSTRAINTS)]
)
def test_it_compares_constraints(old: dict[str, Any], new: dict[str, Any], rule_id: str, key: str) -> None:
    check(opts(**old), opts(**new), (rule_id, f"{LTO}.{key}"))


def test_it_reads_no_change_in_a_uniqueness_flag_added_as_false() -> None:
    check(opts(), opts(uniqueItems=False))
    check(opts(exclusiveMinimum=False), opts())


def test_it_compares_constraints_on_the_property_itself() -> None:
    check(doc(amount(maxLength=5)), doc(amount(maxLength=3)), (T, f"{AMOUNT}.maxLength"))
    check(doc(amount(uniqueItems=True)), doc(amount()), (L, f"{AMOUNT}.uniqueItems"))
    check(doc(amount(enum=["a"])), doc(amount(enum="a")), (T, f"{AMOUNT}.enum"))


def test_it_says_tightened_when_the_options_stop_being_an_object() -> None:
    check(opts(maxLength=5), doc(amount(logicalTypeOptions="x")), (T, LTO))
    check(opts(maxLength=5), opts(maxLength=5, note="n"), ("metadata-changed", f"{LTO}.note"))
