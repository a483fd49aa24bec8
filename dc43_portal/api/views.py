"""The machine API under ``/api/v1``: dc43's contract service routes, plus status-aware reads and transitions.

Views are thin: read the input, call one selector or service, answer JSON. Auth, methods and the
error map live in ``auth.api_endpoint``; ETags and bodies in ``representations``.
"""

from __future__ import annotations

import calendar
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.http import http_date

from dc43_portal import statuses
from dc43_portal.accounts import roles
from dc43_portal.api import representations as reps
from dc43_portal.api.auth import ANY_SCOPE, api_endpoint, require_scope
from dc43_portal.api.conditional import (
    CACHE_CONTROL,
    VARY,
    Precondition,
    matches_none,
    not_modified,
    write_precondition,
)
from dc43_portal.api.errors import BadRequest, PathMismatch
from dc43_portal.api.inputs import (
    JSON_TYPES,
    int_param,
    is_json_object_text,
    preferred_media_type,
    read_document,
    read_json_object,
    status_param,
    string_field,
)
from dc43_portal.api.openapi import openapi_document
from dc43_portal.api.tokens import Caller
from dc43_portal.contracts import lifecycle, services
from dc43_portal.contracts.models import Contract, ContractVersion
from dc43_portal.errors import ContractNotFound, InvalidContract, StaleWrite

# Warnings ride in one Warning header on a 204; the status route returns all of them.
MAX_WARNING_HEADERS = 10


# ---------------------------------------------------------------- dc43's routes


@api_endpoint(GET="read")
def contract_list(request: HttpRequest, caller: Caller) -> JsonResponse:
    limit = int_param(request, "limit", None)
    offset = int_param(request, "offset", 0) or 0
    contracts = Contract.objects.filter(versions__in_store=True)
    if caller.readable is not None:
        contracts = contracts.filter(domain__in=caller.readable)
    ids = sorted(contracts.distinct().values_list("contract_id", flat=True))
    end = len(ids) if limit is None else offset + limit
    return JsonResponse({"items": ids[offset:end], "total": len(ids), "limit": limit, "offset": offset})


@api_endpoint(GET="read")
def version_list(request: HttpRequest, caller: Caller, contract_id: str) -> JsonResponse:
    refs = reps.version_refs(contract_id, status_param(request))
    return JsonResponse([ref.version for ref in refs], safe=False)


@api_endpoint(GET="read", PUT="write", DELETE="write")
def version_resource(request: HttpRequest, caller: Caller, contract_id: str, version: str) -> HttpResponse:
    if request.method == "PUT":
        return version_put(request, caller, contract_id, version)
    if request.method == "DELETE":
        return version_discard(request, caller, contract_id, version)
    return representation(request, reps.version_ref(contract_id, version))


def version_discard(request: HttpRequest, caller: Caller, contract_id: str, version: str) -> HttpResponse:
    """The author who created a Draft discards it (audited); 204."""
    reps.check_path(contract_id, version)
    services.contract_discard(contract_id=contract_id, version=version, user=caller.user, source="api")
    response = HttpResponse(status=204)
    del response["Content-Type"]
    return response


@api_endpoint(GET="read")
def latest(request: HttpRequest, caller: Caller, contract_id: str) -> HttpResponse:
    status = status_param(request, default=settings.DC43_API_LATEST_STATUS)
    return representation(request, reps.latest_ref(contract_id, status))


def representation(request: HttpRequest, ref: reps.VersionRef) -> HttpResponse:
    """The document as JSON (or YAML on request), with its ETag; 304 when the client has it."""
    media_type = preferred_media_type(request)
    etag = ref.etag(media_type)
    if matches_none(request, etag):
        return deprecation_headers(request, ref, not_modified(etag, VARY))
    body, etag = reps.body_of(ref, media_type)
    content_type = reps.JSON if media_type == reps.JSON else f"{media_type}; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    response["Vary"] = VARY
    return deprecation_headers(request, ref, response)


