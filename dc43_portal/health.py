"""``/healthz`` for Docker's HEALTHCHECK, answered before host checks and the HTTPS redirect.

Healthy means the database answers **and** a page can be rendered: the login template (which extends the
layout) renders with the real static storage, so missing templates or a missing static manifest (every
page would answer 500) make the probe fail too. A success is reused for a few seconds per process, so a
probe under load costs one ``SELECT 1``; a failure is never reused.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import render_to_string

PROBE_TEMPLATE = "registration/login.html"
RENDER_OK_SECONDS = 10.0


class HealthCheckMiddleware:
    """The probe calls 127.0.0.1 over plain http, which ALLOWED_HOSTS and SSL redirects would refuse."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.rendered_at = float("-inf")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != "/healthz":
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return JsonResponse({"status": "database unavailable"}, status=503)
        problem = self.render_problem()
        if problem:
            return JsonResponse({"status": "pages cannot be rendered", "detail": problem}, status=503)
        return JsonResponse({"status": "ok"})

    def render_problem(self) -> str | None:
        """Why a page cannot be rendered, or None; a success is trusted for ``RENDER_OK_SECONDS``."""
        if time.monotonic() - self.rendered_at < RENDER_OK_SECONDS:
            return None
        try:
            # ValueError: the manifest storage names no hashed file for a {% static %} path.
            render_to_string(PROBE_TEMPLATE, {})
        except (TemplateDoesNotExist, TemplateSyntaxError, ValueError) as exc:
            return f"{type(exc).__name__}: {exc}"
        self.rendered_at = time.monotonic()
        return None
