"""A short road for the API's reads: GET and HEAD of an ``api_endpoint`` view skip the page middleware.

Sessions, CSRF, messages, htmx and the page guards serve browsers; a bearer-token read needs none of
them, and together they cost about as much as the read itself. This middleware sits right after the
security and JSON-error middleware: it resolves the path, and when the view is one of the API's (marked
by ``auth.api_endpoint``) it calls it directly, keeping the API's own guards (the NUL check, the
token, the status). Anything else (writes, pages, unknown paths) takes the full chain.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, ResolverMatch, resolve

from dc43_portal.api.errors import BadRequest

API_PREFIX = "/api/"
READS = frozenset({"GET", "HEAD"})


class ApiReadFastPathMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in READS or not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        path = request.path_info
        match = _resolved(path) if len(path) <= 300 else _resolve(path)  # long paths would make the cache big
        if match is None or not getattr(match.func, "api_endpoint", False):
            return self.get_response(request)
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            from dc43_portal.api.auth import api_error  # the error map needs the apps loaded

            return api_error(BadRequest("a query parameter holds a NUL character (%00)"))
        request.resolver_match = match
        response = match.func(request, *match.args, **match.kwargs)
        # What the skipped CommonMiddleware and XFrameOptionsMiddleware would have added.
        if response.status_code != 304 and not response.streaming and not response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response


def _resolve(path: str) -> ResolverMatch | None:
    try:
        return resolve(path)
    except Resolver404:
        return None


# The route of an API path, remembered: routes are fixed once loaded, and resolving was a tenth of a read.
_resolved = lru_cache(maxsize=4096)(_resolve)


def _forget_routes(*, setting: str, **kwargs: object) -> None:
    if setting == "ROOT_URLCONF":
        _resolved.cache_clear()


setting_changed.connect(_forget_routes)
