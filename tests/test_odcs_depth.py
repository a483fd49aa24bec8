"""Property depth and validation cost: deep real documents pass, deeper or costlier ones get a 400 with a path.

Verdict times are measured by ``bench/validate.py`` (docs/validation.md), never asserted here.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from dc43_portal import nesting, odcs, schemacheck
from dc43_portal.errors import InvalidContract
from tests.conftest import FIXTURES, make_doc

LIMIT = odcs.DEFAULT_MAX_PROPERTY_DEPTH


def leaf(name: str = "leaf") -> dict[str, Any]:
    return {"name": name, "logicalType": "string"}


def of_objects(name: str, inner: list[dict[str, Any]], shape: str) -> dict[str, Any]:
    """A property holding objects: an array of them, a map to them, or one object."""
    element = {"logicalType": "object", "properties": inner}
    if shape == "array":
        return {"name": name, "logicalType": "array", "items": element}
    if shape == "map":
        return {"name": name, "logicalType": "map", "map": {"key": {"logicalType": "string"}, "value": element}}
    return {"name": name, **element}


def chain(depth: int, shape: str = "array", api_version: str = "v3.1.0", fan: int = 1) -> dict[str, Any]:
    """Properties ``depth`` levels deep, each level a collection of objects holding ``fan`` of the next and a sibling."""
    node = leaf()
    for level in range(depth, 1, -1):
        node = of_objects(f"level_{level}", [*(dict(node, name=f"n{i}") for i in range(fan)), leaf("x")], shape)
    doc = make_doc(apiVersion=api_version, schema=[{"name": "t", "logicalType": "object", "properties": [node]}])
    if api_version.startswith("v3.0"):
        doc["team"] = doc["team"]["members"]  # ODCS 3.0 lists the members
    return doc


def deepest_path(doc: dict[str, Any]) -> str:
    """The JSON path of the first property at the deepest level of a ``chain``, computed by hand."""
    parts: list[str | int] = ["schema", 0, "properties", 0]
    node = doc["schema"][0]["properties"][0]
    while node.get("properties") or node.get("items") or node.get("map"):
        hop = (
            ["properties"]
            if "properties" in node
            else ["items", "properties"]
            if "items" in node
            else ["map", "value", "properties"]
        )
        for key in hop[:-1]:
            node = node[key]
        node = node["properties"][0]
        parts += [*hop, 0]
    return odcs.json_path(parts)


def test_it_counts_an_array_property_and_its_items_as_one_level() -> None:
    doc = make_doc(schema=[{"name": "t", "properties": [of_objects("lines", [leaf()], "array")]}])
    assert odcs.property_depth(doc) == 2  # lines at 1, its items' leaf at 2


def test_it_counts_map_keys_and_values_at_the_map_property_level() -> None:
    doc = make_doc(schema=[{"name": "t", "properties": [of_objects("by_id", [leaf()], "map")]}])
    assert odcs.property_depth(doc) == 2


def test_an_array_of_arrays_is_one_level_per_array() -> None:
    inner = {"logicalType": "array", "items": {"logicalType": "object", "properties": [leaf()]}}
    doc = make_doc(schema=[{"name": "t", "properties": [{"name": "grid", "logicalType": "array", "items": inner}]}])
    assert odcs.property_depth(doc) == 3  # grid 1, its rows 2, the leaf 3


def test_the_ten_level_document_is_accepted_in_strict_mode() -> None:
    doc = odcs.parse_document((FIXTURES / "deep-event-10-arrays.yaml").read_bytes())
    assert odcs.property_depth(doc) == 11  # ten arrays of objects, and the innermost object's fields
    assert odcs.validate_document(doc, mode="strict").warnings == []


@pytest.mark.parametrize(
    ("shape", "api_version"), [("array", "v3.1.0"), ("array", "v3.2.0"), ("map", "v3.2.0"), ("object", "v3.0.2")]
)
def test_the_limit_is_accepted_and_one_past_it_is_refused_with_the_path(shape: str, api_version: str) -> None:
    assert odcs.validate_document(chain(LIMIT, shape, api_version)).warnings == []
    deeper = chain(LIMIT + 1, shape, api_version)
    with pytest.raises(InvalidContract) as caught:
        odcs.validate_document(deeper)
    assert caught.value.errors == [
        (deepest_path(deeper), f"properties are nested {LIMIT + 1} levels deep; the limit is {LIMIT}")
    ]


@pytest.mark.parametrize("depth", [20, 40])
def test_far_deeper_documents_are_refused_before_the_schema_runs(depth: int) -> None:
    with pytest.raises(InvalidContract, match=f"nested {depth} levels deep; the limit is {LIMIT}"):
        odcs.validate_document(chain(depth))


def test_the_depth_limit_is_a_setting() -> None:
    with pytest.raises(InvalidContract, match="the limit is 4"):
        odcs.validate_document(chain(6), max_depth=4)
    odcs.validate_document(chain(6), max_depth=6)


def test_nested_arrays_that_fan_out_are_refused_by_their_cost_with_a_path() -> None:
    doc = chain(8, fan=3)  # within the depth limit, but 3^7 innermost objects each checked 2^7 times
    found = nesting.measure(doc)
    assert found.depth == 8 < LIMIT and found.cost > nesting.cost_limit(LIMIT)
    with pytest.raises(InvalidContract) as caught:
        odcs.validate_document(doc)
    [(path, message)] = caught.value.errors
    assert path == odcs.json_path(found.heaviest_path) and path.startswith("schema[0].properties[0].items.properties[")
    assert f"{found.cost} property checks; the limit is {nesting.cost_limit(LIMIT)}" in message


def test_a_wide_flat_contract_costs_one_check_per_property() -> None:
    doc = make_doc(schema=[{"name": "t", "properties": [leaf(f"c{i}") for i in range(3000)]}])
    assert nesting.measure(doc).repeated == 0
    odcs.validate_document(doc)


def test_raising_the_depth_limit_raises_the_cost_limit() -> None:
    assert nesting.cost_limit(4) == nesting.cost_limit(LIMIT) == nesting.MIN_COST_LIMIT
    assert nesting.cost_limit(14) == 2**16


def test_a_deep_invalid_document_names_each_cause_by_its_path() -> None:
    doc = odcs.parse_document((FIXTURES / "deep-event-10-arrays.yaml").read_bytes())
    assert nesting.measure(doc).repeated > schemacheck.WHOLE_DOCUMENT  # checked node by node
    bad = copy.deepcopy(doc)
    parcels = bad["schema"][0]["properties"][1]["items"]["properties"][2]
    parcels["items"]["properties"][1]["logicalType"] = "strin"
    bad["name"] = 5
    with pytest.raises(InvalidContract) as caught:
        odcs.validate_document(bad)
    paths = [path for path, message in caught.value.errors if not message.endswith("(ODCS model)")]
    assert paths == ["name", "schema[0].properties[1].items.properties[2].items.properties[1].logicalType"]
    assert "'strin'" in str(caught.value) or '"strin"' in str(caught.value)


@pytest.mark.parametrize("api_version", odcs.SUPPORTED_API_VERSIONS)
def test_node_by_node_errors_are_the_whole_documents_causes(api_version: str) -> None:
    doc = chain(6, "array", api_version, fan=2)
    assert schemacheck.node_errors(doc, api_version) == []  # the pruned stand-ins are valid everywhere
    bad = copy.deepcopy(doc)
    bad["schema"][0]["properties"][0]["items"]["properties"][0]["items"]["properties"][1]["unknown"] = 1
    whole = schemacheck.errors(bad, api_version, nesting.Nesting())
    nodes = schemacheck.node_errors(bad, api_version)
    assert nodes and set(nodes) <= set(whole)
    assert ("schema", 0, "properties", 0, "items", "properties", 0, "items", "properties", 1) in [p for p, _ in nodes]
