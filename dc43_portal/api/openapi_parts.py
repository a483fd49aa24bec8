"""The reusable parts of the OpenAPI document: patterns, parameters, schemas and common answers."""

from __future__ import annotations

from typing import Any

from dc43_portal.ids import MAX_ID_BYTES
from dc43_portal.versioning import MAX_VERSION_BYTES

SEMVER = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
# What ids.py refuses that a pattern can say: slashes, backslashes, percent signs, control characters,
# a leading dot, surrounding whitespace. NFC and the 200-byte bound are only in the description.
ID_PATTERN = r"^[^/\\%.\s\x00-\x1f\x7f-\x9f]([^/\\%\x00-\x1f\x7f-\x9f]*[^/\\%\s\x00-\x1f\x7f-\x9f])?$"
STATUS_NAMES = ["draft", "proposed", "active", "deprecated", "Draft", "In review", "Validated", "Deprecated"]


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


def json_answer(description: str, schema: dict[str, Any], headers: dict[str, Any] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        answer["headers"] = headers
    return answer


ETAG_HEADER = {"ETag": {"description": '`"<fingerprint>-<status>"`', "schema": {"type": "string"}}}
DEPRECATION_HEADERS = {
    "Deprecation": {
        "description": "A deprecated version: when, as `@<epoch seconds>` (RFC 9745)",
        "schema": {"type": "string"},
    },
    "Sunset": {
        "description": "A deprecated version's sunset date, an HTTP-date (RFC 8594)",
        "schema": {"type": "string"},
    },
    "Link": {"description": 'The replacing version: `<url>; rel="successor-version"`', "schema": {"type": "string"}},
}
DOCUMENT_ANSWER = {
    "description": "The ODCS document (status included); YAML when `Accept: application/yaml`",
    "headers": {**ETAG_HEADER, **DEPRECATION_HEADERS},
    "content": {
        "application/json": {"schema": ref("ContractDocument")},
        "application/yaml": {"schema": {"type": "string"}},
    },
}
NOT_MODIFIED = {"description": "Not modified: the If-None-Match ETag is current", "headers": ETAG_HEADER}
COMMON_ERRORS = {
    "400": error("Invalid id, version or parameter"),
    "401": error("No token, or an unknown or revoked one"),
    "403": error("The token's scopes or its user's groups do not allow this"),
    "503": error("The contract store is unavailable"),
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


def param(name: str) -> dict[str, str]:
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
            "replaced_by": {"type": "string", "description": "A deprecated version's replacement, or empty"},
            "sunset": {"type": ["string", "null"], "format": "date", "description": "A deprecated version's sunset"},
        },
    },
    "TransitionRequest": {
        "type": "object",
        "required": ["to"],
        "properties": {
            "to": {"type": "string", "description": "Target status or label (any case)", "enum": STATUS_NAMES},
            "comment": {"type": "string", "description": "Required to reject, deprecate and reinstate"},
            "replaced_by": {
                "type": "string",
                "description": "When deprecating: the newer Validated version that replaces it",
            },
            "sunset": {
                "type": "string",
                "format": "date",
                "description": "When deprecating: the date (after today) after which the version goes away",
            },
            "action": {
                "type": "string",
                "description": "Names the move when two share their ends: `reject` or `withdraw` (In review -> Draft)",
                "enum": ["submit", "approve", "reject", "withdraw", "deprecate", "reinstate"],
            },
        },
    },
    "Comparison": {
        "type": "object",
        "description": "The semantic diff of two versions (the compare page's data); see the rule table in docs/diff.md",
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
    "CheckResult": {
        "type": "object",
        "required": ["valid", "errors", "warnings", "baseline", "summary", "required_bump", "changes", "approval"],
        "properties": {
            "valid": {"type": "boolean"},
            "id": {"type": ["string", "null"]},
            "version": {"type": ["string", "null"]},
            "status": {"type": ["string", "null"], "description": "The stored status of this version, if it exists"},
            "errors": {"type": "array", "items": {"$ref": "#/components/schemas/CheckProblem"}},
            "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/CheckProblem"}},
            "baseline": {"type": ["string", "null"], "description": "The Validated version compared with"},
            "summary": {
                "type": "object",
                "properties": {
                    n: {"type": "integer", "minimum": 0} for n in ("breaking", "non_breaking", "info", "total")
                },
            },
            "required_bump": {"enum": ["major", "minor", "patch", None]},
            "actual_bump": {"enum": ["major", "minor", "patch", None]},
            "bump_sufficient": {"type": ["boolean", "null"]},
            "changes": {"type": "array", "items": {"type": "object"}, "description": "As in Comparison.changes"},
            "approval": {
                "type": "object",
                "required": ["would_pass", "reasons"],
                "properties": {
                    "would_pass": {"type": "boolean"},
                    "reasons": {"type": "array", "items": {"type": "string"}},
                    "warnings": {"type": "array", "items": {"type": "string"}},
                    "compatibility": {
                        "type": "object",
                        "description": "The compatibility verdict as the version page shows it (tagged texts)",
                        "properties": {
                            "baseline": {"type": ["string", "null"], "description": "Validated, same major line"},
                            "objections": {"type": "array", "items": {"type": "string"}},
                            "warnings": {"type": "array", "items": {"type": "string"}},
                            "breaking": {"type": "integer", "minimum": 0},
                            "refused": {"type": "boolean", "description": "approval refuses the objections"},
                        },
                    },
                },
            },
        },
    },
    "CheckProblem": {
        "type": "object",
        "required": ["path", "message", "line"],
        "properties": {
            "path": {"type": "string", "examples": ["schema[0].properties[1].logicalType"]},
            "message": {"type": "string"},
            "line": {"type": ["integer", "null"], "minimum": 1, "description": "In the text as sent"},
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
