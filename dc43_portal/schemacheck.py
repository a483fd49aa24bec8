"""The official ODCS JSON Schemas, and the errors a document has against one of them. Pure: no Django.

jsonschema-rs tells valid from invalid quickly (it stops at the first error), but listing every error
is exponential in the nesting of arrays of objects: the schema checks an item's properties twice. So a
deeply nested invalid document is checked one node at a time, each schema object, property and element
type against its own definition with what nests below it pruned: linear, and the same errors where they
are local to a node (docs/validation.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs

from dc43_portal import nesting

# (package, file) of each apiVersion's official schema. v3.2.0 is the released schema that the pinned
# open-data-contract-standard package ships, so the schema and the model can never disagree.
SCHEMA_FILES = {
    "v3.0.0": ("dc43_portal.schemas", "odcs-json-schema-v3.0.0.json"),
    "v3.0.1": ("dc43_portal.schemas", "odcs-json-schema-v3.0.1.json"),
    "v3.0.2": ("dc43_portal.schemas", "odcs-json-schema-v3.0.2.json"),
    "v3.1.0": ("dc43_portal.schemas", "odcs-json-schema-v3.1.0.json"),
    "v3.2.0": ("open_data_contract_standard", "schema.json"),
}
# The definition each kind of node (see ``nesting.walk``) is checked against, in every ODCS v3 schema.
DEFINITIONS = {"property": "SchemaProperty", "element": "SchemaItemProperty"}
# Repeated checks (``nesting.Nesting.repeated``) up to which the whole document is checked at once.
WHOLE_DOCUMENT = 2**8
Error = tuple[tuple[str | int, ...], str]


@cache
def official_schema(api_version: str) -> dict[str, Any]:
    """The official ODCS JSON Schema of a supported apiVersion (``v3.1.0``), parsed; do not mutate it."""
    package, name = SCHEMA_FILES[api_version]
    loaded: dict[str, Any] = json.loads(resources.files(package).joinpath(name).read_text("utf-8"))
    return loaded


@cache
def validator(api_version: str, definition: str | None = None) -> Any:
    """A validator of the whole document, or of one of the schema's ``$defs``."""
    schema = official_schema(api_version)
    if definition is not None:
        schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return jsonschema_rs.validator_for(schema, validate_formats=False)


def errors(doc: Mapping[str, Any], api_version: str, found: nesting.Nesting) -> list[Error]:
    """The schema errors of ``doc`` as (path parts, message), sorted; ``found`` is its nesting."""
    whole = validator(api_version)
    if whole.is_valid(doc):
        return []
    if found.repeated <= WHOLE_DOCUMENT:
        return _sorted((tuple(e.instance_path), e.message) for e in whole.iter_errors(doc))
    return node_errors(doc, api_version)


def node_errors(doc: Mapping[str, Any], api_version: str) -> list[Error]:
    """The schema errors of ``doc`` found one node at a time: linear, for deeply nested documents.

    An error deep inside an array also fails every item around it (``unevaluatedProperties``); checked
    alone, each node reports only its own errors, so the list holds the causes without those echoes.
    """
    schema = doc.get("schema")
    if isinstance(schema, list):
        doc = {**doc, "schema": [nesting.pruned(o) if isinstance(o, dict) else o for o in schema]}
    listed = [(tuple(e.instance_path), e.message) for e in validator(api_version).iter_errors(doc)]
    for node, _, _, path, kind in nesting.walk({"schema": schema}):
        if kind in DEFINITIONS:
            check = validator(api_version, DEFINITIONS[kind])
            listed += [((*path, *e.instance_path), e.message) for e in check.iter_errors(nesting.pruned(node))]
    return _sorted(listed)


def _sorted(found: Any) -> list[Error]:
    return sorted(set(found), key=lambda e: (str(e[0]), e[1]))
