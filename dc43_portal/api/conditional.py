"""Conditional requests: If-None-Match (304) on reads, If-Match / If-None-Match: * (412) on writes."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags

from dc43_portal.errors import StaleWrite

CACHE_CONTROL = "private, no-cache"
# A document read answers by the Accept header (JSON or YAML) and the token (its domains).
VARY = "Accept, Authorization"


def _opaque(etag: str) -> str:
    """Weak comparison: ``W/"x"`` and ``"x"`` match."""
    return etag.removeprefix("W/")


def matches_none(request: HttpRequest, etag: str) -> bool:
    """True when the client's If-None-Match names ``etag`` (or ``*``), so a 304 answers."""
    return etag_listed(request.META.get("HTTP_IF_NONE_MATCH", ""), etag)


def etag_listed(header: str, etag: str) -> bool:
    """True when an If-None-Match header's value names ``etag`` (or is ``*``)."""
    if not header:
        return False
    tags = parse_etags(header)
    return tags == ["*"] or _opaque(etag) in {_opaque(t) for t in tags}


def not_modified(etag: str, vary: str | None = None) -> HttpResponse:
    """A 304 with the validators a 200 would carry (RFC 9110 15.4.5): no Content-Type, no body."""
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    if vary:
        response["Vary"] = vary
    return response


@dataclass(frozen=True)
class Precondition:
    """What a write's If-Match / If-None-Match demand of the current version."""

    fingerprint: str | None = None  # the version must still have this content
    status: str | None = None  # ...and this status, when the ETag carried one
    must_exist: bool = False  # If-Match: *
    must_not_exist: bool = False  # If-None-Match: *


def write_precondition(request: HttpRequest) -> Precondition:
    """Read If-Match (our ETag or a bare fingerprint) and ``If-None-Match: *``."""
    none_match = request.META.get("HTTP_IF_NONE_MATCH", "").strip()
    must_not_exist = none_match == "*"
    header = request.META.get("HTTP_IF_MATCH", "").strip()
    if not header:
        return Precondition(must_not_exist=must_not_exist)
    # A bare fingerprint (no quotes) is accepted too, for hand-written calls.
    tags = parse_etags(header) or [f'"{header}"']
    if tags == ["*"]:
        return Precondition(must_exist=True, must_not_exist=must_not_exist)
    if len(tags) != 1:
        raise StaleWrite("If-Match must carry exactly one ETag of this API")
    value = _opaque(tags[0]).strip('"')
    fingerprint, _, status = value.partition("-")
    if len(fingerprint) != 64:
        raise StaleWrite(f"If-Match {tags[0]} is not an ETag of this API")
    return Precondition(fingerprint=fingerprint, status=status or None, must_not_exist=must_not_exist)
