"""One case per rule of the diff's table, plus the finer points of the rules, and the table kept in step."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dc43_portal import diff as diff_module
from dc43_portal.diff import RULES, change_payload, diff, suggested_bump
from tests.conftest import REPO
from tests.diff.test_diff_v32 import V32_PER_RULE


def doc(*props: dict[str, Any], objects: list[dict[str, Any]] | None = None, **top: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"apiVersion": "v3.1.0", "kind": "DataContract", "id": "c", "version": "1.0.0"}
    base["schema"] = objects if objects is not None else [{"name": "orders", "properties": list(props)}]
    return {**base, **top}


def amount(**fields: Any) -> dict[str, Any]:
    return {"name": "amount", **fields}


def rule(**fields: Any) -> dict[str, Any]:
    return amount(quality=[{"name": "q", **fields}])


ORDERS = {"name": "orders", "properties": [amount()]}
CUSTOMERS = {"name": "customers", "properties": [{"name": "id"}]}
AMOUNT = "schema.orders.properties.amount"
Q = f"{AMOUNT}.quality.q"
SERVER = {"server": "prod", "type": "postgres", "host": "db", "environment": "prod"}

# (rule, old, new, the path of the one change)
ONE_PER_RULE = [
    ("object-removed", doc(objects=[ORDERS, CUSTOMERS]), doc(objects=[ORDERS]), "schema.customers"),
    ("property-removed", doc(amount(), {"name": "x"}), doc(amount()), "schema.orders.properties.x"),
    ("renamed", doc(amount(id="p1")), doc({"id": "p1", "name": "total"}), "schema.orders.properties.p1.name"),
    ("type-changed", doc(amount(logicalType="string")), doc(amount(logicalType="number")), f"{AMOUNT}.logicalType"),
    ("physical-name-changed", doc(amount(physicalName="a")), doc(amount(physicalName="b")), f"{AMOUNT}.physicalName"),
    (
        "required-property-added",
        doc(amount()),
        doc(amount(), {"name": "x", "required": True}),
        "schema.orders.properties.x",
    ),
    ("property-made-required", doc(amount()), doc(amount(required=True)), f"{AMOUNT}.required"),
    ("property-made-unique", doc(amount(unique=False)), doc(amount(unique=True)), f"{AMOUNT}.unique"),
    (
        "constraint-tightened",
        doc(amount(logicalTypeOptions={"maxLength": 20})),
        doc(amount(logicalTypeOptions={"maxLength": 10})),
        f"{AMOUNT}.logicalTypeOptions.maxLength",
    ),
    ("primary-key-changed", doc(amount()), doc(amount(primaryKey=True)), f"{AMOUNT}.primaryKey"),
    (
        "classification-weakened",
        doc(amount(classification="confidential")),
        doc(amount(classification="public")),
        f"{AMOUNT}.classification",
    ),
    ("quality-rule-stricter", doc(rule(mustBeGreaterThan=0)), doc(rule(mustBeGreaterThan=5)), f"{Q}.mustBeGreaterThan"),
    ("quality-rule-redefined", doc(rule(type="sql", query="a")), doc(rule(type="sql", query="b")), f"{Q}.query"),
    ("server-removed", doc(servers=[SERVER]), doc(servers=[]), "servers.prod"),
    ("server-location-changed", doc(servers=[SERVER]), doc(servers=[{**SERVER, "host": "db2"}]), "servers.prod.host"),
    ("object-added", doc(objects=[ORDERS]), doc(objects=[ORDERS, CUSTOMERS]), "schema.customers"),
    ("property-added", doc(amount()), doc(amount(), {"name": "x", "required": False}), "schema.orders.properties.x"),
    ("property-made-optional", doc(amount(required=True)), doc(amount()), f"{AMOUNT}.required"),
    ("property-made-not-unique", doc(amount(unique=True)), doc(amount(unique=False)), f"{AMOUNT}.unique"),
    (
        "constraint-loosened",
        doc(amount(logicalTypeOptions={"maxLength": 10})),
        doc(amount(logicalTypeOptions={"maxLength": 20})),
        f"{AMOUNT}.logicalTypeOptions.maxLength",
    ),
    (
        "classification-raised",
        doc(amount(classification="internal")),
        doc(amount(classification="restricted")),
        f"{AMOUNT}.classification",
    ),
    ("quality-rule-added", doc(amount()), doc(rule(mustBeGreaterThan=0)), Q),
    ("quality-rule-removed", doc(rule(mustBeGreaterThan=0)), doc(amount()), Q),
    ("quality-rule-loosened", doc(rule(mustBeLessThan=5)), doc(rule(mustBeLessThan=9)), f"{Q}.mustBeLessThan"),
    (
        "relationship-changed",
        doc(amount()),
        doc(amount(relationships=[{"to": "customers.id", "id": "r1"}])),
        f"{AMOUNT}.relationships",
    ),
    ("partitioning-changed", doc(amount()), doc(amount(partitioned=True)), f"{AMOUNT}.partitioned"),
    ("encryption-changed", doc(amount(encryptedName="a")), doc(amount(encryptedName="b")), f"{AMOUNT}.encryptedName"),
    ("server-added", doc(servers=[]), doc(servers=[SERVER]), "servers.prod"),
    (
        "server-changed",
        doc(servers=[SERVER]),
        doc(servers=[{**SERVER, "environment": "dev"}]),
        "servers.prod.environment",
    ),
    (
        "sla-changed",
        doc(slaProperties=[{"property": "latency", "value": 4, "unit": "h"}]),
        doc(slaProperties=[{"property": "latency", "value": 8, "unit": "h"}]),
        "slaProperties.latency.value",
    ),
    ("price-changed", doc(price={"priceAmount": 1}), doc(price={"priceAmount": 2}), "price.priceAmount"),
    ("metadata-changed", doc(amount(description="a")), doc(amount(description="b")), f"{AMOUNT}.description"),
    (
        "team-changed",
        doc(team={"name": "t", "members": [{"username": "ann", "role": "owner"}]}),
        doc(team={"name": "t", "members": [{"username": "ann", "role": "steward"}]}),
        "team.members.ann.role",
    ),
]


@pytest.mark.parametrize(("rule_id", "old", "new", "path"), ONE_PER_RULE, ids=[c[0] for c in ONE_PER_RULE])
def test_it_applies_each_rule(rule_id: str, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
    payloads = [change_payload(c) for c in diff(old, new)]
    schema_object = path.split(".")[1] if path.startswith("schema.") else None
    severity = _table_rows(diff_module.__doc__ or "")[rule_id]  # the documented severity, not the code's own table
    assert [(p["rule"], p["severity"], p["path"], p["object"]) for p in payloads] == [
        (rule_id, severity, path, schema_object)
    ]
    assert payloads[0]["section"] == path.split(".")[0] and payloads[0]["rule_summary"] == RULES[rule_id].summary
    assert ".".join(payloads[0]["parts"]) == path


def test_it_has_a_case_for_every_rule() -> None:
    assert sorted({c[0] for c in ONE_PER_RULE} | {c[0] for c in V32_PER_RULE}) == sorted(RULES)


# (old, new, the rule of the one change): the finer points
FINER = [
    (
        doc(amount(logicalTypeOptions={"multipleOf": 10})),
        doc(amount(logicalTypeOptions={"multipleOf": 5})),
        "constraint-loosened",
    ),
    (
        doc(amount(logicalTypeOptions={"multipleOf": 5})),
        doc(amount(logicalTypeOptions={"multipleOf": 10})),
        "constraint-tightened",
    ),
    (doc(amount()), doc(amount(logicalTypeOptions={"pattern": "^[A-Z]+$"})), "constraint-tightened"),
    (doc(amount(logicalTypeOptions={"pattern": "^a"})), doc(amount()), "constraint-loosened"),
    (
        doc(amount(logicalTypeOptions={"minimum": "2020-01-01"})),
        doc(amount(logicalTypeOptions={"minimum": "2021-01-01"})),
        "constraint-tightened",
    ),
    (
        doc(amount(logicalTypeOptions={"exclusiveMinimum": False})),
        doc(amount(logicalTypeOptions={"exclusiveMinimum": True})),
        "constraint-tightened",
    ),
    (doc(amount(enum=["EUR", "USD"])), doc(amount(enum=["EUR"])), "constraint-tightened"),
    (
        doc(amount(enum=[{"value": "EUR"}])),
        doc(amount(enum=[{"value": "EUR"}, {"value": "USD"}])),
        "constraint-loosened",
    ),
    (doc(amount()), doc(amount(enum=["EUR"])), "constraint-tightened"),
    (
        doc(amount(logicalType="array", items={"logicalType": "string"})),
        doc(amount(logicalType="array", items={"logicalType": "number"})),
        "type-changed",
    ),
    (doc(amount(logicalType="string")), doc(amount()), "type-changed"),
    (doc(amount(classification="secret")), doc(amount()), "classification-weakened"),
    (doc(amount(classification="public")), doc(amount()), "classification-raised"),
    (doc(amount(classification="tier-1")), doc(amount(classification="tier-2")), "classification-weakened"),
    (doc(rule(mustBeBetween=[0, 10])), doc(rule(mustBeBetween=[2, 10])), "quality-rule-stricter"),
    (doc(rule(mustBeBetween=[0, 10])), doc(rule(mustBeBetween=[0, 20])), "quality-rule-loosened"),
    (doc(rule(mustNotBeBetween=[0, 10])), doc(rule(mustNotBeBetween=[2, 8])), "quality-rule-loosened"),
    (doc(rule(mustBe=0)), doc(rule(mustBe=1)), "quality-rule-stricter"),
    (doc(rule(severity="warning")), doc(rule(severity="error")), "quality-rule-stricter"),
    (doc(rule()), doc(rule(severity="warning")), "quality-rule-loosened"),
    (doc(rule(validValues=["a", "b"])), doc(rule(validValues=["a"])), "quality-rule-stricter"),
    (
        doc(rule(arguments={"validValues": ["a"]})),
        doc(rule(arguments={"validValues": ["a", "b"]})),
        "quality-rule-loosened",
    ),
    (
        doc(rule(metric="invalidValues", arguments={"invalidValues": ["x"]})),
        doc(rule(metric="invalidValues", arguments={"invalidValues": ["x", "y"]})),
        "quality-rule-stricter",
    ),
    (doc(rule(metric="nullValues")), doc(rule(metric="rowCount")), "quality-rule-redefined"),
    (doc(rule(dimension="completeness")), doc(rule(dimension="accuracy")), "metadata-changed"),
    (doc({"name": "address", "properties": [{"name": "zip"}]}), doc({"name": "address"}), "property-removed"),
    (
        doc({"name": "address", "properties": []}),
        doc({"name": "address", "properties": [{"name": "zip", "required": True}]}),
        "required-property-added",
    ),
    (doc(amount(primaryKeyPosition=-1)), doc(amount(primaryKeyPosition=1)), "primary-key-changed"),
    (doc(tags=["a"]), doc(tags=["a", "b"]), "metadata-changed"),
    (doc(description={"purpose": "x"}), doc(description={"purpose": "y"}), "metadata-changed"),
    (doc(apiVersion="v3.0.2"), doc(apiVersion="v3.1.0"), "metadata-changed"),
    (doc(support=[{"channel": "slack", "url": "a"}]), doc(support=[{"channel": "slack", "url": "b"}]), "team-changed"),
]


@pytest.mark.parametrize(("old", "new", "rule_id"), FINER, ids=[f"{i}-{c[2]}" for i, c in enumerate(FINER)])
def test_it_classifies_the_finer_points(old: dict[str, Any], new: dict[str, Any], rule_id: str) -> None:
    assert [c.rule for c in diff(old, new)] == [rule_id]


def test_it_treats_an_unnamed_rule_as_the_same_rule_when_only_its_threshold_changes() -> None:
    # dc43's contracts carry rules such as {"mustBeGreaterThan": 0} with no name or id.
    changes = list(
        diff(doc(amount(quality=[{"mustBeGreaterThan": 0}])), doc(amount(quality=[{"mustBeGreaterThan": 100}])))
    )
    assert [(c.rule, c.kind, c.old, c.new) for c in changes] == [("quality-rule-stricter", "changed", 0, 100)]


def test_it_finds_no_change_in_defaults_nulls_and_empty_lists() -> None:
    old = doc(amount(required=False, unique=False, primaryKeyPosition=-1, tags=[], description=None))
    assert list(diff(old, doc(amount()))) == []


def test_it_reads_an_odcs_30_team_list_as_the_members_of_a_31_team() -> None:
    members = [{"username": "ann", "role": "owner"}]
    assert list(diff(doc(team=members), doc(team={"members": members}))) == []


def test_it_reports_a_whole_new_object_once_and_a_new_property_of_an_existing_object_on_its_own() -> None:
    nested = doc({"name": "address", "properties": [{"name": "zip"}]})
    grown = doc({"name": "address", "properties": [{"name": "zip"}, {"name": "city"}]}, {"name": "x"})
    paths = [c.path for c in diff(nested, grown)]
    assert paths == ["schema.orders.properties.address.properties.city", "schema.orders.properties.x"]


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        (doc(amount()), doc(amount()), None),
        (doc(amount(), status="draft", version="1.0.0"), doc(amount(), status="active", version="2.0.0"), None),
        (doc(amount(description="a")), doc(amount(description="b")), "patch"),
        (doc(amount()), doc(amount(), {"name": "x"}), "minor"),
        (doc(amount(), {"name": "x"}), doc(amount()), "major"),
    ],
)
def test_it_suggests_the_bump_of_the_most_severe_change(
    old: dict[str, Any], new: dict[str, Any], bump: str | None
) -> None:
    assert suggested_bump(diff(old, new)) == bump


def _table_rows(text: str) -> dict[str, str]:
    return dict(re.findall(r"^\| ([a-z-]+) \| (breaking|non-breaking|info) \|", text, flags=re.MULTILINE))


def test_it_documents_every_rule_in_the_module_docstring_and_docs_diff() -> None:
    expected = {rule_id: r.severity for rule_id, r in RULES.items()}
    assert _table_rows(diff_module.__doc__ or "") == expected
    assert _table_rows((REPO / "docs" / "diff.md").read_text(encoding="utf-8")) == expected


def test_it_counts_and_filters_changes_by_severity() -> None:
    found = diff(doc(amount(), {"name": "x"}, description="a"), doc(amount(description="d"), description="b"))
    assert [(c.rule, c.kind, c.path, c.old, c.new) for c in found] == [
        ("metadata-changed", "added", f"{AMOUNT}.description", None, "d"),
        ("property-removed", "removed", "schema.orders.properties.x", {"name": "x"}, None),
        ("metadata-changed", "changed", "description", "a", "b"),
    ]
    assert len(found) == 3 and bool(found) and not bool(diff(doc(), doc()))
    assert found.counts() == {"breaking": 1, "non-breaking": 0, "info": 2}
    assert [c.path for c in found.breaking] == ["schema.orders.properties.x"]
    assert [c.path for c in found.of("info")] == [f"{AMOUNT}.description", "description"]
    assert suggested_bump(found) == "major"
    assert found.changes[2].schema_object is None and found.changes[2].section == "description"
