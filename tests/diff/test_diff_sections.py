"""What each field of each section means to the diff: one example per entry of the walker's tables (element
fields, flags, quality documentation, value lists, servers, top-level sections, the keys that pair list items),
each checking the rule, its documented severity, the path and the object of every change."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from dc43_portal.diff import diff
from dc43_portal.diff.match import canonical
from tests.diff.test_diff_rule_details import check, opts
from tests.diff.test_diff_rules import AMOUNT, Q, amount, doc, rule


def content_hash(item: Any) -> str:
    return hashlib.sha1(canonical(item).encode("utf-8")).hexdigest()[:8]


MD, TEAM, SLA = "metadata-changed", "team-changed", "sla-changed"
SERVER = {"server": "prod", "type": "postgres", "host": "db"}

# (name, old, new, the changes as (rule, path))
CASES: list[tuple[str, dict[str, Any], dict[str, Any], list[tuple[str, str]]]] = [
    # element fields
    (
        "physicalType",
        doc(amount(physicalType="int")),
        doc(amount(physicalType="bigint")),
        [("type-changed", f"{AMOUNT}.physicalType")],
    ),
    ("items added", doc(amount()), doc(amount(items={"logicalType": "string"})), [("type-changed", f"{AMOUNT}.items")]),
    (
        "items removed",
        doc(amount(items={"logicalType": "string"})),
        doc(amount()),
        [("type-changed", f"{AMOUNT}.items")],
    ),
    (
        "items not an object",
        doc(amount(items={"logicalType": "string"})),
        doc(amount(items="string")),
        [("type-changed", f"{AMOUNT}.items")],
    ),
    (
        "partitionKeyPosition",
        doc(amount(partitionKeyPosition=1)),
        doc(amount(partitionKeyPosition=2)),
        [("partitioning-changed", f"{AMOUNT}.partitionKeyPosition")],
    ),
    ("partitionKeyPosition default", doc(amount(partitionKeyPosition=-1)), doc(amount()), []),
    (
        "primaryKeyPosition",
        doc(amount(primaryKeyPosition=-1)),
        doc(amount(primaryKeyPosition=1)),
        [("primary-key-changed", f"{AMOUNT}.primaryKeyPosition")],
    ),
    (
        "new primary key property",
        doc(amount()),
        doc(amount(), {"name": "id", "primaryKey": True}),
        [("primary-key-changed", "schema.orders.properties.id")],
    ),
    (
        "criticalDataElement",
        doc(amount()),
        doc(amount(criticalDataElement=True)),
        [(MD, f"{AMOUNT}.criticalDataElement")],
    ),
    ("criticalDataElement false", doc(amount(criticalDataElement=False)), doc(amount()), []),
    ("partitioned false", doc(amount(partitioned=False)), doc(amount()), []),
    ("primaryKey false", doc(amount(primaryKey=False)), doc(amount()), []),
    (
        "primaryKey cleared",
        doc(amount(primaryKey=True)),
        doc(amount()),
        [("primary-key-changed", f"{AMOUNT}.primaryKey")],
    ),
    (
        "partitioned cleared",
        doc(amount(partitioned=True)),
        doc(amount()),
        [("partitioning-changed", f"{AMOUNT}.partitioned")],
    ),
    (
        "relationships removed",
        doc(amount(relationships=[{"to": "c.id"}])),
        doc(amount()),
        [("relationship-changed", f"{AMOUNT}.relationships")],
    ),
    (
        "synonyms",
        doc(amount(synonyms=[{"synonym": "total", "description": "a"}])),
        doc(amount(synonyms=[{"synonym": "total", "description": "b"}])),
        [(MD, f"{AMOUNT}.synonyms.total.description")],
    ),
    (
        "enum member documented",
        doc(amount(enum=[{"value": "EUR", "description": "a"}])),
        doc(amount(enum=[{"value": "EUR", "description": "b"}])),
        [(MD, f"{AMOUNT}.enum[EUR].description")],
    ),
    (
        "object logicalType default",
        doc(objects=[{"name": "orders", "logicalType": "object"}]),
        doc(objects=[{"name": "orders"}]),
        [],
    ),
    (
        "object logicalType changed",
        doc(objects=[{"name": "orders", "logicalType": "object"}]),
        doc(objects=[{"name": "orders", "logicalType": "array"}]),
        [("type-changed", "schema.orders.logicalType")],
    ),
    (
        "object physicalName",
        doc(objects=[{"name": "orders", "physicalName": "t1"}]),
        doc(objects=[{"name": "orders", "physicalName": "t2"}]),
        [("physical-name-changed", "schema.orders.physicalName")],
    ),
    ("schema not a list", doc(objects=[]), {**doc(), "schema": {"orders": {}}}, [("type-changed", "schema")]),
    (
        "property not an object",
        doc(amount()),
        doc("amount"),
        # New items come first; the string's label "amount" is taken, so it carries a hash of its content.
        [
            ("property-added", "schema.orders.properties.amount~3bd2ea55"),
            ("property-removed", "schema.orders.properties.amount"),
        ],
    ),
    # quality rules: documentation is metadata; anything else redefines the rule
    ("quality documentation", doc(rule(description="a")), doc(rule(description="b")), [(MD, f"{Q}.description")]),
    (
        "quality businessImpact",
        doc(rule(businessImpact="a")),
        doc(rule(businessImpact="b")),
        [(MD, f"{Q}.businessImpact")],
    ),
    ("quality dimension", doc(rule(dimension="a")), doc(rule(dimension="b")), [(MD, f"{Q}.dimension")]),
    ("quality tags", doc(rule(tags=["a"])), doc(rule(tags=["a", "b"])), [(MD, f"{Q}.tags[b]")]),
    (
        "quality authoritativeDefinitions",
        doc(rule(authoritativeDefinitions=[{"url": "u", "type": "a"}])),
        doc(rule(authoritativeDefinitions=[{"url": "u", "type": "b"}])),
        [(MD, f"{Q}.authoritativeDefinitions.u.type")],
    ),
    (
        "quality customProperties",
        doc(rule(customProperties=[{"property": "p", "value": 1}])),
        doc(rule(customProperties=[{"property": "p", "value": 2}])),
        [(MD, f"{Q}.customProperties.p.value")],
    ),
    ("quality schedule", doc(rule(schedule="a")), doc(rule(schedule="b")), [(MD, f"{Q}.schedule")]),
    ("quality scheduler", doc(rule(scheduler="a")), doc(rule(scheduler="b")), [(MD, f"{Q}.scheduler")]),
    ("quality method", doc(rule(method="a")), doc(rule(method="b")), [(MD, f"{Q}.method")]),
    ("quality id", doc(rule(id="q1")), doc(rule(id="q2")), [(MD, f"{Q}.id")]),
    (
        "quality renamed by id",
        doc(amount(quality=[{"id": "q1", "name": "a", "metric": "m"}])),
        doc(amount(quality=[{"id": "q1", "name": "b", "metric": "m"}])),
        [(MD, f"{AMOUNT}.quality.q1.name")],
    ),
    ("quality engine", doc(rule(engine="a")), doc(rule(engine="b")), [("quality-rule-redefined", f"{Q}.engine")]),
    ("quality unit", doc(rule(unit="rows")), doc(rule(unit="percent")), [("quality-rule-redefined", f"{Q}.unit")]),
    ("quality type", doc(rule(type="sql")), doc(rule(type="custom")), [("quality-rule-redefined", f"{Q}.type")]),
    ("quality type default", doc(rule(type="library")), doc(rule()), []),
    (
        "quality argument",
        doc(rule(arguments={"x": 1})),
        doc(rule(arguments={"x": 2})),
        [("quality-rule-redefined", f"{Q}.arguments.x")],
    ),
    (
        "quality arguments not an object",
        doc(rule(arguments={"x": 1})),
        doc(rule(arguments=[1])),
        [("quality-rule-redefined", f"{Q}.arguments")],
    ),
    (
        "quality not a list",
        doc(amount(quality=[])),
        doc(amount(quality={"q": 1})),
        [("quality-rule-redefined", f"{AMOUNT}.quality")],
    ),
    (
        "quality item not an object",
        doc(amount(quality=["a"])),
        doc(amount(quality=["b"])),
        [("quality-rule-added", f"{AMOUNT}.quality.b"), ("quality-rule-removed", f"{AMOUNT}.quality.a")],
    ),
    # rules without a name: paired by what they check, blind to their thresholds, severity and value lists
    (
        "unnamed rule added",
        doc(amount()),
        doc(amount(quality=[{"mustBeGreaterThan": 0}])),
        [("quality-rule-added", f"{AMOUNT}.quality.rule")],
    ),
    (
        "unnamed rule with a default type",
        doc(amount(quality=[{"metric": "nullValues", "mustBe": 0}])),
        doc(amount(quality=[{"metric": "nullValues", "type": "library", "mustBe": 1}])),
        [("quality-rule-stricter", f"{AMOUNT}.quality.nullValues.mustBe")],
    ),
    (
        "unnamed rule severity",
        doc(amount(quality=[{"metric": "nullValues", "severity": "warning"}])),
        doc(amount(quality=[{"metric": "nullValues", "severity": "error"}])),
        [("quality-rule-stricter", f"{AMOUNT}.quality.nullValues.severity")],
    ),
    (
        "unnamed rule value list",
        doc(amount(quality=[{"metric": "invalidValues", "arguments": {"validValues": ["a"], "n": 1}}])),
        doc(amount(quality=[{"metric": "invalidValues", "arguments": {"validValues": ["a", "b"], "n": 1}}])),
        [("quality-rule-loosened", f"{AMOUNT}.quality.invalidValues.arguments.validValues[b]")],
    ),
    (
        "unnamed rule top-level value list",
        doc(amount(quality=[{"rule": "valid", "validValues": ["a"]}])),
        doc(amount(quality=[{"rule": "valid", "validValues": ["a", "b"]}])),
        [("quality-rule-loosened", f"{AMOUNT}.quality.valid.validValues[b]")],
    ),
    (
        "unnamed rule documented",
        doc(amount(quality=[{"rule": "valid", "description": "a"}])),
        doc(amount(quality=[{"rule": "valid", "description": "b"}])),
        [(MD, f"{AMOUNT}.quality.valid.description")],
    ),
    # value lists: (added value, removed value) and the whole list
    (
        "missingValues gains",
        doc(rule(missingValues=["a"])),
        doc(rule(missingValues=["a", "b"])),
        [("quality-rule-stricter", f"{Q}.missingValues[b]")],
    ),
    (
        "missingValues loses",
        doc(rule(missingValues=["a", "b"])),
        doc(rule(missingValues=["a"])),
        [("quality-rule-loosened", f"{Q}.missingValues[b]")],
    ),
    (
        "invalidValues loses",
        doc(rule(invalidValues=["a", "b"])),
        doc(rule(invalidValues=["a"])),
        [("quality-rule-loosened", f"{Q}.invalidValues[b]")],
    ),
    (
        "invalidValues gains",
        doc(rule(invalidValues=["a"])),
        doc(rule(invalidValues=["a", "b"])),
        [("quality-rule-stricter", f"{Q}.invalidValues[b]")],
    ),
    (
        "validValues gains",
        doc(rule(validValues=["a"])),
        doc(rule(validValues=["a", "b"])),
        [("quality-rule-loosened", f"{Q}.validValues[b]")],
    ),
    ("validValues added", doc(rule()), doc(rule(validValues=["a"])), [("quality-rule-stricter", f"{Q}.validValues")]),
    ("validValues removed", doc(rule(validValues=["a"])), doc(rule()), [("quality-rule-loosened", f"{Q}.validValues")]),
    (
        "argument missingValues",
        doc(rule(arguments={"missingValues": ["a"]})),
        doc(rule(arguments={"missingValues": ["a", "b"]})),
        [("quality-rule-stricter", f"{Q}.arguments.missingValues[b]")],
    ),
    # servers
    (
        "server description",
        doc(servers=[{**SERVER, "description": "a"}]),
        doc(servers=[{**SERVER, "description": "b"}]),
        [(MD, "servers.prod.description")],
    ),
    (
        "server id",
        doc(servers=[{**SERVER, "id": "a"}]),
        doc(servers=[{**SERVER, "id": "b"}]),
        [(MD, "servers.prod.id")],
    ),
    (
        "server renamed by id",
        doc(servers=[{**SERVER, "id": "s1"}]),
        doc(servers=[{**SERVER, "id": "s1", "server": "production"}]),
        [(MD, "servers.s1.server")],
    ),
    (
        "server roles",
        doc(servers=[{**SERVER, "roles": [{"role": "r", "access": "read"}]}]),
        doc(servers=[{**SERVER, "roles": [{"role": "r", "access": "write"}]}]),
        [("server-changed", "servers.prod.roles.r.access")],
    ),
    (
        "server customProperties",
        doc(servers=[{**SERVER, "customProperties": [{"property": "p", "value": 1}]}]),
        doc(servers=[{**SERVER, "customProperties": [{"property": "p", "value": 2}]}]),
        [("server-changed", "servers.prod.customProperties.p.value")],
    ),
    (
        "server format",
        doc(servers=[SERVER]),
        doc(servers=[{**SERVER, "format": "csv"}]),
        [("server-location-changed", "servers.prod.format")],
    ),
    (
        "server not an object",
        doc(servers=[SERVER]),
        doc(servers=["prod"]),
        [("server-added", "servers.prod~12b7c77f"), ("server-removed", "servers.prod")],
    ),
    ("servers not a list", doc(servers=[SERVER]), doc(servers={"prod": SERVER}), [("type-changed", "servers")]),
    (
        "server paired by content",
        doc(servers=["x"]),
        doc(servers=["x", SERVER]),
        [("server-added", "servers.prod")],
    ),
    # lists inside a field: ordered ones whole, named or identified items paired
    (
        "relationship renamed by id",
        doc(amount(relationships=[{"id": "r1", "name": "a", "to": "x"}])),
        doc(amount(relationships=[{"id": "r1", "name": "b", "to": "x"}])),
        [("relationship-changed", f"{AMOUNT}.relationships.r1.name")],
    ),
    (
        "relationship by name",
        doc(amount(relationships=[{"name": "r", "to": "x"}])),
        doc(amount(relationships=[{"name": "r", "to": "y"}])),
        [("relationship-changed", f"{AMOUNT}.relationships.r.to")],
    ),
    (
        "enum of objects without a text value",
        doc(amount(enum=[{"value": {"a": 1}}])),
        doc(amount(enum=[{"value": {"a": 1}}, {"value": {"b": 2}}])),
        [("constraint-loosened", f"{AMOUNT}.enum[item~{content_hash({'value': {'b': 2}})}]")],
    ),
    (
        "enum unchanged beside a change",
        doc(amount(enum="a", description="x")),
        doc(amount(enum="a", description="y")),
        [(MD, f"{AMOUNT}.description")],
    ),
    ("enum from empty", doc(amount(enum=[])), doc(amount(enum=["a"])), [("constraint-tightened", f"{AMOUNT}.enum")]),
    (
        "options from text",
        doc(amount(logicalTypeOptions="x")),
        opts(maxLength=5),
        [("constraint-tightened", f"{AMOUNT}.logicalTypeOptions")],
    ),
    (
        "bounds of booleans and numbers",
        opts(maximum=True),
        opts(maximum=5),
        [("constraint-tightened", f"{AMOUNT}.logicalTypeOptions.maximum")],
    ),
    (
        "argument value list added",
        doc(rule(arguments={"n": 1})),
        doc(rule(arguments={"n": 1, "validValues": ["a"]})),
        [("quality-rule-stricter", f"{Q}.arguments.validValues")],
    ),
    # top-level sections
    (
        "sla by id",
        doc(slaProperties=[{"id": "s1", "value": 1}]),
        doc(slaProperties=[{"id": "s1", "value": 2}]),
        [(SLA, "slaProperties.s1.value")],
    ),
    (
        "sla element not text",
        doc(slaProperties=[{"property": "latency", "element": ["a"], "value": 1}]),
        doc(slaProperties=[{"property": "latency", "element": ["a"], "value": 2}]),
        [(SLA, "slaProperties.latency.value")],
    ),
    (
        "sla element without property",
        doc(slaProperties=[{"element": "e", "value": 1}]),
        doc(slaProperties=[{"element": "e", "value": 2}]),
        # No key: paired by content, so a changed value is a new entry and a removed one, labelled by content.
        [
            (SLA, "slaProperties.item~" + content_hash({"element": "e", "value": 2})),
            (SLA, "slaProperties.item~" + content_hash({"element": "e", "value": 1})),
        ],
    ),
    (
        "sla not objects",
        doc(slaProperties=["a"]),
        doc(slaProperties=["b"]),
        [(SLA, "slaProperties[b]"), (SLA, "slaProperties[a]")],
    ),
    ("slaDefaultElement", doc(slaDefaultElement="a"), doc(slaDefaultElement="b"), [(SLA, "slaDefaultElement")]),
    (
        "sla element",
        doc(slaProperties=[{"property": "latency", "element": "orders.amount", "value": 1}]),
        doc(slaProperties=[{"property": "latency", "element": "orders.amount", "value": 2}]),
        [(SLA, "slaProperties.latency@orders.amount.value")],
    ),
    (
        "roles",
        doc(roles=[{"role": "admin", "access": "read"}]),
        doc(roles=[{"role": "admin", "access": "write"}]),
        [(TEAM, "roles.admin.access")],
    ),
    (
        "stakeholders",
        doc(stakeholders=[{"username": "bob", "role": "a"}]),
        doc(stakeholders=[{"username": "bob", "role": "b"}]),
        [(TEAM, "stakeholders.bob.role")],
    ),
    (
        "support",
        doc(support=[{"channel": "c", "url": "a"}]),
        doc(support=[{"channel": "c", "url": "b"}]),
        [(TEAM, "support.c.url")],
    ),
    (
        "team 3.0 list",
        doc(team=[{"username": "ann", "role": "a"}]),
        doc(team=[{"username": "ann", "role": "b"}]),
        [(TEAM, "team.ann.role")],
    ),
    (
        "team 3.1 object to a 3.0 list",
        doc(team={"members": [{"username": "ann", "role": "a"}]}),
        doc(team=[{"username": "ann", "role": "b"}]),
        [(TEAM, "team.members.ann.role")],
    ),
    (
        "customProperties",
        doc(customProperties=[{"property": "p", "value": 1}]),
        doc(customProperties=[{"property": "p", "value": 2}]),
        [(MD, "customProperties.p.value")],
    ),
    (
        "authoritativeDefinitions",
        doc(authoritativeDefinitions=[{"url": "u", "type": "a"}]),
        doc(authoritativeDefinitions=[{"url": "u", "type": "b"}]),
        [(MD, "authoritativeDefinitions.u.type")],
    ),
    ("status and version", doc(status="draft", version="1.0.0"), doc(status="active", version="2.0.0"), []),
    ("domain", doc(domain="a"), doc(domain="b"), [(MD, "domain")]),
    ("nulls and empty lists", doc(tags=[], description=None), doc(), []),
]


@pytest.mark.parametrize(("name", "old", "new", "changes"), CASES, ids=[c[0] for c in CASES])
def test_it_reads_each_field(
    name: str, old: dict[str, Any], new: dict[str, Any], changes: list[tuple[str, str]]
) -> None:
    check(old, new, *changes)


# (old, new, the one change as (kind, path, old value, new value))
KINDS = [
    (
        doc(amount(relationships=[{"id": "r1", "to": ["c", "d"]}])),
        doc(amount(relationships=[{"id": "r1", "to": ["d", "c"]}])),
        ("changed", f"{AMOUNT}.relationships.r1.to", ["c", "d"], ["d", "c"]),
    ),
    (
        doc(amount(relationships=[{"name": "r", "to": "x"}])),
        doc(amount(relationships=[{"name": "r", "to": "x"}, {"name": "s", "to": "y"}])),
        ("added", f"{AMOUNT}.relationships.s", None, {"name": "s", "to": "y"}),
    ),
    (
        doc(amount(relationships=[{"name": "r", "to": "x"}, {"name": "s", "to": "y"}])),
        doc(amount(relationships=[{"name": "r", "to": "x"}])),
        ("removed", f"{AMOUNT}.relationships.s", {"name": "s", "to": "y"}, None),
    ),
    (
        opts(maxLength=5),
        doc(amount(logicalTypeOptions="x")),
        ("changed", f"{AMOUNT}.logicalTypeOptions", {"maxLength": 5}, "x"),
    ),
    (doc(rule(arguments={"x": 1})), doc(rule(arguments={"x": 2})), ("changed", f"{Q}.arguments.x", 1, 2)),
    (doc(rule(validValues=["a"])), doc(rule(validValues="a")), ("changed", f"{Q}.validValues", ["a"], "a")),
]


@pytest.mark.parametrize(("old", "new", "change"), KINDS, ids=[c[2][1].split(".", 4)[-1] for c in KINDS])
def test_it_reports_the_kind_and_both_values(old: dict[str, Any], new: dict[str, Any], change: tuple[Any, ...]) -> None:
    assert [(c.kind, c.path, c.old, c.new) for c in diff(old, new)] == [change]
