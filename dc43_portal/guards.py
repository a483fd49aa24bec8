"""Request guards that apply to every route before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from dc43_portal.api.errors import BadRequest

API_PREFIX = "/api/"


class NulQueryMiddleware:
    """A NUL in a query parameter is never meaningful, and PostgreSQL refuses it in a query: answer 400
    before a filter (a page's, the admin's or the API's) hands it to the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return _refusal(request, BadRequest("a query parameter holds a NUL character (%00)"))
        return self.get_response(request)


class PageMethodMiddleware:
    """Django's 405 (``require_POST`` and friends) has an empty body: give pages the error page instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.path_info.startswith(API_PREFIX) or response.content:
            return response
        from dc43_portal.contracts.http_errors import html_error

        allowed = response.get("Allow", "")
        page = html_error(request, Exception(f"This address does not accept {request.method}; use {allowed}."), 405)
        page["Allow"] = allowed
        return page


def _refusal(request: HttpRequest, exc: BadRequest) -> HttpResponse:
    # Imported here: the error map renders templates and the API's JSON, which need the apps loaded.
    from dc43_portal.api.auth import api_error
    from dc43_portal.contracts.http_errors import html_error

    if request.path_info.startswith(API_PREFIX):
        return api_error(exc)
    return html_error(request, exc)
