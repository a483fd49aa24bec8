"""Never HTML under ``/api``: every error answer there, from any layer, becomes JSON ``{detail, error}``."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from dc43_portal.api.auth import api_error
from dc43_portal.errors import DocumentTooLarge, PortalError

logger = logging.getLogger("django.request")
API_PREFIX = "/api/"
ERRORS = {
    400: ("bad_request", "The request could not be understood."),
    401: ("not_authenticated", "Authentication required."),
    403: ("permission_denied", "You are not allowed to do that."),
    404: ("not_found", "No such API route."),
    405: ("method_not_allowed", "Method not allowed."),
    406: ("not_acceptable", "Not acceptable."),
    413: ("too_large", "The request body is too large."),
    415: ("unsupported_media_type", "Unsupported media type."),
    500: ("server_error", "Something went wrong on our side; it has been logged."),
}


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code >= 400 and request.path_info.startswith(API_PREFIX) and not _is_json(response):
            return _as_json(response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path_info.startswith(API_PREFIX):
            return None
        if isinstance(exception, RequestDataTooBig):
            return api_error(DocumentTooLarge(str(exception)))
        if isinstance(exception, PortalError | PermissionDenied | Http404):
            return api_error(exception)
        if isinstance(exception, SuspiciousOperation):
            return _payload(400, "bad_request", str(exception) or ERRORS[400][1])
        logger.error("Internal Server Error: %s", request.path, exc_info=exception, extra={"status_code": 500})
        return _payload(500, *ERRORS[500])


def _is_json(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


def _as_json(response: HttpResponse) -> HttpResponse:
    code, detail = ERRORS.get(response.status_code, ("error", response.reason_phrase or "Error"))
    answer = _payload(response.status_code, code, detail)
    for header in ("Allow", "WWW-Authenticate", "Retry-After"):
        if header in response:
            answer[header] = response[header]
    return answer


def _payload(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "error": code}, status=status)
