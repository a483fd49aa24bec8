"""The OpenAPI 3.1 description of ``/api/v1``; a test validates every API response against it."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

from dc43_portal.ids import MAX_ID_BYTES
from dc43_portal.versioning import MAX_VERSION_BYTES

# The official SemVer 2.0 expression (as in versioning.py), so generated paths are valid versions.
SEMVER = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
# What ids.py refuses that a pattern can say: slashes, backslashes, percent signs, control characters,
# a leading dot, surrounding whitespace. NFC and the 200-byte bound are only in the description.
ID_PATTERN = r"^[^/\\%.\s\x00-\x1f\x7f-\x9f]([^/\\%\x00-\x1f\x7f-\x9f]*[^/\\%\s\x00-\x1f\x7f-\x9f])?$"
STATUS_NAMES = ["draft", "proposed", "active", "deprecated", "Draft", "In review", "Validated", "Deprecated"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _json(description: str, schema: dict[str, Any], headers: dict[str, Any] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        answer["headers"] = headers
    return answer


ETAG_HEADER = {"ETag": {"description": '`"<fingerprint>-<status>"`', "schema": {"type": "string"}}}
DOCUMENT_ANSWER = {
    "description": "The ODCS document (status included); YAML when `Accept: application/yaml`",
    "headers": ETAG_HEADER,
    "content": {
        "application/json": {"schema": _ref("ContractDocument")},
        "application/yaml": {"schema": {"type": "string"}},
    },
}
NOT_MODIFIED = {"description": "Not modified: the If-None-Match ETag is current", "headers": ETAG_HEADER}
COMMON_ERRORS = {
    "400": _error("Invalid id, version or parameter"),
    "401": _error("No token, or an unknown or revoked one"),
    "403": _error("The token's scopes or its user's groups do not allow this"),
    "503": _error("The contract store is unavailable"),
}

PARAMETERS: dict[str, Any] = {
    "ContractId": {
        "name": "contract_id",
        "in": "path",
        "required": True,
        "description": f"A contract id: NFC, at most {MAX_ID_BYTES} UTF-8 bytes, no `/`, `\\`, `%` or control characters",
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_ID_BYTES, "pattern": ID_PATTERN},
        "example": "sales.orders",
    },
    "Version": {
        "name": "version",
        "in": "path",
        "required": True,
        "description": "A SemVer 2.0 version, percent-encoded (so a `+` survives)",
        "schema": {"type": "string", "maxLength": MAX_VERSION_BYTES, "pattern": SEMVER},
        "example": "1.0.0",
    },
    "Status": {
        "name": "status",
        "in": "query",
        "required": False,
        "description": "Only versions of this status: a stored value or a label (any case), or `any`",
        "schema": {"type": "string", "enum": [*STATUS_NAMES, "any"]},
    },
    "IfNoneMatch": {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "description": "An ETag from an earlier answer; a match gives 304",
        "schema": {"type": "string"},
    },
    "IfMatch": {
        "name": "If-Match",
        "in": "header",
        "required": False,
        "description": "The ETag (or fingerprint) the version must still have, else 412",
        "schema": {"type": "string"},
    },
}


def _p(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["detail", "error"],
        "properties": {
            "detail": {"type": "string", "description": "For humans"},
            "error": {"type": "string", "description": "For machines: not_found, conflict, stale_write..."},
            "errors": {
                "type": "array",
                "description": "Validation problems, each at its JSON path",
                "items": {
                    "type": "object",
                    "required": ["path", "message"],
                    "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    },
    "ContractDocument": {
        "type": "object",
        "description": "An ODCS v3 document; `status` is owned by the portal (a PUT stores `draft`)",
        "required": ["id", "version"],
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "id": {"type": "string"},
            "version": {"type": "string"},
            "status": {"type": "string"},
        },
        "additionalProperties": True,
    },
    "ContractListing": {
        "type": "object",
        "required": ["items", "total", "limit", "offset"],
        "properties": {
            "items": {"type": "array", "items": {"type": "string"}, "description": "Contract ids, sorted"},
            "total": {"type": "integer", "minimum": 0},
            "limit": {"type": ["integer", "null"], "minimum": 0},
            "offset": {"type": "integer", "minimum": 0},
        },
    },
    "VersionList": {"type": "array", "items": {"type": "string"}, "description": "SemVer-sorted, oldest first"},
    "VersionStatus": {
        "type": "object",
        "required": ["id", "version", "status", "label", "fingerprint", "warnings"],
        "properties": {
            "id": {"type": "string"},
            "version": {"type": "string"},
            "status": {"type": "string", "enum": STATUS_NAMES[:4]},
            "label": {"type": "string", "enum": STATUS_NAMES[4:]},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "warnings": {"type": "array", "items": {"type": "string"}},
            "created_at": {"type": "string", "format": "date-time"},
            "created_by": {"type": "string"},
            "updated_at": {"type": "string", "format": "date-time"},
            "updated_by": {"type": "string"},
            "submitted_by": {"type": "string"},
            "status_changed_at": {"type": ["string", "null"], "format": "date-time"},
            "status_changed_by": {"type": "string"},
        },
    },
    "TransitionRequest": {
        "type": "object",
        "required": ["to"],
        "properties": {
            "to": {"type": "string", "description": "Target status or label (any case)", "enum": STATUS_NAMES},
            "comment": {"type": "string", "description": "Required to reject, deprecate and reinstate"},
            "replaced_by": {"type": "string", "description": "When deprecating: the version that replaces it"},
        },
    },
    "Comparison": {
        "type": "object",
        "description": "The semantic diff of two versions (the compare page's data); see the rule table in the README",
        "required": ["contract_id", "from", "to", "suggested_bump", "summary", "changes"],
        "properties": {
            "contract_id": {"type": "string"},
            "from": {"$ref": "#/components/schemas/ComparedVersion"},
            "to": {"$ref": "#/components/schemas/ComparedVersion"},
            "suggested_bump": {"enum": ["major", "minor", "patch", None]},
            "summary": {
                "type": "object",
                "required": ["breaking", "non_breaking", "info", "total", "suggested_bump", "actual_bump"],
                "properties": {
                    **{n: {"type": "integer", "minimum": 0} for n in ("breaking", "non_breaking", "info", "total")},
                    "suggested_bump": {"enum": ["major", "minor", "patch", None]},
                    "actual_bump": {"enum": ["major", "minor", "patch", None], "description": "null: not an upgrade"},
                    "bump_sufficient": {"type": ["boolean", "null"]},
                },
            },
            "changes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["path", "parts", "kind", "severity", "rule", "old", "new"],
                    "properties": {
                        "path": {"type": "string", "examples": ["schema.orders.properties.amount.logicalType"]},
                        "parts": {"type": "array", "items": {"type": "string"}},
                        "kind": {"enum": ["added", "removed", "changed"]},
                        "severity": {"enum": ["breaking", "non-breaking", "info"]},
                        "rule": {"type": "string", "examples": ["type-changed"]},
                        "rule_summary": {"type": "string"},
                        "section": {"type": "string"},
                        "object": {"type": ["string", "null"], "description": "The schema object, if any"},
                        "old": {"description": "Any JSON value; null when added"},
                        "new": {"description": "Any JSON value; null when removed"},
                    },
                },
            },
        },
    },
    "ComparedVersion": {
        "type": "object",
        "required": ["version", "status", "fingerprint"],
        "properties": {
            "version": {"type": "string"},
            "status": {"type": "string", "enum": STATUS_NAMES[:4]},
            "fingerprint": {"type": "string"},
        },
    },
    "LinkRequest": {
        "type": "object",
        "required": ["dataset_id", "dataset_version", "contract_id", "contract_version"],
        "properties": {
            "dataset_id": {"type": "string", "minLength": 1},
            "dataset_version": {"type": "string", "minLength": 1},
            "contract_id": PARAMETERS["ContractId"]["schema"],
            "contract_version": PARAMETERS["Version"]["schema"],
        },
    },
}


def _op(op_id: str, summary: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"operationId": op_id, "summary": summary, "responses": {**responses, **COMMON_ERRORS}, **extra}


def paths() -> dict[str, Any]:
    cid, ver = _p("ContractId"), _p("Version")
    document_body = {
        "required": True,
        "content": {
            "application/json": {"schema": _ref("ContractDocument")},
            "application/yaml": {"schema": {"type": "string"}},
        },
    }
    return {
        "/contracts": {
            "get": _op(
                "listContracts",
                "Contract ids, sorted, a page at a time (dc43)",
                {"200": _json("A page of ids", _ref("ContractListing"))},
                parameters=[
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 999999999}},
                    {
                        "name": "offset",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 0, "maximum": 999999999},
                    },
                ],
            )
        },
        "/contracts/{contract_id}/versions": {
            "get": _op(
                "listVersions",
                "Versions of a contract, SemVer-sorted; `[]` for an unknown id (dc43)",
                {"200": _json("Versions", _ref("VersionList"))},
                parameters=[cid, _p("Status")],
            )
        },
        "/contracts/{contract_id}/versions/{version}": {
            "get": _op(
                "getVersion",
                "One version's ODCS document (dc43)",
                {"200": DOCUMENT_ANSWER, "304": NOT_MODIFIED, "404": _error("No such version")},
                parameters=[cid, ver, _p("IfNoneMatch")],
            ),
            "put": _op(
                "putVersion",
                "Create a Draft, or replace a Draft's content (dc43); the stored status is always `draft`",
                {
                    "204": {
                        "description": "Created, replaced, or identical to what is stored",
                        "headers": {
                            **ETAG_HEADER,
                            "Warning": {"description": "Validation warnings (dc43 mode)", "schema": {"type": "string"}},
                        },
                    },
                    "409": _error("Immutable version, downgrade or compatibility guard"),
                    "412": _error("If-Match / If-None-Match does not hold"),
                    "413": _error("The body exceeds DC43_MAX_DOCUMENT_BYTES"),
                    "415": _error("Not JSON or YAML"),
                },
                parameters=[cid, ver, _p("IfMatch"), _p("IfNoneMatch")],
                requestBody=document_body,
            ),
        },
        "/contracts/{contract_id}/latest": {
            "get": _op(
                "getLatest",
                "The highest version; of any status unless `status` or DC43_API_LATEST_STATUS says otherwise (dc43)",
                {"200": DOCUMENT_ANSWER, "304": NOT_MODIFIED, "404": _error("No version (of that status)")},
                parameters=[cid, _p("Status"), _p("IfNoneMatch")],
            )
        },
        "/contracts/{contract_id}/versions/{version}/status": {
            "get": _op(
                "getVersionStatus",
                "Status, fingerprint, warnings and who did what",
                {
                    "200": _json("The status", _ref("VersionStatus"), ETAG_HEADER),
                    "304": NOT_MODIFIED,
                    "404": _error("No such version"),
                },
                parameters=[cid, ver, _p("IfNoneMatch")],
            )
        },
        "/contracts/{contract_id}/versions/{version}/transitions": {
            "post": _op(
                "transitionVersion",
                "Move a version: `proposed` needs the write scope, every other target the steward scope",
                {
                    "200": _json("The new status", _ref("VersionStatus"), ETAG_HEADER),
                    "404": _error("No such version"),
                    "409": _error("Not allowed from the current status, or a guard refuses"),
                    "412": _error("If-Match does not hold"),
                    "413": _error("The body is too large"),
                    "415": _error("Not JSON"),
                },
                parameters=[cid, ver, _p("IfMatch")],
                requestBody={
                    "required": True,
                    "content": {"application/json": {"schema": _ref("TransitionRequest")}},
                },
            )
        },
        "/contracts/{contract_id}/compare": {
            "get": _op(
                "compareVersions",
                "The semantic diff of two versions: changes, severities, rules, suggested and actual bump",
                {
                    "200": _json("The comparison", _ref("Comparison")),
                    "404": _error("No such contract or version"),
                },
                parameters=[
                    cid,
                    *(
                        {
                            "name": name,
                            "in": "query",
                            "required": True,
                            "description": text,
                            "schema": {"type": "string", "maxLength": MAX_VERSION_BYTES, "pattern": SEMVER},
                            "example": example,
                        }
                        for name, text, example in (
                            ("from", "The version to compare from", "1.0.0"),
                            ("to", "The version to compare to", "1.1.0"),
                        )
                    ),
                ],
            )
        },
        "/contracts/link": {
            "post": _op(
                "linkDataset",
                "Deprecated in dc43: checks the version exists and stores nothing, as dc43's own backend",
                {
                    "204": {"description": "Accepted"},
                    "404": _error("No such version"),
                    "413": _error("The body is too large"),
                    "415": _error("Not JSON"),
                },
                requestBody={"required": True, "content": {"application/json": {"schema": _ref("LinkRequest")}}},
                deprecated=True,
            )
        },
        "/contracts/datasets/{dataset_id}/linked": {
            "get": _op(
                "getLinkedVersion",
                "Deprecated in dc43: no links are tracked, so always 404",
                {"404": _error("No contract linked")},
                parameters=[
                    {"name": "dataset_id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "dataset_version", "in": "query", "schema": {"type": "string"}},
                ],
                deprecated=True,
            )
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "security": [],
                "responses": {"200": _json("OpenAPI 3.1", {"type": "object"}), "304": NOT_MODIFIED},
            }
        },
    }


def build() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "dc43 portal API",
            "version": "1",
            "description": (
                "A drop-in backend for dc43's `RemoteContractServiceClient` (base URL `<portal>/api/v1`), "
                "plus status-aware reads and lifecycle transitions. Errors are JSON `{detail, error}`; "
                "a method a path does not list gets 405 with the same body."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": paths(),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "description": "An API token"}},
            "parameters": PARAMETERS,
            "schemas": SCHEMAS,
        },
    }


@cache
def openapi_document() -> tuple[bytes, str]:
    """The serialised document and its ETag, built once per process."""
    body = json.dumps(build(), indent=1, sort_keys=False).encode("utf-8")
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
