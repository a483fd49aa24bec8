"""304s for the API's version and latest reads, answered before Django's request cycle.

A job that revalidates its copy (``If-None-Match``) needs four facts: its token still reads, the contract is
in its domains, and the version's content and status are the ones it holds. Django's handler, request
object and middleware cost more than those checks (72 against 27 µs a 304 in-process). This WSGI wrapper
answers exactly that case, with the API's own checks (``token_authenticate``, ``require_scope``,
``require_readable`` and the mirror's row, read on every answer as the view reads it) and the headers
Django's path sends, taken from the same middleware. Anything else, or any doubt, goes on to Django
unchanged: a refusal, an error, a changed version, a deprecated one (its headers need its row), YAML,
a query string, another method or path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.signals import setting_changed
from django.db import close_old_connections
from django.middleware.security import SecurityMiddleware

from dc43_portal import statuses
from dc43_portal.api import representations as reps
from dc43_portal.api.auth import require_readable, require_scope
from dc43_portal.api.conditional import VARY, etag_listed, not_modified
from dc43_portal.api.fastpath import _resolved
from dc43_portal.api.inputs import parse_status_param
from dc43_portal.api.tokens import token_authenticate
from dc43_portal.csp import API_POLICY
from dc43_portal.errors import PortalError

logger = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
PREFIX = "/api/v1/contracts/"
ROUTES = frozenset({"api:version", "api:latest"})


class RevalidationLane:
    """Wraps the WSGI application: a revalidation the mirror confirms is a 304 here, the rest is Django's."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if candidate(environ):
            secure = is_secure(environ)
            etag = unchanged_etag(environ) if secure or not settings.SECURE_SSL_REDIRECT else None  # redirects: Django
            if etag is not None:
                start_response("304 Not Modified", [("ETag", etag), *answer_headers(secure)])
                return []
        return self.app(environ, start_response)


def candidate(environ: dict[str, Any]) -> bool:
    """A plain JSON revalidation of a portal read, with a bearer token."""
    path = environ.get("PATH_INFO", "")
    return (
        environ.get("REQUEST_METHOD") == "GET"
        and bool(environ.get("HTTP_IF_NONE_MATCH"))
        and path.startswith(PREFIX)
        and len(path) <= 300
        and path.isascii()  # Django re-decodes other bytes of PATH_INFO: leave those to it
        and "\x00" not in path
        and not environ.get("QUERY_STRING")
        and "yaml" not in environ.get("HTTP_ACCEPT", "")
        and environ.get("HTTP_AUTHORIZATION", "")[:7].lower() == "bearer "
    )


def unchanged_etag(environ: dict[str, Any]) -> str | None:
    """The ETag the client already holds, when every check passes and it is still current; else None."""
    match = _resolved(environ["PATH_INFO"])
    if match is None or match.view_name not in ROUTES:
        return None
    close_old_connections()  # what Django's request_started and request_finished do
    try:
        caller = token_authenticate(environ["HTTP_AUTHORIZATION"].partition(" ")[2])  # as auth.authenticate
        if caller is None:
            return None
        require_scope(caller, "read")
        contract_id = match.kwargs["contract_id"]
        if caller.readable is not None:
            require_readable(caller, contract_id)
        if "version" in match.kwargs:
            ref = reps.version_ref(contract_id, match.kwargs["version"])
        else:
            ref = reps.latest_ref(contract_id, parse_status_param(settings.DC43_API_LATEST_STATUS))
    except (PortalError, PermissionDenied):
        return None  # Django answers the refusal, with its JSON body
    except Exception:
        logger.warning("revalidation left to Django after an error", exc_info=True)
        return None
    finally:
        close_old_connections()
    etag = ref.etag()
    if ref.status == statuses.DEPRECATED or not etag_listed(environ["HTTP_IF_NONE_MATCH"], etag):
        return None
    return etag


def is_secure(environ: dict[str, Any]) -> bool:
    """``HttpRequest.is_secure`` on the environ: the proxy's header when one is configured."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            return str(value).split(",", 1)[0].strip() == secure_value
    return environ.get("wsgi.url_scheme") == "https"


class _Scheme:
    """The one thing SecurityMiddleware.process_response asks of a request."""

    def __init__(self, secure: bool) -> None:
        self.secure = secure

    def is_secure(self) -> bool:
        return self.secure


@lru_cache(maxsize=2)
def answer_headers(secure: bool) -> tuple[tuple[str, str], ...]:
    """Every header but the ETag of the 304 Django's path sends, from the same middleware and settings."""
    response = not_modified("", VARY)
    response = SecurityMiddleware(lambda request: response).process_response(_Scheme(secure), response)  # type: ignore[arg-type]
    response.headers.setdefault("X-Frame-Options", "DENY")  # as the API's fast path adds it
    response.headers.setdefault("Content-Security-Policy", API_POLICY)
    return tuple((name, value) for name, value in response.items() if name != "ETag")


def _forget_headers(*, setting: str, **kwargs: object) -> None:
    if setting.startswith("SECURE_"):
        answer_headers.cache_clear()


setting_changed.connect(_forget_headers)
