"""The idle timeout: a session unused for ``DC43_SESSION_IDLE_SECONDS`` is signed out."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django_htmx.http import HttpResponseClientRedirect

SESSION_KEY = "dc43_last_seen"
# The session is written at most this often, so reads do not each save it; the timeout is this coarse.
RESOLUTION_SECONDS = 30


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        idle = settings.DC43_SESSION_IDLE_SECONDS
        user = getattr(request, "user", None)
        # The API authenticates each request by token; only browser sessions idle out.
        if idle <= 0 or user is None or not user.is_authenticated or request.path.startswith("/api/"):
            return self.get_response(request)
        now = int(time.time())
        last = request.session.get(SESSION_KEY)
        if isinstance(last, int) and now - last > idle:
            logout(request)
            messages.info(request, "You were signed out after a period of inactivity. Log in again to continue.")
            response = redirect_to_login(request.get_full_path())
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(response["Location"])
            return response
        if not isinstance(last, int) or now - last >= min(RESOLUTION_SECONDS, idle):
            request.session[SESSION_KEY] = now
        return self.get_response(request)


def stamp_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """A new session starts its idle clock at login (connected by the app's ``ready``)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = int(time.time())
