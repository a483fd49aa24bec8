"""Reading API input: content types, bounded bodies, JSON objects and query parameters."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from dc43_portal import statuses
from dc43_portal.api.errors import BadRequest, LengthRequired, UnsupportedMediaType
from dc43_portal.api.representations import JSON, YAML
from dc43_portal.errors import DocumentTooLarge

JSON_TYPES = frozenset({"application/json"})
YAML_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml"})
UTF8_NAMES = frozenset({"utf-8", "utf8"})
# Small JSON bodies (transitions, links) never need more than this.
SMALL_BODY_BYTES = 64 * 1024


def media_type(request: HttpRequest) -> str:
    return request.META.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()


def read_body(request: HttpRequest, *, accept: frozenset[str], limit: int) -> tuple[bytes, str]:
    """The raw body and its media type; 415 for another type, charset or content coding, 411 for a body
    without Content-Length, 413 above ``limit`` (checked before reading)."""
    kind = media_type(request)
    if kind not in accept:
        wanted = ", ".join(sorted(accept))
        raise UnsupportedMediaType(f"Content-Type {kind or '(none)'!r} is not supported; send {wanted}")
    _check_encodings(request)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadRequest("Content-Length is not a number") from None
    if declared > limit:
        raise DocumentTooLarge(f"the body is {declared} bytes; the limit is {limit} bytes")
    # Content-Length is within the limit here, so Django's own (larger) body limit cannot answer first.
    return request.body, kind


def _check_encodings(request: HttpRequest) -> None:
    """UTF-8, uncompressed, with a Content-Length: anything else would be misread, not refused."""
    charset = (request.content_params or {}).get("charset", "utf-8").strip().strip('"').lower()
    if charset not in UTF8_NAMES:
        raise UnsupportedMediaType(f"charset {charset!r} is not supported; send UTF-8")
    coding = request.META.get("HTTP_CONTENT_ENCODING", "").strip().lower()
    if coding not in ("", "identity"):
        raise UnsupportedMediaType(f"Content-Encoding {coding!r} is not supported; send the body uncompressed")
    chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    if chunked and not request.META.get("CONTENT_LENGTH"):
        raise LengthRequired("send the body with a Content-Length; chunked bodies are not read")


def read_document(request: HttpRequest) -> tuple[bytes, str]:
    return read_body(request, accept=JSON_TYPES | YAML_TYPES, limit=settings.DC43_MAX_DOCUMENT_BYTES)


def is_json_object_text(body: bytes) -> bool:
    return body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def read_json_object(request: HttpRequest) -> dict[str, Any]:
    body, _ = read_body(request, accept=JSON_TYPES, limit=SMALL_BODY_BYTES)
    try:
        value = json.loads(body.decode("utf-8-sig") or "null")
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest(f"the body is not valid UTF-8 JSON: {exc}") from None
    if not isinstance(value, dict):
        raise BadRequest("the body must be a JSON object")
    return value


def string_field(data: dict[str, Any], name: str, *, required: bool = False) -> str:
    value = data.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise BadRequest(f"{name!r} must be a {'non-empty ' if required else ''}string")
    return value


def status_param(request: HttpRequest, default: str = "") -> str | None:
    """``?status=`` as a stored status (labels accepted); ``any`` or nothing means every status."""
    return parse_status_param(request.GET.get("status", default))


def parse_status_param(text: str) -> str | None:
    raw = text.strip()
    if not raw or raw.lower() == "any":
        return None
    status = statuses.parse_status(raw)
    if status is None:
        names = ", ".join([*statuses.STATUSES, *statuses.LABELS.values(), "any"])
        raise BadRequest(f"status {raw!r} is unknown; use one of {names}")
    return status


def int_param(request: HttpRequest, name: str, default: int | None) -> int | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or len(raw) > 9:
        raise BadRequest(f"{name} must be a non-negative integer below 10^9")
    return int(raw)


def preferred_media_type(request: HttpRequest) -> str:
    """YAML only when the client prefers it; JSON otherwise (also for Accept headers we cannot serve)."""
    accept = request.META.get("HTTP_ACCEPT", "")
    if "yaml" not in accept:
        return JSON
    preferred = request.get_preferred_type([JSON, YAML, *sorted(YAML_TYPES - {YAML})])
    return YAML if preferred in YAML_TYPES else JSON
