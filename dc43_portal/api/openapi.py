"""The OpenAPI 3.1 description of ``/api/v1``; a test validates every API response against it."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

from dc43_portal.api import openapi_events
from dc43_portal.api.openapi_dc43 import governance_paths, product_paths, schemas
from dc43_portal.api.openapi_parts import (
    COMMON_ERRORS,
    DOCUMENT_ANSWER,
    ETAG_HEADER,
    NOT_MODIFIED,
    PARAMETERS,
    SCHEMAS,
    SEMVER,
    error,
    json_answer,
    param,
    ref,
)
from dc43_portal.versioning import MAX_VERSION_BYTES


# The official SemVer 2.0 expression (as in versioning.py), so generated paths are valid versions.
def _op(op_id: str, summary: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"operationId": op_id, "summary": summary, "responses": {**responses, **COMMON_ERRORS}, **extra}


def paths() -> dict[str, Any]:
    cid, ver = param("ContractId"), param("Version")
    document_body = {
        "required": True,
        "content": {
            "application/json": {"schema": ref("ContractDocument")},
            "application/yaml": {"schema": {"type": "string"}},
        },
    }
    parts = (cid, ver, document_body)
    return {
        **_read_paths(*parts),
        **_version_paths(*parts),
        **_status_paths(*parts),
        **_compare_paths(*parts),
        **_check_paths(*parts),
        **_link_paths(*parts),
        **_meta_paths(*parts),
        **openapi_events.PATHS,
        **governance_paths(),
        **product_paths(),
    }


def _read_paths(cid: dict[str, Any], ver: dict[str, Any], document_body: dict[str, Any]) -> dict[str, Any]:
    return {
        "/contracts": {
            "get": _op(
                "listContracts",
                "Contract ids, sorted, a page at a time (dc43)",
                {"200": json_answer("A page of ids", ref("ContractListing"))},
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
                {"200": json_answer("Versions", ref("VersionList"))},
                parameters=[cid, param("Status")],
            )
        },
    }


def _version_paths(cid: dict[str, Any], ver: dict[str, Any], document_body: dict[str, Any]) -> dict[str, Any]:
    return {
        "/contracts/{contract_id}/versions/{version}": {
            "get": _op(
                "getVersion",
                "One version's ODCS document (dc43)",
                {"200": DOCUMENT_ANSWER, "304": NOT_MODIFIED, "404": error("No such version")},
                parameters=[cid, ver, param("IfNoneMatch")],
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
                    "409": error("Immutable version, downgrade or compatibility guard"),
                    "412": error("If-Match / If-None-Match does not hold"),
                    "411": error("No Content-Length (a chunked body)"),
                    "413": error("The body exceeds DC43_MAX_DOCUMENT_BYTES"),
                    "415": error("Not JSON or YAML, not UTF-8, or compressed"),
                },
                parameters=[cid, ver, param("IfMatch"), param("IfNoneMatch")],
                requestBody=document_body,
            ),
            "delete": _op(
                "discardVersion",
                "Discard a Draft: only the author who created it (write scope); audited as a discard",
                {
                    "204": {"description": "Discarded"},
                    "404": error("No such version"),
                    "409": error("Not a Draft, or the store cannot delete"),
                },
                parameters=[cid, ver],
            ),
        },
        "/contracts/{contract_id}/latest": {
            "get": _op(
                "getLatest",
                "The highest version; of any status unless `status` or DC43_API_LATEST_STATUS says otherwise (dc43)",
                {"200": DOCUMENT_ANSWER, "304": NOT_MODIFIED, "404": error("No version (of that status)")},
                parameters=[cid, param("Status"), param("IfNoneMatch")],
            )
        },
    }


def _status_paths(cid: dict[str, Any], ver: dict[str, Any], document_body: dict[str, Any]) -> dict[str, Any]:
    return {
        "/contracts/{contract_id}/versions/{version}/status": {
            "get": _op(
                "getVersionStatus",
                "Status, fingerprint, warnings and who did what",
                {
                    "200": json_answer("The status", ref("VersionStatus"), ETAG_HEADER),
                    "304": NOT_MODIFIED,
                    "404": error("No such version"),
                },
                parameters=[cid, ver, param("IfNoneMatch")],
            )
        },
        "/contracts/{contract_id}/versions/{version}/transitions": {
            "post": _op(
                "transitionVersion",
                "Move a version: an author's move (submit; withdraw, by the submitter) needs the write scope, "
                "every other the steward scope",
                {
                    "200": json_answer("The new status", ref("VersionStatus"), ETAG_HEADER),
                    "404": error("No such version"),
                    "409": error("Not allowed from the current status, or a guard refuses"),
                    "412": error("If-Match does not hold"),
                    "411": error("No Content-Length (a chunked body)"),
                    "413": error("The body is too large"),
                    "415": error("Not JSON, not UTF-8, or compressed"),
                },
                parameters=[cid, ver, param("IfMatch")],
                requestBody={
                    "required": True,
                    "content": {"application/json": {"schema": ref("TransitionRequest")}},
                },
            )
        },
    }


def _compare_paths(cid: dict[str, Any], ver: dict[str, Any], document_body: dict[str, Any]) -> dict[str, Any]:
    return {
        "/contracts/{contract_id}/compare": {
            "get": _op(
                "compareVersions",
                "The semantic diff of two versions: changes, severities, rules, suggested and actual bump",
                {
                    "200": json_answer("The comparison", ref("Comparison")),
                    "404": error("No such contract or version"),
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
    }


def _check_paths(cid: dict[str, Any], ver: dict[str, Any], document_body: dict[str, Any]) -> dict[str, Any]:
    return {
        "/contracts/check": {
            "post": _op(
                "checkDocument",
                "Check a document before publishing it (read scope): errors and warnings with their lines, the "
                "diff against the latest Validated version, the required bump, whether approval would pass. "
                "Writes nothing",
                {
                    "200": json_answer("The check, even for an invalid document", ref("CheckResult")),
                    "411": error("No Content-Length (a chunked body)"),
                    "413": error("The body exceeds DC43_MAX_DOCUMENT_BYTES"),
                    "415": error("Not JSON or YAML, not UTF-8, or compressed"),
                },
                # Any text at all: an invalid document is what the check is for, and it answers 200 with errors.
                requestBody={
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"description": "An ODCS document, valid or not"}},
                        "application/yaml": {"schema": {"description": "An ODCS document, valid or not"}},
                    },
                },
            )
        },
    }


def _link_paths(cid: dict[str, Any], ver: dict[str, Any], document_body: dict[str, Any]) -> dict[str, Any]:
    return {
        "/contracts/link": {
            "post": _op(
                "linkDataset",
                "Deprecated in dc43: checks the version exists and stores nothing, as dc43's own backend",
                {
                    "204": {"description": "Accepted"},
                    "404": error("No such version"),
                    "411": error("No Content-Length (a chunked body)"),
                    "413": error("The body is too large"),
                    "415": error("Not JSON, not UTF-8, or compressed"),
                },
                requestBody={"required": True, "content": {"application/json": {"schema": ref("LinkRequest")}}},
                deprecated=True,
            )
        },
        "/contracts/datasets/{dataset_id}/linked": {
            "get": _op(
                "getLinkedVersion",
                "Deprecated in dc43: no links are tracked, so always 404",
                {"404": error("No contract linked")},
                parameters=[
                    {"name": "dataset_id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "dataset_version", "in": "query", "schema": {"type": "string"}},
                ],
                deprecated=True,
            )
        },
    }


def _meta_paths(cid: dict[str, Any], ver: dict[str, Any], document_body: dict[str, Any]) -> dict[str, Any]:
    return {
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "security": [],
                "responses": {"200": json_answer("OpenAPI 3.1", {"type": "object"}), "304": NOT_MODIFIED},
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
                "A drop-in backend for dc43's four remote clients (contracts, governance, data quality, data "
                "products; base URL `<portal>/api/v1`), plus status-aware reads and lifecycle transitions. "
                "Errors are JSON `{detail, error}`; "
                "a method a path does not list gets 405 with the same body."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": paths(),
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "description": "An API token"}},
            "parameters": PARAMETERS,
            "schemas": {**SCHEMAS, **openapi_events.SCHEMAS, **schemas()},
        },
    }


@cache
def openapi_document() -> tuple[bytes, str]:
    """The serialised document and its ETag, built once per process."""
    body = json.dumps(build(), indent=1, sort_keys=False).encode("utf-8")
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
