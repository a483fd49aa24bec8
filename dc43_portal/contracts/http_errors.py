"""One map from portal errors to HTTP answers: an HTML page for people, JSON for machines (DESIGN §6)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render, resolve_url

from dc43_portal.errors import ContractNotFound, InvalidContract, PortalError


def status_of(exc: Exception) -> int:
    if isinstance(exc, PortalError):
        return exc.status_code
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, Http404):
        return 404
    return 500


# Codes of the Django exceptions that carry none of their own.
_CODES: dict[type[Exception], str] = {PermissionDenied: "permission_denied", Http404: "not_found"}


def error_payload(exc: Exception) -> dict[str, Any]:
    code = getattr(exc, "code", None) or _CODES.get(type(exc), "error")
    payload: dict[str, Any] = {"detail": str(exc) or exc.__class__.__name__, "error": code}
    if isinstance(exc, InvalidContract):
        payload["errors"] = [{"path": path, "message": message} for path, message in exc.errors]
    return payload


def json_error(exc: Exception) -> JsonResponse:
    return JsonResponse(error_payload(exc), status=status_of(exc))


def html_error(request: HttpRequest, exc: Exception, status: int | None = None) -> HttpResponse:
    status = status or status_of(exc)
    if _is_api(request):
        return _api_answer(status, str(exc) or _DEFAULT_MESSAGES.get(status, "Error"))
    errors = list(getattr(exc, "errors", None) or [])
    message = str(exc) or _DEFAULT_MESSAGES.get(status, "Error")
    if len(errors) > 1:  # the list says each problem once; the message only counts them
        message = f"{len(errors)} problems; nothing was saved:"
    context = {"status": status, "message": message, "errors": errors if len(errors) > 1 else []}
    return render(request, "error.html", context, status=status)


_DEFAULT_MESSAGES = {
    400: "The request could not be understood.",
    403: "You are not allowed to do that.",
    404: "This page does not exist.",
    413: "The request is too large.",
    500: "Something went wrong on our side; it has been logged.",
}


def portal_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer portal errors raised in a page view with the HTML error page and the right status."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (PortalError, LookupError) as exc:
            if isinstance(exc, LookupError) and not isinstance(exc, ContractNotFound):
                raise
            return html_error(request, exc)

    return wrapper


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        # Django's own message names a setting; say what the user can act on, with the right status.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        return html_error(request, Exception(f"The request is larger than the portal accepts ({limit:g} MB)."), 413)
    return html_error(request, exception or Exception(), 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return html_error(request, exception or Exception(), 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if isinstance(exception, ContractNotFound) else ""
    return html_error(request, Exception(message), 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: the portal's page with what to do, instead of Django's bare one. An htmx request
    gets a notice in its panel and the current token (``csrf-token`` event), so pressing again works and
    nothing typed is lost."""
    if request.headers.get("HX-Request") == "true":
        return _csrf_notice(request)
    message = "This form expired or did not come from the portal. Nothing was saved: reload the page and try again."
    return html_error(request, Exception(message), 403)


def _is_api(request: HttpRequest) -> bool:
    # Under /api every answer is JSON, and rendering no template keeps it so without collectstatic.
    return request.path_info.startswith("/api/")


_API_CODES = {400: "bad_request", 403: "permission_denied", 404: "not_found", 413: "too_large", 500: "server_error"}


def _api_answer(status: int, message: str) -> JsonResponse:
    return JsonResponse({"detail": message, "error": _API_CODES.get(status, "error")}, status=status)


def _csrf_notice(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    here = urlsplit(request.headers.get("HX-Current-URL", "/"))
    login_url = (
        f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': here.path + ('?' + here.query if here.query else '')})}"
    )
    context = {"kind": "token" if signed_in else "expired", "login_url": login_url}
    response = render(request, "contracts/_session.html", context, status=403 if signed_in else 401)
    target = "#lifecycle-alert" if request.headers.get("HX-Target") == "lifecycle" else "#htmx-alert"
    response["HX-Retarget"], response["HX-Reswap"] = target, "innerHTML"
    if signed_in:
        response["HX-Trigger"] = json.dumps({"csrf-token": {"value": get_token(request)}})
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _api_answer(500, _DEFAULT_MESSAGES[500])
    return render(request, "error.html", {"status": 500, "message": _DEFAULT_MESSAGES[500]}, status=500)
