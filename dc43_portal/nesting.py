"""How deeply a document's properties nest, and how much work that makes for the JSON Schema validator.

Pure: no Django. ``odcs.validate_document`` checks both bounds before the official schema runs, because
the schema's cost grows exponentially with arrays of objects (docs/validation.md has the curve).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

# Where a property's element type lives: an array's ``items``, a map's ``key`` and ``value`` (ODCS 3.2).
ELEMENT_TYPES = (("items",), ("map", "key"), ("map", "value"))
# The validation cost never refused, whatever the depth limit: a flat contract of 16,384 properties.
MIN_COST_LIMIT = 2**14
# What stands in for a pruned element type: valid in every ODCS v3 schema (``{}`` is not in 3.2.0).
PLACEHOLDER = {"logicalType": "string"}
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Nesting:
    """The deepest property level and the validation cost of a document, each with the JSON path that shows it."""

    depth: int = 0
    depth_path: Path = ()
    cost: int = 0
    heaviest: int = 0
    heaviest_path: Path = ()
    nodes: int = 0

    @property
    def repeated(self) -> int:
        """Checks the schema makes beyond one per node: zero for a document without arrays of objects."""
        return self.cost - self.nodes


def cost_limit(max_depth: int) -> int:
    """What a chain of arrays of objects at the depth limit costs, with headroom (2^(depth+2)), and no less than 16,384."""
    return max(MIN_COST_LIMIT, 2 ** min(max_depth + 2, 62))


def _element_types(node: Mapping[str, Any]) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    found: list[tuple[tuple[str, ...], dict[str, Any]]] = []
    for keys in ELEMENT_TYPES:
        value: Any = node
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, dict):
            found.append((keys, value))
    return found


Node = tuple[dict[str, Any], int, int, Path, str]


def walk(doc: Mapping[str, Any]) -> Iterator[Node]:
    """Every schema object, property and element type: (node, level, times checked, JSON path, kind).

    The kind is ``object``, ``property`` or ``element`` (an array's ``items``, a map's ``key`` or ``value``).
    Level: each entry of a ``properties`` list is one level below its parent. The element type of a
    collection property is the same level as the property itself; an element type of an element type
    (an array of arrays) is one level more. Times checked: the official schema checks the properties of
    an element type twice (once as an item, once as an object), so each array or map of objects around
    a property doubles its checks.
    """
    schema = doc.get("schema")
    stack: list[Node] = [
        (obj, 0, 1, ("schema", i), "object")
        for i, obj in reversed(list(enumerate(schema if isinstance(schema, list) else [])))
        if isinstance(obj, dict)
    ]
    while stack:  # children are pushed in reverse, so nodes come in document order
        node, level, checks, path, kind = stack.pop()
        yield node, level, checks, path, kind
        children = node.get("properties")
        if isinstance(children, list):
            inner = checks * 2 if kind == "element" else checks
            stack.extend(
                (child, level + 1, inner, (*path, "properties", i), "property")
                for i, child in reversed(list(enumerate(children)))
                if isinstance(child, dict)
            )
        for keys, element in reversed(_element_types(node)):
            stack.append((element, level if kind == "property" else level + 1, checks, (*path, *keys), "element"))


def measure(doc: Mapping[str, Any]) -> Nesting:
    """The deepest level and the validation cost (the times checked, summed) of a document (see ``walk``)."""
    depth, cost, heaviest, nodes = 0, 0, 0, 0
    depth_path: Path = ()
    heaviest_path: Path = ()
    for _, level, checks, path, _ in walk(doc):
        cost, nodes = cost + checks, nodes + 1
        if level > depth:
            depth, depth_path = level, path
        if checks > heaviest:
            heaviest, heaviest_path = checks, path
    return Nesting(depth, depth_path, cost, heaviest, heaviest_path, nodes)


def pruned(node: Mapping[str, Any]) -> dict[str, Any]:
    """``node`` without what nests below it (properties, items, a map's key and value), to check it alone."""
    out = dict(node)
    if isinstance(out.get("properties"), list):
        out["properties"] = []
    if isinstance(out.get("items"), dict):
        out["items"] = dict(PLACEHOLDER)
    if isinstance(out.get("map"), dict):
        out["map"] = {
            k: dict(PLACEHOLDER) if isinstance(v, dict) and k in ("key", "value") else v for k, v in out["map"].items()
        }
    return out