def deprecation_headers(request: HttpRequest, ref: reps.VersionRef, response: HttpResponse) -> HttpResponse:
    """Tell jobs reading a deprecated version: since when (RFC 9745), until when (RFC 8594), and what replaces it."""
    if ref.status != statuses.DEPRECATED:
        return response
    row = ContractVersion.objects.filter(contract__contract_id=ref.contract_id, version=ref.version).first()
    if row is None:
        return response
    since = row.status_changed_at or row.updated_at
    response["Deprecation"] = f"@{int(since.timestamp())}"
    if row.sunset_on:
        response["Sunset"] = http_date(calendar.timegm(row.sunset_on.timetuple()))
    if row.replaced_by:
        url = request.build_absolute_uri(reverse("api:version", args=[ref.contract_id, row.replaced_by]))
        response["Link"] = f'<{url}>; rel="successor-version"'
    return response


def version_put(request: HttpRequest, caller: Caller, contract_id: str, version: str) -> HttpResponse:
    """Create or replace a Draft (a PUT never changes status); 204, with the new ETag."""
    reps.check_path(contract_id, version)
    body, media_type = read_document(request)
    if media_type in JSON_TYPES and not is_json_object_text(body):
        raise InvalidContract([("", "the body is not a JSON object" if body.strip() else "the body is empty")])
    doc = services.document_parse(body)
    _check_identity(doc, contract_id, version)
    _check_author(caller, doc)
    precondition = write_precondition(request)
    _check_precondition(precondition, contract_id, version)
    result = services.contract_publish(
        document=doc,
        actor=caller.username,
        expected_fingerprint=precondition.fingerprint,
        # Under the write lock too: a concurrent creator that slipped past the check above gets a 409.
        create_only=precondition.must_not_exist,
        source="api",
        source_text=None if media_type in JSON_TYPES else body.decode("utf-8-sig", errors="replace"),
    )
    response = HttpResponse(status=204)
    del response["Content-Type"]
    row = result.version
    response["ETag"] = reps.VersionRef(contract_id, version, row.status, row.fingerprint).etag()
    if result.warnings:
        response["Warning"] = warning_header(result.warnings)
    return response


def _check_author(caller: Caller, doc: dict[str, Any]) -> None:
    """The token's user must be an author of the document's domain and of the contract's current one."""
    current = Contract.objects.filter(contract_id=doc["id"]).values_list("domain", flat=True).first()
    refusal = roles.publish_refusal(caller.user, str(doc.get("domain") or ""), current)
    if refusal:
        raise PermissionDenied(refusal)


def _check_identity(doc: dict[str, Any], contract_id: str, version: str) -> None:
    for field, expected in (("id", contract_id), ("version", version)):
        if doc.get(field) != expected:
            raise PathMismatch(f"the body's {field} {doc.get(field)!r} differs from the path's {expected!r}")


def _check_precondition(precondition: Precondition, contract_id: str, version: str) -> None:
    """Existence and status demands; the fingerprint is checked again under the write lock."""
    try:
        current: reps.VersionRef | None = reps.version_ref(contract_id, version)
    except ContractNotFound:
        current = None
    if precondition.must_not_exist and current is not None:
        raise StaleWrite(f"{contract_id} {version} already exists (If-None-Match: *)")
    if (precondition.must_exist or precondition.fingerprint) and current is None:
        raise StaleWrite(f"{contract_id} {version} does not exist, so it cannot match If-Match")
    if precondition.status and current is not None and precondition.status != current.status:
        raise StaleWrite(f"{contract_id} {version} is now {statuses.label(current.status)}; reload and retry")


def warning_header(warnings: list[str]) -> str:
    """RFC 7234 warn-codes 199, ASCII-safe and bounded so no client trips on a huge header."""
    shown = warnings[:MAX_WARNING_HEADERS]
    if len(warnings) > len(shown):
        shown.append(f"and {len(warnings) - len(shown)} more; GET .../status lists them")
    parts = []
    for text in shown:
        safe = text[:200].encode("ascii", "replace").decode("ascii").replace("\\", "\\\\").replace('"', '\\"')
        parts.append(f'199 dc43-portal "{safe}"')
    return ", ".join(parts)


# ---------------------------------------------------------------- dc43's deprecated dataset links


