"""The fields ODCS v3.2.0 added, as the diff reads them: one case per new rule, and the fields that reuse old rules.

Each case asserts the rule, its severity, the path and the schema object of the one change it makes.
"""

from __future__ import annotations

from typing import Any

import pytest

from dc43_portal import odcs
from dc43_portal.diff import BREAKING, INFO, NON_BREAKING, RULES, diff, suggested_bump
from tests.conftest import FIXTURES


def doc(*objects: dict[str, Any], **top: Any) -> dict[str, Any]:
    base = {"apiVersion": "v3.2.0", "kind": "DataContract", "id": "c", "version": "1.0.0", "schema": list(objects)}
    return {**base, **top}


def orders(*props: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"name": "orders", "properties": list(props), **fields}


def fax(**fields: Any) -> dict[str, Any]:
    return {"name": "fax", "logicalType": "string", **fields}


def embedding(**options: Any) -> dict[str, Any]:
    return {"name": "embedding", "logicalType": "vector", "logicalTypeOptions": {"dimensions": 768, **options}}


def lines(value: dict[str, Any]) -> dict[str, Any]:
    return {"name": "lines", "logicalType": "map", "map": {"key": {"logicalType": "string"}, "value": value}}


LINE = {"logicalType": "object", "properties": [{"name": "sku", "logicalType": "string"}, {"name": "qty"}]}
CUSTOMERS = {"name": "customers", "properties": [{"name": "id"}]}
FAX = "schema.orders.properties.fax"
EMB = "schema.orders.properties.embedding.logicalTypeOptions"
SERVER = {"server": "prod", "type": "postgres", "host": "db"}

# (rule, old, new, the path of the one change, its schema object): the rules ODCS 3.2 brought
V32_PER_RULE = [
    ("marked-deprecated", doc(orders(fax())), doc(orders(fax(deprecated=True))), f"{FAX}.deprecated", "orders"),
    (
        "marked-deprecated",
        doc(orders(fax())),
        doc(orders(fax(), deprecated=True)),
        "schema.orders.deprecated",
        "orders",
    ),
    ("deprecation-withdrawn", doc(orders(fax(deprecated=True))), doc(orders(fax())), f"{FAX}.deprecated", "orders"),
    (
        "deprecated-removed",
        doc(orders({"name": "id"}, fax(deprecated=True))),
        doc(orders({"name": "id"})),
        FAX,
        "orders",
    ),
    (
        "deprecated-removed",
        doc(orders(fax()), {**CUSTOMERS, "deprecated": True}),
        doc(orders(fax())),
        "schema.customers",
        "customers",
    ),
    (
        "embedding-changed",
        doc(orders(embedding(embeddingModel="openai/text-embedding-3-small"))),
        doc(orders(embedding(embeddingModel="cohere/embed-english-v3.0"))),
        f"{EMB}.embeddingModel",
        "orders",
    ),
]

