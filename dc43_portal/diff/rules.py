"""The vocabulary of the semantic diff: severities, the rule table, one change, and the pure classifiers
that decide whether a constraint, a quality threshold or a classification became stricter or looser.

The rule table is documented in ``dc43_portal/diff/__init__.py`` and ``docs/diff.md``; a test keeps the three in step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

BREAKING, NON_BREAKING, INFO = "breaking", "non-breaking", "info"
SEVERITIES = (BREAKING, NON_BREAKING, INFO)
ADDED, REMOVED, CHANGED = "added", "removed", "changed"
KINDS = (ADDED, REMOVED, CHANGED)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str


_TABLE = (
    (BREAKING, "object-removed", "a schema object was removed"),
    (BREAKING, "property-removed", "a property was removed"),
    (BREAKING, "renamed", "an object or property matched by id changed its name"),
    (BREAKING, "type-changed", "a logical or physical type (or an array's items) was changed, added or removed"),
    (BREAKING, "physical-name-changed", "the physical name of an object or property changed"),
    (BREAKING, "required-property-added", "a new property is required"),
    (BREAKING, "property-made-required", "a property became required"),
    (BREAKING, "property-made-unique", "a property became unique"),
    (BREAKING, "constraint-tightened", "a constraint was added or tightened (pattern, format, length, range, enum)"),
    (BREAKING, "primary-key-changed", "the primary key changed (a key flag or position)"),
    (BREAKING, "classification-weakened", "a classification was lowered, removed or changed to an unranked value"),
    (BREAKING, "quality-rule-stricter", "a quality rule rejects data it accepted before"),
    (BREAKING, "quality-rule-redefined", "a quality rule checks something else (query, metric, unit...)"),
    (BREAKING, "server-removed", "a server was removed"),
    (BREAKING, "server-location-changed", "where or how a server's data is read changed (type, path, format...)"),
    (BREAKING, "deprecated-removed", "an object or property marked deprecated was removed"),
    (BREAKING, "embedding-changed", "a vector's embedding model, its version or its normalisation changed"),
    (NON_BREAKING, "object-added", "a schema object was added"),
    (NON_BREAKING, "property-added", "an optional property was added"),
    (NON_BREAKING, "property-made-optional", "a property is no longer required"),
    (NON_BREAKING, "property-made-not-unique", "a property is no longer unique"),
    (NON_BREAKING, "constraint-loosened", "a constraint was removed or loosened"),
    (NON_BREAKING, "classification-raised", "a classification was added or raised"),
    (NON_BREAKING, "quality-rule-added", "a quality rule was added"),
    (NON_BREAKING, "quality-rule-removed", "a quality rule was removed"),
    (NON_BREAKING, "quality-rule-loosened", "a quality rule accepts everything it accepted before, and more"),
    (NON_BREAKING, "relationship-changed", "a relationship (foreign key) was added, removed or changed"),
    (NON_BREAKING, "partitioning-changed", "partitioning changed"),
    (NON_BREAKING, "encryption-changed", "the encrypted name of a property changed"),
    (NON_BREAKING, "server-added", "a server was added"),
    (NON_BREAKING, "server-changed", "a server's environment, roles or description changed"),
    (NON_BREAKING, "sla-changed", "a service-level agreement entry was added, removed or changed"),
    (NON_BREAKING, "price-changed", "the price changed"),
    (NON_BREAKING, "marked-deprecated", "an object or property was marked deprecated"),
    (INFO, "metadata-changed", "descriptions, names, tags, examples, links or custom properties changed"),
    (INFO, "team-changed", "team, roles, support channels or stakeholders changed"),
    (INFO, "deprecation-withdrawn", "an object or property is no longer marked deprecated"),
)
RULES: dict[str, Rule] = {rule_id: Rule(rule_id, severity, summary) for severity, rule_id, summary in _TABLE}


@dataclass(frozen=True)
class Change:
    """One semantic change: where (path segments), what (added/removed/changed), old and new, and the rule."""

    parts: tuple[str, ...]
    kind: str
    old: Any
    new: Any
    rule: str

    @property
    def path(self) -> str:
        return path_text(self.parts)

    @property
    def severity(self) -> str:
        return RULES[self.rule].severity

    @property
    def section(self) -> str:
        return self.parts[0]

    @property
    def schema_object(self) -> str | None:
        """The schema object a change belongs to, for the side-by-side view."""
        return object_of(self.parts)

    @property
    def summary(self) -> str:
        return RULES[self.rule].summary


def object_of(parts: tuple[str, ...]) -> str | None:
    """``orders`` for ``schema.orders...``; ``None`` outside the schema or for the whole schema section."""
    return parts[1] if parts[0] == "schema" and len(parts) > 1 else None


def path_text(parts: tuple[str, ...]) -> str:
    """``schema.orders.properties.amount.logicalType``; list members read ``tags[pii]``."""
    text = ""
    for part in parts:
        text += part if part.startswith("[") or not text else f".{part}"
    return text


# ---------------------------------------------------------------- absent values and equality


def absent(value: Any) -> bool:
    """``None``, ``[]`` and ``{}`` say nothing, so they equal a missing key."""
    return value is None or (type(value) in (list, dict) and not value)


def kind_of(old: Any, new: Any) -> str:
    return ADDED if absent(old) else REMOVED if absent(new) else CHANGED


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _comparable(a: Any, b: Any) -> bool:
    """Two bounds that can be ordered: two numbers, two booleans, or two strings (ISO dates)."""
    return (
        (_number(a) and _number(b))
        or (isinstance(a, bool) and isinstance(b, bool))
        or (isinstance(a, str) and isinstance(b, str))
    )


# ---------------------------------------------------------------- constraints (logicalTypeOptions)

LOWER_BOUNDS = frozenset({"minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties"})
UPPER_BOUNDS = frozenset({"maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties"})
# Any new or different value rejects data the old one accepted (regexes cannot be compared).
EXACT_CONSTRAINTS = frozenset({"pattern", "format", "timezone", "defaultTimezone"})
CONSTRAINTS = LOWER_BOUNDS | UPPER_BOUNDS | EXACT_CONSTRAINTS | {"multipleOf", "uniqueItems"}
TIGHTENED, LOOSENED = "constraint-tightened", "constraint-loosened"


def constraint_rule(key: str, old: Any, new: Any) -> str:
    """Whether changing constraint ``key`` from ``old`` to ``new`` tightens or loosens it."""
    if absent(new):
        return LOOSENED
    if absent(old):
        return LOOSENED if key == "uniqueItems" and new is not True else TIGHTENED
    if key == "uniqueItems":
        return TIGHTENED if new is True else LOOSENED
    if key == "multipleOf":
        loosened = _number(old) and _number(new) and new != 0 and math.isclose(old / new, round(old / new))
        return LOOSENED if loosened else TIGHTENED
    if key in EXACT_CONSTRAINTS or not _comparable(old, new):
        return TIGHTENED
    if key in LOWER_BOUNDS:
        return TIGHTENED if new > old else LOOSENED
    return TIGHTENED if new < old else LOOSENED


# ---------------------------------------------------------------- classification

# Public < internal < confidential < restricted < secret; anything else cannot be ranked.
CLASSIFICATION_RANKS = {
    "public": 0,
    "open": 0,
    "unclassified": 0,
    "internal": 1,
    "private": 1,
    "confidential": 2,
    "sensitive": 2,
    "restricted": 3,
    "highly confidential": 3,
    "secret": 4,
    "top secret": 5,
}


def _rank(value: Any) -> int | None:
    return CLASSIFICATION_RANKS.get(value.strip().lower()) if isinstance(value, str) else None


def classification_rule(old: Any, new: Any) -> str:
    if absent(old):
        return "classification-raised"
    old_rank, new_rank = _rank(old), _rank(new)
    if absent(new):
        return "classification-raised" if old_rank == 0 else "classification-weakened"
    if old_rank is None or new_rank is None or new_rank < old_rank:
        return "classification-weakened"
    return "classification-raised" if new_rank > old_rank else "metadata-changed"


# ---------------------------------------------------------------- quality thresholds

THRESHOLDS = (
    "mustBe",
    "mustNotBe",
    "mustBeGreaterThan",
    "mustBeGreaterOrEqualTo",
    "mustBeGreaterThanOrEqualTo",
    "mustBeLessThan",
    "mustBeLessOrEqualTo",
    "mustBeLessThanOrEqualTo",
    "mustBeBetween",
    "mustNotBeBetween",
)
STRICTER, LOOSER = "quality-rule-stricter", "quality-rule-loosened"
Interval = tuple[float, bool, float, bool]  # low, low included, high, high included


def _interval(thresholds: dict[str, Any]) -> Interval | None:
    """The values a rule accepts as one interval, or ``None`` when it is not one (mustNot..., text)."""
    low, low_in, high, high_in = -math.inf, False, math.inf, False
    for op, value in thresholds.items():
        if op == "mustBeBetween":
            if not (isinstance(value, list) and len(value) == 2 and all(_number(v) for v in value)):
                return None
            low, low_in, high, high_in = min(value), True, max(value), True
        elif not _number(value):
            return None
        elif op == "mustBe":
            low, low_in, high, high_in = value, True, value, True
        elif op == "mustBeGreaterThan":
            low, low_in = value, False
        elif op.startswith("mustBeGreater"):
            low, low_in = value, True
        elif op == "mustBeLessThan":
            high, high_in = value, False
        elif op.startswith("mustBeLess"):
            high, high_in = value, True
        else:
            return None
    return (low, low_in, high, high_in)


def _contains(outer: Interval, inner: Interval) -> bool:
    low_ok = outer[0] < inner[0] or (outer[0] == inner[0] and (outer[1] or not inner[1]))
    high_ok = outer[2] > inner[2] or (outer[2] == inner[2] and (outer[3] or not inner[3]))
    return low_ok and high_ok


def threshold_rule(old: dict[str, Any], new: dict[str, Any]) -> str:
    """Looser only when every value the old thresholds accepted is still accepted; stricter otherwise."""
    old_range, new_range = _interval(old), _interval(new)
    if old_range is not None and new_range is not None:
        return LOOSER if _contains(new_range, old_range) else STRICTER
    if set(old) == set(new) == {"mustNotBeBetween"}:
        old_gap = _interval({"mustBeBetween": old["mustNotBeBetween"]})
        new_gap = _interval({"mustBeBetween": new["mustNotBeBetween"]})
        if old_gap is not None and new_gap is not None:
            # A narrower excluded range accepts more.
            return LOOSER if _contains(old_gap, new_gap) else STRICTER
    return STRICTER


# Quality severity: a rule that only warned and now fails a run is stricter; no severity reads as error.
QUALITY_SEVERITY_RANKS = {"info": 0, "warning": 1, "warn": 1, "error": 2}


def quality_severity_rule(old: Any, new: Any) -> str:
    old_rank = QUALITY_SEVERITY_RANKS.get(str(old).lower(), -1) if not absent(old) else 2
    new_rank = QUALITY_SEVERITY_RANKS.get(str(new).lower(), -1) if not absent(new) else 2
    if old_rank < 0 or new_rank < 0:
        return "quality-rule-redefined"
    if new_rank == old_rank:
        return "metadata-changed"
    return STRICTER if new_rank > old_rank else LOOSER
