"""The API's one decorator: methods, bearer-token scopes, and JSON errors for every refusal."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from dc43_portal.api.errors import NotAuthenticated
from dc43_portal.api.tokens import Caller, token_authenticate
from dc43_portal.contracts.http_errors import json_error
from dc43_portal.contracts.models import Contract
from dc43_portal.errors import ContractNotFound, PortalError

ApiView = Callable[..., HttpResponse]
# A method that needs a valid token, whose scope the view checks once it has read the body.
ANY_SCOPE = "any"
ANONYMOUS = Caller(scopes=frozenset({"read"}), granted=frozenset({"read"}))


def authenticate(request: HttpRequest, scope: str) -> Caller:
    """The caller allowed to use ``scope``, or ``NotAuthenticated`` (401) / ``PermissionDenied`` (403)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        if scope == "read" and settings.DC43_API_ANONYMOUS_READ:
            return ANONYMOUS
        raise NotAuthenticated("authentication required: send Authorization: Bearer <token>")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise NotAuthenticated("use Authorization: Bearer <token>")
    # Writes re-read the user's groups; reads may use grants a few seconds old.
    caller = token_authenticate(credentials, fresh=scope != "read")
    if caller is None:
        raise NotAuthenticated("the token is unknown, revoked or malformed")
    if scope != ANY_SCOPE:
        require_scope(caller, scope)
    return caller


def require_scope(caller: Caller, scope: str) -> None:
    if scope not in caller.scopes:
        raise PermissionDenied(f"this token lacks the {scope!r} scope")
    if scope not in caller.granted:
        raise PermissionDenied(f"{caller.username}'s groups do not allow the {scope!r} scope")


def require_readable(caller: Caller, contract_id: str) -> None:
    """A contract outside the caller's domains answers as if it did not exist (a new id passes, for a PUT)."""
    domain = Contract.objects.filter(contract_id=contract_id).values_list("domain", flat=True).first()
    if domain is not None and (caller.readable is None or domain not in caller.readable):
        raise ContractNotFound(f"contract {contract_id} not found")


def api_error(exc: Exception) -> JsonResponse:
    response = json_error(exc)
    if isinstance(exc, NotAuthenticated):
        response["WWW-Authenticate"] = 'Bearer realm="dc43-portal"'
    return response


def method_not_allowed(allowed: list[str]) -> JsonResponse:
    response = JsonResponse(
        {"detail": f"method not allowed; use {', '.join(allowed)}", "error": "method_not_allowed"}, status=405
    )
    response["Allow"] = ", ".join(allowed)
    return response


def api_endpoint(**scopes: str | None) -> Callable[[ApiView], ApiView]:
    """``@api_endpoint(GET="read", PUT="write")``: the view gets the authenticated caller as 2nd argument.

    A scope of ``None`` makes the method public; ``ANY_SCOPE`` leaves the scope check to the view.
    HEAD follows GET. Portal errors become JSON.
    """
    if "GET" in scopes:
        scopes.setdefault("HEAD", scopes["GET"])
    allowed = sorted(scopes)

    def decorator(view: ApiView) -> ApiView:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            method = request.method or "GET"
            if method not in scopes:
                return method_not_allowed(allowed)
            try:
                scope = scopes[method]
                caller = authenticate(request, scope) if scope else ANONYMOUS
                if caller.readable is not None and "contract_id" in kwargs:
                    require_readable(caller, kwargs["contract_id"])
                return view(request, caller, *args, **kwargs)
            except (PortalError, PermissionDenied) as exc:
                return api_error(exc)

        wrapper.api_endpoint = True  # type: ignore[attr-defined]  # read by fastpath
        return wrapper

    return decorator