# (rule, old, new, path, object): 3.2 fields that an existing rule already describes
V32_REUSED = [
    ("property-removed", doc(orders({"name": "id"}, fax())), doc(orders({"name": "id"})), FAX, "orders"),
    (
        "deprecation-withdrawn",
        doc(orders(fax(), deprecated=True)),
        doc(orders(fax(), deprecated=False)),
        "schema.orders.deprecated",
        "orders",
    ),
    (
        "embedding-changed",
        doc(orders(embedding())),
        doc(orders(embedding(normalized=True))),
        f"{EMB}.normalized",
        "orders",
    ),
    (
        "embedding-changed",
        doc(orders(embedding(embeddingModelVersion="1"))),
        doc(orders(embedding(embeddingModelVersion="2"))),
        f"{EMB}.embeddingModelVersion",
        "orders",
    ),
    ("type-changed", doc(orders(embedding())), doc(orders(embedding(dimensions=384))), f"{EMB}.dimensions", "orders"),
    (
        "type-changed",
        doc(orders(embedding())),
        doc(orders(embedding(elementType="int8"))),
        f"{EMB}.elementType",
        "orders",
    ),
    (
        "metadata-changed",
        doc(orders(embedding())),
        doc(orders(embedding(distanceMetric="cosine"))),
        f"{EMB}.distanceMetric",
        "orders",
    ),
    (
        "type-changed",
        doc(orders(lines(LINE))),
        doc(orders(lines({**LINE, "logicalType": "array"}))),
        "schema.orders.properties.lines.map.value.logicalType",
        "orders",
    ),
    (
        "property-removed",
        doc(orders(lines(LINE))),
        doc(orders(lines({**LINE, "properties": LINE["properties"][:1]}))),
        "schema.orders.properties.lines.map.value.properties.qty",
        "orders",
    ),
    (
        "type-changed",
        doc(orders(lines(LINE))),
        doc(orders({"name": "lines", "logicalType": "map"})),
        "schema.orders.properties.lines.map",
        "orders",
    ),
    (
        "server-location-changed",
        doc(servers=[SERVER]),
        doc(servers=[{**SERVER, "type": "hana"}]),
        "servers.prod.type",
        None,
    ),
    (
        "server-location-changed",
        doc(servers=[SERVER]),
        doc(servers=[{**SERVER, "encoding": "ISO-8859-1"}]),
        "servers.prod.encoding",
        None,
    ),
    (
        "metadata-changed",
        doc(orders(fax())),
        doc(orders(fax(semanticType="dimension"))),
        f"{FAX}.semanticType",
        "orders",
    ),
    (
        "metadata-changed",
        doc(orders(fax())),
        doc(orders(fax(), context={"instructions": "Join on id."})),
        "schema.orders.context",
        "orders",
    ),
    (
        "constraint-tightened",
        doc(orders(fax(enum=[{"value": "a"}, {"value": "b"}]))),
        doc(orders(fax(enum=[{"value": "a"}]))),
        f"{FAX}.enum[b]",
        "orders",
    ),
    (
        "metadata-changed",
        doc(orders(fax(enum=[{"value": "a", "label": "A"}]))),
        doc(orders(fax(enum=[{"value": "a", "label": "Alpha"}]))),
        f"{FAX}.enum[a].label",
        "orders",
    ),
]
CASES = V32_PER_RULE + V32_REUSED


@pytest.mark.parametrize(("rule_id", "old", "new", "path", "obj"), CASES, ids=[f"{c[0]}:{c[3]}" for c in CASES])
def test_it_classifies_each_field_32_added(
    rule_id: str, old: dict[str, Any], new: dict[str, Any], path: str, obj: str | None
) -> None:
    [change] = list(diff(old, new))
    assert (change.rule, change.path, change.schema_object) == (rule_id, path, obj)
    assert change.severity == RULES[rule_id].severity


@pytest.mark.parametrize(
    ("rule_id", "severity"),
    [
        ("marked-deprecated", NON_BREAKING),
        ("deprecation-withdrawn", INFO),
        ("deprecated-removed", BREAKING),
        ("embedding-changed", BREAKING),
    ],
)
def test_the_new_rules_have_the_severity_a_consumer_needs(rule_id: str, severity: str) -> None:
    assert RULES[rule_id].severity == severity


def test_deprecated_false_says_nothing_new() -> None:
    assert not diff(doc(orders(fax())), doc(orders(fax(deprecated=False))))


def test_a_new_deprecated_property_is_just_added() -> None:
    [change] = list(diff(doc(orders(fax())), doc(orders(fax(), {"name": "old_fax", "deprecated": True}))))
    assert (change.rule, change.path) == ("property-added", "schema.orders.properties.old_fax")


def test_deprecating_the_released_fixture_is_a_minor_change() -> None:
    new = odcs.parse_document((FIXTURES / "odcs-v3.2.0-deprecated-property.yaml").read_bytes())
    old = {**new, "schema": [{k: v for k, v in o.items() if k != "deprecated"} for o in new["schema"]]}
    old["schema"][0] = {
        **old["schema"][0],
        "properties": [{k: v for k, v in p.items() if k != "deprecated"} for p in old["schema"][0]["properties"]],
    }
    changes = diff(old, new)
    assert [(c.rule, c.path, c.schema_object) for c in changes] == [
        ("marked-deprecated", "schema.customers.properties.fax_number.deprecated", "customers"),
        ("marked-deprecated", "schema.customers_legacy.deprecated", "customers_legacy"),
    ]
    assert suggested_bump(changes) == "minor"
    removed = {**new, "schema": new["schema"][:1]}
    assert [(c.rule, c.severity) for c in diff(new, removed)] == [("deprecated-removed", BREAKING)]
    assert suggested_bump(diff(new, removed)) == "major"