@api_endpoint(POST="write")
def link(request: HttpRequest, caller: Caller) -> HttpResponse:
    """Kept for dc43 clients: like dc43's own backend, it checks the version exists and stores nothing."""
    data = read_json_object(request)
    for name in ("dataset_id", "dataset_version", "contract_id", "contract_version"):
        string_field(data, name, required=True)
    reps.version_ref(data["contract_id"], data["contract_version"])
    response = HttpResponse(status=204)
    del response["Content-Type"]
    return response


@api_endpoint(GET="read")
def linked(request: HttpRequest, caller: Caller, dataset_id: str) -> JsonResponse:
    """dc43's local backend tracks no links, so neither does the portal: always 404."""
    raise ContractNotFound("no contract linked (dataset links now live in dc43's governance service)")


# ---------------------------------------------------------------- lifecycle


@api_endpoint(GET="read")
def version_status(request: HttpRequest, caller: Caller, contract_id: str, version: str) -> HttpResponse:
    ref = reps.version_ref(contract_id, version)
    etag = ref.etag()
    if matches_none(request, etag):
        return not_modified(etag)
    row = ContractVersion.objects.get(contract__contract_id=contract_id, version=version)
    response = JsonResponse(status_payload(row))
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    return response


def status_payload(row: ContractVersion) -> dict[str, Any]:
    return {
        "id": row.contract.contract_id,
        "version": row.version,
        "status": row.status,
        "label": statuses.label(row.status),
        "fingerprint": row.fingerprint,
        "warnings": list(row.warnings or []),
        "created_at": row.created_at.isoformat(),
        "created_by": row.created_by,
        "updated_at": row.updated_at.isoformat(),
        "updated_by": row.updated_by,
        "submitted_by": row.submitted_by,
        "status_changed_at": row.status_changed_at.isoformat() if row.status_changed_at else None,
        "status_changed_by": row.status_changed_by,
        "replaced_by": row.replaced_by,
        "sunset": row.sunset_on.isoformat() if row.sunset_on else None,
    }


@api_endpoint(POST=ANY_SCOPE)
def transition(request: HttpRequest, caller: Caller, contract_id: str, version: str) -> HttpResponse:
    """Move a version as the token's user, under the UI's rules (four eyes included)."""
    data = read_json_object(request)
    target = statuses.parse_status(string_field(data, "to", required=True))
    if target is None:
        raise BadRequest(f"'to' must be one of {', '.join([*statuses.STATUSES, *statuses.LABELS.values()])}")
    comment, replaced_by = string_field(data, "comment"), string_field(data, "replaced_by") or None
    action, sunset = string_field(data, "action") or None, string_field(data, "sunset") or None
    if action is not None and action not in lifecycle.BY_ACTION:
        raise BadRequest(f"'action' must be one of {', '.join(lifecycle.BY_ACTION)}")
    reps.check_path(contract_id, version)
    require_scope(caller, _move_scope(caller, contract_id, version, target, action))
    # Preconditions come after the body and the path are known to be well-formed (those are 400s).
    precondition = write_precondition(request)
    if precondition.status:
        _check_precondition(precondition, contract_id, version)
    row = services.contract_transition(
        contract_id=contract_id,
        version=version,
        to_status=target,
        user=caller.user,
        comment=comment,
        replaced_by=replaced_by,
        expected_fingerprint=precondition.fingerprint,
        source="api",
        action=action,
        sunset=sunset,
    )
    response = JsonResponse(status_payload(row))
    response["ETag"] = reps.VersionRef(contract_id, version, row.status, row.fingerprint).etag()
    return response


def _move_scope(caller: Caller, contract_id: str, version: str, target: str, action: str | None) -> str:
    """An author's move (submit, withdraw) needs the write scope; a steward's the steward scope."""
    if target == statuses.PROPOSED:
        return "write"
    if target != statuses.DRAFT:
        return "steward"
    move = services.transition_move(
        contract_id=contract_id, version=version, to_status=target, user=caller.user, action=action
    )
    return "write" if move is not None and move.role == lifecycle.AUTHOR else "steward"


# ---------------------------------------------------------------- the description of all of the above


@api_endpoint(GET=None)
def openapi(request: HttpRequest, caller: Caller) -> HttpResponse:
    body, etag = openapi_document()
    if matches_none(request, etag):
        return not_modified(etag)
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    return response
