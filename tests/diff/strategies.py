"""Hypothesis strategies for ODCS-shaped documents, and a shuffle that reorders every unordered list."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import strategies as st

from dc43_portal.diff.walk import ORDERED

# A small pool of names, so two independent documents share most of their objects, properties and rules.
NAMES = st.sampled_from(["a", "b", "c", "d"])
TEXT = st.text(max_size=12)
# ODCS 3.2 stable ids, sometimes shared by two items of one list (then they cannot identify).
IDS = st.sampled_from(["p1", "p2", "p3"])
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(-10, 10, allow_nan=False), TEXT)
JSON = st.recursive(
    SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(NAMES, inner, max_size=3)),
    max_leaves=8,
)


def unique_by(key: str, items: st.SearchStrategy[dict[str, Any]], max_size: int = 3) -> st.SearchStrategy[list[Any]]:
    return st.lists(items, max_size=max_size, unique_by=lambda i: i.get(key))


QUALITY = st.fixed_dictionaries(
    {},
    optional={
        "name": NAMES,
        "id": IDS,
        "metric": st.sampled_from(["nullValues", "rowCount", "invalidValues"]),
        "description": TEXT,
        "severity": st.sampled_from(["info", "warning", "error"]),
        "mustBeGreaterThan": st.integers(0, 5),
        "mustBeLessOrEqualTo": st.integers(0, 5),
        "mustBeBetween": st.lists(st.integers(0, 9), min_size=2, max_size=2, unique=True),
        "validValues": st.lists(TEXT, max_size=3, unique=True),
    },
)
OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "minLength": st.integers(0, 5),
        "maxLength": st.integers(5, 50),
        "pattern": st.sampled_from(["^a", "^b", "[0-9]+"]),
        "minimum": st.integers(-5, 5),
        "exclusiveMaximum": st.one_of(st.booleans(), st.integers(0, 9)),
        "multipleOf": st.sampled_from([1, 2, 5, 10]),
        "uniqueItems": st.booleans(),
    },
)


def _property(children: st.SearchStrategy[list[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"name": NAMES},
        optional={
            "id": IDS,
            "logicalType": st.sampled_from(["string", "integer", "object", "array"]),
            "physicalType": st.sampled_from(["varchar", "int", "double"]),
            "required": st.booleans(),
            "unique": st.booleans(),
            "primaryKey": st.booleans(),
            "primaryKeyPosition": st.integers(-1, 3),
            "classification": st.sampled_from(["public", "internal", "confidential", "restricted", "weird"]),
            "description": TEXT,
            "tags": st.lists(NAMES, max_size=3, unique=True),
            "examples": st.lists(SCALAR, max_size=2),
            "logicalTypeOptions": OPTIONS,
            "enum": st.lists(st.one_of(NAMES, st.builds(lambda v: {"value": v}, NAMES)), max_size=3),
            "quality": st.lists(QUALITY, max_size=2),
            "customProperties": unique_by("property", st.fixed_dictionaries({"property": NAMES, "value": JSON})),
            "properties": children,
            "x-extension": JSON,
        },
    )


PROPERTIES = st.recursive(
    st.just([]),
    lambda children: unique_by("name", _property(children), max_size=4),
    max_leaves=6,
)
SCHEMA_OBJECT = st.fixed_dictionaries(
    {"name": NAMES, "properties": PROPERTIES},
    optional={"physicalName": NAMES, "description": TEXT, "quality": st.lists(QUALITY, max_size=2)},
)
DOCUMENT = st.fixed_dictionaries(
    {"apiVersion": st.just("v3.1.0"), "kind": st.just("DataContract"), "id": st.just("c"), "version": st.just("1.0.0")},
    optional={
        "status": st.sampled_from(["draft", "active"]),
        "name": TEXT,
        "domain": NAMES,
        "tags": st.lists(NAMES, max_size=3),
        "description": st.fixed_dictionaries({}, optional={"purpose": TEXT, "usage": TEXT}),
        "schema": unique_by("name", SCHEMA_OBJECT),
        "servers": unique_by(
            "server",
            st.fixed_dictionaries({"server": NAMES}, optional={"type": NAMES, "path": TEXT, "environment": NAMES}),
        ),
        "team": st.one_of(
            unique_by("username", st.fixed_dictionaries({"username": NAMES}, optional={"role": NAMES})),
            st.fixed_dictionaries(
                {"name": NAMES},
                optional={"members": unique_by("username", st.fixed_dictionaries({"username": NAMES, "role": NAMES}))},
            ),
        ),
        "roles": unique_by("role", st.fixed_dictionaries({"role": NAMES}, optional={"access": NAMES})),
        "slaProperties": unique_by(
            "property", st.fixed_dictionaries({"property": NAMES}, optional={"value": SCALAR, "unit": NAMES})
        ),
        "support": unique_by("channel", st.fixed_dictionaries({"channel": NAMES}, optional={"url": TEXT})),
        "price": st.fixed_dictionaries({}, optional={"priceAmount": st.integers(0, 9), "priceCurrency": NAMES}),
        "customProperties": unique_by("property", st.fixed_dictionaries({"property": NAMES, "value": JSON})),
        "x-extension": JSON,
    },
)


def shuffled(value: Any, rng: random.Random, key: str = "") -> Any:
    """A copy with every list reordered, except the lists whose order means something."""
    if isinstance(value, dict):
        return {k: shuffled(v, rng, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [shuffled(v, rng) for v in value]
        if key not in ORDERED:
            rng.shuffle(items)
        return items
    return value


POOL = (None, True, False, 0, 1, 5, 10, 2.5, "", "a", "b", "string", "integer", "public", "secret", [], ["a"], {})


def mutated(value: Any, rng: random.Random, rate: float = 0.15) -> Any:
    """A related copy: here and there a key dropped or reset, a list item dropped or added, a scalar replaced."""
    if isinstance(value, dict):
        out = {k: mutated(v, rng, rate) for k, v in value.items()}
        if out and rng.random() < rate:
            del out[rng.choice(sorted(out))]
        if out and rng.random() < rate:
            out[rng.choice(sorted(out))] = rng.choice(POOL)
        return out
    if isinstance(value, list):
        items = [mutated(v, rng, rate) for v in value]
        if items and rng.random() < rate:
            items.pop(rng.randrange(len(items)))
        if items and rng.random() < rate:
            items.append(mutated(rng.choice(items), rng, 0.5))
        return items
    return rng.choice(POOL) if rng.random() < rate else value
